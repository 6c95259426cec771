/**
 * The park scene's polled state: leak danger zones (GET /api/zones) and the park manager's summary
 * (GET /api/park/summary). Both are computed by the service, so the browser polls them: every 2 s
 * when live (the wind mast reports every 10 s, trucks every 5 s) and soon after any park alarm
 * changes. A small vanilla store of its own, so the high-rate twin store stays as it is.
 *
 * Replay (issue 6): while the display clock is pinned to a replayed instant, both are asked
 * `?at=<that instant>` on every clock change (the past does not move, so there is no periodic
 * poll), and an answer for an instant the clock has since left is dropped. Back to live, a live
 * poll runs at once and the 2 s polling resumes.
 *
 * The poller runs while anyone holds it (`retainParkPolling()` returns the release): the globe's
 * park layer holds it while the globe lives, the park panels while they are open.
 */
import { createStore } from 'zustand/vanilla';
import { atQuery, clockIsReplay, nowMs, onClockChange } from './clock';
import type { TwinStore } from './store';

import type { ParkSummary, ZoneFeature } from '../contracts';
export type { LimitBand as Band, ParkSummary, ZoneFeature } from '../contracts';

export interface ParkState {
  zones: ZoneFeature[];
  /** Incremented whenever `zones` is replaced by an answer that differs from the last. */
  zonesVersion: number;
  summary: ParkSummary | null;
  /** The replayed instant the shown answers stand for (epoch ms); null when they are live. */
  shownAt: number | null;
  /** Last poll error (null when the last poll worked). */
  error: string | null;
}

export const parkStore = createStore<ParkState>()(() => ({ zones: [], zonesVersion: 0, summary: null, shownAt: null, error: null }));

/** Poll period while live, ms. */
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
/** Requests started / the newest one whose answer was applied: an older answer never lands after a newer. */
let started = 0;
let applied = 0;

/**
 * Polls once now (zones and summary) with the twin store's token, live or at the replayed instant;
 * errors land in `error`. An answer is dropped when the clock has moved to another instant (or
 * back to live) meanwhile, or a later request has already answered.
 */
export async function pollPark(twin: TwinStore): Promise<void> {
  const token = twin.getState().auth?.token;
  if (!token) return;
  const mine = ++started;
  const at = atQuery();
  const shownAt = clockIsReplay() ? nowMs() : null;
  const query = at ? `?${at}` : '';
  // The same session, no newer answer shown, and the clock still at the instant asked about.
  const current = () => mine > applied && atQuery() === at && twin.getState().auth?.token === token;
  try {
    const [zones, summary] = await Promise.all([
      getJson<{ features?: ZoneFeature[] }>(`/api/zones${query}`, token),
      getJson<ParkSummary>(`/api/park/summary${query}`, token),
    ]);
    if (!current()) return;
    applied = mine;
    const list = Array.isArray(zones.features) ? zones.features : [];
    const prev = parkStore.getState();
    const changed = JSON.stringify(list) !== JSON.stringify(prev.zones);
    parkStore.setState({
      zones: changed ? list : prev.zones,
      zonesVersion: changed ? prev.zonesVersion + 1 : prev.zonesVersion,
      summary,
      shownAt,
      error: null,
    });
  } catch (e) {
    if (current()) parkStore.setState({ error: e instanceof Error ? e.message : String(e) });
  }
}

/** Starts polling (if not running) and returns the function that releases this hold. */
export function retainParkPolling(twin: TwinStore): () => void {
  holders++;
  if (!stop) {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let alive = true;
    // Polls may overlap (a clock change asks at once, beside a poll still out): pollPark keeps
    // only the newest answer for the instant the clock shows.
    const poll = async () => {
      if (!alive) return;
      if (timer) clearTimeout(timer);
      timer = null;
      await pollPark(twin);
      // A replayed instant does not change by itself: in replay the next ask waits for the clock.
      if (alive && !timer && !clockIsReplay()) timer = setTimeout(() => void poll(), PARK_POLL_MS);
    };
    let debounce: ReturnType<typeof setTimeout> | null = null;
    const unsub = twin.subscribe((s, prev) => {
      if (s.auth !== prev.auth && !s.auth) parkStore.setState({ zones: [], zonesVersion: parkStore.getState().zonesVersion + 1, summary: null, shownAt: null });
      // In replay the alarm list changes with the cursor, and the clock change has asked already.
      const alarmsMoved = s.alarmsVersion !== prev.alarmsVersion && !clockIsReplay();
      if (alarmsMoved || s.auth !== prev.auth) {
        if (debounce) clearTimeout(debounce);
        debounce = setTimeout(() => void poll(), ALARM_DEBOUNCE_MS);
      }
    });
    const unClock = onClockChange(() => void poll());
    stop = () => {
      alive = false;
      unsub();
      unClock();
      if (timer) clearTimeout(timer);
      if (debounce) clearTimeout(debounce);
    };
    void poll();
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
