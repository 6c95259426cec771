/**
 * Persistence of identity and access behind a narrow interface: users, sessions, MQTT credentials,
 * login failures and the audit log. SqliteIdentityStore runs on the connection Storage owns; another
 * engine implements the same interface.
 */
import type Database from 'better-sqlite3';
import type { AuditRecord, Role } from '../../contracts';

export interface UserRow {
  username: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
  lastLoginAt: number | null;
}

/** A stored session with its user's current role and state. */
export interface SessionRow {
  tokenHash: string;
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: number;
  expiresAt: number;
}

export type CredentialKind = 'device' | 'gateway';

export interface CredentialRow {
  /** The MQTT username: the device id, or the gateway id. */
  username: string;
  kind: CredentialKind;
  secretHash: string;
  /** A gateway's sites; null for a device. */
  siteIds: string[] | null;
  issuedAt: number;
  issuedBy: string;
}

/** One audit entry: who (a user name, null for the service itself), from where, what, to what. */
export type AuditEntry = AuditRecord;

export interface AuditQuery {
  fromMs?: number;
  toMs?: number;
  user?: string;
  /** An action, or a prefix ending in `.` (`login.` for every kind of login entry). */
  action?: string;
  limit: number;
}

export interface IdentityStore {
  countUsers(): Promise<number>;
  user(username: string): Promise<UserRow | null>;
  users(): Promise<UserRow[]>;
  /** False when the username is taken. */
  insertUser(u: UserRow): Promise<boolean>;
  updateUser(username: string, patch: Partial<Pick<UserRow, 'role' | 'passwordHash' | 'disabled' | 'lastLoginAt'>>, nowMs: number): Promise<void>;
  insertSession(s: Omit<SessionRow, 'role' | 'disabled'>, address: string | null): Promise<void>;
  session(tokenHash: string): Promise<SessionRow | null>;
  /** False when there was no such session. */
  deleteSession(tokenHash: string): Promise<boolean>;
  /** Deletes a user's sessions but `keepHash`; answers how many. */
  deleteSessions(username: string, keepHash?: string): Promise<number>;
  deleteExpiredSessions(nowMs: number): Promise<number>;
  credential(username: string): Promise<CredentialRow | null>;
  credentials(): Promise<CredentialRow[]>;
  upsertCredential(c: CredentialRow): Promise<void>;
  addFailure(ts: number, username: string, address: string): Promise<void>;
  /** Times of failures since `sinceMs` for a username or an address, newest first. */
  failuresSince(by: 'username' | 'address', value: string, sinceMs: number): Promise<number[]>;
  deleteFailuresBefore(ms: number): Promise<void>;
  addAudit(e: AuditEntry): Promise<void>;
  /** Audit entries newest first. */
  audit(q: AuditQuery): Promise<AuditEntry[]>;
}

type UserDb = Omit<UserRow, 'disabled'> & { disabled: number };

const userOf = (r: UserDb): UserRow => ({ ...r, disabled: r.disabled === 1 });

export class SqliteIdentityStore implements IdentityStore {
  private readonly st;

  /**
   * @param db the connection Storage owns.
   * @param durably runs a write and commits it before returning (Storage.durably): a user, session,
   *   credential or audit entry the API has answered for survives a crash.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly durably: <T>(write: () => T) => T = (write) => write(),
  ) {
    const userCols = `username, role, password_hash AS passwordHash, disabled, created_at AS createdAt,
      updated_at AS updatedAt, last_login_at AS lastLoginAt`;
    this.st = {
      countUsers: db.prepare('SELECT COUNT(*) FROM users').pluck(),
      user: db.prepare(`SELECT ${userCols} FROM users WHERE username = ?`),
      users: db.prepare(`SELECT ${userCols} FROM users ORDER BY username`),
      insertUser: db.prepare(
        `INSERT OR IGNORE INTO users (username, role, password_hash, disabled, created_at, updated_at, last_login_at)
         VALUES (@username, @role, @passwordHash, @disabled, @createdAt, @updatedAt, @lastLoginAt)`,
      ),
      insertSession: db.prepare('INSERT INTO sessions (token_hash, username, created_at, expires_at, address) VALUES (?, ?, ?, ?, ?)'),
      session: db.prepare(
        `SELECT s.token_hash AS tokenHash, s.username, u.role, u.disabled, s.created_at AS createdAt, s.expires_at AS expiresAt
           FROM sessions s JOIN users u ON u.username = s.username WHERE s.token_hash = ?`,
      ),
      deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
      deleteSessions: db.prepare('DELETE FROM sessions WHERE username = ? AND token_hash <> ?'),
      deleteExpired: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
      credential: db.prepare(
        `SELECT username, kind, secret_hash AS secretHash, site_ids AS siteIds, issued_at AS issuedAt, issued_by AS issuedBy
           FROM mqtt_credentials WHERE username = ?`,
      ),
      credentials: db.prepare(
        `SELECT username, kind, secret_hash AS secretHash, site_ids AS siteIds, issued_at AS issuedAt, issued_by AS issuedBy
           FROM mqtt_credentials ORDER BY kind, username`,
      ),
      upsertCredential: db.prepare(
        `INSERT INTO mqtt_credentials (username, kind, secret_hash, site_ids, issued_at, issued_by) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (username) DO UPDATE SET kind = excluded.kind, secret_hash = excluded.secret_hash,
           site_ids = excluded.site_ids, issued_at = excluded.issued_at, issued_by = excluded.issued_by`,
      ),
      addFailure: db.prepare('INSERT INTO login_failures (ts, username, address) VALUES (?, ?, ?)'),
      failuresByUser: db.prepare('SELECT ts FROM login_failures WHERE username = ? AND ts > ? ORDER BY ts DESC').pluck(),
      failuresByAddress: db.prepare('SELECT ts FROM login_failures WHERE address = ? AND ts > ? ORDER BY ts DESC').pluck(),
      deleteFailures: db.prepare('DELETE FROM login_failures WHERE ts <= ?'),
      addAudit: db.prepare('INSERT INTO audit (ts, user, address, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)'),
    };
  }

  async countUsers(): Promise<number> {
    return this.st.countUsers.get() as number;
  }

  async user(username: string): Promise<UserRow | null> {
    const r = this.st.user.get(username) as UserDb | undefined;
    return r ? userOf(r) : null;
  }

  async users(): Promise<UserRow[]> {
    return (this.st.users.all() as UserDb[]).map(userOf);
  }

  async insertUser(u: UserRow): Promise<boolean> {
    return this.durably(() => this.st.insertUser.run({ ...u, disabled: u.disabled ? 1 : 0 }).changes > 0);
  }

  async updateUser(username: string, patch: Partial<Pick<UserRow, 'role' | 'passwordHash' | 'disabled' | 'lastLoginAt'>>, nowMs: number): Promise<void> {
    const cols: Record<string, string> = { role: 'role', passwordHash: 'password_hash', disabled: 'disabled', lastLoginAt: 'last_login_at' };
    const sets: string[] = [];
    const params: (string | number | null)[] = [];
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      sets.push(`${cols[k]} = ?`);
      params.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    }
    if (sets.length === 0) return;
    // The login time is no change to the user: it leaves updated_at alone.
    if (Object.keys(patch).some((k) => k !== 'lastLoginAt')) {
      sets.push('updated_at = ?');
      params.push(nowMs);
    }
    this.durably(() => this.db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE username = ?`).run(...params, username));
  }

  async insertSession(s: Omit<SessionRow, 'role' | 'disabled'>, address: string | null): Promise<void> {
    this.durably(() => this.st.insertSession.run(s.tokenHash, s.username, s.createdAt, s.expiresAt, address));
  }

  async session(tokenHash: string): Promise<SessionRow | null> {
    const r = this.st.session.get(tokenHash) as (Omit<SessionRow, 'disabled'> & { disabled: number }) | undefined;
    return r ? { ...r, disabled: r.disabled === 1 } : null;
  }

  async deleteSession(tokenHash: string): Promise<boolean> {
    return this.durably(() => this.st.deleteSession.run(tokenHash).changes > 0);
  }

  async deleteSessions(username: string, keepHash = ''): Promise<number> {
    return this.durably(() => this.st.deleteSessions.run(username, keepHash).changes);
  }

  async deleteExpiredSessions(nowMs: number): Promise<number> {
    return this.durably(() => this.st.deleteExpired.run(nowMs).changes);
  }

  async credential(username: string): Promise<CredentialRow | null> {
    const r = this.st.credential.get(username) as (Omit<CredentialRow, 'siteIds'> & { siteIds: string | null }) | undefined;
    return r ? { ...r, siteIds: r.siteIds === null ? null : (JSON.parse(r.siteIds) as string[]) } : null;
  }

  async credentials(): Promise<CredentialRow[]> {
    type Row = Omit<CredentialRow, 'siteIds'> & { siteIds: string | null };
    return (this.st.credentials.all() as Row[]).map((r) => ({ ...r, siteIds: r.siteIds === null ? null : (JSON.parse(r.siteIds) as string[]) }));
  }

  async upsertCredential(c: CredentialRow): Promise<void> {
    this.durably(() => this.st.upsertCredential.run(c.username, c.kind, c.secretHash, c.siteIds === null ? null : JSON.stringify(c.siteIds), c.issuedAt, c.issuedBy));
  }

  async addFailure(ts: number, username: string, address: string): Promise<void> {
    this.durably(() => this.st.addFailure.run(ts, username, address));
  }

  async failuresSince(by: 'username' | 'address', value: string, sinceMs: number): Promise<number[]> {
    return (by === 'username' ? this.st.failuresByUser : this.st.failuresByAddress).all(value, sinceMs) as number[];
  }

  async deleteFailuresBefore(ms: number): Promise<void> {
    this.durably(() => this.st.deleteFailures.run(ms));
  }

  async addAudit(e: AuditEntry): Promise<void> {
    this.durably(() => this.st.addAudit.run(e.ts, e.user, e.address, e.action, e.target, e.detail === null ? null : JSON.stringify(e.detail)));
  }

  async audit(q: AuditQuery): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (q.fromMs !== undefined) (where.push('ts >= ?'), params.push(q.fromMs));
    if (q.toMs !== undefined) (where.push('ts <= ?'), params.push(q.toMs));
    if (q.user) (where.push('user = ?'), params.push(q.user));
    if (q.action?.endsWith('.')) (where.push('substr(action, 1, ?) = ?'), params.push(q.action.length, q.action));
    else if (q.action) (where.push('(action = ? OR substr(action, 1, ?) = ?)'), params.push(q.action, q.action.length + 1, `${q.action}.`));
    const sql = `SELECT ts, user, address, action, target, detail FROM audit ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY seq DESC LIMIT ?`;
    type Row = Omit<AuditEntry, 'detail'> & { detail: string | null };
    return (this.db.prepare(sql).all(...params, q.limit) as Row[]).map((r) => ({
      ...r,
      detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
    }));
  }
}
