/**
 * The v1.1 leak zone: Pasquill–Gifford stability by Turner's method (EPA-454/R-99-005 Tables 6-4 to
 * 6-6), ISC3's dispersion coefficients, a Gaussian plume to each substance's endpoint.
 */
import { area, booleanPointInPolygon, destination, point } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { StabilityClass } from '../../src/contracts';
import {
  MS_PER_KNOT,
  SUBSTANCES,
  centrelineGm3,
  distanceToEndpointM,
  endpointGm3,
  insolationClass,
  netRadiationIndex,
  plumeZone,
  sigmas,
  stabilityAt,
  stabilityClass,
  sunAt,
  windRow,
  zoneSubstance,
} from '../../src/domain';

const PARK: [number, number] = [120.86, 30.2];
const kt = (k: number) => k * MS_PER_KNOT;

describe('Turner stability: wind rows on both sides of every boundary (whole knots)', () => {
  // Rows 0–1, 2–3, 4–5, 6, 7, 8–9, 10, 11, ≥ 12 kt: a boundary sits half a knot below each row's first speed.
  it.each([[1.5, 1], [3.5, 2], [5.5, 3], [6.5, 4], [7.5, 5], [9.5, 6], [10.5, 7], [11.5, 8]])('%s kt is the boundary into row %s', (edge, row) => {
    expect(windRow(kt(edge - 0.01))).toBe(row - 1);
    expect(windRow(kt(edge + 0.01))).toBe(row);
  });

  it.each<[number, StabilityClass[]]>([
    // Table 6-4 columns NRI 4, 3, 2, 1, 0, −1, −2 (G counted as F).
    [0, ['A', 'A', 'B', 'C', 'D', 'F', 'F']],
    [2, ['A', 'B', 'B', 'C', 'D', 'F', 'F']],
    [4, ['A', 'B', 'C', 'D', 'D', 'E', 'F']],
    [6, ['B', 'B', 'C', 'D', 'D', 'E', 'F']],
    [7, ['B', 'B', 'C', 'D', 'D', 'D', 'E']],
    [8, ['B', 'C', 'C', 'D', 'D', 'D', 'E']],
    [10, ['C', 'C', 'D', 'D', 'D', 'D', 'E']],
    [11, ['C', 'C', 'D', 'D', 'D', 'D', 'D']],
    [15, ['C', 'D', 'D', 'D', 'D', 'D', 'D']],
  ])('%s kt gives %j for NRI 4 … −2', (knots, classes) => {
    expect([4, 3, 2, 1, 0, -1, -2].map((nri) => stabilityClass(kt(knots), nri))).toEqual(classes);
  });
});

describe('net radiation index (Table 6-6) on both sides of every boundary', () => {
  it.each([[15, 1], [15.01, 2], [35, 2], [35.01, 3], [60, 3], [60.01, 4]])('sun at %s° is insolation class %s', (elev, icn) => {
    expect(insolationClass(elev)).toBe(icn);
  });

  it.each<{ what: string; daytime: boolean; elev: number; cc: number | null; ceilingM?: number | null; nri: number }>([
    { what: 'night, 4/10 cloud', daytime: false, elev: -20, cc: 4, nri: -2 },
    { what: 'night, 5/10 cloud', daytime: false, elev: -20, cc: 5, nri: -1 },
    { what: 'night, cloud unknown: clear, the most stable', daytime: false, elev: -20, cc: null, nri: -2 },
    { what: 'overcast below 7,000 ft, day or night', daytime: false, elev: -20, cc: 10, ceilingM: 1000, nri: 0 },
    { what: 'day, high sun, 5/10 cloud: no change', daytime: true, elev: 70, cc: 5, nri: 4 },
    { what: 'day, high sun, 6/10 cloud at 3 km: one class less', daytime: true, elev: 70, cc: 6, ceilingM: 3000, nri: 3 },
    { what: 'day, high sun, 6/10 low cloud: two classes less', daytime: true, elev: 70, cc: 6, ceilingM: 1500, nri: 2 },
    { what: 'day, high sun, 10/10 at 3 km', daytime: true, elev: 70, cc: 10, ceilingM: 3000, nri: 2 },
    { what: 'day, low sun, 10/10 low ceiling unknown: never below 1', daytime: true, elev: 10, cc: 10, nri: 1 },
  ])('$what → $nri', ({ daytime, elev, cc, ceilingM, nri }) => {
    expect(netRadiationIndex({ daytime, sunElevationDeg: elev, cloudCoverTenths: cc, ceilingM })).toBe(nri);
  });

  it('night runs from 1 h before sunset to 1 h after sunrise, at the park', () => {
    // 26 Nov at 30.2° N, 120.86° E: sunrise ≈ 06:25, sunset ≈ 16:55 local (UTC+8).
    const at = (hhmm: string) => sunAt(...PARK, Date.parse(`2025-11-26T${hhmm}:00+08:00`));
    expect(at('02:00').daytime).toBe(false);
    expect(at('06:45').daytime).toBe(false); // sun up, but within the first hour
    expect(at('08:00').daytime).toBe(true);
    expect(at('12:00')).toMatchObject({ daytime: true });
    expect(at('12:00').sunElevationDeg).toBeCloseTo(90 - 30.2 - 21, 0); // declination ≈ −21° in late November
    expect(at('16:30').daytime).toBe(false);
  });
});

describe('Gaussian plume (ISC3 coefficients)', () => {
  it("reproduces Turner's Workbook problem 1: 3 g/s at ground level, overcast night, 7 m/s, 3 km downwind", () => {
    // Workbook answer: σy 190 m, σz 65 m, χ = 1.1 × 10⁻⁵ g/m³ (class D read off the curves).
    expect(stabilityAt({ lonDeg: PARK[0], latDeg: PARK[1], windSpeedMs: 7, cloudCoverTenths: 10, ceilingM: 1000 }, Date.parse('2025-11-26T02:00:00+08:00')).stability).toBe('D');
    const { sigmaYM, sigmaZM } = sigmas('D', 3000);
    expect(sigmaZM).toBeCloseTo(65, -1);
    expect(Math.abs(sigmaYM - 190) / 190).toBeLessThan(0.05);
    expect(Math.abs(centrelineGm3('D', 3000, 3, 7) - 1.1e-5) / 1.1e-5).toBeLessThan(0.1);
  });

  it('at the same release and wind, the zone lengthens from A to F', () => {
    const lengths = (['A', 'B', 'C', 'D', 'E', 'F'] as StabilityClass[]).map((s) => distanceToEndpointM(s, 1000, 2, endpointGm3(SUBSTANCES.ammonia), 50_000).lengthM);
    for (let i = 1; i < lengths.length; i++) expect(lengths[i]).toBeGreaterThan(lengths[i - 1]);
  });

  it.each<StabilityClass>(['A', 'D', 'F'])('is monotonic in release rate (class %s)', (s) => {
    let prev = 0;
    for (const q of [10, 50, 100, 500, 1000, 5000]) {
      const { lengthM } = distanceToEndpointM(s, q, 2, endpointGm3(SUBSTANCES.chlorine), 50_000);
      expect(lengthM).toBeGreaterThan(prev);
      prev = lengthM;
    }
  });

  it('lands on the endpoint, caps, and says when the endpoint is never reached', () => {
    const e = endpointGm3(SUBSTANCES.ammonia);
    const { lengthM } = distanceToEndpointM('D', 1000, 3, e, 50_000);
    expect(centrelineGm3('D', lengthM, 1000, 3) / e).toBeCloseTo(1, 3);
    expect(distanceToEndpointM('F', 1000, 1, endpointGm3(SUBSTANCES.chlorine), 2000)).toEqual({ lengthM: 2000, capped: true });
    expect(distanceToEndpointM('A', 0.001, 10, e, 2000)).toEqual({ lengthM: 0, capped: false });
  });
});

describe('plumeZone: the worst case is night and light wind, and depends on the substance', () => {
  const zone = (sub: string, hhmm: string, windMs: number | null, windFromDeg: number | null = 0, cloud: number | null = null) =>
    plumeZone({ sourceLonDeg: PARK[0], sourceLatDeg: PARK[1], windFromDeg, windSpeedMs: windMs, substance: SUBSTANCES[sub], cloudCoverTenths: cloud }, Date.parse(`2025-11-26T${hhmm}:00+08:00`));

  it('a clear night in light wind gives the longest ammonia zone of any hour and wind', () => {
    const night = zone('ammonia', '02:00', 1.2);
    expect(night.explanation).toMatchObject({ substance: 'ammonia', stability: 'F', endpointPpm: 160, daytime: false, releaseRateGs: 1000, releaseBasis: 'planning', capped: false });
    for (const hhmm of ['02:00', '08:00', '12:00', '15:00', '22:00']) {
      for (const u of [1.2, 2, 3, 5, 8]) expect(zone('ammonia', hhmm, u).shape.lengthM).toBeLessThanOrEqual(night.shape.lengthM);
    }
    expect(zone('ammonia', '12:00', 1.2).shape.lengthM).toBeLessThan(night.shape.lengthM / 4);
  });

  it('depends on the substance: chlorine reaches far further than methanol for the same release', () => {
    expect(zone('chlorine', '02:00', 3).shape.lengthM).toBeGreaterThan(10 * zone('methanol', '02:00', 3).shape.lengthM);
  });

  it('points downwind, and is a circle in calm or unknown wind', () => {
    const z = zone('ammonia', '02:00', 2, 0); // wind from the north
    const south = destination(point(PARK), z.shape.lengthM * 0.8 / 1000, 180, { units: 'kilometers' });
    const north = destination(point(PARK), z.shape.lengthM * 0.8 / 1000, 0, { units: 'kilometers' });
    expect(booleanPointInPolygon(south, z.polygon)).toBe(true);
    expect(booleanPointInPolygon(north, z.polygon)).toBe(false);
    for (const calm of [zone('ammonia', '02:00', 0.3, 0), zone('ammonia', '02:00', null, null), zone('ammonia', '02:00', 2, null)]) {
      expect(calm.shape).toMatchObject({ calm: true, halfAngleDeg: 180, towardDeg: null });
      expect(area(calm.polygon)).toBeGreaterThan(0);
    }
  });

  it('cloud by night makes it less stable, so shorter', () => {
    expect(zone('ammonia', '02:00', 2, 0, 8).shape.lengthM).toBeLessThan(zone('ammonia', '02:00', 2, 0, 2).shape.lengthM);
  });
});

describe('zoneSubstance', () => {
  it.each([
    ['cl2_ppm', [], 'chlorine'],
    ['nh3_ppm', ['methanol'], 'ammonia'],
    ['h2s_ppm', [], 'hydrogen_sulfide'],
    ['voc_ppm', ['methanol', 'toluene', 'acetone'], 'toluene'],
    ['lel_pct', ['propylene', 'methanol'], 'methanol'],
    ['voc_ppm', ['ethyl acetate', undefined], null],
    ['voc_ppm', [], null],
  ] as const)('%s with %j is drawn for %s', (q, cands, id) => {
    expect(zoneSubstance(q, cands)?.id ?? null).toBe(id);
  });
});
