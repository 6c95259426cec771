import { describe, expect, it } from 'vitest';
import { networkIndex, weightedNetworkIndex, type CongestionLevel, type IndexSegment } from '../../src/domain';
import { indexLevel } from '../../src/view';

/** n segments of one class and level, 5 km each. */
const many = (prefix: string, cls: string, level: CongestionLevel | null, n: number, lengthM = 5000): IndexSegment[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, class: cls, lengthM, level }));

describe('weightedNetworkIndex', () => {
  it.each<{ what: string; segs: IndexSegment[]; index: number | null; floorSegmentId?: string | null }>([
    { what: 'nothing known', segs: many('a', 'arterial', null, 3), index: null },
    { what: 'all free', segs: many('a', 'expressway', 1, 4), index: 1, floorSegmentId: null },
    { what: 'length × class: a 10 km expressway at 3 and a 10 km secondary at 1 → (3·4 + 1·1)/5', segs: [...many('e', 'expressway', 3, 1, 10_000), ...many('s', 'secondary', 1, 1, 10_000)], index: 13 / 5 },
    { what: 'a severe expressway holds the index at 3 among 40 free segments', segs: [...many('f', 'arterial', 1, 40), ...many('g60-', 'expressway', 5, 1)], index: 3, floorSegmentId: 'g60-0' },
    { what: 'a moderate expressway holds it at 2', segs: [...many('f', 'arterial', 1, 40), ...many('g60-', 'expressway', 4, 1)], index: 2 },
    { what: 'a severe arterial holds it at 2', segs: [...many('f', 'arterial', 1, 40), ...many('j', 'arterial', 5, 1)], index: 2 },
    { what: 'a moderate arterial does not lift it', segs: [...many('f', 'arterial', 1, 40), ...many('j', 'arterial', 4, 1, 100)], index: (40 * 5000 + 4 * 100) / (40 * 5000 + 100) },
    { what: 'a severe secondary street alone does not', segs: [...many('f', 'arterial', 1, 40), ...many('s', 'secondary', 5, 1, 100)], index: (40 * 5000 * 2 + 5 * 100) / (40 * 5000 * 2 + 100) },
    { what: 'an unknown class counts as secondary', segs: [...many('x', 'ferry', 5, 1), ...many('f', 'secondary', 1, 1)], index: 3 },
    { what: 'segments of no length are left out', segs: [...many('z', 'expressway', 5, 1, 0), ...many('f', 'arterial', 1, 2)], index: 1 },
  ])('$what', ({ segs, index, floorSegmentId }) => {
    const r = weightedNetworkIndex(segs);
    if (index === null) expect(r.index).toBeNull();
    else expect(r.index).toBeCloseTo(index, 9);
    if (floorSegmentId !== undefined) expect(r.floorSegmentId).toBe(floorSegmentId);
  });

  it('cannot read 畅通 with three severe G60 segments, where the length mean did (the measured 1.1–1.3)', () => {
    // The demo network's shape: 2 × 40 km of expressway per road, arterials and streets, all free but three G60 pieces.
    const segs = [
      ...many('g60-s0', 'expressway', 5, 3, 5500),
      ...many('g60-', 'expressway', 1, 13, 5500),
      ...many('zy-', 'expressway', 1, 16, 5000),
      ...many('g235-', 'arterial', 1, 16, 3400),
      ...many('jy-', 'arterial', 1, 8, 2400),
      ...many('wy-', 'secondary', 1, 4, 2300),
    ];
    expect(indexLevel(networkIndex(segs))).toBe(1);
    const r = weightedNetworkIndex(segs);
    expect(r.lengthIndex).toBeCloseTo(networkIndex(segs)!, 9);
    expect(indexLevel(r.index)).toBeGreaterThanOrEqual(3);
  });
});
