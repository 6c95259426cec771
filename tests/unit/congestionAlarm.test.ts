import { describe, expect, it } from 'vitest';
import {
  CONGESTION_ALARM_MINUTES,
  CONGESTION_CLEAR_MINUTES,
  CONGESTION_IDLE,
  congestionAlarm,
  stepCongestion,
  type CongestionLevel,
  type CongestionRun,
} from '../../src/domain';

const MIN = 60_000;
const T0 = 1_764_300_000_000;

/** Folds `[minute, level]` readings from idle; the run after the last one. */
const fold = (readings: [minute: number, level: CongestionLevel | null][], from: CongestionRun = CONGESTION_IDLE) =>
  readings.reduce((run, [m, level]) => stepCongestion(run, level, T0 + m * MIN), from);

/** A reading a minute for `minutes` minutes at one level, starting at minute `start`. */
const steady = (level: CongestionLevel, minutes: number, start = 0): [number, CongestionLevel][] =>
  Array.from({ length: minutes + 1 }, (_, i) => [start + i, level]);

describe('congestion alarm: raising', () => {
  const N = CONGESTION_ALARM_MINUTES;
  it.each<{ what: string; readings: [number, CongestionLevel | null][]; severity: string | null }>([
    { what: `severe for ${N} min raises major`, readings: steady(5, N), severity: 'major' },
    { what: `severe for ${N} min less 1 s does not`, readings: [...steady(5, N - 1), [N - 1 / 60, 5]], severity: null },
    { what: `moderate for ${N} min raises minor`, readings: steady(4, N), severity: 'minor' },
    { what: `moderate for ${N - 1} min does not`, readings: steady(4, N - 1), severity: null },
    { what: 'mild jam (3) for an hour does not', readings: steady(3, 60), severity: null },
    { what: 'moderate then severe counts as one jam, severity of the latest level', readings: [...steady(4, 8), ...steady(5, N - 8, 8)], severity: 'major' },
    { what: 'a free reading in between restarts the count', readings: [...steady(5, 10), [10.5, 1], ...steady(5, N - 1, 11)], severity: null },
    { what: 'an unknown level (dead detector) neither counts nor breaks the run', readings: [...steady(5, 7), [8, null], ...steady(5, N - 9, 9)], severity: 'major' },
  ])('$what', ({ readings, severity }) => {
    const last = readings[readings.length - 1][0];
    expect(congestionAlarm(fold(readings), T0 + last * MIN)?.severity ?? null).toBe(severity);
  });

  it('says how long the jam has lasted and at which level', () => {
    expect(congestionAlarm(fold(steady(5, 24)), T0 + 24 * MIN)).toEqual({ level: 5, severity: 'major', minutes: 24 });
  });

  it('ignores a reading older than the last one', () => {
    const run = fold(steady(5, 3));
    expect(stepCongestion(run, 1, T0 + 2 * MIN)).toBe(run);
  });
});

describe('congestion alarm: clearing with hysteresis', () => {
  const raised = fold(steady(5, 20));
  const C = CONGESTION_CLEAR_MINUTES;
  it.each<{ what: string; after: [number, CongestionLevel | null][]; active: boolean }>([
    { what: `eased to mild jam for ${C} min clears`, after: steady(3, C, 21), active: false },
    { what: `eased to free for ${C} min less 1 s stays`, after: [...steady(1, C - 1, 21), [21 + C - 1 / 60, 1]], active: true },
    { what: `free for ${C} min clears`, after: steady(1, C, 21), active: false },
    { what: 'easing then jamming again keeps the alarm and restarts the clear count', after: [...steady(2, C - 1, 21), [21 + C - 0.5, 4], ...steady(2, C - 1, 21 + C)], active: true },
    { what: 'unknown levels do not clear it', after: [[21, 1], ...Array.from({ length: 30 }, (_, i): [number, null] => [22 + i, null])], active: true },
  ])('$what', ({ after, active }) => {
    const run = fold(after, raised);
    const last = after[after.length - 1][0];
    expect(congestionAlarm(run, T0 + last * MIN) !== null).toBe(active);
  });

  it('keeps the jam start while easing, so its duration is the whole jam', () => {
    const run = fold([[21, 3]], raised);
    expect(congestionAlarm(run, T0 + 21 * MIN)).toMatchObject({ level: 5, minutes: 21 });
  });
});
