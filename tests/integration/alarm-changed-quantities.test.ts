/**
 * The alarm engine evaluates only the rules of the quantities a reading carries. The same readings
 * go through two engines on real SQLite storage: one told which quantities each reading carried, one
 * not (every rule evaluated on every reading, as before); they must store the very same transitions,
 * while the first evaluates no rule of a quantity the reading did not carry.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { AlarmRecord, Device, Values } from '../../src/contracts';
import { AlarmEngine, type SceneRules } from '../../src/server/alarms';
import type { Bus } from '../../src/server/bus';
import { Metrics } from '../../src/server/metrics';
import { defineScene } from '../../src/server/scenes/scene';
import { SqliteStorage } from '../../src/server/storage/sqlite';
import { removeDir, tempDataDir } from './helpers';

const detector: Device = {
  id: 't-gas-lower', scene: 'confined', siteId: 't-pit', kind: 'gas_detector', name: 'Pit gas lower', nameZh: '下部气体',
  position: [120.7001, 30.2101, -3.5], quantities: ['o2_pct', 'h2s_ppm', 'co_ppm', 'nh3_ppm', 'lel_pct'], intervalS: 5, level: 'lower',
};
const T0 = Date.UTC(2026, 5, 1, 8);

/** One step: a reading at `t` carrying `values`, or the device going stale. */
type Step = { t: number; values: Values } | { t: number; stale: true };

/** Clean air; then H₂S and CO rise, fall back and clear, with readings of other quantities between. */
const STEPS: Step[] = [
  { t: T0, values: { o2_pct: 20.9, h2s_ppm: 0.2, co_ppm: 1, nh3_ppm: 0.5, lel_pct: 1 } },
  { t: T0 + 1000, values: { h2s_ppm: 20 } }, // critical: raised at once
  { t: T0 + 2000, values: { o2_pct: 20.8 } }, // H₂S unchanged: its rules are not evaluated
  { t: T0 + 3000, values: { co_ppm: 20 } }, // major: waits for its 2 s on-delay
  { t: T0 + 5500, values: { o2_pct: 20.7 } }, // CO unchanged, but its on-delay has run out: raised now, as before
  { t: T0 + 6000, values: { co_ppm: 40 } }, // major → critical
  { t: T0 + 7000, values: { h2s_ppm: 6.8 } }, // below 7 but inside the 0.5 deadband: major, not cleared
  { t: T0 + 8000, values: { h2s_ppm: 3 } }, // cleared
  { t: T0 + 9000, values: { nh3_ppm: 0.6, co_ppm: 0.5 } }, // CO cleared
  { t: T0 + 10_000, values: { lel_pct: 30 } }, // major LEL pending…
  { t: T0 + 10_500, stale: true }, // …void: the device went silent
  { t: T0 + 13_000, values: { o2_pct: 20.9 } }, // back: every rule again, LEL pending anew from here
  { t: T0 + 14_000, values: { o2_pct: 20.8 } }, // 1 s later: not yet
  { t: T0 + 15_000, values: { o2_pct: 18.9, h2s_ppm: 0.1 } }, // LEL's delay ran out (raised); O₂ low pending
  { t: T0 + 17_500, values: { lel_pct: 31, o2_pct: 20.9 } }, // O₂ back to normal before its delay: nothing
];

interface Run {
  transitions: string[];
  /** Per step, the rules whose conditions were evaluated and held (the scene's `decorate` sees each). */
  evaluated: string[][];
}

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

async function run(tellChanged: boolean): Promise<Run> {
  const dataDir = tempDataDir();
  dirs.push(dataDir);
  const storage = new SqliteStorage(dataDir);
  const bus: Bus = { mode: 'embedded', onMessage: () => {}, publish: async () => {}, status: () => ({ mode: 'embedded', connected: true }), close: async () => {} };
  let clock = T0;
  const engine = new AlarmEngine(storage, bus, new Metrics(() => [], () => 0), undefined, null, () => clock);
  const evaluated: string[][] = [];
  const scene: SceneRules = defineScene({
    decorate: (_device, cond) => (evaluated.at(-1)!.push(cond.rule), cond),
    live: () => null,
    at: () => null,
    routes: () => {},
  });
  engine.useScenes({ confined: scene, park: scene, roads: scene });
  const transitions: string[] = [];
  engine.onChange((a: AlarmRecord) => transitions.push(`${a.updatedAt - T0} ${a.rule} ${a.severity} ${a.state} ${String(a.value)}`));
  let merged: Values = {};
  // Synchronous, step after step, so no on-delay timer can fire between them.
  for (const step of STEPS) {
    clock = step.t;
    evaluated.push([]);
    if ('stale' in step) {
      engine.onStale(detector, true, step.t);
      continue;
    }
    merged = { ...merged, ...step.values };
    engine.onStale(detector, false, step.t);
    engine.onValues(detector, merged, step.t, tellChanged ? step.values : undefined);
  }
  engine.stopTimers();
  await storage.committed();
  await storage.close();
  return { transitions, evaluated };
}

describe('alarm rules for the changed quantities only', () => {
  it('stores the same transitions as evaluating every rule on every reading', async () => {
    const [changed, every] = [await run(true), await run(false)];
    expect(changed.transitions).toEqual(every.transitions);
    expect(changed.transitions).toEqual([
      '1000 h2s_ppm_high critical active_unack 20',
      '5500 co_ppm_high major active_unack 20',
      '6000 co_ppm_high critical active_unack 40',
      '7000 h2s_ppm_high major active_unack 6.8',
      '8000 h2s_ppm_high major cleared_unack 6.8',
      '9000 co_ppm_high critical cleared_unack 40',
      '10500 stale minor active_unack null',
      '13000 stale minor cleared_unack null',
      '15000 lel_pct_high major active_unack 30',
    ]);
  });

  it('evaluates no rule of a quantity the reading did not carry', async () => {
    const { evaluated } = await run(true);
    STEPS.forEach((step, i) => {
      if ('stale' in step) return;
      const carried = Object.keys(step.values);
      // After the stale step every rule is evaluated once (the values are the old ones, pending conditions were dropped).
      if (i === STEPS.findIndex((s) => 'stale' in s) + 1) return;
      for (const rule of evaluated[i]) expect(carried, `step ${i}: ${rule}`).toContain(rule.replace(/_(high|low)$/, ''));
    });
    // H₂S stays critical while O₂ readings come: before, every one of them evaluated it again.
    expect(evaluated[2]).toEqual([]);
    expect((await run(false)).evaluated[2]).toEqual(['h2s_ppm_high']);
    // After the silence the old LEL value holds again: evaluated though the reading carried O₂ only.
    expect(evaluated[11]).toEqual(['lel_pct_high']);
  });
});
