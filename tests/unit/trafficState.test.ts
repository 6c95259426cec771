import { describe, expect, it } from 'vitest';
import {
  EMPTY_TRACK,
  SpeedTrack,
  TRACK_CAPACITY,
  TRAFFIC_DEFAULTS,
  USUAL_PRIOR_WEIGHT,
  USUAL_SPEED_FACTOR,
  detectorHealth,
  isStuck,
  learnUsual,
  localHourOf,
  networkIndex,
  segmentSpeed,
  smoothedSpeedKmh,
  unchangedForMs,
  usualSpeedKmh,
  type DetectorHealth,
  type SpeedTrackView,
} from '../../src/domain';

const MIN = 60_000;
const T0 = Date.UTC(2025, 10, 28, 0, 0, 0); // 08:00 in Shaoxing

/** A track from `[minutesAfterT0, speedKmh]` readings. */
const track = (readings: [number, number][], opts = TRAFFIC_DEFAULTS): SpeedTrack =>
  SpeedTrack.of(readings.map(([m, v]) => [T0 + m * MIN, v] as const), opts);

/** Table rows titled in full by their `what` (vitest cuts `$field` titles at 40 characters). */
const titled = <T extends { what: string }>(rows: T[]): [string, T][] => rows.map((r) => [r.what, r]);

describe('smoothing', () => {
  it('averages the readings of the last 5 minutes (by reading time)', () => {
    const t = track([[0, 100], [1, 90], [2, 80], [3, 20], [4, 20], [5.5, 20]]);
    // The 0-minute reading is more than 5 min older than the newest (5.5): out of the window.
    expect(smoothedSpeedKmh(t)).toBeCloseTo((90 + 80 + 20 + 20 + 20) / 5, 6);
  });

  it('follows a configurable window', () => {
    const t = track([[0, 100], [1, 90], [2, 30]], { ...TRAFFIC_DEFAULTS, smoothingMs: 90_000 });
    expect(smoothedSpeedKmh(t)).toBe(60);
  });

  it('ignores a reading older than the newest one, and is null without readings', () => {
    expect(track([[2, 50], [1, 10]]).readings()).toEqual([[T0 + 2 * MIN, 50]]);
    expect(smoothedSpeedKmh(EMPTY_TRACK)).toBeNull();
  });

  it('holds at most TRACK_CAPACITY readings: a detector faster than that is averaged over its newest ones', () => {
    const t = new SpeedTrack();
    // One reading every 100 ms for a minute, speed = its index: far more than the capacity in the window.
    for (let i = 0; i < 600; i++) t.add(T0 + i * 100, i);
    expect(t.count).toBe(TRACK_CAPACITY);
    expect(t.readings()[0]).toEqual([T0 + (600 - TRACK_CAPACITY) * 100, 600 - TRACK_CAPACITY]);
    const newest = Array.from({ length: TRACK_CAPACITY }, (_, k) => 600 - TRACK_CAPACITY + k);
    expect(smoothedSpeedKmh(t)).toBeCloseTo(newest.reduce((a, b) => a + b, 0) / TRACK_CAPACITY, 9);
  });

  it('keeps its running mean exact over a long stream (no drift from subtracting)', () => {
    const t = new SpeedTrack();
    const at = (i: number) => 50 + ((i * 7919) % 1000) / 37;
    for (let i = 0; i < 200_000; i++) t.add(T0 + i * 1000, at(i));
    // 299 readings are in the 5-minute window (ts > newest − 300 s); the newest TRACK_CAPACITY are held.
    expect(t.count).toBe(TRACK_CAPACITY);
    const newest = Array.from({ length: TRACK_CAPACITY }, (_, k) => at(200_000 - TRACK_CAPACITY + k));
    expect(smoothedSpeedKmh(t)).toBeCloseTo(newest.reduce((a, b) => a + b, 0) / newest.length, 9);
  });
});

describe('stuck: the same value for longer than 10 minutes', () => {
  it.each(
    titled<{ what: string; readings: [number, number][]; unchangedMin: number; stuck: boolean }>([
      { what: 'a single reading', readings: [[0, 57.3]], unchangedMin: 0, stuck: false },
      { what: 'changing values', readings: [[0, 57.3], [5, 57.4], [10, 57.3], [15, 57.2]], unchangedMin: 0, stuck: false },
      { what: 'unchanged for exactly 10 min', readings: [[0, 57.3], [5, 57.3], [10, 57.3]], unchangedMin: 10, stuck: false },
      { what: 'unchanged for 10.5 min', readings: [[0, 57.3], [5, 57.3], [10.5, 57.3]], unchangedMin: 10.5, stuck: true },
      { what: 'unchanged since the last change only', readings: [[0, 60], [3, 57.3], [13, 57.3]], unchangedMin: 10, stuck: false },
      { what: 'a change ends it', readings: [[0, 57.3], [11, 57.3], [12, 57.4]], unchangedMin: 0, stuck: false },
      { what: 'a frozen zero in a standing queue', readings: [[0, 0], [6, 0], [12, 0]], unchangedMin: 12, stuck: true },
      { what: 'a gap in the readings still counts', readings: [[0, 80], [20, 80]], unchangedMin: 20, stuck: true },
    ]),
  )('%s', (_, { readings, unchangedMin, stuck }) => {
    const t = track(readings);
    expect(unchangedForMs(t)).toBe(unchangedMin * MIN);
    expect(isStuck(t)).toBe(stuck);
  });

  it('takes the limit from the options', () => {
    const t = track([[0, 57.3], [3, 57.3]]);
    expect(isStuck(t, { ...TRAFFIC_DEFAULTS, stuckMs: 2 * MIN })).toBe(true);
  });
});

describe('detectorHealth', () => {
  const ok = track([[0, 50], [1, 51]]);
  const now = T0 + 1.5 * MIN;
  it.each(
    titled<{ what: string; heardAtMs: number | null; online: boolean | null; t: SpeedTrackView; health: DetectorHealth }>([
      { what: 'never heard', heardAtMs: null, online: null, t: EMPTY_TRACK, health: 'nodata' },
      { what: 'heard, but never a speed', heardAtMs: now, online: true, t: EMPTY_TRACK, health: 'nodata' },
      { what: 'fresh and moving', heardAtMs: now - 10_000, online: true, t: ok, health: 'ok' },
      { what: 'silent for 3 intervals', heardAtMs: now - 90_000, online: true, t: ok, health: 'ok' },
      { what: 'silent for over 3 intervals', heardAtMs: now - 90_001, online: true, t: ok, health: 'stale' },
      { what: 'said it is offline', heardAtMs: now, online: false, t: ok, health: 'stale' },
      { what: 'fresh but stuck', heardAtMs: now, online: true, t: track([[0, 50], [11, 50]]), health: 'stuck' },
    ]),
  )('%s', (_, { heardAtMs, online, t, health }) => {
    expect(detectorHealth({ heardAtMs, online, intervalS: 30, track: t }, now)).toBe(health);
  });
});

describe('segmentSpeed', () => {
  it('averages the healthy detectors only', () => {
    expect(
      segmentSpeed([
        { health: 'ok', speedKmh: 40, smoothedSpeedKmh: 44 },
        { health: 'ok', speedKmh: 60, smoothedSpeedKmh: 56 },
        { health: 'stuck', speedKmh: 100, smoothedSpeedKmh: 100 },
      ]),
    ).toEqual({ health: 'ok', speedKmh: 50, smoothedSpeedKmh: 50 });
  });

  it.each<{ healths: DetectorHealth[]; health: DetectorHealth }>([
    { healths: [], health: 'nodata' },
    { healths: ['nodata'], health: 'nodata' },
    { healths: ['stale', 'nodata'], health: 'stale' },
    { healths: ['stale', 'stuck'], health: 'stuck' },
  ])('is unknown with detectors $healths: $health', ({ healths, health }) => {
    expect(segmentSpeed(healths.map((h) => ({ health: h, speedKmh: 80, smoothedSpeedKmh: 80 })))).toEqual({
      health,
      speedKmh: null,
      smoothedSpeedKmh: null,
    });
  });
});

describe('usual speed', () => {
  it('uses local time in Shaoxing (UTC+8)', () => {
    expect(localHourOf(T0)).toBe(8);
    expect(localHourOf(Date.UTC(2025, 10, 28, 16, 30))).toBe(0);
    expect(localHourOf(Date.UTC(2025, 10, 27, 23, 59))).toBe(7);
  });

  it('is free flow × the hour factor before anything is learned: slower in the rush hours', () => {
    expect(usualSpeedKmh(100, 8)).toBeCloseTo(100 * USUAL_SPEED_FACTOR[8], 6);
    expect(usualSpeedKmh(100, 8)).toBeLessThan(usualSpeedKmh(100, 12));
    expect(usualSpeedKmh(100, 18)).toBeLessThan(usualSpeedKmh(100, 3));
  });

  it('moves towards what was measured at that hour, half way after an hour of minute samples', () => {
    let cell;
    for (let i = 0; i < USUAL_PRIOR_WEIGHT; i++) cell = learnUsual(cell, 40);
    expect(cell).toEqual({ n: USUAL_PRIOR_WEIGHT, meanKmh: 40 });
    const prior = 100 * USUAL_SPEED_FACTOR[8];
    expect(usualSpeedKmh(100, 8, cell)).toBeCloseTo((prior + 40) / 2, 6);
  });
});

describe('networkIndex over segments whose level is unknown', () => {
  it('leaves the unknown ones out rather than counting them as free', () => {
    expect(
      networkIndex([
        { lengthM: 1000, level: 5 },
        { lengthM: 3000, level: 1 },
        { lengthM: 50_000, level: null },
      ]),
    ).toBe(2);
  });
});
