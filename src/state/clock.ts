/**
 * The one clock the display judges age and staleness by: the replay cursor while
 * replaying (the instant the store shows), else the wall clock. Dependency-free so any module —
 * selectors, the globe, React tickers — can read it without an import cycle; `replay.ts` sets it.
 */
let replayAt: number | null = null;
const listeners = new Set<() => void>();

/** Now, as the display should see it: the replayed instant in replay, else `Date.now()`. */
export function nowMs(): number {
  return replayAt ?? Date.now();
}

/** Whether the clock is pinned to a replayed instant. */
export function clockIsReplay(): boolean {
  return replayAt !== null;
}

/** Pins the clock to a replayed instant, or (null) back to the wall clock. */
export function setReplayClock(at: number | null): void {
  if (at === replayAt) return;
  replayAt = at;
  for (const l of listeners) l();
}

/** Called whenever the pinned instant changes (not on wall-clock ticks). */
export function onClockChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/**
 * The `at` query of the scene APIs: `at=<epoch ms>` while the clock is pinned to a
 * replayed instant, so `/api/spaces?at=…` answers the space list as it stood then; '' when live.
 */
export function atQuery(): string {
  return replayAt === null ? '' : `at=${replayAt}`;
}
