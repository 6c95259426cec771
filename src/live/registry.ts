/**
 * Reloading the registry while the app runs: the service says a new registry version on the
 * retained `citytwin/v1/registry` topic (an admin added, changed or retired a site or device), and
 * the app fetches sites and devices again — without a page reload, so the globe, the panels and the
 * live values go on. An answer equal to what the store holds changes nothing (the globe would
 * otherwise rebuild every point for nothing on each connect). Requests made while one is on its way
 * are folded into one more reload after it.
 */
import type { TwinStore } from '../state';
import { fetchDevices, fetchPersons, fetchSites } from './api';

/** The payload of the registry topic: `{"version": N}`; null when it is anything else. */
export function parseRegistryVersion(payload: unknown): number | null {
  const v = (payload as { version?: unknown } | null)?.version;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Fetches the registry with the session's token and loads it when it differs; answers whether it did. */
export async function reloadRegistry(store: TwinStore): Promise<boolean> {
  const token = store.getState().auth?.token;
  if (!token) return false;
  const [devices, sites, persons] = await Promise.all([fetchDevices(token), fetchSites(token), fetchPersons(token)]);
  const s = store.getState();
  // Logged out (or in as someone else) meanwhile: this answer is not for the store any more.
  if (s.auth?.token !== token) return false;
  if (sameEntries(s.devices, devices) && sameEntries(s.sites, sites) && sameEntries(s.persons, persons)) return false;
  s.loadRegistry({ devices, sites, persons });
  return true;
}

function sameEntries<T extends { id: string }>(held: ReadonlyMap<string, T>, list: readonly T[]): boolean {
  if (held.size !== list.length) return false;
  return list.every((x) => {
    const h = held.get(x.id);
    // The same object when the service said the answer had not changed (`304`).
    return h === x || (h !== undefined && JSON.stringify(h) === JSON.stringify(x));
  });
}

/** A reloader for one session: `request()` reloads now, or once more after the reload on its way. */
export function createRegistryReloader(store: TwinStore, onError: (e: unknown) => void): { request(): void; stop(): void } {
  let running = false;
  let again = false;
  let stopped = false;
  const run = async () => {
    running = true;
    try {
      do {
        again = false;
        await reloadRegistry(store).catch(onError);
      } while (again && !stopped);
    } finally {
      running = false;
    }
  };
  return {
    request() {
      if (stopped) return;
      if (running) again = true;
      else void run();
    },
    stop() {
      stopped = true;
    },
  };
}
