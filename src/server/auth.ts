/**
 * Demo users and login tokens (DESIGN "Roles"). Tokens are random and live in memory only: a
 * restart logs everyone out, which is acceptable for the demo and keeps secrets off the disk.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ROLES, type Role } from '../contracts';

/** A login lasts a working shift and a half. */
export const TOKEN_TTL_MS = 12 * 60 * 60 * 1000;

export interface Session {
  username: string;
  role: Role;
  expiresAt: number;
}

/** Compares secrets in constant time so a wrong password does not leak its common prefix. */
export function sameSecret(given: string | Buffer | undefined | null, expected: string): boolean {
  if (given === undefined || given === null) return false;
  const a = Buffer.isBuffer(given) ? given : Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export class Auth {
  private readonly sessions = new Map<string, Session>();

  /**
   * @param demoPassword password of every demo user; each user's role is its name.
   * @param now clock, injectable for tests of expiry.
   */
  constructor(
    private readonly demoPassword: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new token for valid demo credentials, or null. */
  login(username: string, password: string): { token: string; role: Role; username: string } | null {
    const role = (ROLES as readonly string[]).includes(username) ? (username as Role) : null;
    // Compare the password even for an unknown user, so timing does not tell which names exist.
    const ok = sameSecret(password, this.demoPassword);
    if (!role || !ok) return null;
    this.prune();
    const token = randomBytes(24).toString('base64url');
    this.sessions.set(token, { username, role, expiresAt: this.now() + TOKEN_TTL_MS });
    return { token, role, username };
  }

  /** The session of a token that is known and not expired. */
  verify(token: string | undefined | null): Session | null {
    if (!token) return null;
    const s = this.sessions.get(token);
    if (!s) return null;
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(token);
      return null;
    }
    return s;
  }

  private prune(): void {
    const now = this.now();
    for (const [t, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(t);
  }
}
