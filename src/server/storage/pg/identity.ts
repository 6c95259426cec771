/**
 * Identity and access on PostgreSQL: the same IdentityStore as SQLite's, each write its own
 * committed statement (the API answers once it is stored). Auth keeps sessions in a short cache,
 * so the requests and the broker do not ask the database every time.
 */
import type { Pool } from 'pg';
import type { AuditEntry, AuditQuery, CredentialRow, IdentityStore, SessionRow, UserRow } from '../../identity/store';

const USER_COLS = `username, role, password_hash AS "passwordHash", disabled, created_at AS "createdAt", updated_at AS "updatedAt", last_login_at AS "lastLoginAt"`;
const CRED_COLS = `username, kind, secret_hash AS "secretHash", site_ids AS "siteIds", issued_at AS "issuedAt", issued_by AS "issuedBy"`;

type CredDb = Omit<CredentialRow, 'siteIds'> & { siteIds: string | null };
const credOf = (r: CredDb): CredentialRow => ({ ...r, siteIds: r.siteIds === null ? null : (JSON.parse(r.siteIds) as string[]) });

export class PgIdentityStore implements IdentityStore {
  constructor(private readonly pool: Pool) {}

  private async q<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  async countUsers(): Promise<number> {
    return (await this.q<{ n: number }>('SELECT count(*) AS n FROM users'))[0].n;
  }

  async user(username: string): Promise<UserRow | null> {
    return (await this.q<UserRow>(`SELECT ${USER_COLS} FROM users WHERE username = $1`, [username]))[0] ?? null;
  }

  users(): Promise<UserRow[]> {
    return this.q<UserRow>(`SELECT ${USER_COLS} FROM users ORDER BY username`);
  }

  async insertUser(u: UserRow): Promise<boolean> {
    const r = await this.pool.query(
      `INSERT INTO users (username, role, password_hash, disabled, created_at, updated_at, last_login_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (username) DO NOTHING`,
      [u.username, u.role, u.passwordHash, u.disabled, u.createdAt, u.updatedAt, u.lastLoginAt],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async updateUser(username: string, patch: Partial<Pick<UserRow, 'role' | 'passwordHash' | 'disabled' | 'lastLoginAt'>>, nowMs: number): Promise<void> {
    const cols: Record<string, string> = { role: 'role', passwordHash: 'password_hash', disabled: 'disabled', lastLoginAt: 'last_login_at' };
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      params.push(v);
      sets.push(`${cols[k]} = $${params.length}`);
    }
    if (sets.length === 0) return;
    // The login time is no change to the user: it leaves updated_at alone.
    if (Object.keys(patch).some((k) => k !== 'lastLoginAt' && patch[k as keyof typeof patch] !== undefined)) {
      params.push(nowMs);
      sets.push(`updated_at = $${params.length}`);
    }
    params.push(username);
    await this.pool.query(`UPDATE users SET ${sets.join(', ')} WHERE username = $${params.length}`, params);
  }

  async insertSession(s: Omit<SessionRow, 'role' | 'disabled'>, address: string | null): Promise<void> {
    await this.pool.query('INSERT INTO sessions (token_hash, username, created_at, expires_at, address) VALUES ($1, $2, $3, $4, $5)', [
      s.tokenHash,
      s.username,
      s.createdAt,
      s.expiresAt,
      address,
    ]);
  }

  async session(tokenHash: string): Promise<SessionRow | null> {
    const rows = await this.q<SessionRow>(
      `SELECT s.token_hash AS "tokenHash", s.username, u.role, u.disabled, s.created_at AS "createdAt", s.expires_at AS "expiresAt"
         FROM sessions s JOIN users u ON u.username = s.username WHERE s.token_hash = $1`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  async deleteSession(tokenHash: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash])).rowCount ?? 0) > 0;
  }

  async deleteSessions(username: string, keepHash = ''): Promise<number> {
    return (await this.pool.query('DELETE FROM sessions WHERE username = $1 AND token_hash <> $2', [username, keepHash])).rowCount ?? 0;
  }

  async deleteExpiredSessions(nowMs: number): Promise<number> {
    return (await this.pool.query('DELETE FROM sessions WHERE expires_at <= $1', [nowMs])).rowCount ?? 0;
  }

  async credential(username: string): Promise<CredentialRow | null> {
    const r = (await this.q<CredDb>(`SELECT ${CRED_COLS} FROM mqtt_credentials WHERE username = $1`, [username]))[0];
    return r ? credOf(r) : null;
  }

  async credentials(): Promise<CredentialRow[]> {
    return (await this.q<CredDb>(`SELECT ${CRED_COLS} FROM mqtt_credentials ORDER BY kind, username`)).map(credOf);
  }

  async upsertCredential(c: CredentialRow): Promise<void> {
    await this.pool.query(
      `INSERT INTO mqtt_credentials (username, kind, secret_hash, site_ids, issued_at, issued_by) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (username) DO UPDATE SET kind = excluded.kind, secret_hash = excluded.secret_hash,
         site_ids = excluded.site_ids, issued_at = excluded.issued_at, issued_by = excluded.issued_by`,
      [c.username, c.kind, c.secretHash, c.siteIds === null ? null : JSON.stringify(c.siteIds), c.issuedAt, c.issuedBy],
    );
  }

  async addFailure(ts: number, username: string, address: string): Promise<void> {
    await this.pool.query('INSERT INTO login_failures (ts, username, address) VALUES ($1, $2, $3)', [ts, username, address]);
  }

  async failuresSince(by: 'username' | 'address', value: string, sinceMs: number): Promise<number[]> {
    const col = by === 'username' ? 'username' : 'address';
    return (await this.q<{ ts: number }>(`SELECT ts FROM login_failures WHERE ${col} = $1 AND ts > $2 ORDER BY ts DESC`, [value, sinceMs])).map((r) => r.ts);
  }

  async deleteFailuresBefore(ms: number): Promise<void> {
    await this.pool.query('DELETE FROM login_failures WHERE ts <= $1', [ms]);
  }

  async addAudit(e: AuditEntry): Promise<void> {
    await this.pool.query('INSERT INTO audit (ts, user_name, address, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)', [
      e.ts,
      e.user,
      e.address,
      e.action,
      e.target,
      e.detail === null ? null : JSON.stringify(e.detail),
    ]);
  }

  async audit(q: AuditQuery): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown): string => (params.push(v), `$${params.length}`);
    if (q.fromMs !== undefined) where.push(`ts >= ${p(q.fromMs)}`);
    if (q.toMs !== undefined) where.push(`ts <= ${p(q.toMs)}`);
    if (q.user) where.push(`user_name = ${p(q.user)}`);
    if (q.action?.endsWith('.')) where.push(`starts_with(action, ${p(q.action)})`);
    else if (q.action) where.push(`(action = ${p(q.action)} OR starts_with(action, ${p(`${q.action}.`)}))`);
    const sql = `SELECT ts, user_name AS "user", address, action, target, detail FROM audit ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY seq DESC LIMIT ${p(q.limit)}`;
    return (await this.q<Omit<AuditEntry, 'detail'> & { detail: string | null }>(sql, params)).map((r) => ({
      ...r,
      detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
    }));
  }
}
