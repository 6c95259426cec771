/**
 * Video-AI events in the service: a `video.detection` from an outside box (sent on a camera's own
 * event topic, or by a gateway for the cameras of its sites) becomes an alarm of rule
 * `video_{kind}` on that camera, its severity by kind and by what the camera watches now (a leak's
 * danger zone, a confined-space opening with people below, an expressway). The alarm holds while
 * detections keep coming and clears `holdMs` after the last one.
 */
import { booleanPointInPolygon, lineString, pointToLineDistance } from '@turf/turf';
import { isCamera, type AlarmRecord, type CameraDevice, type Device, type DeviceEvent, type Scene, type VideoDetection, type ZoneFeature } from '../../contracts';
import { VIDEO_RULE_DEFAULTS, aimPoint, cameraCoverage, detectionCondition, detectionHolds, type DetectionPlace, type VideoRuleConfig } from '../../domain';
import type { AlarmEngine, SceneRules, Subject } from '../alarms';
import type { RegistryIndex } from '../registry';
import { sitePlace } from './linkage';

/** A road within this of the camera's aim point is the road it watches, m (a carriageway and its verge). */
const ON_ROAD_M = 60;

/** What the service knows of places, from the scenes that own them. */
export interface PlaceSources {
  /** People inside a confined space now. */
  peopleInside(spaceId: string): number;
  /** The active danger zones (park leaks). */
  dangerZones(): readonly Pick<ZoneFeature, 'geometry'>[];
}

export class VideoDetections {
  /** Subject key → when a detection last held it, ms. */
  private readonly lastSeen = new Map<string, { at: number; subject: Subject }>();

  constructor(
    private readonly registry: RegistryIndex,
    private readonly alarms: AlarmEngine,
    private readonly places: PlaceSources,
    private readonly cfg: VideoRuleConfig = VIDEO_RULE_DEFAULTS,
  ) {}

  /** Why a detection may not be taken from `device` (counted `forbidden`), or null. */
  refuse(device: Device, event: DeviceEvent): string | null {
    if (event.type !== 'video.detection') return null;
    const id = (event as unknown as VideoDetection).cameraId;
    const cam = this.registry.devices.get(id);
    if (!cam || !isCamera(cam)) return `${id} is not a registered camera`;
    if (cam.scene !== device.scene) return `camera ${id} is not in scene ${device.scene}`;
    if (isCamera(device) && device.id !== id) return `camera ${device.id} may not report for camera ${id}`;
    return null;
  }

  /** A stored detection: raises (or keeps) its camera's `video_{kind}` alarm. */
  onEvent(device: Device, event: DeviceEvent, nowMs: number): void {
    if (event.type !== 'video.detection' || this.refuse(device, event)) return;
    const e = event as unknown as VideoDetection;
    const cam = this.registry.devices.get(e.cameraId) as CameraDevice;
    const cond = detectionCondition(e, this.placeOf(cam), this.cfg);
    if (!cond) return;
    const subject: Subject = { key: `${cam.id}|${cond.rule}`, scene: cam.scene, siteId: cam.siteId, deviceId: cam.id };
    this.lastSeen.set(subject.key, { at: nowMs, subject });
    // The box has confirmed what it saw over its own frames: no extra on-delay.
    this.alarms.assert(subject, cond, nowMs, 0);
  }

  /** Once a second: a detection not repeated within the hold clears its alarm. */
  tick(nowMs: number): void {
    for (const [key, s] of this.lastSeen) {
      if (detectionHolds(s.at, nowMs, this.cfg)) continue;
      this.lastSeen.delete(key);
      this.alarms.assert(s.subject, null, nowMs);
    }
  }

  /** After a restart: active video alarms hold from their last update, then clear like any other. */
  restore(open: readonly AlarmRecord[]): void {
    for (const a of open) {
      if (!a.rule.startsWith('video_') || a.active === false || !a.deviceId) continue;
      const key = `${a.deviceId}|${a.rule}`;
      if (this.alarms.openAlarm(key)) this.lastSeen.set(key, { at: a.updatedAt, subject: { key, scene: a.scene, siteId: a.siteId, deviceId: a.deviceId } });
    }
  }

  /** What the camera watches now. */
  placeOf(cam: CameraDevice): DetectionPlace {
    const aim = aimPoint(cam);
    const inDangerZone = this.places.dangerZones().some((z) => booleanPointInPolygon(aim, z.geometry as Parameters<typeof booleanPointInPolygon>[1]));
    let occupiedOpening = false;
    let onExpressway = false;
    for (const s of this.registry.sites.values()) {
      if (s.scene !== cam.scene) continue;
      if (s.kind === 'space' && !occupiedOpening && this.places.peopleInside(s.id) > 0) {
        const at = this.openingOf(s.id);
        occupiedOpening = s.id === cam.siteId || (at !== null && cameraCoverage(cam, at) !== null);
      } else if (s.kind === 'segment' && !onExpressway && (s.props?.roadClass === 'expressway' || s.props?.roadClass === 'highway') && s.geometry.type === 'LineString') {
        onExpressway = s.id === cam.siteId || pointToLineDistance(aim, lineString(s.geometry.coordinates), { units: 'meters' }) <= ON_ROAD_M;
      }
    }
    return { inDangerZone, occupiedOpening, onExpressway };
  }

  /** A space's opening: where its access terminal stands, else the space's own place. */
  private openingOf(spaceId: string): number[] | null {
    for (const d of this.registry.devices.values()) if (d.siteId === spaceId && d.kind === 'access') return [d.position[0], d.position[1]];
    const site = this.registry.sites.get(spaceId);
    return site ? sitePlace(site) : null;
  }
}

/** The scenes' rules with video detections taken first (refusal and raising), whatever the scene. */
export function withDetections<R extends SceneRules>(scenes: Readonly<Record<Scene, R>>, video: VideoDetections): Record<Scene, SceneRules> {
  const out = {} as Record<Scene, SceneRules>;
  for (const [name, rules] of Object.entries(scenes) as [Scene, R][]) {
    out[name] = {
      ...rules,
      refuseEvent: (device, event) => video.refuse(device, event) ?? rules.refuseEvent(device, event),
      onEvent: (device, event, nowMs) => {
        video.onEvent(device, event, nowMs);
        rules.onEvent(device, event, nowMs);
      },
    };
  }
  return out;
}
