/**
 * Where the login survives a page reload: sessionStorage, so closing the tab ends the session and
 * another tab logs in on its own. Only the token, role and user name are kept.
 */
import { isRole } from './roles';
import type { Auth } from './store';

const KEY = 'citytwin.auth';

const storage = (): Storage | null => (typeof sessionStorage !== 'undefined' ? sessionStorage : null);

export function saveAuth(auth: Auth): void {
  storage()?.setItem(KEY, JSON.stringify(auth));
}

export function clearSavedAuth(): void {
  storage()?.removeItem(KEY);
}

/** The saved login, or null when there is none or it is malformed. Still to be checked with the service. */
export function loadSavedAuth(): Auth | null {
  const raw = storage()?.getItem(KEY);
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<Auth>;
    if (typeof v.token === 'string' && v.token && isRole(v.role) && typeof v.username === 'string') {
      return { token: v.token, role: v.role, username: v.username };
    }
  } catch {
    // fall through: a corrupt entry is treated as logged out
  }
  clearSavedAuth();
  return null;
}
