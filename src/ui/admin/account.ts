/** Logging out: the service ends the session (and its MQTT connections) first, then the app forgets it. */
import { twin } from '../../state';
import { logout } from './api';
import { adminUi } from './state';

export async function logOut(): Promise<void> {
  const token = twin.getState().auth?.token;
  adminUi.getState().set({ tab: null, passwordOpen: false });
  if (token) await logout(token);
  twin.getState().logout(null);
}
