/**
 * Logging out: the app forgets the session first (its live link closes as the shell unmounts, so
 * the service's revocation is not mistaken for an expired session), then the service ends it, and
 * with it every MQTT connection opened with the token.
 */
import { twin } from '../../state';
import { logout } from './api';
import { adminUi } from './state';

export async function logOut(): Promise<void> {
  const token = twin.getState().auth?.token;
  adminUi.getState().set({ tab: null, passwordOpen: false });
  twin.getState().logout(null);
  if (token) await logout(token);
}
