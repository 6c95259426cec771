/**
 * Scripted scenarios as data: a scenario is a list of overrides (pull one device's quantity towards
 * a target with a weight that follows keyframes over time) and of timed events. A definition
 * resolves its devices from the registry once; later scenarios (permits and entries, releases,
 * crashes, fog) are more entries in SCENARIOS.
 */
import type { Device, Quantity, Registry, Site } from '../contracts';
import { limitsFor } from '../domain';
import { CONFINED_SCENARIOS } from './scenarios-confined';
import { PARK_SCENARIOS } from './scenarios-park';
import { ROAD_SCENARIOS } from './scenarios-roads';

/** Keyframes `[secondsSinceStart, weight 0…1]`, linear in between, 0 outside. */
export type Profile = readonly (readonly [number, number])[];

export interface Override {
  deviceId: string;
  quantity: Quantity;
  /** The value the quantity is pulled to at weight 1: value = base + weight × (target − base). */
  target: number;
  profile: Profile;
  /** Extra noise amplitude at weight 1, in the quantity's unit (a sensor reading a moving cloud). */
  jitter?: number;
}

export interface TimedEvent {
  /** Seconds since the scenario started (simulated). */
  atS: number;
  deviceId: string;
  /** The event payload without `ts` (added when sent): `{type: 'entry', spaceId, personId}`… */
  event: { type: string; [field: string]: unknown };
}

export interface ScenarioPlan {
  name: string;
  durationS: number;
  overrides: Override[];
  events: TimedEvent[];
  /** Devices that send no telemetry from `fromS` until `toS` (seconds since the start, simulated). */
  silences?: { deviceId: string; fromS: number; toS: number }[];
}

export interface ScenarioDef {
  name: string;
  /** One line for the log and `--help`. */
  title: string;
  /** The plan against this registry, or null when the registry lacks what it needs. */
  build(registry: Registry): ScenarioPlan | null;
}

/** The weight of a profile `tS` seconds after the start. */
export function weightAt(profile: Profile, tS: number): number {
  if (profile.length === 0 || tS < profile[0][0] || tS > profile[profile.length - 1][0]) return 0;
  for (let i = 1; i < profile.length; i++) {
    const [t0, w0] = profile[i - 1];
    const [t1, w1] = profile[i];
    if (tS <= t1) return t1 > t0 ? w0 + ((w1 - w0) * (tS - t0)) / (t1 - t0) : w1;
  }
  return profile[profile.length - 1][1];
}

/** The same profile `delayS` later. */
const shift = (p: Profile, delayS: number): Profile => p.map(([t, w]) => [t + delayS, w] as const);
const lastT = (p: Profile): number => (p.length ? p[p.length - 1][0] : 0);

const byId = (r: Registry, id: string): Device | undefined => r.devices.find((d) => d.id === id);

/**
 * H₂S building up in a pit from the sludge below, as when the sludge is stirred: accumulation
 * (slow, then fast), ~1 min at ~20 ppm, ventilation bringing it down. The lower detector crosses
 * 7 ppm (major) about 2.5 min in and 14 ppm (critical) about 3.5 min in.
 */
const H2S_BUILD_UP: Profile = [
  [0, 0], [45, 0.04], [90, 0.12], [150, 0.35], [210, 0.7], [240, 0.92], [270, 1],
  [330, 1], [390, 0.55], [450, 0.25], [510, 0.08], [570, 0],
];

const h2sPit: ScenarioDef = {
  name: 'h2s-pit',
  title: 'H₂S builds up to ~20 ppm in the lower level of a pit, then is ventilated away',
  build(registry) {
    const lower = byId(registry, 'kq-p1-s1-gas-lower') ?? registry.devices.find((d) => d.kind === 'gas_detector' && d.level === 'lower');
    if (!lower) return null;
    const at = (level: string) => registry.devices.find((d) => d.siteId === lower.siteId && d.kind === 'gas_detector' && d.level === level);
    // Heavier than air: the middle sees it later and at about a third, the top barely.
    const levels: [Device | undefined, number, number, number][] = [
      [lower, 20, 0, 0.6],
      [at('middle'), 6.5, 30, 0.3],
      [at('upper'), 1.2, 60, 0.1],
    ];
    const overrides: Override[] = levels
      .filter((l): l is [Device, number, number, number] => l[0] !== undefined)
      .map(([d, target, delayS, jitter]) => ({ deviceId: d.id, quantity: 'h2s_ppm', target, profile: shift(H2S_BUILD_UP, delayS), jitter }));
    return { name: 'h2s-pit', durationS: lastT(H2S_BUILD_UP) + 60, overrides, events: [] };
  },
};

/** Heating (a runaway or a fire nearby): ~6.5 min up, 1.5 min at the top, ~8 min cooling (deluge). */
const TANK_HEAT: Profile = [
  [0, 0], [60, 0.1], [180, 0.45], [300, 0.8], [390, 1], [480, 1], [600, 0.7], [720, 0.4], [840, 0.15], [960, 0],
];

const tankTemp: ScenarioDef = {
  name: 'tank-temp',
  title: 'a tank heats past its temperature high and high-high limits, then cools',
  build(registry) {
    const d = byId(registry, 'sy-tf1-t1-sensor') ?? registry.devices.find((x) => x.kind === 'tank_sensor' && x.quantities.includes('temp_c'));
    if (!d) return null;
    const t = limitsFor(d).temp_c;
    const highHigh = t?.highHigh ?? t?.high ?? 50;
    // 4 °C past high-high: clearly over, and still a credible tank temperature.
    return {
      name: 'tank-temp',
      durationS: lastT(TANK_HEAT),
      overrides: [{ deviceId: d.id, quantity: 'temp_c', target: highHigh + 4, profile: TANK_HEAT, jitter: 0.3 }],
      events: [],
    };
  },
};

/** Queue forming over 4 min, ~15 min slow, clearing over ~5 min. */
const SLOWDOWN: Profile = [[0, 0], [120, 0.5], [240, 1], [1140, 1], [1320, 0.4], [1440, 0]];

const isG60 = (s: Site): boolean =>
  s.kind === 'segment' && /g60/i.test(`${s.id} ${s.props?.roadKey ?? ''} ${s.props?.roadName ?? ''} ${s.name}`);

/**
 * `n` consecutive segments of one road in driving order (toNode → fromNode), from the middle of
 * its first direction in the registry, so the queue is not at the very end of the road.
 */
export function segmentChain(segments: Site[], n: number): Site[] {
  const dir = segments[0]?.props?.direction;
  const same = segments.filter((s) => s.props?.direction === dir);
  const toNodes = new Set(same.map((s) => s.props?.toNode));
  const chain = [same.find((s) => !toNodes.has(s.props?.fromNode)) ?? same[0]].filter(Boolean);
  for (;;) {
    const last = chain[chain.length - 1];
    const next = same.find((s) => s.props?.fromNode === last.props?.toNode && !chain.includes(s));
    if (!next) break;
    chain.push(next);
  }
  const from = Math.max(0, Math.floor((chain.length - n) / 2));
  return chain.slice(from, from + n);
}

const g60Slowdown: ScenarioDef = {
  name: 'g60-slowdown',
  title: 'speeds on three consecutive G60 segments drop to 10–25 km/h for ~15 min, then recover',
  build(registry) {
    const chain = segmentChain(registry.sites.filter(isG60), 3);
    // Upstream end of the queue 22 km/h, the bottleneck 12, just past it 17 (GB/T 33171: ≤ 20 severe).
    const targets = [22, 12, 17];
    const overrides: Override[] = [];
    chain.forEach((seg, i) => {
      const det = registry.devices.find((d) => d.siteId === seg.id && d.kind === 'traffic_detector');
      if (det) overrides.push({ deviceId: det.id, quantity: 'speed_kmh', target: targets[i], profile: shift(SLOWDOWN, 30 * i), jitter: 2.5 });
    });
    if (overrides.length === 0) return null;
    return { name: 'g60-slowdown', durationS: lastT(SLOWDOWN) + 60, overrides, events: [] };
  },
};

/** Every scenario the simulator knows, in demo-loop order. */
export const SCENARIOS: readonly ScenarioDef[] = [h2sPit, tankTemp, g60Slowdown, ...CONFINED_SCENARIOS, ...PARK_SCENARIOS, ...ROAD_SCENARIOS];
