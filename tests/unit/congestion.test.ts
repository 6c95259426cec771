import { describe, expect, it } from 'vitest';
import type { RoadClass } from '../../src/contracts';
import { HIGHWAY_SPEED_SHARE, congestionCriterion, congestionLevel, networkIndex, segmentLevel, type CongestionLevel } from '../../src/domain';

/** Table rows titled in full by their `what` (vitest cuts `$field` titles at 40 characters). */
const titled = <T extends { what: string }>(rows: T[]): [string, T][] => rows.map((r) => [r.what, r]);

/**
 * GB/T 33171-2016 average-speed bands, km/h. The standard's bands are closed at the
 * top and open at the bottom: free v > 65, light 50 < v ≤ 65, mild 35 < v ≤ 50, moderate 20 < v ≤ 35,
 * severe v ≤ 20 (expressway). So a speed exactly on a boundary belongs to the slower band.
 */
type V1Class = 'expressway' | 'arterial' | 'secondary';
const BANDS: Record<V1Class, [free: number, light: number, mild: number, moderate: number]> = {
  expressway: [65, 50, 35, 20],
  arterial: [40, 30, 20, 15],
  secondary: [35, 25, 15, 10],
};

const NAMES: Record<CongestionLevel, string> = { 1: 'free', 2: 'light', 3: 'mild jam', 4: 'moderate', 5: 'severe' };

/** For each boundary b between level n and n+1: b + 0.1 is level n, b is level n+1. */
const cases = (Object.keys(BANDS) as V1Class[]).flatMap((roadClass) =>
  BANDS[roadClass].flatMap((b, i) => [
    { roadClass, speedKmh: b + 0.1, level: (i + 1) as CongestionLevel },
    { roadClass, speedKmh: b, level: (i + 2) as CongestionLevel },
  ]),
);

describe('congestionLevel (v1: GB/T 33171 bands for every class, kept for the service until it moves to segmentLevel)', () => {
  it.each(cases.map((c) => ({ ...c, name: NAMES[c.level] })))(
    '$roadClass at $speedKmh km/h is level $level ($name)',
    ({ roadClass, speedKmh, level }) => {
      expect(congestionLevel(speedKmh, roadClass)).toBe(level);
    },
  );

  it.each<{ roadClass: RoadClass; speedKmh: number; level: CongestionLevel }>([
    { roadClass: 'expressway', speedKmh: 120, level: 1 },
    { roadClass: 'expressway', speedKmh: 58, level: 2 },
    { roadClass: 'expressway', speedKmh: 42, level: 3 },
    { roadClass: 'expressway', speedKmh: 28, level: 4 },
    { roadClass: 'expressway', speedKmh: 3, level: 5 },
    { roadClass: 'arterial', speedKmh: 60, level: 1 },
    { roadClass: 'arterial', speedKmh: 35, level: 2 },
    { roadClass: 'arterial', speedKmh: 25, level: 3 },
    { roadClass: 'arterial', speedKmh: 17, level: 4 },
    { roadClass: 'arterial', speedKmh: 5, level: 5 },
    { roadClass: 'secondary', speedKmh: 50, level: 1 },
    { roadClass: 'secondary', speedKmh: 30, level: 2 },
    { roadClass: 'secondary', speedKmh: 20, level: 3 },
    { roadClass: 'secondary', speedKmh: 12, level: 4 },
    { roadClass: 'secondary', speedKmh: 3, level: 5 },
  ])('$roadClass at $speedKmh km/h, inside its band, is level $level', ({ roadClass, speedKmh, level }) => {
    expect(congestionLevel(speedKmh, roadClass)).toBe(level);
  });

  it.each(Object.keys(BANDS) as V1Class[])('on a %s, a slower speed is never a better level', (roadClass) => {
    let prev = congestionLevel(150, roadClass);
    for (let v = 150; v >= 0; v -= 0.5) {
      const level = congestionLevel(v, roadClass);
      expect(level).toBeGreaterThanOrEqual(prev);
      prev = level;
    }
  });
});

describe('segmentLevel: expressways by their free-flow speed, urban roads by GB/T 33171', () => {
  it.each<[RoadClass, 'highway' | 'urban']>([
    ['expressway', 'highway'],
    ['highway', 'highway'],
    ['urban_expressway', 'urban'],
    ['arterial', 'urban'],
    ['secondary', 'urban'],
  ])('a %s segment is rated by the %s criterion', (roadClass, criterion) => {
    expect(congestionCriterion(roadClass)).toBe(criterion);
  });

  /** Share of free flow (HCM speed scale): > 85 % free, > 67 % light, > 50 % mild, > 40 % moderate, else severe. */
  const SHARES: [number, CongestionLevel][] = [
    [HIGHWAY_SPEED_SHARE.free, 1],
    [HIGHWAY_SPEED_SHARE.light, 2],
    [HIGHWAY_SPEED_SHARE.mild, 3],
    [HIGHWAY_SPEED_SHARE.moderate, 4],
  ];
  it.each(SHARES.flatMap(([share, level]) => [
    { ffKmh: 100, speedKmh: share * 100 + 0.1, level },
    { ffKmh: 100, speedKmh: share * 100, level: (level + 1) as CongestionLevel },
    { ffKmh: 120, speedKmh: share * 120 + 0.1, level },
    { ffKmh: 120, speedKmh: share * 120, level: (level + 1) as CongestionLevel },
  ]))('an expressway with free flow $ffKmh km/h at $speedKmh km/h is level $level', ({ ffKmh, speedKmh, level }) => {
    expect(segmentLevel(speedKmh, { roadClass: 'expressway', freeFlowKmh: ffKmh })).toBe(level);
  });

  it('G60 at 66 km/h (free flow 105) is a mild jam, where the urban table called it free', () => {
    expect(congestionLevel(66, 'expressway')).toBe(1);
    expect(segmentLevel(66, { roadClass: 'expressway', freeFlowKmh: 105 })).toBe(3);
    expect(segmentLevel(95, { roadClass: 'expressway', freeFlowKmh: 105 })).toBe(1);
    expect(segmentLevel(10, { roadClass: 'expressway', freeFlowKmh: 105 })).toBe(5);
  });

  it('urban classes keep GB/T 33171: an urban expressway at 66 km/h is free, at 65 light, whatever its free flow', () => {
    expect(segmentLevel(66, { roadClass: 'urban_expressway', freeFlowKmh: 100 })).toBe(1);
    expect(segmentLevel(65, { roadClass: 'urban_expressway', freeFlowKmh: 100 })).toBe(2);
    expect(segmentLevel(35, { roadClass: 'arterial', freeFlowKmh: 60 })).toBe(2);
    expect(segmentLevel(10, { roadClass: 'secondary', freeFlowKmh: 45 })).toBe(5);
  });

  it('a highway without a free-flow speed is never rated better than severe', () => {
    expect(segmentLevel(80, { roadClass: 'highway', freeFlowKmh: 0 })).toBe(5);
  });

  it.each<RoadClass>(['expressway', 'highway', 'urban_expressway', 'arterial', 'secondary'])('on a %s, a slower speed is never a better level', (roadClass) => {
    let prev = segmentLevel(150, { roadClass, freeFlowKmh: 110 });
    for (let v = 150; v >= 0; v -= 0.5) {
      const level = segmentLevel(v, { roadClass, freeFlowKmh: 110 });
      expect(level).toBeGreaterThanOrEqual(prev);
      prev = level;
    }
  });
});

describe('networkIndex: length-weighted mean level of the segments with a known level', () => {
  it.each(titled<{ what: string; segments: { lengthM: number; level: CongestionLevel | null }[]; index: number | null }>([
    { what: 'all free', segments: [{ lengthM: 1000, level: 1 }, { lengthM: 500, level: 1 }], index: 1 },
    { what: 'all severe', segments: [{ lengthM: 1000, level: 5 }], index: 5 },
    { what: '1 km free and 3 km severe', segments: [{ lengthM: 1000, level: 1 }, { lengthM: 3000, level: 5 }], index: 4 },
    { what: 'equal lengths at 2 and 3', segments: [{ lengthM: 800, level: 2 }, { lengthM: 800, level: 3 }], index: 2.5 },
    {
      what: 'a segment of unknown level is left out, not counted as free',
      segments: [{ lengthM: 1000, level: 4 }, { lengthM: 9000, level: null }],
      index: 4,
    },
    { what: 'a zero-length segment weighs nothing', segments: [{ lengthM: 1000, level: 2 }, { lengthM: 0, level: 5 }], index: 2 },
    { what: 'no segments', segments: [], index: null },
    { what: 'no segment with a known level', segments: [{ lengthM: 1000, level: null }], index: null },
  ]))('%s', (_what, { segments, index }) => {
    const got = networkIndex(segments);
    if (index === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(index, 10);
  });
});
