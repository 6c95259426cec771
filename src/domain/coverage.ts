/**
 * Which cameras see a point (video linkage: an alarm's `cameraIds`). A camera covers a point when
 * the point lies within its range and inside its horizontal field of view around the heading;
 * optionally also inside its vertical field of view around the pitch. Pure; distances on the
 * sphere (turf), heights in metres above the same ground.
 */
import { bearing, destination, distance, point } from '@turf/turf';
import type { CameraDevice } from '../contracts';

/** Picture aspect of the cameras (16:9, as CCTV cameras stream); gives the vertical field of view. */
export const CAMERA_ASPECT = 16 / 9;

/**
 * Horizontally this close a point is under the camera, where the bearing means nothing: covered
 * by the horizontal test (a camera's own spot is what an operator expects it to show), m.
 */
export const UNDER_CAMERA_M = 0.5;

export interface CoverageOptions {
  /**
   * Also require the point inside the vertical field of view around `pitchDeg`. Off by default: a
   * PTZ camera tilts to what it is asked to show, and a linkage that misses a camera is worse than
   * one that offers a camera that must tilt. @default false
   */
  vertical?: boolean;
}

export interface Coverage {
  cameraId: string;
  /** Straight-line distance from the camera to the point (height difference included), m. */
  distanceM: number;
  /** Horizontal angle between the heading and the point, degrees, [0, 180]. */
  offAxisDeg: number;
}

/** The camera fields coverage needs. */
export type CameraView = Pick<CameraDevice, 'id' | 'position' | 'headingDeg' | 'pitchDeg' | 'fovDeg' | 'rangeM'>;

/** Smallest angle between two directions, degrees, [0, 180]: 350° and 10° are 20° apart. */
export function angleBetweenDeg(aDeg: number, bDeg: number): number {
  const d = (((aDeg - bDeg) % 360) + 360) % 360;
  return d > 180 ? 360 - d : d;
}

/** Vertical field of view from the horizontal one for a picture of `aspect` (width / height), degrees. */
export function verticalFovDeg(horizontalFovDeg: number, aspect = CAMERA_ASPECT): number {
  const half = (Math.min(horizontalFovDeg, 179.9) * Math.PI) / 360;
  return (2 * Math.atan(Math.tan(half) / aspect) * 180) / Math.PI;
}

/**
 * How `camera` sees `at` ([lonDeg, latDeg] or [lonDeg, latDeg, heightM]; no height means ground,
 * 0 m), or null when the point is out of its view. Boundaries count as inside: exactly at the
 * range, exactly at the edge of the field of view.
 */
export function cameraCoverage(camera: CameraView, at: readonly number[], options: CoverageOptions = {}): Coverage | null {
  const [lon, lat, heightM = 0] = at;
  const [camLon, camLat, camH] = camera.position;
  const groundM = distance(point([camLon, camLat]), point([lon, lat]), { units: 'meters' });
  const dh = heightM - camH;
  const distanceM = Math.hypot(groundM, dh);
  if (distanceM > camera.rangeM) return null;
  const under = groundM < UNDER_CAMERA_M;
  const offAxisDeg = under ? 0 : angleBetweenDeg(bearing(point([camLon, camLat]), point([lon, lat])), camera.headingDeg);
  if (offAxisDeg > camera.fovDeg / 2) return null;
  if (options.vertical) {
    const elevationDeg = under ? (dh >= 0 ? 90 : -90) : (Math.atan2(dh, groundM) * 180) / Math.PI;
    if (Math.abs(elevationDeg - camera.pitchDeg) > verticalFovDeg(camera.fovDeg) / 2) return null;
  }
  return { cameraId: camera.id, distanceM, offAxisDeg };
}

/** Every camera that sees `at`, nearest first (ties by id, so the order is stable). */
export function camerasCovering(cameras: Iterable<CameraView>, at: readonly number[], options: CoverageOptions = {}): Coverage[] {
  const out: Coverage[] = [];
  for (const c of cameras) {
    const cov = cameraCoverage(c, at, options);
    if (cov) out.push(cov);
  }
  return out.sort((a, b) => a.distanceM - b.distanceM || (a.cameraId < b.cameraId ? -1 : a.cameraId > b.cameraId ? 1 : 0));
}

/** The `cameraIds` of an alarm at `at`: the cameras that see it, nearest first. */
export function cameraIdsFor(cameras: Iterable<CameraView>, at: readonly number[], options: CoverageOptions = {}): string[] {
  return camerasCovering(cameras, at, options).map((c) => c.cameraId);
}

/**
 * The ground point a camera is aimed at ([lonDeg, latDeg]): where its centre ray meets the ground
 * (height 0), or at its range when it looks level or up, or when the ground is beyond the range.
 */
export function aimPoint(c: Pick<CameraView, 'position' | 'headingDeg' | 'pitchDeg' | 'rangeM'>): number[] {
  const h = Math.max(0, c.position[2]);
  const down = (-c.pitchDeg * Math.PI) / 180;
  const groundM = down > 0 ? Math.min(c.rangeM, h / Math.tan(down)) : c.rangeM;
  return destination(point([c.position[0], c.position[1]]), groundM / 1000, c.headingDeg).geometry.coordinates;
}

/**
 * The ground a camera covers (what `cameraCoverage` counts, horizontally): a wedge of its range
 * across its field of view, as a ring of [lonDeg, latDeg] starting and ending at the camera; a
 * circle for a 360° camera. `steps` arc points.
 */
export function coverageWedge(c: Pick<CameraView, 'position' | 'headingDeg' | 'fovDeg' | 'rangeM'>, steps = 16): number[][] {
  const origin = point([c.position[0], c.position[1]]);
  const full = c.fovDeg >= 360;
  const from = full ? 0 : c.headingDeg - c.fovDeg / 2;
  const span = full ? 360 : c.fovDeg;
  const arc: number[][] = [];
  for (let i = 0; i <= steps; i++) arc.push(destination(origin, c.rangeM / 1000, from + (span * i) / steps).geometry.coordinates);
  return full ? arc : [[c.position[0], c.position[1]], ...arc, [c.position[0], c.position[1]]];
}
