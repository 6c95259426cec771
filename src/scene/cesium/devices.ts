/**
 * Devices as points coloured by state (colors.ts), with labels for the selected device and the
 * devices near the camera (deviceLabels.ts). Critical devices pulse. Buried gas detectors are
 * drawn stacked above their space by level, on a thin stem from the ground.
 *
 * Points are drawn without depth test (always visible, also buried gas detectors), so where
 * points overlap the one drawn last shows. To keep alarms on top, points live in one
 * PointPrimitiveCollection per layer — quiet, minor/warning, major, critical, selected — drawn in
 * that order; a point moves between them when its state changes. Pick ids are `device:{id}`.
 * Zoomed far out over a city-scale registry, marks per site replace the points (deviceClusters.ts).
 */
import {
  BlendOption,
  Cartesian3,
  Color,
  Material,
  PointPrimitiveCollection,
  PolylineCollection,
  type PointPrimitive,
  type Scene,
} from 'cesium';
import type { Device, Severity, Site } from '../../contracts';
import { DeadlineQueue, staleAtMs } from '../../domain';
import type { Twin } from '../../state/store';
import { nowMs } from '../../state/clock';
import { markBoot } from '../../state/boot';
import { HEALTH_CSS, clusterKeyOf, deviceHealth, type Health } from '../../view';
import { createBuildQueue } from './buildQueue';
import { AGGREGATE_ABOVE, createClusterLayer, type ClusterLayer } from './deviceClusters';
import { createDeviceLabels, stackLabels } from './deviceLabels';
import { PALETTE, healthColor } from './colors';

export const DEVICE_PICK_PREFIX = 'device:';

export function deviceIdOfPick(id: unknown): string | null {
  return typeof id === 'string' && id.startsWith(DEVICE_PICK_PREFIX) ? id.slice(DEVICE_PICK_PREFIX.length) : null;
}

/** Point size, px: readable in a 1280×720 control-room tile without hiding neighbours. */
const SIZE_PX = 9;
const SELECTED_SIZE_PX = 15;
/** Extra size at the peak of a critical pulse, px. */
const PULSE_PX = 7;
const PULSE_FRAME_MS = 250;
/** Labels show for devices nearer than this to the camera (decluttered in deviceLabels.ts), m. */
const LABEL_RANGE_M = 2_000;
/** Beyond this camera distance points are depth-tested again (so the far side of the globe hides them), m. */
const NO_DEPTH_TEST_M = 1_000_000;
/** Drawn heights of confined gas detectors (really below ground), m above ground, by level. */
const LEVEL_DRAW_HEIGHT_M = { lower: 3, middle: 9, upper: 15 } as const;
const NODATA_FILL = Color.fromCssColorString('#111a2b');
/** Draw layer of each state: higher layers are drawn over lower ones. */
const LAYER: Record<Health, number> = { nodata: 0, stale: 0, offline: 0, normal: 0, warning: 1, minor: 1, major: 2, critical: 3 };
const SELECTED_LAYER = 4;
/** ms of point building per task (the rest of the page runs between slices). */
const BUILD_SLICE_MS = 12;
/**
 * A recolour of more devices than this (the live snapshot, a replay's jump) restyles their built
 * points in the build queue's slices instead of in its own task: at 25,000 devices the snapshot's
 * restyle held the main thread ~0.1–0.3 s before the first live frame. The state (`colorCss`, the
 * far-zoom marks) changes at once either way.
 */
const RESTYLE_IN_SLICES_ABOVE = 500;

/**
 * Moves a device's lon/lat the way its site is drawn (e.g. one direction of a two-way road): the
 * same shift for every point of a site (the layer asks once per site, with 0, 0).
 */
export type ShiftLonLat = (siteId: string, lonDeg: number, latDeg: number) => [number, number];

/** Where a device is drawn: its position, but buried detectors just above ground, levels apart. */
export function drawPosition(d: Device, shift: ShiftLonLat, lonLat?: [number, number]): Cartesian3 {
  const [lon, lat] = lonLat ?? shift(d.siteId, d.position[0], d.position[1]);
  const h = d.position[2];
  const heightM = h < 0 ? (d.level ? LEVEL_DRAW_HEIGHT_M[d.level] : 2) : h + 1.5;
  return Cartesian3.fromDegrees(lon, lat, heightM);
}

interface Item {
  device: Device;
  point: PointPrimitive | null;
  layer: number;
  position: Cartesian3;
  visual: Health;
  /** The far-zoom mark it counts under (deviceClusters.ts); '' when the registry is not aggregated. */
  cluster: string;
  /** Its built point waits in the build queue to be restyled (a recolour of many devices at once). */
  restyle: boolean;
  /** Its stale deadline waits in `staleLater` to be queued (see there): the deadline, or null to unqueue it. */
  staleAt: number | null;
  staleLater: boolean;
}

export interface DeviceLayer {
  /** Recolours the given devices from the store (all when ids is undefined); true if anything changed. */
  recolour(state: Twin, alarmBy: ReadonlyMap<string, Severity>, ids?: Iterable<string>): boolean;
  /** Recolours only the devices whose stale deadline has passed by the display clock. */
  recolourDue(state: Twin, alarmBy: ReadonlyMap<string, Severity>): boolean;
  select(deviceId: string | null): void;
  /** Labels the devices near the camera (call after the camera moved). */
  updateLabels(): void;
  colorCss(id: string): string | null;
  positionOf(id: string): Cartesian3 | null;
  /** Points still to build (they are built in slices after the layer is made). */
  pointsPending(): number;
  destroy(): void;
}

export function createDeviceLayer(
  scene: Scene,
  devices: ReadonlyMap<string, Device>,
  lang: () => 'zh' | 'en',
  shift: ShiftLonLat,
  sites: ReadonlyMap<string, Site> = new Map(),
): DeviceLayer {
  const layers = [0, 1, 2, 3, 4].map(
    () => scene.primitives.add(new PointPrimitiveCollection({ blendOption: BlendOption.OPAQUE })) as PointPrimitiveCollection,
  );
  const items = new Map<string, Item>();
  // When each reporting device turns stale: only those are re-judged as the clock moves.
  const staleQueue = new DeadlineQueue();
  let selected: string | null = null;
  const critical = new Set<string>();

  /** Puts the point in the collection of its layer and styles it. */
  const style = (it: Item) => {
    it.restyle = false;
    const isSel = it.device.id === selected;
    const layer = isSel ? SELECTED_LAYER : LAYER[it.visual];
    if (!it.point || layer !== it.layer) {
      if (it.point) layers[it.layer].remove(it.point);
      it.point = layers[layer].add({ id: DEVICE_PICK_PREFIX + it.device.id, position: it.position, disableDepthTestDistance: NO_DEPTH_TEST_M });
      it.layer = layer;
    }
    const hollow = it.visual === 'nodata';
    const p = it.point;
    p.color = hollow ? NODATA_FILL : healthColor(it.visual);
    p.outlineColor = isSel ? PALETTE.deviceSelectedOutline : hollow ? healthColor('nodata') : PALETTE.deviceOutline;
    p.outlineWidth = isSel ? 3 : hollow ? 2 : 1.5;
    p.pixelSize = isSel ? SELECTED_SIZE_PX : hollow ? SIZE_PX - 1 : SIZE_PX;
  };

  // One stem per buried stack, from the ground to its top level. Made the first time points show
  // (not while far-zoom marks stand in for them: some 3,700 polylines at 25,000 devices, each with
  // a material of its own, were ~0.1 s of the registry's task).
  const stems = scene.primitives.add(new PolylineCollection()) as PolylineCollection;
  let stemsMade = false;
  const makeStems = () => {
    stemsMade = true;
    const stemTops = new Map<string, { lon: number; lat: number; topM: number }>();
    for (const d of devices.values()) {
      if (d.position[2] >= 0) continue;
      const [lon, lat] = shift(d.siteId, d.position[0], d.position[1]);
      const key = `${lon.toFixed(7)},${lat.toFixed(7)}`;
      const topM = d.level ? LEVEL_DRAW_HEIGHT_M[d.level] : 2;
      const s = stemTops.get(key);
      if (!s || s.topM < topM) stemTops.set(key, { lon, lat, topM });
    }
    for (const { lon, lat, topM } of stemTops.values()) {
      // Each polyline owns (and destroys) its material, so none is shared.
      const material = Material.fromType('Color', { color: PALETTE.stem });
      stems.add({ positions: Cartesian3.fromDegreesArrayHeights([lon, lat, 0, lon, lat, topM]), width: 1.5, material });
    }
  };

  const aggregate = devices.size > AGGREGATE_ABOVE;
  const members = new Map<string, Cartesian3[]>();
  // Each site's shift once (the same for all its points), not a call and an array per device.
  const siteShift = new Map<string, [number, number]>();
  const lonLat: [number, number] = [0, 0];
  for (const device of devices.values()) {
    let d = siteShift.get(device.siteId);
    if (!d) siteShift.set(device.siteId, (d = shift(device.siteId, 0, 0)));
    lonLat[0] = device.position[0] + d[0];
    lonLat[1] = device.position[1] + d[1];
    const it: Item = {
      device, point: null, layer: 0, position: drawPosition(device, shift, lonLat), visual: 'nodata', cluster: '', restyle: false, staleAt: null, staleLater: false,
    };
    if (aggregate) {
      it.cluster = clusterKeyOf(sites, device.siteId, lonLat);
      const m = members.get(it.cluster);
      if (m) m.push(it.position);
      else members.set(it.cluster, [it.position]);
    }
    items.set(device.id, it);
  }
  // The points are built after this task, in slices, each once with the state the first recolour
  // gives it; until then the far-zoom marks, colorCss and positionOf answer from `items`.
  let destroyed = false;
  const build = createBuildQueue<Item>((it) => (!it.point || it.restyle) && style(it), {
    sliceMs: BUILD_SLICE_MS,
    // One frame once all are built: each frame between slices would rewrite the collections' buffers.
    onSlice: (done) => {
      if (destroyed || !done) return;
      markBoot('devicePoints');
      layer.updateLabels();
      scene.requestRender();
    },
  });
  build.push(items.values());
  const clusters: ClusterLayer | null = aggregate ? createClusterLayer(scene, members) : null;
  // Counted now, styled at the next flush: the recolour that follows, or the frame's (below).
  if (clusters) for (const it of items.values()) clusters.move(it.cluster, null, it.visual);

  // Stale deadlines of a recolour of many devices (the registry's first, the snapshot's) are queued
  // later, before the next stale check (recolourDue) needs them, not in the task that judged them:
  // 25,000 heap entries were ~20 ms of the registry's task. Each item holds its latest verdict.
  let staleLater: Item[] = [];
  const queueStale = (it: Item) => {
    it.staleLater = false;
    if (it.staleAt !== null) staleQueue.set(it.device.id, it.staleAt);
    else staleQueue.delete(it.device.id);
  };
  const flushStale = () => {
    const list = staleLater;
    staleLater = [];
    for (const it of list) if (it.staleLater) queueStale(it);
  };

  const labelText = (d: Device) => (lang() === 'zh' ? d.nameZh || d.name : d.name || d.nameZh);
  const deviceLabels = createDeviceLabels(scene);

  // Critical devices pulse: the size follows a 1 s sine while any is critical; a slow timer keeps
  // request-render mode drawing at PULSE_FRAME_MS (4 frames a second: enough for a pulse, cheap in software WebGL).
  const removePreRender = scene.preRender.addEventListener(() => {
    clusters?.flush();
    if (critical.size === 0) return;
    const phase = 0.5 + 0.5 * Math.sin((performance.now() / 1000) * Math.PI * 2);
    for (const id of critical) {
      const it = items.get(id);
      if (it?.point) it.point.pixelSize = (id === selected ? SELECTED_SIZE_PX : SIZE_PX) + PULSE_PX * phase;
    }
  });
  let pulseTimer: ReturnType<typeof setInterval> | null = null;
  const syncPulse = () => {
    if (critical.size > 0 && !pulseTimer) pulseTimer = setInterval(() => scene.requestRender(), PULSE_FRAME_MS);
    if (critical.size === 0 && pulseTimer) (clearInterval(pulseTimer), (pulseTimer = null));
  };

  const layer: DeviceLayer = {
    recolour(state, alarmBy, ids) {
      const now = nowMs();
      let changed = false;
      const count = ids === undefined ? items.size : Array.isArray(ids) ? ids.length : ids instanceof Set ? ids.size : 0;
      const sliced = count > RESTYLE_IN_SLICES_ABOVE;
      const restyled: Item[] = [];
      for (const id of ids ?? items.keys()) {
        const it = items.get(id);
        if (!it) continue;
        const live = state.live.get(id);
        const visual = deviceHealth(it.device, live, alarmBy.get(id) ?? null, now);
        const staleAt = it.device.quantities.length > 0 ? staleAtMs(live?.ts ?? null, it.device.intervalS) : null;
        it.staleAt = staleAt !== null && staleAt > now ? staleAt : null;
        if (!sliced) queueStale(it);
        else if (!it.staleLater) (it.staleLater = true), staleLater.push(it);
        // Moving devices (hazmat trucks) report where they are.
        const lon = live?.values.lon_deg;
        const lat = live?.values.lat_deg;
        if (lon !== undefined && lat !== undefined) {
          const position = drawPosition(it.device, shift, [lon, lat]);
          if (!position.equals(it.position)) {
            it.position = position;
            if (it.point) it.point.position = position;
            deviceLabels.move(id, position);
            changed = true;
          }
        }
        if (visual === it.visual) continue;
        clusters?.move(it.cluster, it.visual, visual);
        it.visual = visual;
        if (visual === 'critical') critical.add(id);
        else critical.delete(id);
        if (it.point && sliced) {
          if (!it.restyle) (it.restyle = true), restyled.push(it);
        } else if (it.point) style(it);
        changed = true;
      }
      if (restyled.length > 0) build.push(restyled);
      syncPulse();
      clusters?.flush();
      if (changed) scene.requestRender();
      return changed;
    },
    recolourDue(state, alarmBy) {
      flushStale();
      const due = staleQueue.popDue(nowMs());
      return due.length > 0 && layer.recolour(state, alarmBy, due);
    },
    select(deviceId) {
      const prev = selected;
      selected = deviceId;
      for (const id of [prev, deviceId]) {
        const it = id ? items.get(id) : undefined;
        if (it) style(it);
      }
      layer.updateLabels();
    },
    updateLabels() {
      // Far over a city: marks per site instead of points, and no device labels.
      const far = clusters?.update() ?? false;
      for (const c of layers) c.show = !far;
      stems.show = !far;
      if (!far && !stemsMade) makeStems();
      if (far) {
        deviceLabels.update([], null);
        return;
      }
      const cam = scene.camera.positionWC;
      const near: { it: Item; dM: number }[] = [];
      for (const it of items.values()) {
        if (!it.point) continue; // labelled once built (the last slice asks again)
        const dM = Cartesian3.distance(cam, it.position);
        if (dM < LABEL_RANGE_M) near.push({ it, dM });
      }
      // Alarms first, then the nearest.
      near.sort((a, b) => b.it.layer - a.it.layer || a.dM - b.dM);
      // Stacks (devices at one spot, e.g. three gas levels) label their members by their own part.
      const text = new Map<string, { text: string; headId?: string }>();
      const stacks = new Map<string, Item[]>();
      for (const { it } of near) {
        const key = `${it.device.position[0]},${it.device.position[1]},${it.device.siteId}`;
        stacks.set(key, [...(stacks.get(key) ?? []), it]);
      }
      for (const members of stacks.values()) {
        members.sort((a, b) => Cartesian3.magnitude(b.position) - Cartesian3.magnitude(a.position)); // top first
        const labels = stackLabels(members.map((m) => labelText(m.device)));
        members.forEach((m, i) => text.set(m.device.id, { text: labels[i], headId: i > 0 && labels[i] !== labelText(m.device) ? members[0].device.id : undefined }));
      }
      const cand = (it: Item) => ({ id: it.device.id, position: it.position, text: labelText(it.device), ...text.get(it.device.id) });
      const sel = selected ? items.get(selected) : undefined;
      deviceLabels.update(
        near.map((n) => cand(n.it)),
        sel ? { id: sel.device.id, position: sel.position, text: labelText(sel.device) } : null,
      );
    },
    colorCss(id) {
      const it = items.get(id);
      return it ? HEALTH_CSS[it.visual] : null;
    },
    positionOf(id) {
      return items.get(id)?.position ?? null;
    },
    pointsPending() {
      return build.pending;
    },
    destroy() {
      destroyed = true;
      build.stop();
      removePreRender();
      if (pulseTimer) clearInterval(pulseTimer);
      clusters?.destroy();
      for (const c of layers) scene.primitives.remove(c);
      scene.primitives.remove(stems);
      deviceLabels.destroy();
    },
  };
  return layer;
}
