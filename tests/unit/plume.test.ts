import { bearing, destination, distance, point } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { Site } from '../../src/contracts';
import { PLUME_DEFAULTS, dangerZone, pointsInZone, sitesInZone, zoneShape, type PlumeInput } from '../../src/domain';
import { generate } from '../../scripts/gen-data';

const SRC: [number, number] = [120.87, 30.2];
const input = (over: Partial<PlumeInput> = {}): PlumeInput => ({
  sourceLonDeg: SRC[0],
  sourceLatDeg: SRC[1],
  windFromDeg: 0,
  windSpeedMs: 3,
  concentrationRatio: 2.5,
  ...over,
});
const ring = (z: ReturnType<typeof dangerZone>) => z.coordinates[0];
const distM = (c: number[]) => distance(point(SRC), point(c), { units: 'meters' });
/** Compass bearing 0…360 from the source. */
const bear = (c: number[]) => (bearing(point(SRC), point(c)) + 360) % 360;
const angleDiff = (a: number, b: number) => Math.abs(((a - b + 540) % 360) - 180);
/** The far arc's vertex closest to a bearing (the arc is at constant distance, so "furthest" alone is ambiguous). */
const tip = (z: ReturnType<typeof dangerZone>, towardDeg: number) =>
  ring(z)
    .filter((c) => distM(c) > 300)
    .reduce((a, b) => (angleDiff(bear(b), towardDeg) < angleDiff(bear(a), towardDeg) ? b : a));
/** A square parcel of `sizeM` centred `distanceM` from the source on `bearingDeg`. */
function parcel(id: string, distanceM: number, bearingDeg: number, sizeM = 100): Site {
  const c = destination(point(SRC), distanceM, bearingDeg, { units: 'meters' }).geometry.coordinates;
  const h = sizeM / 2;
  const at = (e: number, n: number) => destination(destination(point(c), e, 90, { units: 'meters' }), n, 0, { units: 'meters' }).geometry.coordinates as [number, number];
  const sq = [at(-h, -h), at(h, -h), at(h, h), at(-h, h), at(-h, -h)];
  return { id, scene: 'park', kind: 'enterprise', name: id, nameZh: id, parentId: null, geometry: { type: 'Polygon', coordinates: [sq] } };
}

describe('dangerZone: known wind → known polygon', () => {
  // L = 500 m · 2.5^0.6 · (3/3)^0.5 = 866.4 m; half-angle 20 + 40/3 = 33.3°.
  const expectedM = 500 * 2.5 ** 0.6;

  it('wind from the north: the zone lies south of the source, its far tip 866 m away (within 1 %)', () => {
    const z = dangerZone(input());
    const t = tip(z, 180);
    expect(Math.abs(distM(t) - expectedM) / expectedM).toBeLessThan(0.01);
    expect(Math.abs(bear(t) - 180)).toBeLessThan(0.5);
    // Everything north of the source is within the isolation circle (10 % of L).
    for (const c of ring(z)) if (c[1] > SRC[1]) expect(distM(c)).toBeLessThanOrEqual(0.1 * expectedM * 1.01);
    expect(zoneShape(input())).toMatchObject({ calm: false, towardDeg: 180 });
    expect(zoneShape(input()).halfAngleDeg).toBeCloseTo(33.33, 1);
  });

  it.each([
    [0, 180],
    [90, 270],
    [180, 0],
    [270, 90],
    [45, 225],
    [350, 170],
  ])('wind from %i° → the tip points to %i°', (fromDeg, towardDeg) => {
    const z = dangerZone(input({ windFromDeg: fromDeg }));
    const t = tip(z, towardDeg);
    expect(angleDiff(bear(t), towardDeg)).toBeLessThan(0.5);
    expect(Math.abs(distM(t) - expectedM) / expectedM).toBeLessThan(0.01);
    // Nothing reaches further, and the far arc spans ±33.3° about the axis.
    for (const c of ring(z)) expect(distM(c)).toBeLessThan(expectedM * 1.01);
    const far = ring(z).filter((c) => distM(c) > 300);
    expect(Math.max(...far.map((c) => angleDiff(bear(c), towardDeg)))).toBeCloseTo(33.3, 0);
  });

  it('is a closed ring, counter-clockwise (RFC 7946)', () => {
    const r = ring(dangerZone(input()));
    expect(r[0]).toEqual(r[r.length - 1]);
    let twiceArea = 0;
    for (let i = 1; i < r.length; i++) twiceArea += r[i - 1][0] * r[i][1] - r[i][0] * r[i - 1][1];
    expect(twiceArea).toBeGreaterThan(0);
  });
});

describe('zoneShape: length, width and calm', () => {
  it.each([
    // ratio, wind m/s, length m
    [1, 3, 500],
    [2, 3, 500 * 2 ** 0.6],
    [0.5, 3, 500], // below the limit counts as at it
    [2.5, 1, 500 * 2.5 ** 0.6 * (1 / 3) ** 0.5],
    [2.5, 6, 500 * 2.5 ** 0.6 * 2 ** 0.5],
    [1000, 10, PLUME_DEFAULTS.maxLengthM], // capped
  ])('ratio %f at %f m/s → %f m', (r, u, lengthM) => {
    expect(zoneShape(input({ concentrationRatio: r, windSpeedMs: u })).lengthM).toBeCloseTo(lengthM, 3);
  });

  it('narrows as the wind strengthens', () => {
    const angles = [0.5, 1, 2, 3, 6, 12].map((u) => zoneShape(input({ windSpeedMs: u })).halfAngleDeg);
    expect(angles[0]).toBe(90);
    expect(angles[1]).toBe(60);
    for (let i = 1; i < angles.length; i++) expect(angles[i]).toBeLessThan(angles[i - 1]);
    expect(angles[angles.length - 1]).toBeGreaterThan(PLUME_DEFAULTS.minHalfAngleDeg);
  });

  it.each([
    ['0.49 m/s', { windSpeedMs: 0.49 }],
    ['no speed', { windSpeedMs: null }],
    ['no direction', { windFromDeg: null }],
  ])('calm or unknown wind (%s) → a circle of the 1 m/s length', (_, over) => {
    const z = dangerZone(input(over));
    const R = 500 * 2.5 ** 0.6 * (1 / 3) ** 0.5;
    expect(zoneShape(input(over))).toMatchObject({ calm: true, towardDeg: null });
    for (const c of ring(z)) expect(Math.abs(distM(c) - R) / R).toBeLessThan(0.01);
  });

  it('at 0.5 m/s the wind counts (not calm)', () => {
    expect(zoneShape(input({ windSpeedMs: 0.5 })).calm).toBe(false);
  });
});

describe('sitesInZone and pointsInZone', () => {
  // Wind from north, 3 m/s, ratio 2.5: sector 866 m long, ±33.3° about south; isolation 87 m.
  const zone = dangerZone(input());
  const sites: Site[] = [
    parcel('south-500', 500, 180),
    parcel('south-west-700', 700, 205), // 25° off the axis: inside
    parcel('far-edge', 900, 180, 150), // starts at 825 m: the tip reaches into it
    parcel('north-500', 500, 0),
    parcel('east-600', 600, 90),
    parcel('south-1200', 1200, 180),
    parcel('off-axis-600', 600, 230, 60), // 50° off the axis: outside
    parcel('upwind-touching', 100, 0, 60), // within the isolation circle at its near edge
    { id: 'tank-in', scene: 'park', kind: 'tank', name: '', nameZh: '', parentId: null, geometry: { type: 'Point', coordinates: destination(point(SRC), 300, 170, { units: 'meters' }).geometry.coordinates as [number, number] } },
    { id: 'tank-out', scene: 'park', kind: 'tank', name: '', nameZh: '', parentId: null, geometry: { type: 'Point', coordinates: destination(point(SRC), 300, 10, { units: 'meters' }).geometry.coordinates as [number, number] } },
  ];

  it('lists the enterprises and tanks the zone touches, and only those', () => {
    expect(sitesInZone(zone, sites).sort()).toEqual(['far-edge', 'south-500', 'south-west-700', 'tank-in', 'upwind-touching']);
  });

  it('lists the trucks inside', () => {
    const at = (id: string, m: number, b: number) => {
      const c = destination(point(SRC), m, b, { units: 'meters' }).geometry.coordinates;
      return { id, lonDeg: c[0], latDeg: c[1] };
    };
    expect(pointsInZone(zone, [at('t-in', 400, 185), at('t-behind', 400, 5), at('t-near', 40, 5), at('t-far', 900, 180)])).toEqual(['t-in', 't-near']);
  });

  it('on the demo park: a release at the north-east station warns Dongfang with a north wind, Lvyuan after it backs to 300°', () => {
    const { registry } = generate();
    const st = registry.devices.find((d) => d.id === 'sy-bs3-gas')!;
    const ents = registry.sites.filter((s) => s.kind === 'enterprise');
    const at = (fromDeg: number) => sitesInZone(dangerZone({ sourceLonDeg: st.position[0], sourceLatDeg: st.position[1], windFromDeg: fromDeg, windSpeedMs: 3, concentrationRatio: 2.5 }), ents);
    expect(at(0)).toContain('sy-ent-14');
    expect(at(0)).not.toContain('sy-ent-12');
    expect(at(300)).toContain('sy-ent-12');
  });
});
