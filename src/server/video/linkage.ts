/**
 * Video linkage (视频联动) in the service: the cameras whose view covers an alarm's position,
 * nearest first, stored and published with the alarm as `cameraIds`. Where an alarm is: the place
 * its condition names (a reported incident), else its device's latest fix (a moving truck), else
 * its device, else its site. A detection's own camera always comes first: it saw it.
 */
import { along, centroid, length, lineString } from '@turf/turf';
import { isCamera, type CameraDevice, type Device, type Site, type Values } from '../../contracts';
import { cameraIdsFor } from '../../domain';
import type { Condition } from '../../domain';
import type { Subject } from '../alarms';
import type { RegistryIndex } from '../registry';

/** What the linkage needs of the service: the live registry and a device's latest values. */
export interface LinkageSources {
  /** With `registry` (the registry in force, a new object at every change) the cameras are listed once per registry. */
  registry: Pick<RegistryIndex, 'devices' | 'sites'> & Partial<Pick<RegistryIndex, 'registry'>>;
  values(deviceId: string): Values | undefined;
}

/** Where a site is: its point, the middle of its line (a road segment), the centre of its area. */
export function sitePlace(site: Site): number[] | null {
  const g = site.geometry;
  try {
    if (g.type === 'Point') return [...g.coordinates];
    if (g.type === 'LineString') {
      const line = lineString(g.coordinates as number[][]);
      return along(line, length(line) / 2).geometry.coordinates;
    }
    return centroid(g as Parameters<typeof centroid>[0]).geometry.coordinates;
  } catch {
    return null;
  }
}

/** Where an alarm of `subject` raised on `cond` happens, or null when nothing says. */
export function alarmPlace(src: LinkageSources, subject: Pick<Subject, 'deviceId' | 'siteId'>, cond: Pick<Condition, 'at'>): number[] | null {
  if (cond.at && cond.at.length >= 2) return [...cond.at];
  const device = subject.deviceId ? src.registry.devices.get(subject.deviceId) : undefined;
  if (device && !isCamera(device)) {
    const v = src.values(device.id);
    if (v?.lon_deg !== undefined && v.lat_deg !== undefined) return [v.lon_deg, v.lat_deg];
    return [device.position[0], device.position[1], Math.max(0, device.position[2])];
  }
  const site = subject.siteId ? src.registry.sites.get(subject.siteId) : undefined;
  return site ? sitePlace(site) : device ? [device.position[0], device.position[1]] : null;
}

/** The scene's cameras (registry changes apply at once: read at each call). */
function camerasOf(devices: Iterable<Device>, scene: string): CameraDevice[] {
  const out: CameraDevice[] = [];
  for (const d of devices) if (isCamera(d) && d.scene === scene) out.push(d);
  return out;
}

/**
 * The scene's cameras, listed once per registry in force: going through every device on each alarm
 * took 1–2 ms of the alarm's path at 25,000 devices. A changed registry is a new object, so a new list.
 */
const camerasByRegistry = new WeakMap<object, Map<string, CameraDevice[]>>();
function sceneCameras(registry: LinkageSources['registry'], scene: string): CameraDevice[] {
  if (!registry.registry) return camerasOf(registry.devices.values(), scene);
  let byScene = camerasByRegistry.get(registry.registry);
  if (!byScene) camerasByRegistry.set(registry.registry, (byScene = new Map()));
  let out = byScene.get(scene);
  if (!out) byScene.set(scene, (out = camerasOf(registry.devices.values(), scene)));
  return out;
}

/**
 * `cameraIds` of an alarm: its detecting camera first (a video condition's `cameraId`), then the
 * scene's cameras that see its place, nearest first.
 */
export function linkCameras(src: LinkageSources, subject: Subject, cond: Condition & { cameraId?: string }): string[] {
  const at = alarmPlace(src, subject, cond);
  const seen = at ? cameraIdsFor(sceneCameras(src.registry, subject.scene), at) : [];
  const own = cond.cameraId && src.registry.devices.has(cond.cameraId) ? [cond.cameraId] : [];
  return [...new Set([...own, ...seen])];
}
