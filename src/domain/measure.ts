/**
 * Map measurement: ground distance along points, area of a polygon, and how a result
 * reads in either UI language. Pure: positions in, metres / square metres out.
 *
 * turf does the geometry on a sphere (R = 6,371,008.8 m, the mean radius), which is
 * up to 0.56 % off a WGS84 geodesic for a north–south line at the equator (0.45 % for an area there).
 * Each segment and each polygon is therefore scaled by the ellipsoid's local radius of curvature
 * at its mid latitude (Euler's formula for a segment's azimuth; √(M·N) for an area), which brings
 * both within about 0.01 % of the ellipsoidal values for anything a city operator draws.
 */
import { area as turfArea, bearing, distance, point, polygon } from '@turf/turf';

/** `[lonDeg, latDeg]`, WGS84. */
export type LonLat = readonly [lonDeg: number, latDeg: number];
export type MeasureMode = 'distance' | 'area' | 'height';

/** WGS84 semi-major axis (m) and first eccentricity squared. */
const WGS84_A_M = 6_378_137;
const WGS84_E2 = 0.006_694_379_990_14;
/** The radius turf 7 uses for both (@turf/helpers earthRadius, the mean Earth radius). */
const TURF_DISTANCE_R_M = 6_371_008.8;
const TURF_AREA_R_M = 6_371_008.8;

const rad = (deg: number) => (deg * Math.PI) / 180;

/** Meridional (M) and prime-vertical (N) radii of curvature of WGS84 at a latitude, metres. */
export function curvatureRadiiM(latDeg: number): { meridionalM: number; primeVerticalM: number } {
  const s = Math.sin(rad(latDeg));
  const w = 1 - WGS84_E2 * s * s;
  return { meridionalM: (WGS84_A_M * (1 - WGS84_E2)) / (w * Math.sqrt(w)), primeVerticalM: WGS84_A_M / Math.sqrt(w) };
}

/** Geodesic length of one segment, metres: turf's great-circle distance scaled to the ellipsoid's curvature along it. */
export function segmentLengthM(a: LonLat, b: LonLat): number {
  if (a[0] === b[0] && a[1] === b[1]) return 0;
  const sphereM = distance(point([...a]), point([...b]), { units: 'meters' });
  const { meridionalM: m, primeVerticalM: n } = curvatureRadiiM((a[1] + b[1]) / 2);
  const az = rad(bearing(point([...a]), point([...b])));
  // Euler: radius of curvature of the normal section in azimuth α.
  const rAlpha = (m * n) / (n * Math.cos(az) ** 2 + m * Math.sin(az) ** 2);
  return (sphereM * rAlpha) / TURF_DISTANCE_R_M;
}

/** Ground length along the points in order, metres (0 for fewer than two points). */
export function pathLengthM(points: readonly LonLat[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += segmentLengthM(points[i - 1], points[i]);
  return total;
}

/** The ring closed (first point repeated at the end) with any repeat already there removed. */
function closedRing(points: readonly LonLat[]): [number, number][] {
  const ring = points.map((p) => [p[0], p[1]] as [number, number]);
  if (ring.length === 0) return ring;
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (ring.length > 1 && first[0] === last[0] && first[1] === last[1]) ring.pop();
  ring.push([first[0], first[1]]);
  return ring;
}

/**
 * Area of the polygon the points outline, m², whichever way they wind and whether or not the
 * last point repeats the first; 0 for fewer than three distinct points.
 */
export function polygonAreaM2(points: readonly LonLat[]): number {
  const ring = closedRing(points);
  if (ring.length < 4) return 0;
  const sphereM2 = turfArea(polygon([ring]));
  let latSum = 0;
  for (let i = 0; i < ring.length - 1; i++) latSum += ring[i][1];
  const { meridionalM: m, primeVerticalM: n } = curvatureRadiiM(latSum / (ring.length - 1));
  // Gaussian curvature 1 / (M·N) at the polygon's mean latitude against turf's sphere.
  return (sphereM2 * m * n) / (TURF_AREA_R_M * TURF_AREA_R_M);
}

/** A measured quantity as a number and a unit key, so the UI translates the unit. */
export interface MeasureText {
  value: string;
  /** `m`, `km`, `m2`, `ha`, `km2`. */
  unit: 'm' | 'km' | 'm2' | 'ha' | 'km2';
}

const fixed = (v: number, digits: number) => v.toFixed(digits);

/** Under 1 km in metres (1 decimal under 100 m), else kilometres with 2–3 significant decimals. */
export function lengthText(m: number): MeasureText {
  if (m < 1000) return { value: fixed(m, m < 100 ? 1 : 0), unit: 'm' };
  return { value: fixed(m / 1000, m < 100_000 ? 3 : 1), unit: 'km' };
}

/** Under 1 ha in m², under 1 km² in hectares (公顷, 10,000 m²), else km². */
export function areaText(m2: number): MeasureText {
  if (m2 < 10_000) return { value: fixed(m2, 0), unit: 'm2' };
  if (m2 < 1_000_000) return { value: fixed(m2 / 10_000, 2), unit: 'ha' };
  return { value: fixed(m2 / 1_000_000, 3), unit: 'km2' };
}

/** Height text: always metres, one decimal. */
export function heightText(m: number): MeasureText {
  return { value: fixed(m, 1), unit: 'm' };
}

/** A measurement as drawn: its mode, its points (`[lon, lat, heightM]`) and its result. */
export interface Measurement {
  mode: MeasureMode;
  points: [number, number, number][];
  /** Metres (distance, height) or square metres (area). */
  value: number;
}

/** The value of a measurement of `mode` over `points`. Height: the last point's height above the ellipsoid. */
export function measureValue(mode: MeasureMode, points: readonly (readonly [number, number, number?])[]): number {
  const ll = points.map((p) => [p[0], p[1]] as const);
  if (mode === 'distance') return pathLengthM(ll);
  if (mode === 'area') return polygonAreaM2(ll);
  const last = points[points.length - 1];
  return last ? (last[2] ?? 0) : 0;
}

/** Kept shapes as a GeoJSON FeatureCollection (RFC 7946: lon, lat; heights kept as a third coordinate). */
export function measurementsGeoJson(kept: readonly (Measurement & { name: string })[]): {
  type: 'FeatureCollection';
  features: object[];
} {
  const features = kept.map((k) => {
    const coords = k.points.map((p) => [p[0], p[1], p[2]]);
    const geometry =
      k.mode === 'area'
        ? { type: 'Polygon', coordinates: [closedRing(k.points.map((p) => [p[0], p[1]] as const)).map((c, i) => [...c, coords[i % coords.length]?.[2] ?? 0])] }
        : k.mode === 'distance'
          ? { type: 'LineString', coordinates: coords }
          : { type: 'Point', coordinates: coords[coords.length - 1] ?? [] };
    const key = k.mode === 'area' ? 'areaM2' : k.mode === 'distance' ? 'lengthM' : 'heightM';
    return { type: 'Feature', geometry, properties: { name: k.name, mode: k.mode, [key]: Math.round(k.value * 100) / 100 } };
  });
  return { type: 'FeatureCollection', features };
}
