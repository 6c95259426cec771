/**
 * Camera presets of the views and fly-to helpers. A scene's view frames the bounding box of that
 * scene's sites in the registry (so a deployment's own data is framed too); the overview frames all
 * of them; each view's fixed box at its demo place is the fallback. Everything is framed into the
 * part of the canvas the app's panels leave uncovered (insets.ts).
 */
import { BoundingSphere, Cartesian3, HeadingPitchRange, Math as CesiumMath, Matrix4, PerspectiveFrustum, Transforms, type Camera } from 'cesium';
import type { Site } from '../../contracts';
import type { View } from '../../state/store';
import { linesOf } from './geojson';
import type { Insets } from './insets';
import type { SceneCamera } from './sceneLayer';

/** Lon/lat bounds, degrees. */
export type Bounds = SceneCamera['fallback'];

/**
 * The uncovered part of the canvas as tangents of angles from the view axis: x to the right,
 * y downwards (l < r, t < b), shrunk by a margin around its middle.
 */
export interface ScreenWindow {
  l: number;
  r: number;
  t: number;
  b: number;
}

/** The city overview: all three demo places (the scenes bring their own presets). */
export const OVERVIEW_CAMERA: SceneCamera = { fallback: { west: 120.08, south: 29.42, east: 120.93, north: 30.27 }, pitchDeg: -72 };
const DEFAULT_DURATION_S = 1.5;
const M_PER_DEG_LAT = 111_320;
/** Room left around a framed box, as a share of the window. */
const MARGIN = 1.12;

/** The window of the canvas not covered by `insets`, in view tangents. */
export function screenWindow(camera: Camera, canvas: HTMLCanvasElement, insets: Insets): ScreenWindow {
  const w = canvas.clientWidth || 1;
  const h = canvas.clientHeight || 1;
  const f = camera.frustum;
  const fov = f instanceof PerspectiveFrustum && f.fov ? f.fov : CesiumMath.PI_OVER_THREE;
  // Cesium's fov is horizontal when the canvas is wider than tall, else vertical.
  const tanX = w >= h ? Math.tan(fov / 2) : (Math.tan(fov / 2) * w) / h;
  const tanY = w >= h ? (Math.tan(fov / 2) * h) / w : Math.tan(fov / 2);
  const tx = (px: number) => ((px - w / 2) / (w / 2)) * tanX;
  const ty = (px: number) => ((px - h / 2) / (h / 2)) * tanY;
  const [l, r, t, b] = [tx(insets.left), tx(w - insets.right), ty(insets.top), ty(h - insets.bottom)];
  const [cx, cy, hw, hh] = [(l + r) / 2, (t + b) / 2, (r - l) / 2 / MARGIN, (b - t) / 2 / MARGIN];
  return { l: cx - hw, r: cx + hw, t: cy - hh, b: cy + hh };
}

/**
 * Bounding box of the sites of one scene (overview: of all sites), or null when there are none.
 * A scene's own 'area' outline is left out when it has other sites: the plants, enterprises or
 * segments are what the operator wants to fill the screen.
 */
export function viewBounds(sites: ReadonlyMap<string, Site>, view: View): Bounds | null {
  const inView = [...sites.values()].filter((s) => view === 'overview' || s.scene === view);
  const chosen = view === 'overview' || inView.every((s) => s.kind === 'area') ? inView : inView.filter((s) => s.kind !== 'area');
  let b: Bounds | null = null;
  for (const s of chosen) {
    const g = s.geometry;
    const pts = g.type === 'Point' ? [g.coordinates as number[]] : linesOf(g).flat();
    for (const [lon, lat] of pts) {
      if (!b) b = { west: lon, south: lat, east: lon, north: lat };
      else b = { west: Math.min(b.west, lon), east: Math.max(b.east, lon), south: Math.min(b.south, lat), north: Math.max(b.north, lat) };
    }
  }
  return b;
}

/** `p` moved `rightM` to the camera's right and `forwardM` ahead (on the ground, for a heading). */
function moved(p: Cartesian3, rightM: number, forwardM: number, headingRad: number): Cartesian3 {
  const [s, c] = [Math.sin(headingRad), Math.cos(headingRad)];
  const east = rightM * c + forwardM * s;
  const north = -rightM * s + forwardM * c;
  return Matrix4.multiplyByPoint(Transforms.eastNorthUpToFixedFrame(p), new Cartesian3(east, north, 0), new Cartesian3());
}

function fly(camera: Camera, target: Cartesian3, headingRad: number, pitchDeg: number, rangeM: number, durationS: number): void {
  camera.cancelFlight();
  const offset = new HeadingPitchRange(headingRad, CesiumMath.toRadians(pitchDeg), rangeM);
  if (durationS <= 0) {
    camera.lookAt(target, offset);
    camera.lookAtTransform(Matrix4.IDENTITY); // release the lookAt lock, keep the view
  } else {
    camera.flyToBoundingSphere(new BoundingSphere(target, 0), { offset, duration: durationS });
  }
}

/**
 * Flies to frame `b`, north up, at `pitchDeg`, inside `win`. Looking at a ground point at range R
 * and pitch p, a ground point y metres north of it appears at tan = −y·sin p / (R + y·cos p) below
 * the axis, and x metres to the right at tan = x / (R + y·cos p); the target slides north–south
 * for the least range that fits, then east–west to centre the box's near edge in the window.
 */
export function flyToBounds(camera: Camera, b: Bounds, pitchDeg: number, win: ScreenWindow, durationS = DEFAULT_DURATION_S): void {
  const latMid = (b.south + b.north) / 2;
  const mPerDegLon = M_PER_DEG_LAT * Math.cos(CesiumMath.toRadians(latMid));
  const widthM = (b.east - b.west) * mPerDegLon;
  const depthM = (b.north - b.south) * M_PER_DEG_LAT;
  const p = CesiumMath.toRadians(-pitchDeg);
  const [sinP, cosP] = [Math.sin(p), Math.cos(p)];
  const aT = Math.max(-win.t, 0.02);
  const aB = Math.max(win.b, 0.02);
  /** Least range with the target `c` m south of the box's middle, and the near edge's depth. */
  const fit = (c: number) => {
    const yN = depthM / 2 + c;
    const yS = -(depthM / 2 - c);
    const r = Math.max(
      yN > 0 ? (yN * sinP) / aT - yN * cosP : 0,
      yS < 0 ? (-yS * sinP) / aB - yS * cosP : 0,
      widthM / (win.r - win.l) - yS * cosP,
      800,
    );
    return { c, r, zNear: r + yS * cosP };
  };
  let best = fit(0);
  for (let i = -40; i <= 40; i++) {
    const f = fit((depthM / 2) * (i / 40));
    if (f.r < best.r) best = f;
  }
  const eastM = -((win.l + win.r) / 2) * best.zNear;
  const target = Cartesian3.fromDegrees((b.west + b.east) / 2 + eastM / mPerDegLon, latMid - best.c / M_PER_DEG_LAT, 0);
  fly(camera, target, 0, pitchDeg, best.r, durationS);
}

/** Flies to a view, framing its sites (or its preset's fallback place) at its preset's pitch. */
export function flyToPreset(camera: Camera, sites: ReadonlyMap<string, Site>, view: View, preset: SceneCamera, win: ScreenWindow, durationS = DEFAULT_DURATION_S): void {
  flyToBounds(camera, viewBounds(sites, view) ?? preset.fallback, preset.pitchDeg, win, durationS);
}

/** Flies to look at `point` from `rangeM` at `pitchDeg`, keeping the heading, with the point in the window's middle. */
export function flyToPoint(camera: Camera, point: Cartesian3, win: ScreenWindow, rangeM = 220, pitchDeg = -40, durationS = DEFAULT_DURATION_S): void {
  const p = CesiumMath.toRadians(-pitchDeg);
  const [cx, cy] = [(win.l + win.r) / 2, (win.t + win.b) / 2];
  // The point y m ahead of the target shows at cy below the axis: −y·sin p / (R + y·cos p) = cy.
  const y = (-cy * rangeM) / (Math.sin(p) + cy * Math.cos(p));
  const x = cx * (rangeM + y * Math.cos(p));
  const heading = camera.heading;
  fly(camera, moved(point, -x, -y, heading), heading, pitchDeg, rangeM, durationS);
}

/** Flies to frame a set of positions (a site), never closer than 300 m. */
export function flyToPositions(camera: Camera, positions: Cartesian3[], win: ScreenWindow, durationS = DEFAULT_DURATION_S): void {
  if (positions.length === 0) return;
  const sphere = BoundingSphere.fromPoints(positions);
  flyToPoint(camera, sphere.center, win, Math.max(300, sphere.radius * 3.2), -50, durationS);
}
