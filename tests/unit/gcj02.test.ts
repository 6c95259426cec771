import { describe, expect, it } from 'vitest';
import { checkDatum, distanceM, gcj02ToWgs84, wgs84ToGcj02, type LonLatDeg } from '../../src/domain/gcj02';
import type { Geometry } from '../../src/contracts';

describe('GCJ-02', () => {
  it.each([
    // The reference values of coordtransform's README (Tiananmen, Beijing).
    { what: 'WGS84 → GCJ-02', fn: wgs84ToGcj02, from: [116.404, 39.915], want: [116.41024449916938, 39.91640428150164] },
  ] as const)('$what matches the published reference', ({ fn, from, want }) => {
    const got = fn([from[0], from[1]]);
    expect(got[0]).toBeCloseTo(want[0], 6);
    expect(got[1]).toBeCloseTo(want[1], 6);
  });

  it.each([
    { what: 'Shaoxing centre', p: [120.578, 29.999] },
    { what: 'a Keqiao plant', p: [120.7, 30.21] },
    { what: 'Zhuji', p: [120.24, 29.716] },
  ] as const)('round-trips $what to a centimetre, with a shift of 300–700 m', ({ p }) => {
    const wgs: LonLatDeg = [p[0], p[1]];
    const gcj = wgs84ToGcj02(wgs);
    expect(distanceM(wgs, gcj)).toBeGreaterThan(300);
    expect(distanceM(wgs, gcj)).toBeLessThan(700);
    expect(distanceM(gcj02ToWgs84(gcj), wgs)).toBeLessThan(0.01);
  });

  it('leaves positions outside China alone', () => {
    expect(wgs84ToGcj02([2.35, 48.85])).toEqual([2.35, 48.85]);
    expect(gcj02ToWgs84([-74, 40.7])).toEqual([-74, 40.7]);
  });
});

describe('checkDatum', () => {
  // A 100 m × 100 m plant in Keqiao, WGS84.
  const plant: Geometry = { type: 'Polygon', coordinates: [[[120.7, 30.21], [120.701, 30.21], [120.701, 30.2109], [120.7, 30.2109], [120.7, 30.21]]] };
  const inside: LonLatDeg = [120.7005, 30.2104];

  it.each([
    { what: 'a point inside the plant', p: inside, site: plant, want: false },
    { what: 'the same point copied from a Chinese web map', p: wgs84ToGcj02(inside), site: plant, want: true },
    { what: 'a point 5 km away, copied or not', p: wgs84ToGcj02([120.75, 30.21]), site: plant, want: false },
    { what: 'a point with no site to compare with', p: wgs84ToGcj02(inside), site: null, want: false },
    { what: 'a point on a north–south road segment, copied', p: wgs84ToGcj02([120.24, 29.7162]), site: { type: 'LineString', coordinates: [[120.24, 29.71], [120.24, 29.72]] } as Geometry, want: true },
  ])('$what → looks GCJ-02: $want', ({ p, site, want }) => {
    expect(checkDatum(p, site).looksGcj02).toBe(want);
  });

  it('offers the converted point, back inside the plant', () => {
    const c = checkDatum(wgs84ToGcj02(inside), plant);
    expect(c.ifConvertedM).toBe(0);
    expect(distanceM(c.converted, inside)).toBeLessThan(0.01);
  });
});
