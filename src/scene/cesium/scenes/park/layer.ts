/**
 * The park scene's own drawing on the globe (see ../../sceneLayer.ts): leak danger zones from the polled
 * GET /api/zones (parkZones.ts), the tank-farm models with a red sleeve round every tank in alarm
 * (parkModels.ts), and short trails behind the hazmat trucks (the trucks themselves are device
 * points, devices.ts). View model in (stores), Cesium objects out, all in the layer's own collections.
 * In replay zones come from the replayed instant (the session's resource asks `?at=`); a trail is
 * started afresh whenever the display clock jumps, so it never joins fixes from different times.
 */
import { Cartesian3, Color, Material, PolylineCollection, type Model, type Polyline, type Primitive } from 'cesium';
import type { Site } from '../../../../contracts';
import { clockIsReplay, nowMs, onClockChange } from '../../../../state/clock';
import { zones as zonesResource } from '../../../../state/park';
import { ACCENT_CSS } from '../../../../view';
import { loadTankFarmModels, tankAlarmSleeves } from './models';
import { createZoneLayer } from './zones';
import type { SceneLayerContext } from '../../sceneLayer';

/** Positions kept per truck trail: at one fix every 5 s, the last ~100 s of its path. */
export const TRAIL_POINTS = 20;
/** The span of a trail, ms (TRAIL_POINTS fixes 5 s apart): a clock step longer than this is a jump. */
const TRAIL_SPAN_MS = TRAIL_POINTS * 5_000;
/** Drawn just above the truck points' height so the trail is not hidden by the road fill, m. */
const TRAIL_HEIGHT_M = 1.5;
const TRAIL_COLOR = Color.fromCssColorString(ACCENT_CSS).withAlpha(0.8);

export function createParkLayer(ctx: SceneLayerContext) {
  const { scene, store } = ctx;
  const abort = new AbortController();
  const requestRender = () => scene.requestRender();

  // ---- danger zones ----
  const zones = createZoneLayer(scene, ctx.ground, ctx.primitives, ctx.t);
  zones.set(zonesResource.store.getState().data ?? []);
  const unsubPark = zonesResource.store.subscribe((s, prev) => {
    if (s.data !== prev.data) zones.set(s.data ?? []);
  });

  // ---- tank-farm models ----
  let models: Model[] = [];
  let modelsReady = 0;
  void loadTankFarmModels(ctx.primitives, abort.signal, () => {
    modelsReady++;
    requestRender();
  }).then(
    (added) => {
      // Gone meanwhile: the layer's collection took its models with it.
      if (abort.signal.aborted) return;
      models = added;
      requestRender();
    },
    (e: unknown) => {
      if (!abort.signal.aborted) console.warn('park tank-farm models not loaded', e);
    },
  );

  // ---- tanks in alarm ----
  let sleeves: Primitive | null = null;
  let sleeveKey = '';
  const alarmedTanks = (): Site[] => {
    const s = store.getState();
    const out = new Map<string, Site>();
    for (const a of s.alarms.values()) {
      if (a.scene !== 'park' || a.state === 'shelved') continue;
      const siteId = a.siteId ?? (a.deviceId ? s.devices.get(a.deviceId)?.siteId : undefined);
      const site = siteId ? s.sites.get(siteId) : undefined;
      if (site?.kind === 'tank') out.set(site.id, site);
    }
    return [...out.values()];
  };
  const updateSleeves = () => {
    const tanks = alarmedTanks();
    const key = tanks.map((t) => t.id).sort().join(',');
    if (key === sleeveKey) return;
    sleeveKey = key;
    if (sleeves) ctx.primitives.remove(sleeves);
    sleeves = tankAlarmSleeves(tanks);
    if (sleeves) ctx.primitives.add(sleeves);
    requestRender();
  };

  // ---- truck trails ----
  const trails = ctx.primitives.add(new PolylineCollection()) as PolylineCollection;
  // A truck's line (a material of its own) is made at its second fix: the snapshot's first fixes of
  // every truck at city scale made ~50 ms of hidden lines in the cold start's fold.
  const trailOf = new Map<string, { points: Cartesian3[]; line: Polyline | null }>();
  const truckIds = () => [...store.getState().devices.values()].filter((d) => d.scene === 'park' && d.kind === 'truck').map((d) => d.id);
  let trucks = new Set(truckIds());
  const addFix = (id: string) => {
    const v = store.getState().live.get(id)?.values;
    if (v?.lon_deg === undefined || v.lat_deg === undefined) return false;
    const p = Cartesian3.fromDegrees(v.lon_deg, v.lat_deg, TRAIL_HEIGHT_M);
    let t = trailOf.get(id);
    if (!t) {
      t = { points: [], line: null };
      trailOf.set(id, t);
    }
    const last = t.points[t.points.length - 1];
    if (last && Cartesian3.equalsEpsilon(last, p, 0, 0.01)) return false;
    t.points.push(p);
    if (t.points.length > TRAIL_POINTS) t.points.shift();
    if (t.points.length >= 2) {
      t.line ??= trails.add({ positions: t.points, width: 3, material: Material.fromType('Color', { color: TRAIL_COLOR }) });
      t.line.positions = t.points;
      t.line.show = true;
    }
    return true;
  };
  for (const id of trucks) addFix(id);
  updateSleeves();

  // Going into or out of replay, moving the cursor back, or far ahead: the old trail is another time's.
  let clockMs = nowMs();
  let replaying = clockIsReplay();
  const unsubClock = onClockChange(() => {
    const t = nowMs();
    const jumped = clockIsReplay() !== replaying || t < clockMs || t - clockMs > TRAIL_SPAN_MS;
    clockMs = t;
    replaying = clockIsReplay();
    if (!jumped) return;
    trails.removeAll();
    trailOf.clear();
    requestRender();
  });

  const unsubTwin = store.subscribe((s, prev) => {
    if (s.devices !== prev.devices) trucks = new Set(truckIds());
    if (s.liveVersion !== prev.liveVersion) {
      let changed = false;
      for (const id of s.changedIds) if (trucks.has(id) && addFix(id)) changed = true;
      if (changed) requestRender();
    }
    if (s.alarmsVersion !== prev.alarmsVersion || s.sites !== prev.sites) updateSleeves();
    if (s.lang !== prev.lang) zones.relabel();
    if (!s.auth && prev.auth) {
      trails.removeAll();
      trailOf.clear();
    }
  });

  ctx.onDispose(() => {
    abort.abort();
    unsubPark();
    unsubTwin();
    unsubClock();
    zones.destroy();
  });

  return {
    api: {
      /** Danger zones drawn now. */
      zoneCount: () => zones.count(),
      /** Site ids inside any drawn zone, sorted. */
      zoneAffected: () => zones.affected(),
      /** Tank-farm models added to the scene / of them, ready to draw. */
      modelCount: () => models.length,
      modelsReady: () => modelsReady,
      /** Tanks drawn with an alarm sleeve. */
      alarmedTankIds: () => (sleeveKey ? sleeveKey.split(',') : []),
      /** Trucks with a trail drawn (two fixes or more). */
      trailCount: () => [...trailOf.values()].filter((t) => t.line?.show === true && t.points.length >= 2).length,
      /** Frames one zone (or all zones). */
      flyToZone: (alarmId?: string) => {
        const p = zones.positions(alarmId);
        if (p.length > 0) ctx.flyToPositions(p);
      },
    },
  };
}
