/**
 * GCJ-02 ("Mars coordinates"), the obfuscated datum Chinese web maps (Amap/Gaode, Tencent, Baidu's
 * base) show positions in: a point copied from one of them lands 300–700 m off in Shaoxing once
 * drawn on a WGS84 globe. The forward formula is the widely published reconstruction of the
 * official transform (eviltransform, github.com/googollee/eviltransform; coordtransform,
 * github.com/wandergis/coordtransform), accurate to about a metre; the inverse is found by fixed-point
 * iteration on it (eviltransform's `gcj2wgs_exact`, to 1e-7°, ~1 cm).
 */
import { booleanPointInPolygon, distance, nearestPointOnLine, point, polygonToLine } from '@turf/turf';
import type { Geometry } from '../contracts';

/** `[lonDeg, latDeg]`. */
export type LonLatDeg = [lonDeg: number, latDeg: number];

/** Krasovsky 1940, the ellipsoid the transform is defined on: semi-major axis (m), e². */
const KRASOVSKY_A_M = 6_378_245;
const KRASOVSKY_E2 = 0.006_693_421_622_965_943;

/** The transform is applied inside mainland China's rough bounding box only (the published check). */
export function outsideChina([lon, lat]: LonLatDeg): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function offsetLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function offsetLon(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** A WGS84 position as a Chinese web map would show it (GCJ-02). Outside China: unchanged. */
export function wgs84ToGcj02(p: LonLatDeg): LonLatDeg {
  if (outsideChina(p)) return [p[0], p[1]];
  const [lon, lat] = p;
  let dLat = offsetLat(lon - 105, lat - 35);
  let dLon = offsetLon(lon - 105, lat - 35);
  const radLat = (lat / 180) * Math.PI;
  const s = Math.sin(radLat);
  const magic = 1 - KRASOVSKY_E2 * s * s;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180) / (((KRASOVSKY_A_M * (1 - KRASOVSKY_E2)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180) / ((KRASOVSKY_A_M / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/** Where a GCJ-02 position (copied from a Chinese web map) really is, WGS84. Outside China: unchanged. */
export function gcj02ToWgs84(p: LonLatDeg): LonLatDeg {
  if (outsideChina(p)) return [p[0], p[1]];
  let guess: LonLatDeg = [p[0], p[1]];
  // Converges in 2–4 steps: the offset changes slowly over a few hundred metres.
  for (let i = 0; i < 30; i++) {
    const back = wgs84ToGcj02(guess);
    const dLon = p[0] - back[0];
    const dLat = p[1] - back[1];
    guess = [guess[0] + dLon, guess[1] + dLat];
    if (Math.abs(dLon) < 1e-7 && Math.abs(dLat) < 1e-7) break;
  }
  return guess;
}

/** How far apart two positions are, metres (great circle). */
export function distanceM(a: LonLatDeg, b: LonLatDeg): number {
  return distance(point(a), point(b), { units: 'meters' });
}

/** Distance from a position to a geometry, metres: 0 inside a polygon. */
export function distanceToGeometryM(p: LonLatDeg, g: Geometry): number {
  switch (g.type) {
    case 'Point':
      return distanceM(p, [g.coordinates[0], g.coordinates[1]]);
    case 'LineString':
      return nearestPointOnLine({ type: 'LineString', coordinates: g.coordinates }, p, { units: 'meters' }).properties.dist ?? Infinity;
    case 'Polygon':
    case 'MultiPolygon': {
      if (booleanPointInPolygon(p, g)) return 0;
      const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      let best = Infinity;
      for (const rings of polys) {
        const line = polygonToLine({ type: 'Polygon', coordinates: rings });
        const lines = line.type === 'FeatureCollection' ? line.features : [line];
        for (const l of lines) {
          const d = nearestPointOnLine(l as Parameters<typeof nearestPointOnLine>[0], p, { units: 'meters' }).properties.dist;
          if (typeof d === 'number') best = Math.min(best, d);
        }
      }
      return best;
    }
  }
}

/** What to tell the admin about typed coordinates measured against the site they belong to. */
export interface DatumCheck {
  /** The typed point read as GCJ-02 lands much nearer the site: it was probably copied from a Chinese web map. */
  looksGcj02: boolean;
  /** The typed point's distance from the site, and that of its GCJ-02→WGS84 conversion, metres. */
  asTypedM: number;
  ifConvertedM: number;
  /** The conversion's shift here, metres (≈ 400–600 m around Shaoxing). */
  shiftM: number;
  converted: LonLatDeg;
}

/**
 * A site's outline is the known-good reference: coordinates that miss it by a few hundred metres
 * while their GCJ-02→WGS84 conversion hits it (or lands at least half the datum shift closer) were
 * most likely taken from a Chinese web map. A point far from the site says nothing either way.
 */
export function checkDatum(p: LonLatDeg, site: Geometry | null): DatumCheck {
  const converted = gcj02ToWgs84(p);
  const shiftM = distanceM(p, converted);
  if (!site || shiftM < 1) return { looksGcj02: false, asTypedM: NaN, ifConvertedM: NaN, shiftM, converted };
  const asTypedM = distanceToGeometryM(p, site);
  const ifConvertedM = distanceToGeometryM(converted, site);
  const looksGcj02 = asTypedM > 0.25 * shiftM && asTypedM < 3 * shiftM && ifConvertedM < asTypedM - 0.5 * shiftM;
  return { looksGcj02, asTypedM, ifConvertedM, shiftM, converted };
}
