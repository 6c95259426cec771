/**
 * The segment index against turf: the same nearest line and the same distance (within the 0.5 % of
 * its local projection) as a turf call over every line, for points on, beside and far from them.
 */
import { lineString, point, pointToLineDistance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { NEW_TRACK, SegmentIndex, routeIndex, truckGeofence, type LonLat } from '../../src/domain';

const LINES: { id: string; coordinates: LonLat[] }[] = [
  { id: 'ring-road', coordinates: [[120.56, 30.0], [120.6, 30.0], [120.6, 30.03], [120.56, 30.03]] },
  { id: 'g60', coordinates: [[120.18, 29.85], [120.2, 29.7], [120.22, 29.6]] },
  { id: 'bridge', coordinates: [[120.585, 29.99], [120.586, 30.01]] },
  { id: 'short', coordinates: [[120.7001, 30.2001], [120.7002, 30.2001]] },
];

const turfNearest = (at: LonLat): { id: string; distanceM: number } =>
  LINES.map((l) => ({ id: l.id, distanceM: pointToLineDistance(point(at), lineString(l.coordinates), { units: 'meters' }) })).sort((a, b) => a.distanceM - b.distanceM)[0];

describe('SegmentIndex', () => {
  const index = new SegmentIndex(LINES);

  it.each([
    { what: 'on a vertex of the ring road', at: [120.6, 30.0] as LonLat },
    { what: '30 m beside the ring road', at: [120.58, 30.00027] as LonLat },
    { what: 'between the bridge and the ring road, nearer the bridge', at: [120.5857, 29.997] as LonLat },
    { what: 'beside the expressway, 25 km south of the city', at: [120.195, 29.75] as LonLat },
    { what: 'in open country, kilometres from every line', at: [120.4, 29.9] as LonLat },
    { what: 'beside a 10 m line among long ones', at: [120.70015, 30.2003] as LonLat },
    { what: 'far north of everything', at: [120.5, 31.2] as LonLat },
  ])('$what: the line and distance turf finds', ({ at }) => {
    const want = turfNearest(at);
    const got = index.nearest(at)!;
    expect(got.id).toBe(want.id);
    expect(Math.abs(got.distanceM - want.distanceM)).toBeLessThanOrEqual(0.005 * want.distanceM + 0.5);
  });

  it('finds nothing beyond maxM, and skips lines it is told not to accept', () => {
    expect(index.nearest([120.58, 30.00027], 10)).toBeNull();
    expect(index.nearest([120.58, 30.00027], 40)?.id).toBe('ring-road');
    expect(index.nearest([120.5857, 29.997], Infinity, (id) => id !== 'bridge')?.id).toBe('ring-road');
  });

  it('lists every line within a radius once, nearest first', () => {
    const hits = index.within([120.5857, 29.997], 500);
    expect(hits.map((h) => h.id)).toEqual(['bridge', 'ring-road']);
    expect(hits[0].distanceM).toBeLessThan(hits[1].distanceM);
  });

  it('answers null on an empty index', () => {
    expect(new SegmentIndex<string>([]).nearest([120, 30])).toBeNull();
  });

  it('agrees with turf for a route over a grid of fixes (the geofence distance)', () => {
    const route = { type: 'LineString' as const, coordinates: LINES[0].coordinates };
    const r = routeIndex(route);
    for (let i = 0; i < 20; i++) {
      for (let j = 0; j < 20; j++) {
        const at: LonLat = [120.55 + i * 0.003, 29.99 + j * 0.0025];
        const want = pointToLineDistance(point(at), lineString(route.coordinates), { units: 'meters' });
        expect(Math.abs(r.nearest(at)!.distanceM - want)).toBeLessThanOrEqual(0.005 * want + 0.5);
      }
    }
  });
});

describe('truck geofence on the indexed route', () => {
  const route = { type: 'LineString' as const, coordinates: LINES[0].coordinates };
  it.each([
    { what: 'on the route: no off-route condition', at: [120.58, 30.0] as LonLat, off: false },
    { what: '40 m off: within the 50 m fence', at: [120.58, 30.00036] as LonLat, off: false },
    { what: '60 m off: off the route', at: [120.58, 30.00054] as LonLat, off: true },
    { what: '2 km off: off the route', at: [120.58, 30.018] as LonLat, off: true },
  ])('$what, as with turf', ({ at, off }) => {
    const fix = { lonDeg: at[0], latDeg: at[1], speedKmh: 20, tsMs: 1_764_300_000_000 };
    const track = { ...NEW_TRACK, offRouteFixes: 1 };
    const turf = truckGeofence(fix, { route, park: null, lots: [] }, track).conditions.off_route;
    const indexed = truckGeofence(fix, { route, routeIndex: routeIndex(route), park: null, lots: [] }, track).conditions.off_route;
    expect(turf !== null).toBe(off);
    expect(indexed !== null).toBe(off);
    if (turf && indexed) expect(Math.abs(indexed.value! - turf.value!)).toBeLessThanOrEqual(0.005 * turf.value! + 0.5);
  });
});
