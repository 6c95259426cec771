/** A device is stale when silent for longer than this many reporting intervals (docs/domain.md). */
export const STALE_INTERVALS = 3;

/** Whether a device last heard at `lastTsMs` (null: never) is stale at `nowMs`. */
export function isStale(lastTsMs: number | null, intervalS: number, nowMs: number): boolean {
  if (lastTsMs === null) return true;
  return nowMs - lastTsMs > STALE_INTERVALS * intervalS * 1000;
}

/** When a device last heard at `lastTsMs` turns stale (the first instant `isStale` is true, ms); null if never heard. */
export function staleAtMs(lastTsMs: number | null, intervalS: number): number | null {
  return lastTsMs === null ? null : lastTsMs + STALE_INTERVALS * intervalS * 1000 + 1;
}
