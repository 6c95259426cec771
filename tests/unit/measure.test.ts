import { area as turfArea, length as turfLength, lineString, polygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import {
  areaText,
  lengthText,
  measureValue,
  measurementsGeoJson,
  pathLengthM,
  polygonAreaM2,
  type LonLat,
} from '../../src/domain/measure';

/** Relative error of `got` against `want`. */
const rel = (got: number, want: number) => Math.abs(got - want) / want;

/**
 * Area of a lat/lon quadrangle on the WGS84 ellipsoid, m² (exact, via the authalic function q(φ)):
 * A = b² Δλ / 2 · (q(φ₂) − q(φ₁)).
 */
function quadrangleAreaM2(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const a = 6_378_137;
  const e2 = 0.006_694_379_990_14;
  const e = Math.sqrt(e2);
  const b2 = a * a * (1 - e2);
  const q = (latDeg: number) => {
    const s = Math.sin((latDeg * Math.PI) / 180);
    return s / (1 - e2 * s * s) + (1 / (2 * e)) * Math.log((1 + e * s) / (1 - e * s));
  };
  return ((b2 * ((lon2 - lon1) * Math.PI)) / 180 / 2) * (q(lat2) - q(lat1));
}

describe('ground distance', () => {
  // Length of one degree of latitude centred on a latitude (the WGS84 meridian arc; textbook table).
  const DEGREE_OF_LATITUDE_M: [number, number][] = [
    [0, 110_574],
    [15, 110_649],
    [30, 110_852],
    [45, 111_132],
    [60, 111_412],
    [75, 111_618],
    [89.5, 111_694],
  ];
  it.each(DEGREE_OF_LATITUDE_M)('one degree of latitude at %d° is %d m within 0.5 %%', (lat, want) => {
    const got = pathLengthM([
      [120.6, lat - 0.5],
      [120.6, lat + 0.5],
    ]);
    expect(rel(got, want)).toBeLessThan(0.005);
    // And well within: the curvature correction is good to about 0.01 %.
    expect(rel(got, want)).toBeLessThan(0.0002);
  });

  it('one degree of longitude along the equator is 111,319 m', () => {
    expect(rel(pathLengthM([[0, 0], [1, 0]]), 111_319.49)).toBeLessThan(0.0002);
  });

  it('one degree of longitude at 30° N is about 96.49 km (the parallel; the geodesic is metres shorter)', () => {
    expect(rel(pathLengthM([[120, 30], [121, 30]]), 96_486)).toBeLessThan(0.001);
  });

  it('sums the segments of a path and agrees with turf at Shaoxing within 0.5 %', () => {
    const path: LonLat[] = [
      [120.578, 29.999],
      [120.7, 30.21],
      [120.85, 30.2],
      [120.24, 29.716],
    ];
    const got = pathLengthM(path);
    const turf = turfLength(lineString(path.map((p) => [...p])), { units: 'meters' });
    expect(rel(got, turf)).toBeLessThan(0.005);
    expect(got).toBeCloseTo(pathLengthM(path.slice(0, 2)) + pathLengthM(path.slice(1)), 6);
  });

  it('is 0 for one point, and for repeated points', () => {
    expect(pathLengthM([])).toBe(0);
    expect(pathLengthM([[120, 30]])).toBe(0);
    expect(pathLengthM([[120, 30], [120, 30]])).toBe(0);
  });
});

describe('area', () => {
  const SQUARES: [string, number, number, number, number][] = [
    ['1° × 1° at the equator', 0, 0, 1, 1],
    ['1° × 1° at 30° N', 120, 30, 121, 31],
    ['0.01° square at the Keqiao dyeing cluster', 120.7, 30.21, 120.71, 30.22],
    ['0.001° square in Shaoxing', 120.578, 29.999, 120.579, 30],
    ['1° × 1° at 60° N', 10, 60, 11, 61],
  ];
  it.each(SQUARES)('measures a %s as the ellipsoid does within 0.5 %%', (_name, lon1, lat1, lon2, lat2) => {
    const ring: LonLat[] = [
      [lon1, lat1],
      [lon2, lat1],
      [lon2, lat2],
      [lon1, lat2],
    ];
    const want = quadrangleAreaM2(lon1, lat1, lon2, lat2);
    expect(rel(polygonAreaM2(ring), want)).toBeLessThan(0.005);
    expect(rel(polygonAreaM2(ring), want)).toBeLessThan(0.0005);
  });

  it('measures a polygon, whichever way it winds, closed or not', () => {
    const ring: LonLat[] = [
      [120.7, 30.21],
      [120.72, 30.21],
      [120.725, 30.225],
      [120.71, 30.23],
    ];
    const ccw = polygonAreaM2(ring);
    expect(ccw).toBeGreaterThan(0);
    expect(polygonAreaM2([...ring].reverse())).toBeCloseTo(ccw, 3);
    expect(polygonAreaM2([...ring, ring[0]])).toBeCloseTo(ccw, 3);
    const turf = turfArea(polygon([[...ring, ring[0]].map((p) => [...p])]));
    expect(rel(ccw, turf)).toBeLessThan(0.005);
  });

  it('is 0 for fewer than three points', () => {
    expect(polygonAreaM2([])).toBe(0);
    expect(polygonAreaM2([[120, 30], [121, 30]])).toBe(0);
    expect(polygonAreaM2([[120, 30], [121, 30], [120, 30]])).toBe(0);
  });
});

describe('how a result reads', () => {
  it.each([
    [12.34, '12.3', 'm'],
    [850, '850', 'm'],
    [12_345, '12.345', 'km'],
    [250_000, '250.0', 'km'],
  ] as const)('%d m reads %s %s', (m, value, unit) => {
    expect(lengthText(m)).toEqual({ value, unit });
  });

  it.each([
    [500, '500', 'm2'],
    [25_000, '2.50', 'ha'],
    [3_200_000, '3.200', 'km2'],
  ] as const)('%d m² reads %s %s', (m2, value, unit) => {
    expect(areaText(m2)).toEqual({ value, unit });
  });
});

describe('measurements', () => {
  it('measures height as the picked point above the ellipsoid', () => {
    expect(measureValue('height', [[120.7, 30.21, 42.5]])).toBe(42.5);
  });

  it('exports kept shapes as a GeoJSON FeatureCollection with closed polygons', () => {
    const fc = measurementsGeoJson([
      { name: 'fence', mode: 'distance', points: [[120.7, 30.21, 0], [120.71, 30.21, 0]], value: 962.3456 },
      { name: 'yard', mode: 'area', points: [[120.7, 30.21, 0], [120.71, 30.21, 0], [120.71, 30.22, 0]], value: 50_000 },
      { name: 'stack', mode: 'height', points: [[120.7, 30.21, 35]], value: 35 },
    ]);
    expect(fc.type).toBe('FeatureCollection');
    const [line, poly, pt] = fc.features as { geometry: { type: string; coordinates: number[][][] | number[][] | number[] }; properties: Record<string, unknown> }[];
    expect(line.geometry.type).toBe('LineString');
    expect(line.properties).toEqual({ name: 'fence', mode: 'distance', lengthM: 962.35 });
    expect(poly.geometry.type).toBe('Polygon');
    const ring = (poly.geometry.coordinates as number[][][])[0];
    expect(ring).toHaveLength(4);
    expect(ring[0]).toEqual(ring[3]);
    expect(pt.geometry).toEqual({ type: 'Point', coordinates: [120.7, 30.21, 35] });
  });
});
