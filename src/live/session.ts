/**
 * What happens between login and logout: load the registry (which also proves a token restored
 * from sessionStorage is still good) while the live link opens and loads the open alarms and the
 * live snapshot, all at once rather than one after another; then, once the registry is in (or its
 * first load failed), hold every scene's polled resources — so each scene's panels have their data
 * whether or not the globe could start — beside the replay loader.
 */
import { markBoot, type Auth, type TwinStore } from '../state';
import type { AnyResource, ResourceContext, ResourceError } from '../state/resource';
import { isReplaying, registerLiveControl, startReplayLoading } from '../state/replay';
import { ApiError, fetchAnswer, fetchDevices, fetchPersons, fetchSites } from './api';
import { connectLive, type LiveConnection } from './connect';
import { createRegistryReloader } from './registry';

/** Wait before retrying a registry load the network broke. */
const RETRY_MS = 3000;

export interface SessionOptions {
  /** Polled while the session lasts: every scene's resources. */
  resources?: readonly AnyResource[];
  /** Injected in tests; default `connectLive`. */
  connect?: typeof connectLive;
}

/**
 * Starts a session for `auth` against `store`; returns a function that stops it (disconnects, stops
 * retrying, releases the resources). A 401 anywhere logs out with a message; a network error shows
 * one and retries; an answer off the contract is said once per resource until it recovers.
 */
export function startSession(store: TwinStore, auth: Auth, opts: SessionOptions = {}): () => void {
  const connect = opts.connect ?? connectLive;
  let stopped = false;
  let live: LiveConnection | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const ctx: ResourceContext = { twin: store, fetch: fetchAnswer };
  let releases: (() => void)[] = [];
  let unwatch: (() => void)[] = [];
  const stopReplay = startReplayLoading(ctx);
  // A new registry version: reload sites and devices in place (a 401 there ends the session as below).
  const registry = createRegistryReloader(store, (e) => {
    if (e instanceof ApiError && e.status === 401 && !stopped) {
      stop();
      store.getState().logout({ kind: 'error', text: 'session expired', key: 'login.expired' });
    }
  });
  let registryVersion: number | null = null;
  // A version heard while the first load is on its way is checked after it, not beside it.
  let versionPending = false;
  const onRegistryVersion = (v: number) => {
    if (v === registryVersion) return;
    registryVersion = v;
    if (store.getState().registryLoaded) registry.request();
    else versionPending = true;
  };

  // The live link starts beside the registry, not after it: the broker connects and the open
  // alarms and snapshot load while the registry does (readings wait in the store's live map).
  live = connect(store, { token: auth.token, paused: isReplaying, onRegistryVersion });
  const link = live;
  registerLiveControl({ resync: () => link.resync?.() });

  const load = async () => {
    try {
      const [devices, sites, persons] = await Promise.all([fetchDevices(auth.token), fetchSites(auth.token), fetchPersons(auth.token)]);
      if (stopped) return;
      markBoot('registryChecked');
      store.getState().loadRegistry({ devices, sites, persons });
      markBoot('registryStore');
      holdResources();
      if (versionPending) registry.request();
    } catch (e) {
      if (stopped) return;
      if (e instanceof ApiError && e.status === 401) {
        stop();
        store.getState().logout({ kind: 'error', text: 'session expired', key: 'login.expired' });
      } else if (!store.getState().registryLoaded) {
        holdResources();
        store.getState().notify({ kind: 'error', text: String(e), key: 'error.network' });
        retry = setTimeout(() => void load(), RETRY_MS);
      }
    }
  };

  function stop() {
    if (stopped) return;
    stopped = true;
    if (retry) clearTimeout(retry);
    registry.stop();
    live?.disconnect();
    live = null;
    registerLiveControl(null);
    stopReplay();
    for (const u of unwatch) u();
    for (const r of releases) r();
  }

  // The scenes' resources are held once the registry is in (or its first load failed), not beside
  // it: the browser opens six connections to a host, and at city scale their answers (road segments,
  // the park summary, spaces: megabytes the service makes per request) held those connections and
  // the service's CPU while the registry, the live snapshot and the base map waited. The first live
  // frame needs those, the panels these.
  let held = false;
  function holdResources() {
    if (held || stopped) return;
    held = true;
    releases = (opts.resources ?? []).map((r) => r.retain(ctx));
    unwatch = (opts.resources ?? []).map((r) => watchAnswers(r, store));
  }
  void load();
  return stop;
}

/**
 * Tells the operator once when a resource's answers stop matching the contract (the panel keeps its
 * last good data); network trouble is the connection badge's to show, not a toast every poll.
 */
function watchAnswers(resource: AnyResource, store: TwinStore): () => void {
  let told: ResourceError | null = null;
  return resource.store.subscribe((s) => {
    if (s.error?.kind === 'answer' && told === null) {
      told = s.error;
      store.getState().notify({ kind: 'error', text: s.error.message, key: 'error.badAnswer', params: { message: s.error.message } });
    } else if (s.error === null) told = null;
  });
}
