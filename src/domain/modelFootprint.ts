/**
 * A site model's footprint on the ground and how much of it lies outside the site's outline.
 * The model frame is glTF's as the app places it: +X east, +Y up, +Z south, metres from the origin;
 * the heading turns it clockwise from north, the scale multiplies it. The footprint is the model's
 * bounding box seen from above, so it is what the model could cover, never less.
 */
import { area, booleanPointInPolygon, featureCollection, intersect, multiPolygon, point, polygon } from '@turf/turf';
import type { Geometry, ModelBounds, ModelPlacement, OutlineCheck } from '../contracts';

/**
 * Where a model of a site goes first: the centre of its outline's bounding box (a Point's own
 * position), `[lonDeg, latDeg]` rounded to 1e-7° (≈ 1 cm) for stable digits.
 */
export function anchorOfGeometry(geometry: Geometry): [number, number] {
  const pts: number[][] =
    geometry.type === 'Point'
      ? [geometry.coordinates]
      : geometry.type === 'LineString'
        ? geometry.coordinates
        : geometry.type === 'Polygon'
          ? geometry.coordinates[0]
          : geometry.coordinates.flatMap((p) => p[0]);
  const lons = pts.map((p) => p[0]);
  const lats = pts.map((p) => p[1]);
  const r7 = (x: number) => Math.round(x * 1e7) / 1e7;
  return [r7((Math.min(...lons) + Math.max(...lons)) / 2), r7((Math.min(...lats) + Math.max(...lats)) / 2)];
}

/** turf's mean earth radius, m: the same sphere its areas are measured on. */
const EARTH_RADIUS_M = 6_371_008.8;
const DEG = Math.PI / 180;

/** The part of a glTF document that positions geometry (glTF 2.0 §3.5 nodes, §3.6.2 accessors). */
export interface GltfGeometryJson {
  scene?: number;
  scenes?: { nodes?: number[] }[];
  nodes?: { children?: number[]; mesh?: number; matrix?: number[]; translation?: number[]; rotation?: number[]; scale?: number[] }[];
  meshes?: { primitives: { attributes: Record<string, number> }[] }[];
  accessors?: { min?: number[]; max?: number[] }[];
}

type Mat4 = number[]; // column-major, as glTF writes it

const IDENTITY: Mat4 = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

function multiply(a: Mat4, b: Mat4): Mat4 {
  const out = new Array<number>(16);
  for (let c = 0; c < 4; c++) for (let r = 0; r < 4; r++) out[c * 4 + r] = a[r] * b[c * 4] + a[4 + r] * b[c * 4 + 1] + a[8 + r] * b[c * 4 + 2] + a[12 + r] * b[c * 4 + 3];
  return out;
}

/** A node's local matrix: `matrix`, or translation × rotation (quaternion x, y, z, w) × scale. */
function localMatrix(n: NonNullable<GltfGeometryJson['nodes']>[number]): Mat4 {
  if (n.matrix?.length === 16) return n.matrix;
  const [tx, ty, tz] = n.translation ?? [0, 0, 0];
  const [x, y, z, w] = n.rotation ?? [0, 0, 0, 1];
  const [sx, sy, sz] = n.scale ?? [1, 1, 1];
  return [
    (1 - 2 * (y * y + z * z)) * sx, 2 * (x * y + z * w) * sx, 2 * (x * z - y * w) * sx, 0,
    2 * (x * y - z * w) * sy, (1 - 2 * (x * x + z * z)) * sy, 2 * (y * z + x * w) * sy, 0,
    2 * (x * z + y * w) * sz, 2 * (y * z - x * w) * sz, (1 - 2 * (x * x + y * y)) * sz, 0,
    tx, ty, tz, 1,
  ];
}

/**
 * The box around every mesh of the default scene, in the model frame: each POSITION accessor's
 * min/max (required by glTF 2.0 §5.1.1) carried through its node's world matrix. Null when the
 * file has no geometry with bounds.
 */
export function gltfBounds(json: GltfGeometryJson): ModelBounds | null {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  const nodes = json.nodes ?? [];
  const roots = json.scenes?.[json.scene ?? 0]?.nodes ?? nodes.map((_, i) => i);
  const seen = new Set<number>();
  const visit = (i: number, parent: Mat4) => {
    const n = nodes[i];
    if (!n || seen.has(i)) return; // a node appears once in a scene (§3.5.3); a loop is a broken file
    seen.add(i);
    const world = multiply(parent, localMatrix(n));
    for (const prim of n.mesh === undefined ? [] : (json.meshes?.[n.mesh]?.primitives ?? [])) {
      const acc = json.accessors?.[prim.attributes.POSITION];
      if (acc?.min?.length !== 3 || acc.max?.length !== 3) continue;
      for (let k = 0; k < 8; k++) {
        const p = [k & 1 ? acc.max[0] : acc.min[0], k & 2 ? acc.max[1] : acc.min[1], k & 4 ? acc.max[2] : acc.min[2]];
        for (let r = 0; r < 3; r++) {
          const v = world[r] * p[0] + world[4 + r] * p[1] + world[8 + r] * p[2] + world[12 + r];
          min[r] = Math.min(min[r], v);
          max[r] = Math.max(max[r], v);
        }
      }
    }
    for (const c of n.children ?? []) visit(c, world);
  };
  for (const r of roots) visit(r, IDENTITY);
  if (!min.every(Number.isFinite) || !max.every(Number.isFinite)) return null;
  return { min: min as [number, number, number], max: max as [number, number, number] };
}

/** The footprint's corners on the ground, `[lonDeg, latDeg]`, closed (the first repeated last). */
export function footprintRing(bounds: ModelBounds, at: ModelPlacement): [number, number][] {
  const h = at.headingDeg * DEG;
  const [cos, sin] = [Math.cos(h), Math.sin(h)];
  const corners: [number, number][] = [
    [bounds.min[0], bounds.min[2]],
    [bounds.max[0], bounds.min[2]],
    [bounds.max[0], bounds.max[2]],
    [bounds.min[0], bounds.max[2]],
  ];
  const ring = corners.map(([x, z]): [number, number] => {
    const east = x * at.scale;
    const north = -z * at.scale;
    // Clockwise by the heading, seen from above.
    const e = east * cos + north * sin;
    const n = -east * sin + north * cos;
    return [at.lonDeg + e / (EARTH_RADIUS_M * Math.cos(at.latDeg * DEG)) / DEG, at.latDeg + n / EARTH_RADIUS_M / DEG];
  });
  return [...ring, ring[0]];
}

/** How much of the placed footprint lies outside the site's outline; null for a site without one (a point, a line). */
export function outlineCheck(site: Geometry, bounds: ModelBounds, at: ModelPlacement): OutlineCheck | null {
  if (site.type !== 'Polygon' && site.type !== 'MultiPolygon') return null;
  const ring = footprintRing(bounds, at);
  const outline = site.type === 'Polygon' ? multiPolygon([site.coordinates]) : multiPolygon(site.coordinates);
  const fp = polygon([ring]);
  const footprintM2 = area(fp);
  let outsideM2: number;
  let outsidePct: number;
  if (footprintM2 < 1e-6) {
    // A model with no extent across the ground (a flat facade): inside or out by its origin.
    outsideM2 = 0;
    outsidePct = booleanPointInPolygon(point([at.lonDeg, at.latDeg]), outline) ? 0 : 100;
  } else {
    const inside = intersect(featureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon>([fp, outline]));
    outsideM2 = Math.max(0, footprintM2 - (inside ? area(inside) : 0));
    outsidePct = Math.round((outsideM2 / footprintM2) * 1000) / 10;
  }
  return { footprintM2: Math.round(footprintM2 * 10) / 10, outsideM2: Math.round(outsideM2 * 10) / 10, outsidePct, footprint: ring };
}
