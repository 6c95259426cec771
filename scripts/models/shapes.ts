/**
 * Solids for the plant models, built in a local east–north–up frame in metres (z up) and turned
 * into glTF's Y-up frame at the end: x east, y up, z south (−north), as three.js and web-ifc use.
 * Each helper returns a non-indexed BufferGeometry with positions and normals only (no textures).
 */
import { BufferGeometry, ExtrudeGeometry, Matrix4, Path, Shape } from 'three';
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js';

/** A rectangle's centre, its two side lengths and the direction of its first side, in local metres. */
export interface Footprint {
  cx: number;
  cy: number;
  /** Length of the first side (along `angleRad`). */
  widthM: number;
  /** Length of the second side. */
  depthM: number;
  /** Direction of the first side, counter-clockwise from east. */
  angleRad: number;
}

/** The footprint of a closed 4-corner ring given in local metres (as rectRing of gen-data makes). */
export function footprintOf(ring: readonly (readonly [number, number])[]): Footprint {
  const [a, b, c] = ring;
  const corners = ring.slice(0, 4);
  return {
    cx: corners.reduce((s, p) => s + p[0], 0) / corners.length,
    cy: corners.reduce((s, p) => s + p[1], 0) / corners.length,
    widthM: Math.hypot(b[0] - a[0], b[1] - a[1]),
    depthM: Math.hypot(c[0] - b[0], c[1] - b[1]),
    angleRad: Math.atan2(b[1] - a[1], b[0] - a[0]),
  };
}

const rect = (path: Path, w: number, d: number): void => {
  path.moveTo(-w / 2, -d / 2);
  path.lineTo(w / 2, -d / 2);
  path.lineTo(w / 2, d / 2);
  path.lineTo(-w / 2, d / 2);
  path.closePath();
};

/** A plan shape extruded from z0 up to z1 (local frame, centred on the origin). */
function extrude(shape: Shape, z0: number, z1: number, curveSegments = 12): BufferGeometry {
  const g = new ExtrudeGeometry(shape, { depth: z1 - z0, bevelEnabled: false, curveSegments });
  g.translate(0, 0, z0);
  return clean(g);
}

/** Positions and normals only, non-indexed, no groups: what mergeGeometries and the exporter like. */
function clean(g: BufferGeometry): BufferGeometry {
  const out = g.index ? g.toNonIndexed() : g;
  out.deleteAttribute('uv');
  out.clearGroups();
  return out;
}

/** A solid box `w` × `d` from z0 to z1. */
export function block(w: number, d: number, z0: number, z1: number): BufferGeometry {
  const s = new Shape();
  rect(s, w, d);
  return extrude(s, z0, z1);
}

/** Rectangular walls of thickness `t` around a `w` × `d` outline, from z0 to z1 (an open pit or a tank). */
export function rectWalls(w: number, d: number, t: number, z0: number, z1: number): BufferGeometry {
  const s = new Shape();
  rect(s, w, d);
  const hole = new Path();
  rect(hole, w - 2 * t, d - 2 * t);
  s.holes.push(hole);
  return extrude(s, z0, z1);
}

/** A slab `w` × `d` with a square opening of side `holeM` at (hx, hy), from z0 to z1 (a cover with its manhole). */
export function slabWithOpening(w: number, d: number, holeM: number, hx: number, hy: number, z0: number, z1: number): BufferGeometry {
  const s = new Shape();
  rect(s, w, d);
  const hole = new Path();
  hole.moveTo(hx - holeM / 2, hy - holeM / 2);
  hole.lineTo(hx + holeM / 2, hy - holeM / 2);
  hole.lineTo(hx + holeM / 2, hy + holeM / 2);
  hole.lineTo(hx - holeM / 2, hy + holeM / 2);
  hole.closePath();
  s.holes.push(hole);
  return extrude(s, z0, z1);
}

/** A circular wall of outer radius `r` and thickness `t`, from z0 to z1 (an open round tank). */
export function ringWall(r: number, t: number, z0: number, z1: number): BufferGeometry {
  const s = new Shape();
  s.absarc(0, 0, r, 0, Math.PI * 2, false);
  const hole = new Path();
  hole.absarc(0, 0, r - t, 0, Math.PI * 2, true);
  s.holes.push(hole);
  return extrude(s, z0, z1, 24);
}

/** A disc of radius `r` from z0 to z1 (a round tank's floor). */
export function disc(r: number, z0: number, z1: number): BufferGeometry {
  const s = new Shape();
  s.absarc(0, 0, r, 0, Math.PI * 2, false);
  return extrude(s, z0, z1, 24);
}

/**
 * A gable roof over a `w` × `d` building from its eaves at `eaveZ`: ridge along the longer side,
 * rising `pitch` × half the span, eaves overhanging by `overhangM`. Portal-frame workshops are
 * roofed at about 1:10.
 */
export function gableRoof(w: number, d: number, eaveZ: number, pitch = 0.1, overhangM = 0.6): BufferGeometry {
  const alongX = w >= d;
  const span = (alongX ? d : w) + 2 * overhangM;
  const length = (alongX ? w : d) + 2 * overhangM;
  const profile = new Shape();
  profile.moveTo(-span / 2, 0);
  profile.lineTo(span / 2, 0);
  profile.lineTo(0, (span / 2) * pitch);
  profile.closePath();
  const g = new ExtrudeGeometry(profile, { depth: length, bevelEnabled: false });
  g.translate(0, 0, -length / 2);
  // Profile (X across, Y up), extruded along Z → ridge along x (or y), up along z: a cyclic permutation.
  g.applyMatrix4(alongX ? new Matrix4().set(0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, eaveZ, 0, 0, 0, 1) : new Matrix4().set(1, 0, 0, 0, 0, 0, -1, 0, 0, 1, 0, eaveZ, 0, 0, 0, 1));
  return clean(g);
}

/** Several solids as one geometry (one element, one mesh). */
export function merge(parts: BufferGeometry[]): BufferGeometry {
  const g = mergeGeometries(parts, false);
  if (!g) throw new Error('cannot merge geometries with different attributes');
  return g;
}

/**
 * Places a local solid on its footprint (turned by `angleRad`, moved to cx, cy) and converts it
 * from east–north–up to glTF Y-up: (e, n, u) → (e, u, −n).
 */
export function place(g: BufferGeometry, f: Pick<Footprint, 'cx' | 'cy' | 'angleRad'>): BufferGeometry {
  g.applyMatrix4(new Matrix4().makeRotationZ(f.angleRad));
  g.translate(f.cx, f.cy, 0);
  g.rotateX(-Math.PI / 2);
  return g;
}
