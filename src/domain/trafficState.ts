/**
 * Live traffic state of the road scene, as pure functions of readings and the time: smoothed
 * segment speeds, detector health (a stale or stuck detector says nothing, so its segment is
 * unknown — never free-flowing), and the "usual speed" of the same hour. The answers these build
 * (segments, incidents, weather, the network index) are shaped by the contracts.
 */
import type { DetectorHealth, IncidentEvent, IncidentView } from '../contracts';
import { TRAFFIC_DEFAULTS, isStuck, type SpeedTrackView, type TrafficOptions } from './speedTrack';
import { isStale } from './stale';
// The service still names the road answers through the domain.
export type { DetectorHealth, IncidentKind, IncidentView, NetworkView, SegmentView, WeatherStationView } from '../contracts';

/**
 * A detector's health at `nowMs` — `ok`, or why the speed is unknown: never heard (`nodata`), silent
 * for 3 reporting intervals or offline (`stale`), frozen (`stuck`); silence and offline come first.
 */
export function detectorHealth(
  d: { heardAtMs: number | null; online: boolean | null; intervalS: number; track: SpeedTrackView },
  nowMs: number,
  opts: TrafficOptions = TRAFFIC_DEFAULTS,
): DetectorHealth {
  if (d.heardAtMs === null || d.track.count === 0) return 'nodata';
  if (d.online === false || isStale(d.heardAtMs, d.intervalS, nowMs)) return 'stale';
  return isStuck(d.track, opts) ? 'stuck' : 'ok';
}

/** Which health a segment shows when none of its detectors is ok: the most informative one. */
const HEALTH_ORDER: DetectorHealth[] = ['ok', 'stuck', 'stale', 'nodata'];

/**
 * A segment's speed from its detectors: the mean of the healthy ones. With no healthy detector the
 * speed is unknown (null) and the health says why.
 */
export function segmentSpeed(detectors: readonly { health: DetectorHealth; speedKmh: number | null; smoothedSpeedKmh: number | null }[]): {
  health: DetectorHealth;
  speedKmh: number | null;
  smoothedSpeedKmh: number | null;
} {
  const ok = detectors.filter((d) => d.health === 'ok');
  if (ok.length === 0) {
    const health = HEALTH_ORDER.find((h) => detectors.some((d) => d.health === h)) ?? 'nodata';
    return { health, speedKmh: null, smoothedSpeedKmh: null };
  }
  const mean = (xs: (number | null)[]) => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  };
  return { health: 'ok', speedKmh: mean(ok.map((d) => d.speedKmh)), smoothedSpeedKmh: mean(ok.map((d) => d.smoothedSpeedKmh)) };
}

/**
 * Usual speed as a share of free flow by local hour (index 0–23): the demo's prior, shaped like a
 * weekday with rush hours at 07–09 and 17–19 (the simulator's demand profile). A deployment's
 * history replaces it through the learned table below.
 */
export const USUAL_SPEED_FACTOR: readonly number[] = [
  0.97, 0.98, 0.98, 0.98, 0.97, 0.95, 0.9, 0.75, 0.62, 0.75, 0.86, 0.87,
  0.87, 0.87, 0.86, 0.85, 0.8, 0.68, 0.6, 0.72, 0.85, 0.9, 0.93, 0.95,
];

/** Asia/Shanghai is UTC+8 all year (no daylight saving since 1991): a fixed offset is exact. */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** Local hour 0–23 in Shaoxing. */
export function localHourOf(tMs: number): number {
  return Math.floor((((tMs + SHANGHAI_OFFSET_MS) % 86_400_000) + 86_400_000) % 86_400_000 / 3600_000);
}

/** One hour's learned speed: count and running mean of per-minute samples. */
export interface UsualCell {
  n: number;
  meanKmh: number;
}

/**
 * Pseudo-samples the prior is worth: after an hour of minute samples at that hour the learned
 * mean and the prior weigh the same; after ten such hours the history dominates.
 */
export const USUAL_PRIOR_WEIGHT = 60;
/** Cap on the count, so the mean keeps following a slowly changing pattern (~10 days of one hour). */
export const USUAL_MAX_N = 600;

/** The cell with one more sample. */
export function learnUsual(cell: UsualCell | undefined, speedKmh: number): UsualCell {
  const n = Math.min(USUAL_MAX_N, (cell?.n ?? 0) + 1);
  const mean = cell ? cell.meanKmh + (speedKmh - cell.meanKmh) / n : speedKmh;
  return { n, meanKmh: mean };
}

/**
 * The usual speed of a segment at a local hour: free flow × the hour's factor, moved towards what
 * was measured at that hour before (a weighted mean of the prior and the learned cell).
 */
export function usualSpeedKmh(freeFlowKmh: number, hour: number, cell?: UsualCell): number {
  const prior = freeFlowKmh * USUAL_SPEED_FACTOR[((hour % 24) + 24) % 24];
  if (!cell || cell.n === 0) return prior;
  return (prior * USUAL_PRIOR_WEIGHT + cell.meanKmh * cell.n) / (USUAL_PRIOR_WEIGHT + cell.n);
}

// ——— incidents ———

/**
 * Folds one operator report into the incidents by id (the service's live list, or one rebuilt for a
 * past instant); a report older than the newest one known about that incident is ignored.
 */
export function foldIncident(into: Map<string, IncidentView>, deviceId: string, e: IncidentEvent): void {
  const prev = into.get(e.incidentId);
  if (prev && e.ts < prev.updatedAt) return;
  const base = { incidentId: e.incidentId, kind: e.kind, segmentId: e.segmentId, lonDeg: e.lonDeg, latDeg: e.latDeg, deviceId };
  const openedAt = prev?.state === 'open' ? prev.openedAt : e.ts;
  into.set(
    e.incidentId,
    e.state === 'open'
      ? { ...base, state: 'open', openedAt, clearedAt: null, updatedAt: e.ts, closesSegment: e.kind === 'closure' }
      : { ...base, state: 'cleared', openedAt: prev?.openedAt ?? e.ts, clearedAt: e.ts, updatedAt: e.ts, closesSegment: false },
  );
}
