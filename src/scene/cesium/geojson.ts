/** Small GeoJSON → Cesium geometry helpers (WGS84 lon/lat degrees in, Cartesian3 out). */
import { Cartesian3, PolygonHierarchy } from 'cesium';

export type Position = number[];

export interface Feature {
  type: 'Feature';
  id?: string | number;
  properties: Record<string, unknown> | null;
  geometry: { type: string; coordinates: unknown } | null;
}

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
}

/** Fetches a FeatureCollection; resolves to an empty one (and warns) when the layer is missing. */
export async function fetchLayer(url: string, signal: AbortSignal): Promise<FeatureCollection> {
  try {
    const res = await fetch(url, { signal });
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
    const json = (await res.json()) as FeatureCollection;
    return Array.isArray(json?.features) ? json : { type: 'FeatureCollection', features: [] };
  } catch (err) {
    if (!signal.aborted) console.warn(`[globe] layer ${url} not loaded:`, err);
    return { type: 'FeatureCollection', features: [] };
  }
}

/** Positions of a lon/lat ring or line at `heightM` above the ellipsoid. */
export function toCartesians(coords: Position[], heightM = 0): Cartesian3[] {
  const flat: number[] = [];
  for (const c of coords) flat.push(c[0], c[1], heightM);
  return Cartesian3.fromDegreesArrayHeights(flat);
}

/** Polygon rings (outer first, then holes) as a PolygonHierarchy. */
export function toHierarchy(rings: Position[][]): PolygonHierarchy {
  const [outer, ...holes] = rings;
  return new PolygonHierarchy(
    toCartesians(outer),
    holes.map((h) => new PolygonHierarchy(toCartesians(h))),
  );
}

/** Every polygon (as rings) of a Polygon or MultiPolygon geometry. */
export function polygonsOf(geometry: Feature['geometry']): Position[][][] {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return [geometry.coordinates as Position[][]];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates as Position[][][];
  return [];
}

/** Every line of a LineString or MultiLineString geometry (and the rings of polygons as lines). */
export function linesOf(geometry: Feature['geometry']): Position[][] {
  if (!geometry) return [];
  if (geometry.type === 'LineString') return [geometry.coordinates as Position[]];
  if (geometry.type === 'MultiLineString') return geometry.coordinates as Position[][];
  return polygonsOf(geometry).flat();
}

/** Mean of a polygon's outer ring (good enough to place a label on a convex-ish shape). */
export function ringCentre(ring: Position[]): [number, number] {
  const n = ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1]
    ? ring.length - 1
    : ring.length;
  let lon = 0;
  let lat = 0;
  for (let i = 0; i < n; i++) {
    lon += ring[i][0];
    lat += ring[i][1];
  }
  return [lon / Math.max(n, 1), lat / Math.max(n, 1)];
}

/** A line with consecutive duplicate points removed; null when fewer than two points remain. */
export function cleanLine(line: Position[]): Position[] | null {
  const out: Position[] = [];
  for (const p of line) {
    const q = out[out.length - 1];
    if (!q || q[0] !== p[0] || q[1] !== p[1]) out.push(p);
  }
  return out.length >= 2 ? out : null;
}

const M_PER_DEG_LAT = 111_320;

/**
 * The line moved `offsetM` to the right of its direction of travel (negative: left), in a local
 * equirectangular plane (fine for lines a few tens of kilometres long). Interior vertices move
 * along the mean of their two segments' normals.
 */
export function offsetLine(line: Position[], offsetM: number): Position[] {
  if (line.length < 2 || offsetM === 0) return line;
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((line[0][1] * Math.PI) / 180);
  const normals = line.slice(1).map((b, i) => {
    const a = line[i];
    const dx = (b[0] - a[0]) * mPerDegLon;
    const dy = (b[1] - a[1]) * M_PER_DEG_LAT;
    const len = Math.hypot(dx, dy) || 1;
    return [dy / len, -dx / len]; // right-hand normal
  });
  return line.map((p, i) => {
    const n0 = normals[Math.max(0, i - 1)];
    const n1 = normals[Math.min(normals.length - 1, i)];
    let nx = (n0[0] + n1[0]) / 2;
    let ny = (n0[1] + n1[1]) / 2;
    const len = Math.hypot(nx, ny) || 1;
    nx /= len;
    ny /= len;
    return [p[0] + (nx * offsetM) / mPerDegLon, p[1] + (ny * offsetM) / M_PER_DEG_LAT];
  });
}

/** A line's key, the same for the line and its reverse (to find the two directions of a road). */
export function undirectedKey(line: Position[]): string {
  const f = line.map((p) => `${p[0]},${p[1]}`);
  const r = [...f].reverse();
  return f.join(';') < r.join(';') ? f.join(';') : r.join(';');
}
