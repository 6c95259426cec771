/**
 * Users and login sessions (docs/contract.md "Roles and access"). Users live in the
 * database with scrypt passwords; a session is a random token stored as its SHA-256, so sessions
 * survive a restart and a stolen database holds no usable token. Logout, disabling a user and a
 * password change revoke sessions at once and tell the broker, which closes their MQTT connections.
 */
import { timingSafeEqual } from 'node:crypto';
import { ROLES, type Role, type UserInfo } from '../contracts';
import type { Actor, AuditLog } from './identity/audit';
import { DUMMY_HASH, hashPassword, randomSecret, sha256, verifyPassword } from './identity/passwords';
import type { IdentityStore, UserRow } from './identity/store';
import { LoginThrottle } from './identity/throttle';

/** A login lasts a working shift and a half. */
export const TOKEN_TTL_MS = 12 * 60 * 60 * 1000;
/**
 * A session checked against the database is trusted this long without asking again: every request
 * and the broker's sweep read it from memory. A logout on another instance that shares the
 * database is seen within this plus the broker's 1 s sweep (the contract allows 5 s).
 */
export const SESSION_CACHE_MS = 2000;
/** Sessions kept in that cache at most (older entries go first). */
const SESSION_CACHE_MAX = 10_000;

export interface Session {
  username: string;
  role: Role;
  expiresAt: number;
  /** SHA-256 of the token: names the session without holding the token. */
  tokenHash: string;
}

/** What was revoked: one session, a user's sessions (but one), or an MQTT credential. */
export type Revocation =
  | { kind: 'session'; tokenHash: string }
  | { kind: 'user'; username: string; keepHash?: string }
  | { kind: 'credential'; username: string };

export type LoginResult =
  | { ok: true; token: string; role: Role; username: string }
  | { ok: false; status: 401 }
  | { ok: false; status: 429; retryAfterS: number };

export type UserPatch = { role?: Role; disabled?: boolean; password?: string };

/** Compares secrets in constant time so a wrong one does not leak its common prefix. */
export function sameSecret(given: string | Buffer | undefined | null, expected: string): boolean {
  if (given === undefined || given === null) return false;
  const a = Buffer.isBuffer(given) ? given : Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function userInfo(u: UserRow): UserInfo {
  return { username: u.username, role: u.role, disabled: u.disabled, createdAt: u.createdAt, updatedAt: u.updatedAt, lastLoginAt: u.lastLoginAt };
}

export class Auth {
  readonly throttle: LoginThrottle;
  private readonly listeners: ((r: Revocation) => void)[] = [];
  /** Sessions by token hash as last read from the store (null: none), with the clock of that read. */
  private readonly cache = new Map<string, { session: Session | null; readAt: number }>();

  constructor(
    private readonly store: IdentityStore,
    private readonly audit: AuditLog,
    private readonly now: () => number = Date.now,
  ) {
    this.throttle = new LoginThrottle(store, now);
  }

  /** On first start (no users yet): the four demo users, each with the role of its name. */
  async seedDemoUsers(password: string): Promise<number> {
    if ((await this.store.countUsers()) > 0) return 0;
    const t = this.now();
    const hashes = await Promise.all(ROLES.map(() => hashPassword(password)));
    let added = 0;
    // Another instance starting on the same database may seed them first: a name taken is skipped.
    for (const [i, role] of ROLES.entries()) {
      if (await this.store.insertUser({ username: role, role, passwordHash: hashes[i], disabled: false, createdAt: t, updatedAt: t, lastLoginAt: null })) added++;
    }
    return added;
  }

  /** Tells `listener` about every revocation (the broker closes the matching connections). */
  onRevoke(listener: (r: Revocation) => void): void {
    this.listeners.push(listener);
  }

  /** Announces a revocation to every listener (also used for rotated MQTT credentials). */
  revoke(r: Revocation): void {
    if (r.kind === 'session') this.cache.delete(r.tokenHash);
    else if (r.kind === 'user') this.forget(r.username, r.keepHash);
    for (const l of this.listeners) l(r);
  }

  /** Drops a user's cached sessions (but `keepHash`): the next check reads the store. */
  private forget(username: string, keepHash?: string): void {
    for (const [hash, c] of this.cache) if (c.session?.username === username && hash !== keepHash) this.cache.delete(hash);
  }

  /** A new session for valid credentials; 401 otherwise; 429 while the name or address is throttled. */
  async login(username: string, password: string, address: string): Promise<LoginResult> {
    const actor: Actor = { user: username, address };
    const wait = await this.throttle.retryAfterS(username, address);
    if (wait > 0) {
      await this.audit.record('login.locked', actor, username, { retryAfterS: wait });
      return { ok: false, status: 429, retryAfterS: wait };
    }
    const user = await this.store.user(username);
    // Hash even for an unknown name, so timing does not tell which names exist.
    const match = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !match || user.disabled) {
      await this.throttle.fail(username, address);
      const reason = !user ? 'unknown_user' : !match ? 'wrong_password' : 'disabled';
      await this.audit.record('login.failed', actor, username, { reason });
      if ((await this.throttle.retryAfterS(username, address)) > 0) await this.audit.record('login.lockout', actor, username, null);
      return { ok: false, status: 401 };
    }
    const token = randomSecret(32);
    const t = this.now();
    await this.store.deleteExpiredSessions(t);
    await this.store.insertSession({ tokenHash: sha256(token), username, createdAt: t, expiresAt: t + TOKEN_TTL_MS }, address);
    await this.store.updateUser(username, { lastLoginAt: t }, t);
    await this.audit.record('login', actor, username, { role: user.role });
    return { ok: true, token, role: user.role, username };
  }

  /** The session of a token that is known, not expired, and whose user is not disabled. */
  verify(token: string | undefined | null): Promise<Session | null> {
    return token ? this.verifyHash(sha256(token)) : Promise.resolve(null);
  }

  /**
   * As `verify`, by the token's SHA-256 (the broker keeps only that). Answered from memory when the
   * store was asked within SESSION_CACHE_MS; a revocation on this instance takes effect at once.
   */
  async verifyHash(tokenHash: string): Promise<Session | null> {
    const t = this.now();
    const hit = this.cache.get(tokenHash);
    let s = hit && t - hit.readAt < SESSION_CACHE_MS && hit.readAt <= t ? hit.session : undefined;
    if (s === undefined) {
      const row = await this.store.session(tokenHash);
      s = row && !row.disabled ? { username: row.username, role: row.role, expiresAt: row.expiresAt, tokenHash } : null;
      this.remember(tokenHash, s, t);
    }
    if (s && s.expiresAt <= t) {
      this.cache.delete(tokenHash);
      await this.store.deleteSession(tokenHash);
      return null;
    }
    return s;
  }

  private remember(tokenHash: string, session: Session | null, readAt: number): void {
    this.cache.delete(tokenHash);
    this.cache.set(tokenHash, { session, readAt });
    // Map order is insertion order: the first entries are the oldest reads.
    if (this.cache.size > SESSION_CACHE_MAX) for (const k of [...this.cache.keys()].slice(0, this.cache.size - SESSION_CACHE_MAX)) this.cache.delete(k);
  }

  /** Ends a session at once; its MQTT connections follow. */
  async logout(session: Session, address: string | null): Promise<void> {
    this.cache.delete(session.tokenHash);
    await this.store.deleteSession(session.tokenHash);
    await this.audit.record('logout', { user: session.username, address }, session.username);
    this.revoke({ kind: 'session', tokenHash: session.tokenHash });
  }

  async users(): Promise<UserInfo[]> {
    return (await this.store.users()).map(userInfo);
  }

  /** Creates a user; null when the name is taken. */
  async createUser(input: { username: string; role: Role; password: string }, actor: Actor): Promise<UserInfo | null> {
    const t = this.now();
    const row: UserRow = {
      username: input.username,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      disabled: false,
      createdAt: t,
      updatedAt: t,
      lastLoginAt: null,
    };
    if (!(await this.store.insertUser(row))) return null;
    await this.audit.record('user.create', actor, input.username, { role: input.role });
    return userInfo(row);
  }

  /**
   * Changes a user's role, state or password. Disabling and a new password end every session of
   * the user; nobody may leave the service without an enabled admin.
   */
  async updateUser(username: string, patch: UserPatch, actor: Actor): Promise<UserInfo | 'not_found' | 'last_admin'> {
    const user = await this.store.user(username);
    if (!user) return 'not_found';
    const losesAdmin = user.role === 'admin' && !user.disabled && (patch.disabled === true || (patch.role !== undefined && patch.role !== 'admin'));
    if (losesAdmin && (await this.store.users()).filter((u) => u.role === 'admin' && !u.disabled).length <= 1) return 'last_admin';
    const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
    await this.store.updateUser(username, { role: patch.role, disabled: patch.disabled, passwordHash }, this.now());
    const changed = { role: patch.role, disabled: patch.disabled, password: patch.password === undefined ? undefined : 'changed' };
    await this.audit.record('user.update', actor, username, JSON.parse(JSON.stringify(changed)) as Record<string, unknown>);
    if (patch.disabled === true || passwordHash !== undefined) {
      await this.store.deleteSessions(username);
      this.revoke({ kind: 'user', username });
    } else {
      // A new role: the cached sessions carry the old one.
      this.forget(username);
    }
    return userInfo((await this.store.user(username))!);
  }

  /**
   * A user changes their own password: the current one is checked (and throttled like a login);
   * every other session of the user ends, the one asking keeps working.
   */
  async changeOwnPassword(session: Session, current: string, next: string, address: string): Promise<'ok' | 'wrong' | { retryAfterS: number }> {
    const actor: Actor = { user: session.username, address };
    const wait = await this.throttle.retryAfterS(session.username, address);
    if (wait > 0) return { retryAfterS: wait };
    const user = await this.store.user(session.username);
    if (!user || !(await verifyPassword(current, user.passwordHash))) {
      await this.throttle.fail(session.username, address);
      await this.audit.record('password.failed', actor, session.username, null);
      return 'wrong';
    }
    await this.store.updateUser(session.username, { passwordHash: await hashPassword(next) }, this.now());
    await this.store.deleteSessions(session.username, session.tokenHash);
    await this.audit.record('password.change', actor, session.username, null);
    this.revoke({ kind: 'user', username: session.username, keepHash: session.tokenHash });
    return 'ok';
  }
}
