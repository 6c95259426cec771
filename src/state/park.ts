/**
 * The park scene's polled state: leak danger zones (GET /api/zones) and the park manager's summary
 * (GET /api/park/summary). Both are computed by the service from live state, so the browser polls
 * them: every 2 s (the wind mast reports every 10 s, trucks every 5 s) and soon after any park
 * alarm changes. A small vanilla store of its own, so the high-rate twin store stays as it is.
 *
 * The poller runs while anyone holds it (`retainParkPolling()` returns the release): the globe's
 * park layer holds it while the globe lives, the park panels while they are open.
 */
import { createStore } from 'zustand/vanilla';
import { clockIsReplay, onClockChange } from './clock';
import type { TwinStore } from './store';

import type { ParkSummary, ZoneFeature } from '../contracts';
export type { LimitBand as Band, ParkSummary, ZoneFeature } from '../contracts';

export interface ParkState {
  zones: ZoneFeature[];
  /** Incremented whenever `zones` is replaced by an answer that differs from the last. */
  zonesVersion: number;
  summary: ParkSummary | null;
  /** Last poll error (null when the last poll worked). */
  error: string | null;
}

export const parkStore = createStore<ParkState>()(() => ({ zones: [], zonesVersion: 0, summary: null, error: null }));

/** Poll period, ms. */
export const PARK_POLL_MS = 2000;
/** After a park alarm change, poll this soon (one poll for a burst of changes), ms. */
const ALARM_DEBOUNCE_MS = 300;

async function getJson<T>(path: string, token: string): Promise<T> {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

let holders = 0;
let stop: (() => void) | null = null;

/** Polls once now (zones and summary) with the twin store's token; errors land in `error`. */
export async function pollPark(twin: TwinStore): Promise<void> {
  const token = twin.getState().auth?.token;
  // Replay (issue 6): zones and the summary are live-only; polling pauses until back to live.
  if (!token || clockIsReplay()) return;
  try {
    const [zones, summary] = await Promise.all([
      getJson<{ features?: ZoneFeature[] }>('/api/zones', token),
      getJson<ParkSummary>('/api/park/summary', token),
    ]);
    if (clockIsReplay()) return;
    const list = Array.isArray(zones.features) ? zones.features : [];
    const prev = parkStore.getState();
    const changed = JSON.stringify(list) !== JSON.stringify(prev.zones);
    parkStore.setState({
      zones: changed ? list : prev.zones,
      zonesVersion: changed ? prev.zonesVersion + 1 : prev.zonesVersion,
      summary,
      error: null,
    });
  } catch (e) {
    parkStore.setState({ error: e instanceof Error ? e.message : String(e) });
  }
}

/** Starts polling (if not running) and returns the function that releases this hold. */
export function retainParkPolling(twin: TwinStore): () => void {
  holders++;
  if (!stop) {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let running = false;
    let again = false;
    let alive = true;
    const run = async () => {
      if (!alive) return;
      if (running) return void (again = true);
      running = true;
      if (timer) clearTimeout(timer);
      await pollPark(twin);
      running = false;
      if (!alive) return;
      timer = setTimeout(run, again ? 0 : PARK_POLL_MS);
      again = false;
    };
    let debounce: ReturnType<typeof setTimeout> | null = null;
    const unsub = twin.subscribe((s, prev) => {
      if (s.auth !== prev.auth && !s.auth) parkStore.setState({ zones: [], zonesVersion: parkStore.getState().zonesVersion + 1, summary: null });
      if (s.alarmsVersion !== prev.alarmsVersion || s.auth !== prev.auth) {
        if (debounce) clearTimeout(debounce);
        debounce = setTimeout(() => void run(), ALARM_DEBOUNCE_MS);
      }
    });
    const unClock = onClockChange(() => {
      if (!clockIsReplay()) void run();
    });
    stop = () => {
      alive = false;
      unsub();
      unClock();
      if (timer) clearTimeout(timer);
      if (debounce) clearTimeout(debounce);
    };
    void run();
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders--;
    if (holders === 0 && stop) {
      const s = stop;
      stop = null;
      s();
    }
  };
}
