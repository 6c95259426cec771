/**
 * Demo pacing: a new user of `npm start` sees an alarm within two minutes and every scenario within
 * fifteen, at ×1 and at any SIMULATE_SPEED above it. Pure: the timetable and the engine are asked
 * about wall times, nothing waits.
 */
import { describe, expect, it } from 'vitest';
import { validateEvent } from '../../src/contracts';
import { EMPTY_SPACE, applyEntryEvent, evaluateSpace, entryRules } from '../../src/domain';
import { generate } from '../../scripts/gen-data';
import { createSimulator } from '../../src/simulator/engine';
import { SCENARIOS } from '../../src/simulator/scenarios';
import { DEMO_ORDER, demoSchedule } from '../../src/simulator/schedule';

const { registry } = generate();
const plans = SCENARIOS.map((s) => s.build(registry)).filter((p) => p !== null);
const T0 = Date.parse('2025-11-26T10:00:00+08:00');
const MIN = 60_000;

describe('demo timetable', () => {
  it('holds every scenario of the catalogue exactly once, in the demo order', () => {
    const { slots } = demoSchedule(plans);
    expect(plans).toHaveLength(SCENARIOS.length); // the demo registry can play them all
    expect(slots.map((s) => s.name).sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
    expect(DEMO_ORDER.slice().sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
  });

  it.each([1, 2, 4])('at ×%s: an alarm-raising scenario first, before 2 min; all started by 15 min', (speed) => {
    const { slots } = demoSchedule(plans);
    const wallS = (simS: number) => simS / speed;
    // A worker climbing into a sump with no permit is an evacuate alarm at the entry, its 0 s.
    expect(slots[0].name).toBe('no-permit-entry');
    expect(wallS(slots[0].startS)).toBeLessThan(120);
    for (const s of slots) expect(wallS(s.startS), s.name).toBeLessThanOrEqual(15 * 60);
  });

  it('starts the loop again only after every run has ended: a scenario never overlaps itself', () => {
    const { slots, cycleS } = demoSchedule(plans);
    for (const s of slots) expect(s.startS + cycleS, s.name).toBeGreaterThan(Math.max(...slots.map((x) => x.startS + x.durationS)));
  });

  it('is empty without scenarios', () => {
    expect(demoSchedule([]).slots).toEqual([]);
  });
});

describe('demo loop in the engine (×1, the default of npm start)', () => {
  it('runs every scenario within 15 wall minutes, then again after the loop', () => {
    const sim = createSimulator({ registry, startMs: T0 });
    const seen = new Set<string>();
    for (let t = T0; t <= T0 + 15 * MIN; t += 10_000) for (const n of sim.activeScenarios(t)) seen.add(n);
    expect([...seen].sort()).toEqual(sim.scenarioNames.slice().sort());
    const { cycleS } = demoSchedule(plans);
    expect(sim.activeScenarios(T0 + (cycleS + 60) * 1000)).toContain('no-permit-entry');
  });

  it('has a space in evacuate within 2 minutes of the start', () => {
    const sim = createSimulator({ registry, startMs: T0 });
    const rules = entryRules();
    const spaces = new Map<string, typeof EMPTY_SPACE>();
    let first: { tS: number; message: string } | null = null;
    for (let tS = 0; tS <= 120 && first === null; tS++) {
      const now = T0 + tS * 1000;
      for (const m of sim.step(now)) {
        if (!m.topic.endsWith('/event')) continue;
        const r = validateEvent(JSON.parse(m.payload), now);
        if (!r.ok || !('spaceId' in r.value)) continue;
        const id = String(r.value.spaceId);
        const next = applyEntryEvent(spaces.get(id) ?? EMPTY_SPACE, r.value, now, rules);
        spaces.set(id, next);
        const site = registry.sites.find((s) => s.id === id)!;
        // Its detectors all reporting normal values: what raises the alarm is the entry itself.
        const detectors = registry.devices
          .filter((d) => d.siteId === id && d.kind === 'gas_detector')
          .map((d) => ({ deviceId: d.id, level: d.level, intervalS: d.intervalS, lastHeardMs: now, offline: false, alarms: [] }));
        const judged = evaluateSpace(next, { maxPersons: site.props?.maxPersons as number, detectors }, now);
        if (judged.evacuate) first = { tS, message: judged.evacuate.message };
      }
    }
    expect(first).not.toBeNull();
    expect(first!.tS).toBeLessThan(120);
    expect(first!.message).toMatch(/no open permit/);
  });
});
