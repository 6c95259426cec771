/**
 * The leak danger zone's geometry, and the v1 model that sized it. The v1.1 length comes from a
 * Gaussian plume to the substance's endpoint (plumeZone.ts); the keyhole drawing is shared.
 *
 * v1 model (a keyhole, as in the ERG "initial isolation + protective action" picture):
 *  - an isolation circle of radius Ri = max(minIsolationM, isolationFraction · L) around the source;
 *  - a downwind sector with its apex at the source, pointing to windFrom + 180°, of length
 *      L = baseLengthM · r^ratioExponent · (u / refWindMs)^windExponent   (capped at maxLengthM)
 *    where r = measured concentration / exposure limit (≥ 1) and u the wind speed in m/s. The
 *    exponent 0.6 comes from ground-level centreline concentration falling roughly as x^-1.7 in a
 *    neutral Pasquill–Gifford plume (so the distance to the limit grows as r^(1/1.7)); the wind
 *    term says a stronger wind carries the cloud further in the first minutes of a response;
 *  - a half-angle α = min(90°, minHalfAngleDeg + halfAngleSpread / u): light winds meander, so the
 *    sector is wide at 1 m/s (60°) and narrows towards 20° in a strong wind;
 *  - calm (u < 0.5 m/s) or unknown wind: no direction to trust, so a circle of the length a 1 m/s
 *    plume would have (gas pools and spreads all round).
 *
 * Limits: this is NOT a dispersion model. It ignores the release rate and duration, atmospheric
 * stability, terrain and buildings, gas density (chlorine slumps, ammonia rises), and treats the
 * measuring station as the source. It answers "who should we warn first", not "what is the
 * concentration there": real response uses ALOHA or a Gaussian plume / dense-gas model fed with the
 * source term, and the ERG 2020 tables for initial protective distances.
 */
import { booleanIntersects, booleanPointInPolygon, destination, point } from '@turf/turf';
import type { Geometry } from '../contracts';

/** A GeoJSON Polygon in WGS84 lon/lat degrees, counter-clockwise exterior ring (RFC 7946). */
export type ZonePolygon = Extract<Geometry, { type: 'Polygon' }>;

export interface PlumeInput {
  sourceLonDeg: number;
  sourceLatDeg: number;
  /** Meteorological direction the wind blows FROM, degrees clockwise from north; null = unknown. */
  windFromDeg: number | null;
  /** null = unknown (treated as calm). */
  windSpeedMs: number | null;
  /** Measured concentration / exposure limit (level 1 = 1, level 2 = 2); below 1 counts as 1. */
  concentrationRatio: number;
}

export interface PlumeParams {
  /** Sector length at r = 1 and u = refWindMs, m. @default 500 (ERG 2020 protects 0.3 km downwind of a small chlorine spill by day; with margin) */
  baseLengthM: number;
  /** @default 0.6 */
  ratioExponent: number;
  /** @default 3 (the park's typical wind) */
  refWindMs: number;
  /** @default 0.5 */
  windExponent: number;
  /** Cap, m: a footprint drawn from one station means nothing further out. @default 5000 */
  maxLengthM: number;
  /** @default 20 */
  minHalfAngleDeg: number;
  /** Degrees · m/s added to the half-angle: α = min + spread / u. @default 40 */
  halfAngleSpread: number;
  /** Below this the wind counts as calm. @default 0.5 */
  calmWindMs: number;
  /** @default 0.1 */
  isolationFraction: number;
  /** @default 50 (about ERG 2020's 60 m initial isolation for a small chlorine spill) */
  minIsolationM: number;
}

export const PLUME_DEFAULTS: PlumeParams = {
  baseLengthM: 500,
  ratioExponent: 0.6,
  refWindMs: 3,
  windExponent: 0.5,
  maxLengthM: 5000,
  minHalfAngleDeg: 20,
  halfAngleSpread: 40,
  calmWindMs: 0.5,
  isolationFraction: 0.1,
  minIsolationM: 50,
};

/** The numbers behind a zone: what the polygon is drawn from, and what the API reports. */
export interface ZoneShape {
  /** Sector length (or circle radius when calm), m. */
  lengthM: number;
  /** Half-angle of the sector; 180 when calm. */
  halfAngleDeg: number;
  isolationM: number;
  calm: boolean;
  /** Bearing the sector points to (windFrom + 180), null when calm. */
  towardDeg: number | null;
}

/**
 * v1: the shape of the zone for an input, without geometry. The service still draws zones with it.
 * @deprecated light wind gives the shortest zone; use plumeZone (plumeZone.ts)
 */
export function zoneShape(input: PlumeInput, params: Partial<PlumeParams> = {}): ZoneShape {
  const p = { ...PLUME_DEFAULTS, ...params };
  const r = Math.max(1, Number.isFinite(input.concentrationRatio) ? input.concentrationRatio : 1);
  const u = input.windSpeedMs;
  const calm = u === null || !Number.isFinite(u) || u < p.calmWindMs || input.windFromDeg === null || !Number.isFinite(input.windFromDeg);
  const length = (speedMs: number) =>
    Math.min(p.maxLengthM, p.baseLengthM * r ** p.ratioExponent * (speedMs / p.refWindMs) ** p.windExponent);
  if (calm) {
    const lengthM = length(1);
    return { lengthM, halfAngleDeg: 180, isolationM: Math.max(p.minIsolationM, p.isolationFraction * lengthM), calm: true, towardDeg: null };
  }
  const lengthM = length(u);
  return {
    lengthM,
    halfAngleDeg: Math.min(90, p.minHalfAngleDeg + p.halfAngleSpread / u),
    isolationM: Math.max(p.minIsolationM, p.isolationFraction * lengthM),
    calm: false,
    towardDeg: (((input.windFromDeg as number) + 180) % 360 + 360) % 360,
  };
}

/** Degrees between arc vertices: at 1 km a 5° step is ~90 m of chord, well under the zone's accuracy. */
const ARC_STEP_DEG = 5;
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The keyhole polygon of a shape around a source: geodesic destinations (turf, great circle on the mean sphere). */
export function drawZone(sourceLonDeg: number, sourceLatDeg: number, shape: ZoneShape): ZonePolygon {
  const src = point([sourceLonDeg, sourceLatDeg]);
  const at = (distanceM: number, bearingDeg: number): [number, number] => {
    const c = destination(src, distanceM / 1000, bearingDeg, { units: 'kilometers' }).geometry.coordinates;
    return [round6(c[0]), round6(c[1])];
  };
  // Bearings increase clockwise (compass); the ring is built clockwise and reversed at the end.
  const ring: [number, number][] = [];
  const arc = (radiusM: number, fromDeg: number, toDeg: number) => {
    const n = Math.max(2, Math.ceil((toDeg - fromDeg) / ARC_STEP_DEG));
    for (let i = 0; i <= n; i++) ring.push(at(radiusM, fromDeg + ((toDeg - fromDeg) * i) / n));
  };
  const radius = Math.max(shape.lengthM, shape.isolationM, 1);
  if (shape.calm || shape.towardDeg === null) {
    arc(radius, 0, 360 - 360 / 72);
  } else {
    const a = shape.halfAngleDeg;
    const t = shape.towardDeg;
    arc(radius, t - a, t + a); // the far arc, downwind
    arc(shape.isolationM, t + a, t + 360 - a); // round the back of the source
  }
  ring.push(ring[0]);
  ring.reverse();
  return { type: 'Polygon', coordinates: [ring] };
}

/**
 * v1: the danger zone polygon for a source, wind and concentration (the keyhole model above).
 * @deprecated light wind gives the shortest zone; use plumeZone (plumeZone.ts)
 */
export function dangerZone(input: PlumeInput, params: Partial<PlumeParams> = {}): ZonePolygon {
  return drawZone(input.sourceLonDeg, input.sourceLatDeg, zoneShape(input, params));
}

/** Anything with a GeoJSON geometry (registry sites). */
export interface PlacedSite {
  id: string;
  geometry: Geometry;
}

/** Ids of the sites whose geometry touches the zone (a parcel partly inside counts: warn all of it). */
export function sitesInZone(zone: ZonePolygon, sites: readonly PlacedSite[]): string[] {
  const out: string[] = [];
  for (const s of sites) {
    const g = s.geometry;
    const inside = g.type === 'Point' ? booleanPointInPolygon(g.coordinates.slice(0, 2), zone) : booleanIntersects(zone, g);
    if (inside) out.push(s.id);
  }
  return out;
}

/** Ids of the points (trucks, people) inside the zone. */
export function pointsInZone(zone: ZonePolygon, points: readonly { id: string; lonDeg: number; latDeg: number }[]): string[] {
  return points.filter((p) => booleanPointInPolygon([p.lonDeg, p.latDeg], zone)).map((p) => p.id);
}
