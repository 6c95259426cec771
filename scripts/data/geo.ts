/**
 * Plane geometry for laying out demo data in metres around a point. The demo areas are a few
 * kilometres wide, so a local equirectangular projection (error < 0.1 % over 10 km) is plenty;
 * lengths of long roads use the haversine formula instead.
 */

/** [lonDeg, latDeg]. */
export type LonLat = [number, number];
/** Local plane coordinates in metres: [eastM, northM]. */
export type XY = [number, number];

/** Metres per degree of latitude (mean; WGS84 varies by < 0.6 %). */
export const M_PER_DEG_LAT = 111_320;
const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Metres per degree of longitude at a latitude. */
export const mPerDegLon = (latDeg: number): number => M_PER_DEG_LAT * Math.cos(latDeg * RAD);

/** The point `eastM` east and `northM` north of `origin`. */
export function offset(origin: LonLat, eastM: number, northM: number): LonLat {
  return [origin[0] + eastM / mPerDegLon(origin[1]), origin[1] + northM / M_PER_DEG_LAT];
}

/** `p` in metres east and north of `origin`. */
export function toXY(origin: LonLat, p: readonly number[]): XY {
  return [(p[0] - origin[0]) * mPerDegLon(origin[1]), (p[1] - origin[1]) * M_PER_DEG_LAT];
}

/** Great-circle distance in metres. */
export function distanceM(a: readonly number[], b: readonly number[]): number {
  const dLat = (b[1] - a[1]) * RAD;
  const dLon = (b[0] - a[0]) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(h));
}

export function lineLengthM(line: readonly LonLat[]): number {
  let m = 0;
  for (let i = 1; i < line.length; i++) m += distanceM(line[i - 1], line[i]);
  return m;
}

export const lerp = (a: LonLat, b: LonLat, t: number): LonLat => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];

/** Compass bearing from a to b, degrees clockwise from north in [0, 360). */
export function bearingDeg(a: LonLat, b: LonLat): number {
  const [x, y] = toXY(a, b);
  const d = Math.atan2(x, y) / RAD;
  return d < 0 ? d + 360 : d;
}

/** The point at `fraction` (0…1) of a polyline's length, with the bearing of the leg it is on. */
export function along(line: readonly LonLat[], fraction: number): { at: LonLat; bearingDeg: number } {
  const target = lineLengthM(line) * Math.min(1, Math.max(0, fraction));
  let walked = 0;
  for (let i = 1; i < line.length; i++) {
    const leg = distanceM(line[i - 1], line[i]);
    if (walked + leg >= target || i === line.length - 1) {
      const t = leg > 0 ? Math.min(1, (target - walked) / leg) : 0;
      return { at: lerp(line[i - 1], line[i], t), bearingDeg: bearingDeg(line[i - 1], line[i]) };
    }
    walked += leg;
  }
  return { at: line[0], bearingDeg: 0 };
}

/**
 * A closed rectangle ring of `widthM` (east–west before rotation) by `depthM`, centred on
 * `centre`, turned `angleDeg` counter-clockwise; counter-clockwise winding (GeoJSON RFC 7946).
 */
export function rectRing(centre: LonLat, widthM: number, depthM: number, angleDeg = 0): LonLat[] {
  const c = Math.cos(angleDeg * RAD);
  const s = Math.sin(angleDeg * RAD);
  const corners: XY[] = [
    [-widthM / 2, -depthM / 2],
    [widthM / 2, -depthM / 2],
    [widthM / 2, depthM / 2],
    [-widthM / 2, depthM / 2],
  ];
  const ring = corners.map(([x, y]) => offset(centre, x * c - y * s, x * s + y * c));
  return [...ring, ring[0]];
}

/** A closed ring through the given points, each `[eastM, northM]` from `origin`. */
export function ringXY(origin: LonLat, pts: readonly XY[]): LonLat[] {
  const ring = pts.map(([x, y]) => offset(origin, x, y));
  return [...ring, ring[0]];
}

/** Distance in metres from `p` to segment a–b, all in local plane metres. */
export function pointSegmentDistM(p: XY, a: XY, b: XY): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2)) : 0;
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

/** Whether `p` is inside a ring (even–odd rule; works in degrees or metres alike). */
export function pointInRing(p: readonly number[], ring: readonly (readonly number[])[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Where segments a1–a2 and b1–b2 cross, or null (degrees treated as a plane: fine at city scale). */
export function crossing(a1: LonLat, a2: LonLat, b1: LonLat, b2: LonLat): LonLat | null {
  const d = (a2[0] - a1[0]) * (b2[1] - b1[1]) - (a2[1] - a1[1]) * (b2[0] - b1[0]);
  if (d === 0) return null;
  const t = ((b1[0] - a1[0]) * (b2[1] - b1[1]) - (b1[1] - a1[1]) * (b2[0] - b1[0])) / d;
  const u = ((b1[0] - a1[0]) * (a2[1] - a1[1]) - (b1[1] - a1[1]) * (a2[0] - a1[0])) / d;
  return t >= 0 && t <= 1 && u >= 0 && u <= 1 ? lerp(a1, a2, t) : null;
}

/** The first crossing of two polylines, or null. */
export function polylineCrossing(a: readonly LonLat[], b: readonly LonLat[]): LonLat | null {
  for (let i = 1; i < a.length; i++) {
    for (let j = 1; j < b.length; j++) {
      const x = crossing(a[i - 1], a[i], b[j - 1], b[j]);
      if (x) return x;
    }
  }
  return null;
}
