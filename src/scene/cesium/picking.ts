/** Left-click picking: a device point, a site primitive, or empty ground (clears the selection). */
import { Cartesian2, ScreenSpaceEventHandler, ScreenSpaceEventType, defined, type Cartesian3, type Scene } from 'cesium';
import { cameraIdOfIconPick, cameraIdOfPick } from './cameras';
import { deviceIdOfPick } from './devices';
import { siteIdOfPick } from './sites';

export type PickResult = { deviceId: string } | { siteId: string } | null;

/** How many overlapping objects one click looks through (co-located sensors, e.g. three gas levels). */
const DRILL_LIMIT = 6;

/**
 * What is under a window position. Devices win over camera icons, icons over sites, sites over camera cones. Where device points overlap, the one
 * whose centre is nearest the click wins; on a tie, the topmost (most severe) one.
 */
export function pickAt(scene: Scene, position: Cartesian2, devicePosition: (id: string) => Cartesian3 | null): PickResult {
  const picked = scene.drillPick(position, DRILL_LIMIT, 5, 5) as { id?: unknown }[];
  let best: { id: string; d: number } | null = null;
  for (const p of picked) {
    const id = deviceIdOfPick(p.id);
    if (!id) continue;
    const world = devicePosition(id);
    const win = world ? scene.cartesianToCanvasCoordinates(world, new Cartesian2()) : undefined;
    const d = win ? Cartesian2.distance(win, position) : Number.POSITIVE_INFINITY;
    if (!best || d < best.d - 0.5) best = { id, d };
  }
  if (best) return { deviceId: best.id };
  for (const p of picked) {
    const cameraId = defined(p) ? cameraIdOfIconPick(p.id) : null;
    if (cameraId) return { deviceId: cameraId };
  }
  for (const p of picked) {
    const siteId = defined(p) ? siteIdOfPick(p.id) : null;
    if (siteId) return { siteId };
  }
  for (const p of picked) {
    const cameraId = defined(p) ? cameraIdOfPick(p.id) : null;
    if (cameraId) return { deviceId: cameraId };
  }
  return null;
}

/** Calls `onPick` for every left click on the canvas; returns the function that stops it. */
export function listenForPicks(scene: Scene, devicePosition: (id: string) => Cartesian3 | null, onPick: (r: PickResult) => void): () => void {
  const handler = new ScreenSpaceEventHandler(scene.canvas);
  handler.setInputAction((e: { position: Cartesian2 }) => onPick(pickAt(scene, e.position, devicePosition)), ScreenSpaceEventType.LEFT_CLICK);
  return () => handler.destroy();
}
