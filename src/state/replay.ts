/**
 * One time cursor: the app is either live or replaying a past instant. In replay a cursor (`at`)
 * drives everything the live pipeline normally feeds: `GET /api/replay?at=` answers the devices'
 * values and status and the alarms as they stood then, and they replace the store's live map and
 * alarm list (so the globe, the panels and the alarm list show that moment). The scenes' polled
 * resources ask the service for the replayed instant themselves (`?at=`, see ./resource.ts).
 * While replaying, the live pipeline folds nothing into the store (connect.ts asks `isReplaying()`).
 * Returning to live empties the replayed state and asks the live link to resync (GET /api/live +
 * open alarms): no reload.
 *
 * Replayed readings keep their true `ts`. The display judges age and staleness by one clock
 * (`nowMs()` in clock.ts), which this module pins to the shown instant while replaying, so a
 * replayed reading is exactly as old on screen as it was at the cursor. The service's own status at
 * `at` (online / stale) is kept as answered.
 */
import { createStore } from 'zustand/vanilla';
import { replaySnapshotSchema, type DeviceLive, type Quantity, type ReplaySnapshot } from '../contracts';
import { setReplayClock } from './clock';
import type { ResourceContext } from './resource';
import { twin } from './store';

export type ReplayMode = 'live' | 'replay';
export const REPLAY_SPEEDS = [1, 10, 60] as const;
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number];
/** How far back the slider reaches. */
export const REPLAY_WINDOW_MS = 60 * 60_000;
/** A cursor that keeps moving waits this long before it is fetched. */
export const REPLAY_DEBOUNCE_MS = 150;
/** While playing, the cursor moves every this many ms of wall time (× speed). */
const PLAY_TICK_MS = 500;

export interface ReplayState {
  mode: ReplayMode;
  /** The cursor, epoch ms (meaningful in replay). */
  at: number;
  playing: boolean;
  speed: ReplaySpeed;
  /** The cursor the store shows now (the last snapshot applied), null before the first. */
  shownAt: number | null;
  loading: boolean;
  error: string | null;
}

export interface ReplayActions {
  /** Enters replay at `at` (default: 10 min ago), paused. */
  enter(at?: number): void;
  setAt(at: number): void;
  play(): void;
  pause(): void;
  setSpeed(speed: ReplaySpeed): void;
  /** Back to live: the live pipeline resyncs and resumes. */
  goLive(): void;
}

export type Replay = ReplayState & ReplayActions;

/** What the live link offers the replay: a resync (GET /api/live + open alarms). Set by the session. */
let liveControl: { resync(): void } | null = null;
export function registerLiveControl(control: { resync(): void } | null): void {
  liveControl = control;
}

let lastSnapshot: ReplaySnapshot | null = null;
let debounce: ReturnType<typeof setTimeout> | null = null;
let playTimer: ReturnType<typeof setInterval> | null = null;
let seq = 0;
/** Whether a UI clock (the replay bar's Cesium Clock) moves the cursor while playing. */
let externalDriver = false;

/**
 * The replay bar's Cesium Clock registers here while it is shown: it then moves the cursor itself
 * (a requestAnimationFrame loop ticking the clock) and `play()` starts no timer of its own.
 */
export function setExternalPlayDriver(on: boolean): void {
  externalDriver = on;
  const s = replay.getState();
  if (playTimer && on) {
    clearInterval(playTimer);
    playTimer = null;
  } else if (!on && s.playing) {
    s.pause();
    s.play();
  }
}

export const replay = createStore<Replay>()((set, get) => ({
  mode: 'live',
  at: Date.now(),
  playing: false,
  speed: 1,
  shownAt: null,
  loading: false,
  error: null,

  enter: (at) => {
    if (get().mode === 'replay') return;
    const start = clampAt(at ?? Date.now() - 10 * 60_000);
    setReplayClock(start);
    set({ mode: 'replay', at: start, playing: false, shownAt: null, error: null });
  },
  setAt: (at) => {
    if (get().mode !== 'replay') return;
    set({ at: clampAt(at) });
  },
  play: () => {
    if (get().mode !== 'replay' || get().playing) return;
    set({ playing: true });
    if (externalDriver) return;
    playTimer = setInterval(() => {
      const s = get();
      const next = s.at + PLAY_TICK_MS * s.speed;
      if (next >= Date.now()) {
        set({ at: Date.now() });
        get().pause();
      } else set({ at: next });
    }, PLAY_TICK_MS);
  },
  pause: () => {
    if (playTimer) clearInterval(playTimer);
    playTimer = null;
    if (get().playing) set({ playing: false });
  },
  setSpeed: (speed) => set({ speed }),
  goLive: () => {
    if (get().mode === 'live') return;
    get().pause();
    if (debounce) clearTimeout(debounce);
    debounce = null;
    seq++;
    lastSnapshot = null;
    setReplayClock(null);
    set({ mode: 'live', shownAt: null, loading: false, error: null });
    // Empty the replayed state; the resync refills it with the live one.
    const s = twin.getState();
    const ids = [...s.live.keys()];
    s.live.clear();
    s.commitLive(ids);
    liveControl?.resync();
  },
}));

export function isReplaying(): boolean {
  return replay.getState().mode === 'replay';
}

function clampAt(at: number): number {
  const now = Date.now();
  return Math.round(Math.min(now, Math.max(now - REPLAY_WINDOW_MS, at)));
}

/**
 * Loads the snapshot of every cursor position in replay (once the cursor rests for a moment) with
 * the holder's HTTP client; the session runs it from login to logout. Returns the stop function.
 */
export function startReplayLoading(ctx: ResourceContext): () => void {
  const load = async (at: number) => {
    const token = ctx.twin.getState().auth?.token;
    if (!token) return;
    const mine = ++seq;
    replay.setState({ loading: true });
    try {
      const snap = await ctx.fetch(`/api/replay?at=${at}`, replaySnapshotSchema, { token, signal: AbortSignal.timeout(15_000) });
      if (mine !== seq || !isReplaying()) return;
      applySnapshot(snap);
      replay.setState({ shownAt: snap.at, loading: false, error: null });
    } catch (e) {
      if (mine === seq) replay.setState({ loading: false, error: (e as Error).message });
    }
  };
  const unsubscribe = replay.subscribe((s, prev) => {
    if (s.mode !== 'replay') return;
    if (s.at === prev.at && prev.mode === 'replay') return;
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = null;
      void load(replay.getState().at);
    }, REPLAY_DEBOUNCE_MS);
  });
  return () => {
    unsubscribe();
    if (debounce) clearTimeout(debounce);
    debounce = null;
    seq++;
  };
}

/** Puts a snapshot into the store: live map and alarms (the scenes' resources follow the clock themselves). */
export function applySnapshot(snap: ReplaySnapshot): void {
  lastSnapshot = snap;
  // The clock first: the recolour that the refill triggers judges ages at the snapshot's instant.
  if (isReplaying()) setReplayClock(snap.at);
  refreshLive();
  twin.getState().replaceAlarms(snap.alarms);
}

/** Refills the live map from the last snapshot, with the readings' true times. */
function refreshLive(): void {
  const snap = lastSnapshot;
  if (!snap || !isReplaying()) return;
  const s = twin.getState();
  const ids = new Set(s.live.keys());
  s.live.clear();
  for (const [id, ts, values] of snap.readings) {
    s.live.set(id, { ts, values: values as Partial<Record<Quantity, number>>, status: 'online' });
    ids.add(id);
  }
  for (const [id, status] of snap.status) {
    const cur: DeviceLive = s.live.get(id) ?? { ts: null, values: {}, status };
    s.live.set(id, { ...cur, status });
    ids.add(id);
  }
  s.commitLive([...ids]);
}

// A logout ends a replay (nothing to resync: the session is gone).
twin.subscribe((s, prev) => {
  if (prev.auth && !s.auth && isReplaying()) {
    replay.getState().pause();
    if (debounce) clearTimeout(debounce);
    debounce = null;
    seq++;
    lastSnapshot = null;
    setReplayClock(null);
    replay.setState({ mode: 'live', shownAt: null, loading: false, error: null });
  }
});
