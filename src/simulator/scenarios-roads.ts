/**
 * Road-network scenarios. Morning and evening peaks are in the daily demand of traffic.ts; these add
 * a crash on the G60 whose queue grows upstream and clears after the wreck is removed, and fog banks
 * at the Zhuji–Yongjia expressway and G60 weather stations. Times are
 * simulated seconds since the start. Types only from ./scenarios: it imports this file.
 */
import { along, length, lineString } from '@turf/turf';
import type { Device, Registry, Site } from '../contracts';
import type { Override, Profile, ScenarioDef, ScenarioPlan } from './scenarios';

const lastT = (p: Profile): number => (p.length ? p[p.length - 1][0] : 0);
const detectorOf = (r: Registry, segmentId: string): Device | undefined =>
  r.devices.find((d) => d.siteId === segmentId && d.kind === 'traffic_detector');

/**
 * `n` consecutive segments of one road and direction in driving order, from the middle of the
 * road (so the queue has road behind it); the first direction found in the registry.
 */
export function drivingChain(registry: Registry, road: RegExp, n: number): Site[] {
  const segs = registry.sites.filter(
    (s) => s.kind === 'segment' && road.test(`${s.id} ${s.props?.roadKey ?? ''} ${s.props?.roadName ?? ''}`),
  );
  const same = segs.filter((s) => s.props?.direction === segs[0]?.props?.direction);
  const toNodes = new Set(same.map((s) => s.props?.toNode));
  const chain = [same.find((s) => !toNodes.has(s.props?.fromNode)) ?? same[0]].filter((s): s is Site => s !== undefined);
  for (let next = chain[0]; next; ) {
    next = same.find((s) => s.props?.fromNode === next!.props?.toNode && !chain.includes(s))!;
    if (next) chain.push(next);
  }
  const from = Math.max(0, Math.floor((chain.length - n) / 2));
  return chain.slice(from, from + n);
}

/** A point `fraction` of the way along a segment, [lonDeg, latDeg] to 6 decimals (~0.1 m). */
function pointAlong(seg: Site, fraction: number): [number, number] {
  if (seg.geometry.type !== 'LineString') return [0, 0];
  const line = lineString(seg.geometry.coordinates);
  const [lon, lat] = along(line, fraction * length(line)).geometry.coordinates;
  return [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
}

/** The crash is reported 20 s in; the wreck is removed and the incident cleared ~20 min later. */
const CRASH_AT_S = 20;
const CLEARED_AT_S = CRASH_AT_S + 20 * 60;
/**
 * Speeds in the queue, km/h, from the crash segment upstream: ~8 past the one open lane, then the
 * queue (12, 18) and its slowing tail (30). GB/T 33171 on an expressway: ≤ 20 severe, ≤ 35 moderate.
 */
const QUEUE_KMH = [8, 12, 18, 30];
/** The queue reaches one more segment upstream every 3 min (a ~5 km segment at ~1.5 km per min of backward wave)… */
const GROW_EVERY_S = 180;
/** …and discharges from the front after the clearance: each segment a 2 min later than the one below it. */
const DISCHARGE_EVERY_S = 120;

const g60Crash: ScenarioDef = {
  name: 'g60-crash',
  title: 'a crash on the G60: incident open, the queue grows upstream over ~10 min, cleared after 20 min, then recovery',
  build(registry) {
    const chain = drivingChain(registry, /g60/i, QUEUE_KMH.length);
    if (chain.length === 0) return null;
    const crashSeg = chain[chain.length - 1];
    const [lonDeg, latDeg] = pointAlong(crashSeg, 0.6);
    const incident = { type: 'incident', incidentId: 'sim-g60-crash', kind: 'crash', segmentId: crashSeg.id, lonDeg, latDeg };
    const overrides: Override[] = [];
    // k = 0 is the crash segment, k = 1 the one upstream of it, …
    [...chain].reverse().forEach((seg, k) => {
      const det = detectorOf(registry, seg.id);
      if (!det) return;
      const start = CRASH_AT_S + k * GROW_EVERY_S;
      const clear = CLEARED_AT_S + k * DISCHARGE_EVERY_S;
      const profile: Profile = [[start, 0], [start + (k === 0 ? 60 : 180), 1], [clear, 1], [clear + 240, 0]];
      overrides.push({ deviceId: det.id, quantity: 'speed_kmh', target: QUEUE_KMH[k], profile, jitter: 2 });
    });
    const ops = registry.devices.find((d) => d.id === 'zj-ops') ?? registry.devices.find((d) => d.kind === 'road_operator');
    const durationS = Math.max(CLEARED_AT_S, ...overrides.map((o) => lastT(o.profile))) + 60;
    return {
      name: 'g60-crash',
      durationS,
      overrides,
      events: ops
        ? [
            { atS: CRASH_AT_S, deviceId: ops.id, event: { ...incident, state: 'open' } },
            { atS: CLEARED_AT_S, deviceId: ops.id, event: { ...incident, state: 'cleared' } },
          ]
        : [],
    };
  },
};

/**
 * Fog bank in three stages, each pulling visibility from the stage before: 150 m (limit 60 km/h,
 * `minor`) by 5 min, 80 m (40 km/h, `major`) by 10 min, 40 m (20 km/h and exit, `critical`) by
 * 14 min; it lifts in reverse from 20 min and is gone by 40 min.
 */
const FOG_STAGES: { visibilityM: number; jitterM: number; speedKmh: number; profile: Profile; speedProfile?: Profile }[] = [
  // Visibility falls linearly from ~10 km, so drivers slow only in its last minute or two (< ~1 km).
  { visibilityM: 150, jitterM: 15, speedKmh: 58, profile: [[0, 0], [300, 1], [1800, 1], [2400, 0]], speedProfile: [[240, 0], [360, 1], [1800, 1], [2100, 0]] },
  { visibilityM: 80, jitterM: 8, speedKmh: 38, profile: [[420, 0], [600, 1], [1500, 1], [1680, 0]] },
  { visibilityM: 40, jitterM: 4, speedKmh: 18, profile: [[720, 0], [840, 1], [1200, 1], [1380, 0]] },
];

/** A fog bank at a road weather station: the stages above on its visibility and on the speeds of the segments it covers. */
function fogBank(name: string, title: string, stationId: string): ScenarioDef {
  return {
    name,
    title,
    build(registry) {
      const station = registry.devices.find((d) => d.id === stationId) ?? registry.devices.find((d) => d.kind === 'weather');
      if (!station) return null;
      return fogPlan(name, registry, station);
    },
  };
}

function fogPlan(name: string, registry: Registry, station: Device): ScenarioPlan {
  const covered = registry.sites.find((s) => s.id === station.siteId)?.props?.segmentIds;
  const segmentIds = Array.isArray(covered) ? covered.filter((x): x is string => typeof x === 'string') : [];
  const overrides: Override[] = [];
  for (const s of FOG_STAGES) {
    overrides.push({ deviceId: station.id, quantity: 'visibility_m', target: s.visibilityM, profile: s.profile, jitter: s.jitterM });
    // Drivers keep to about the fog limit on the segments the station covers.
    for (const id of segmentIds) {
      const det = detectorOf(registry, id);
      if (det) overrides.push({ deviceId: det.id, quantity: 'speed_kmh', target: s.speedKmh, profile: s.speedProfile ?? s.profile, jitter: 2 });
    }
  }
  return { name, durationS: Math.max(...FOG_STAGES.map((s) => lastT(s.profile))) + 60, overrides, events: [] };
}

const fogDawn = fogBank('fog-dawn', 'a fog bank at dawn on the Zhuji–Yongjia expressway: visibility 150 → 80 → 40 m, traffic slows to the limits, then it lifts', 'zj-wx-zy');
/** The same bank in the G60's hilly section south of Zhuji: the controller publishes the Art. 81 signs there. */
const fogG60 = fogBank('fog-g60', 'a fog bank on the G60 south of Zhuji: visibility 150 → 80 → 40 m, limits 60 → 40 → 20 km/h and exit, then it lifts', 'zj-wx-g60');

export const ROAD_SCENARIOS: readonly ScenarioDef[] = [g60Crash, fogDawn, fogG60];
