/**
 * The simulator core, without a broker: which device reports when, with what values, and which
 * scenarios are running. Pure and repeatable: the messages depend only on the options and on the
 * times `step` is called at (values are functions of simulated time, not of call history).
 *
 * Time: simulated time runs `speed` times faster than the wall clock from `startMs`. Values follow
 * simulated time (daily cycles, rush hours, scenarios); payload `ts` is the wall-clock time of the
 * reading, so the service accepts it (it rejects ts > 5 min ahead) and judges staleness in real time.
 */
import { deviceTopic, type Device, type Quantity, type Registry, type Site } from '../contracts';
import { signed, streamKey, unit } from './rng';
import { SCENARIOS, weightAt, type Override, type ScenarioDef, type ScenarioPlan } from './scenarios';
import { demoSchedule } from './schedule';
import { deviceValues, finish } from './streams';
import { truckRoutes, type RoadLayer, type TruckRoute } from './trucks';

/** The seed used unless one is given: the same demo every run. */
export const DEFAULT_SEED = 20251128;
/** No device publishes more often than this in wall time, whatever the speed-up. */
export const MIN_WALL_INTERVAL_MS = 250;

/** One MQTT message to publish. `payload` is the JSON text as sent. */
export interface SimMessage {
  topic: string;
  payload: string;
  retain?: boolean;
}

export interface SimulatorOptions {
  registry: Registry;
  /** Wall-clock epoch ms at which the simulation starts. */
  startMs: number;
  /** @default DEFAULT_SEED */
  seed?: number;
  /** Simulated seconds per wall second. @default 1 */
  speed?: number;
  /** Simulated time at `startMs`, e.g. to start in the morning rush. @default startMs */
  simStartMs?: number;
  /** Park roads (public/data/layers/park-roads.geojson) for truck routes. @default none: trucks loop */
  roads?: RoadLayer;
  /** A scenario to start at `startMs`. */
  scenario?: string;
  /** Play every scenario in a loop on the demo timetable (schedule.ts). @default true */
  demo?: boolean;
  /** The scenario catalogue. @default SCENARIOS */
  scenarios?: readonly ScenarioDef[];
}

export interface Simulator {
  /** Devices that publish telemetry (those with quantities), in registry order. */
  readonly devices: readonly Device[];
  /** Names of the scenarios this registry supports. */
  readonly scenarioNames: readonly string[];
  /** Simulated epoch ms at wall time `nowMs`. */
  simTime(nowMs: number): number;
  /** Telemetry of every device due since the last call (its latest reading only) and scenario events. */
  step(nowMs: number): SimMessage[];
  /** Retained status of every device of the registry: online at connect, offline at a graceful stop. */
  status(online: boolean, nowMs: number): SimMessage[];
  /** Starts scenario `name` now; false if unknown or unsupported by the registry. */
  trigger(name: string, nowMs: number): boolean;
  /** Names of the scenarios running at wall time `nowMs`. */
  activeScenarios(nowMs: number): string[];
}

interface Instance {
  plan: ScenarioPlan;
  startSimMs: number;
  byDevice: Map<string, Override[]>;
}

function indexPlan(plan: ScenarioPlan, startSimMs: number): Instance {
  const byDevice = new Map<string, Override[]>();
  for (const o of plan.overrides) byDevice.set(o.deviceId, [...(byDevice.get(o.deviceId) ?? []), o]);
  return { plan, startSimMs, byDevice };
}

export function createSimulator(opts: SimulatorOptions): Simulator {
  const { registry, startMs } = opts;
  const seed = opts.seed ?? DEFAULT_SEED;
  const speed = opts.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`speed must be a positive number, got ${speed}`);
  const simStart = opts.simStartMs ?? startMs;
  const sites = new Map<string, Site>(registry.sites.map((s) => [s.id, s]));
  const routes: Map<string, TruckRoute> = truckRoutes(registry, opts.roads);
  const devices = registry.devices.filter((d) => d.quantities.length > 0 && d.intervalS > 0);

  // Reporting schedule in simulated ms; a seeded phase spreads the devices over their interval.
  const schedule = devices.map((d) => {
    const everyMs = Math.max(d.intervalS * 1000, MIN_WALL_INTERVAL_MS * speed);
    return { device: d, everyMs, phaseMs: unit(streamKey(seed, d.id, 'phase'), 0) * everyMs, last: -1 };
  });

  const plans = (opts.scenarios ?? SCENARIOS).map((def) => def.build(registry)).filter((p): p is ScenarioPlan => p !== null);
  const planOf = (name: string) => plans.find((p) => p.name === name);
  const manual: Instance[] = [];
  const demo = demoSchedule(opts.demo === false ? [] : plans);
  const demoCache = new Map<string, Instance>();
  const maxEndMs = Math.max(0, ...demo.slots.map((s) => (s.startS + s.durationS) * 1000));
  if (opts.scenario !== undefined) {
    const p = planOf(opts.scenario);
    if (!p) throw new Error(`unknown scenario ${opts.scenario}; known: ${plans.map((x) => x.name).join(', ')}`);
    manual.push(indexPlan(p, simStart));
  }

  const simTime = (nowMs: number) => simStart + (nowMs - startMs) * speed;
  const wallOf = (simMs: number) => Math.round(startMs + (simMs - simStart) / speed);

  /** Scenario instances whose run overlaps simulated [t0, t1]. */
  function instances(t0: number, t1: number): Instance[] {
    const out = manual.filter((i) => i.startSimMs <= t1 && i.startSimMs + i.plan.durationS * 1000 >= t0);
    if (demo.slots.length === 0) return out;
    const cycleMs = demo.cycleS * 1000;
    const kMax = Math.floor((t1 - simStart) / cycleMs);
    for (let k = Math.max(0, Math.floor((t0 - simStart - maxEndMs) / cycleMs)); k <= kMax; k++) {
      demo.slots.forEach((slot, i) => {
        const startSimMs = simStart + k * cycleMs + slot.startS * 1000;
        if (startSimMs > t1 || startSimMs + slot.durationS * 1000 < t0) return;
        if (k === 0 && slot.name === opts.scenario) return; // already running from the start
        const key = `${k}/${i}`;
        let inst = demoCache.get(key);
        if (!inst) {
          inst = indexPlan(planOf(slot.name)!, startSimMs);
          demoCache.set(key, inst);
          if (demoCache.size > 64) demoCache.delete(demoCache.keys().next().value as string);
        }
        out.push(inst);
      });
    }
    return out;
  }

  function overrideFn(deviceId: string, tSim: number, active: Instance[]) {
    const mine = active.flatMap((i) => (i.byDevice.get(deviceId) ?? []).map((o) => ({ o, start: i.startSimMs })));
    return (q: Quantity, base: number): number => {
      let v = base;
      for (const { o, start } of mine) {
        if (o.quantity !== q) continue;
        const w = weightAt(o.profile, (tSim - start) / 1000);
        if (w <= 0) continue;
        v += w * (o.target - v) + w * (o.jitter ?? 0) * signed(streamKey(seed, deviceId, `jitter/${q}`), tSim);
      }
      return v;
    };
  }

  // Events are sent once each: those in (lastStepSim, now] at every step.
  let lastStepSim = simStart - 1;

  return {
    devices,
    scenarioNames: plans.map((p) => p.name),
    simTime,

    step(nowMs) {
      const now = simTime(nowMs);
      const out: SimMessage[] = [];
      for (const s of schedule) {
        const n = Math.floor((now - simStart - s.phaseMs) / s.everyMs);
        if (n < 0 || n <= s.last) continue;
        s.last = n;
        const tSim = simStart + s.phaseMs + n * s.everyMs;
        const d = s.device;
        const active = instances(tSim, tSim);
        // A scenario's silence: the device misses its readings (a dead battery, a cut cable).
        if (active.some((i) => i.plan.silences?.some((x) => x.deviceId === d.id && tSim >= i.startSimMs + x.fromS * 1000 && tSim < i.startSimMs + x.toS * 1000))) continue;
        const values = finish(
          deviceValues({ seed, device: d, site: sites.get(d.siteId), tMs: tSim, override: overrideFn(d.id, tSim, active), route: routes.get(d.id) }),
        );
        if (Object.keys(values).length === 0) continue;
        out.push({ topic: deviceTopic(d.scene, d.id, 'telemetry'), payload: JSON.stringify({ ts: wallOf(tSim), values }) });
      }
      // Scenario events that fell due in (previous step, this step].
      const from = lastStepSim;
      for (const inst of instances(from, now)) {
        for (const e of inst.plan.events) {
          const at = inst.startSimMs + e.atS * 1000;
          const d = registry.devices.find((x) => x.id === e.deviceId);
          if (at <= from || at > now || !d) continue;
          out.push({ topic: deviceTopic(d.scene, d.id, 'event'), payload: JSON.stringify({ ts: wallOf(at), ...e.event }) });
        }
      }
      lastStepSim = Math.max(lastStepSim, now);
      // Forget finished manual runs so a long session does not accumulate them.
      for (let i = manual.length - 1; i >= 0; i--) {
        if (manual[i].startSimMs + manual[i].plan.durationS * 1000 < now) manual.splice(i, 1);
      }
      return out;
    },

    status(online, nowMs) {
      const payload = JSON.stringify({ online, ts: Math.round(nowMs) });
      return registry.devices.map((d) => ({ topic: deviceTopic(d.scene, d.id, 'status'), payload, retain: true }));
    },

    trigger(name, nowMs) {
      const p = planOf(name);
      if (!p) return false;
      // Never before the last step, or its first events would be skipped.
      manual.push(indexPlan(p, Math.max(simTime(nowMs), lastStepSim + 1)));
      return true;
    },

    activeScenarios(nowMs) {
      const t = simTime(nowMs);
      return instances(t, t)
        .filter((i) => i.startSimMs <= t)
        .map((i) => i.plan.name);
    },
  };
}
