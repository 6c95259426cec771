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

  constructor(
    private readonly store: IdentityStore,
    private readonly audit: AuditLog,
    private readonly now: () => number = Date.now,
  ) {
    this.throttle = new LoginThrottle(store, now);
  }

  /** On first start (no users yet): the four demo users, each with the role of its name. */
  async seedDemoUsers(password: string): Promise<number> {
    if (this.store.countUsers() > 0) return 0;
    const t = this.now();
    const hashes = await Promise.all(ROLES.map(() => hashPassword(password)));
    ROLES.forEach((role, i) =>
      this.store.insertUser({ username: role, role, passwordHash: hashes[i], disabled: false, createdAt: t, updatedAt: t, lastLoginAt: null }),
    );
    return ROLES.length;
  }

  /** Tells `listener` about every revocation (the broker closes the matching connections). */
  onRevoke(listener: (r: Revocation) => void): void {
    this.listeners.push(listener);
  }

  /** Announces a revocation to every listener (also used for rotated MQTT credentials). */
  revoke(r: Revocation): void {
    for (const l of this.listeners) l(r);
  }

  /** A new session for valid credentials; 401 otherwise; 429 while the name or address is throttled. */
  async login(username: string, password: string, address: string): Promise<LoginResult> {
    const actor: Actor = { user: username, address };
    const wait = this.throttle.retryAfterS(username, address);
    if (wait > 0) {
      this.audit.record('login.locked', actor, username, { retryAfterS: wait });
      return { ok: false, status: 429, retryAfterS: wait };
    }
    const user = this.store.user(username);
    // Hash even for an unknown name, so timing does not tell which names exist.
    const match = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !match || user.disabled) {
      this.throttle.fail(username, address);
      const reason = !user ? 'unknown_user' : !match ? 'wrong_password' : 'disabled';
      this.audit.record('login.failed', actor, username, { reason });
      if (this.throttle.retryAfterS(username, address) > 0) this.audit.record('login.lockout', actor, username, null);
      return { ok: false, status: 401 };
    }
    const token = randomSecret(32);
    const t = this.now();
    this.store.deleteExpiredSessions(t);
    this.store.insertSession({ tokenHash: sha256(token), username, createdAt: t, expiresAt: t + TOKEN_TTL_MS }, address);
    this.store.updateUser(username, { lastLoginAt: t }, t);
    this.audit.record('login', actor, username, { role: user.role });
    return { ok: true, token, role: user.role, username };
  }

  /** The session of a token that is known, not expired, and whose user is not disabled. */
  verify(token: string | undefined | null): Session | null {
    return token ? this.verifyHash(sha256(token)) : null;
  }

  /** As `verify`, by the token's SHA-256 (the broker keeps only that). */
  verifyHash(tokenHash: string): Session | null {
    const s = this.store.session(tokenHash);
    if (!s || s.disabled) return null;
    if (s.expiresAt <= this.now()) {
      this.store.deleteSession(tokenHash);
      return null;
    }
    return { username: s.username, role: s.role, expiresAt: s.expiresAt, tokenHash };
  }

  /** Ends a session at once; its MQTT connections follow. */
  logout(session: Session, address: string | null): void {
    this.store.deleteSession(session.tokenHash);
    this.audit.record('logout', { user: session.username, address }, session.username);
    this.revoke({ kind: 'session', tokenHash: session.tokenHash });
  }

  users(): UserInfo[] {
    return this.store.users().map(userInfo);
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
    if (!this.store.insertUser(row)) return null;
    this.audit.record('user.create', actor, input.username, { role: input.role });
    return userInfo(row);
  }

  /**
   * Changes a user's role, state or password. Disabling and a new password end every session of
   * the user; nobody may leave the service without an enabled admin.
   */
  async updateUser(username: string, patch: UserPatch, actor: Actor): Promise<UserInfo | 'not_found' | 'last_admin'> {
    const user = this.store.user(username);
    if (!user) return 'not_found';
    const losesAdmin = user.role === 'admin' && !user.disabled && (patch.disabled === true || (patch.role !== undefined && patch.role !== 'admin'));
    if (losesAdmin && this.store.users().filter((u) => u.role === 'admin' && !u.disabled).length <= 1) return 'last_admin';
    const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
    this.store.updateUser(username, { role: patch.role, disabled: patch.disabled, passwordHash }, this.now());
    const changed = { role: patch.role, disabled: patch.disabled, password: patch.password === undefined ? undefined : 'changed' };
    this.audit.record('user.update', actor, username, JSON.parse(JSON.stringify(changed)) as Record<string, unknown>);
    if (patch.disabled === true || passwordHash !== undefined) {
      this.store.deleteSessions(username);
      this.revoke({ kind: 'user', username });
    }
    return userInfo(this.store.user(username)!);
  }

  /**
   * A user changes their own password: the current one is checked (and throttled like a login);
   * every other session of the user ends, the one asking keeps working.
   */
  async changeOwnPassword(session: Session, current: string, next: string, address: string): Promise<'ok' | 'wrong' | { retryAfterS: number }> {
    const actor: Actor = { user: session.username, address };
    const wait = this.throttle.retryAfterS(session.username, address);
    if (wait > 0) return { retryAfterS: wait };
    const user = this.store.user(session.username);
    if (!user || !(await verifyPassword(current, user.passwordHash))) {
      this.throttle.fail(session.username, address);
      this.audit.record('password.failed', actor, session.username, null);
      return 'wrong';
    }
    this.store.updateUser(session.username, { passwordHash: await hashPassword(next) }, this.now());
    this.store.deleteSessions(session.username, session.tokenHash);
    this.audit.record('password.change', actor, session.username, null);
    this.revoke({ kind: 'user', username: session.username, keepHash: session.tokenHash });
    return 'ok';
  }
}
