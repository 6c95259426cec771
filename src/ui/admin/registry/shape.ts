/**
 * The forms' shapes: a list of `[lonDeg, latDeg]` points typed or clicked, turned into the GeoJSON
 * geometry a site is stored with (and back), and read from / written to text, one point a line.
 */
import type { Geometry } from '../../../contracts';
import type { DrawMode } from '../../../scene/cesium';

export type Pt = [lonDeg: number, latDeg: number];

/** The geometry of `points` drawn in `mode`; null when there are too few points for it. */
export function geometryOf(mode: DrawMode, points: readonly Pt[]): Geometry | null {
  if (mode === 'point') return points.length >= 1 ? { type: 'Point', coordinates: [points[0][0], points[0][1]] } : null;
  if (mode === 'polyline') return points.length >= 2 ? { type: 'LineString', coordinates: points.map((p) => [p[0], p[1]]) } : null;
  if (points.length < 3) return null;
  const ring = points.map((p): Pt => [p[0], p[1]]);
  const [a, z] = [ring[0], ring[ring.length - 1]];
  if (a[0] !== z[0] || a[1] !== z[1]) ring.push([a[0], a[1]]);
  return { type: 'Polygon', coordinates: [ring] };
}

/** A geometry's points as the forms edit them (a polygon's outer ring without its closing point). */
export function pointsOf(g: Geometry | null | undefined): Pt[] {
  if (!g) return [];
  switch (g.type) {
    case 'Point':
      return [[g.coordinates[0], g.coordinates[1]]];
    case 'LineString':
      return g.coordinates.map((p) => [p[0], p[1]]);
    case 'Polygon':
    case 'MultiPolygon': {
      const ring = g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0]?.[0];
      const pts = (ring ?? []).map((p): Pt => [p[0], p[1]]);
      const [a, z] = [pts[0], pts[pts.length - 1]];
      return pts.length > 1 && a[0] === z[0] && a[1] === z[1] ? pts.slice(0, -1) : pts;
    }
  }
}

/** How a geometry's type is drawn. */
export function modeOfGeometry(g: Geometry | null | undefined): DrawMode | null {
  if (!g) return null;
  return g.type === 'Point' ? 'point' : g.type === 'LineString' ? 'polyline' : 'polygon';
}

/** Points from text, one `lon, lat` (or `lon lat`) a line; null when a line is not two numbers in range. */
export function parsePoints(text: string): Pt[] | null {
  const out: Pt[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const parts = line.trim().split(/[\s,;]+/);
    if (parts.length !== 2) return null;
    const [lon, lat] = parts.map(Number);
    if (!validLonLat(lon, lat)) return null;
    out.push([lon, lat]);
  }
  return out;
}

export function validLonLat(lon: number, lat: number): boolean {
  return Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90;
}

/** Points as text, 6 decimals (≈ 0.1 m). */
export function pointsText(points: readonly Pt[]): string {
  return points.map((p) => `${p[0].toFixed(6)}, ${p[1].toFixed(6)}`).join('\n');
}

export function samePoints(a: readonly Pt[] | null, b: readonly Pt[]): boolean {
  return !!a && a.length === b.length && a.every((p, i) => Math.abs(p[0] - b[i][0]) < 1e-9 && Math.abs(p[1] - b[i][1]) < 1e-9);
}
