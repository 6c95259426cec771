/**
 * Login throttling: more than 10 failed logins for one username or from one address within 15
 * minutes, and every further attempt is refused (429, also with the right password) until the
 * window has passed. Failures are stored, so a restart does not reset the count.
 */
import type { IdentityStore } from './store';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Failures allowed in the window; the attempt after the 10th failure is refused. */
export const MAX_LOGIN_FAILURES = 10;

export class LoginThrottle {
  constructor(
    private readonly store: IdentityStore,
    private readonly now: () => number,
  ) {}

  /** Seconds until a login for `username` from `address` may be tried again; 0 when it may now. */
  async retryAfterS(username: string, address: string): Promise<number> {
    const now = this.now();
    const since = now - LOGIN_WINDOW_MS;
    let untilMs = 0;
    for (const [by, value] of [['username', username], ['address', address]] as const) {
      const times = await this.store.failuresSince(by, value, since);
      // Newest first: once the 10th newest leaves the window, fewer than 10 remain.
      if (times.length >= MAX_LOGIN_FAILURES) untilMs = Math.max(untilMs, times[MAX_LOGIN_FAILURES - 1] + LOGIN_WINDOW_MS);
    }
    return untilMs > now ? Math.ceil((untilMs - now) / 1000) : 0;
  }

  async fail(username: string, address: string): Promise<void> {
    const now = this.now();
    await this.store.addFailure(now, username, address);
    await this.store.deleteFailuresBefore(now - LOGIN_WINDOW_MS);
  }
}
