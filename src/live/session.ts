/**
 * What happens between login and logout: load the registry (which also proves a token restored
 * from sessionStorage is still good), load open alarms, then open the live link.
 */
import type { Auth, TwinStore } from '../state';
import { ApiError, fetchDevices, fetchOpenAlarms, fetchPersons, fetchSites } from './api';
import { isReplaying, registerLiveControl } from '../state/replay';
import { connectLive, type LiveConnection } from './connect';

/** Wait before retrying a registry load the network broke. */
const RETRY_MS = 3000;

/**
 * Starts a session for `auth` against `store`; returns a function that stops it (disconnects, stops
 * retrying). A 401 anywhere logs out with a message; a network error shows one and retries.
 */
export function startSession(store: TwinStore, auth: Auth, connect: typeof connectLive = connectLive): () => void {
  let stopped = false;
  let live: LiveConnection | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const load = async () => {
    try {
      const [devices, sites, persons] = await Promise.all([fetchDevices(auth.token), fetchSites(auth.token), fetchPersons(auth.token)]);
      if (stopped) return;
      store.getState().loadRegistry({ devices, sites, persons });
      live = connect(store, { token: auth.token, paused: isReplaying });
      const link = live;
      registerLiveControl({ resync: () => link.resync?.() });
      // The live link resyncs alarms on connect too; this fills the list even while MQTT is still connecting.
      const { alarms, rejected } = await fetchOpenAlarms(auth.token);
      if (stopped) return;
      const s = store.getState();
      s.countRejected(rejected);
      // Only adds what is not known yet, so it cannot undo a newer update that came over MQTT.
      s.applyAlarmChanges(new Map(alarms.filter((a) => !s.alarms.has(a.id)).map((a) => [a.id, a])));
    } catch (e) {
      if (stopped) return;
      if (e instanceof ApiError && e.status === 401) {
        stop();
        store.getState().logout({ kind: 'error', text: 'session expired', key: 'login.expired' });
      } else if (!store.getState().registryLoaded) {
        store.getState().notify({ kind: 'error', text: String(e), key: 'error.network' });
        retry = setTimeout(() => void load(), RETRY_MS);
      }
    }
  };

  function stop() {
    stopped = true;
    if (retry) clearTimeout(retry);
    live?.disconnect();
    live = null;
    registerLiveControl(null);
  }

  void load();
  return stop;
}
