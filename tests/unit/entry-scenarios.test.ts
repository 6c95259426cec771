/**
 * The confined-space scenarios of the simulator, run through the entry rules of the domain on the
 * generated demo registry: what each scenario is meant to show is what the rules conclude.
 */
import { describe, expect, it } from 'vitest';
import { validateEvent, validateTelemetry, type DeviceEvent, type Values } from '../../src/contracts';
import { EMPTY_SPACE, applyEntryEvent, deviceConditions, evaluateSpace, type SpaceEntryState } from '../../src/domain';
import { generate } from '../../scripts/gen-data';
import { createSimulator } from '../../src/simulator/engine';
import { CONFINED_SCENARIOS } from '../../src/simulator/scenarios-confined';

const { registry } = generate();
const T0 = Date.parse('2025-11-26T10:00:00+08:00');

interface Trace {
  spaceId: string;
  /** Per second: people inside and the evacuate / permit conditions' messages. */
  steps: { tS: number; inside: string[]; evacuate: string | null; permit: string | null }[];
  events: DeviceEvent[];
  final: SpaceEntryState;
}

/** Runs one scenario at speed 1, stepping every second, evaluating its space as the service would. */
function trace(name: string): Trace {
  const plan = CONFINED_SCENARIOS.find((s) => s.name === name)!.build(registry)!;
  const accessId = plan.events[0].deviceId;
  const access = registry.devices.find((d) => d.id === accessId)!;
  const spaceId = access.siteId;
  const detectors = registry.devices.filter((d) => d.siteId === spaceId && d.kind === 'gas_detector');
  const site = registry.sites.find((s) => s.id === spaceId)!;
  const sim = createSimulator({ registry, startMs: T0, scenario: name, demo: false });
  const heard = new Map<string, number>(detectors.map((d) => [d.id, T0]));
  const values = new Map<string, Values>();
  let state = EMPTY_SPACE;
  const out: Trace = { spaceId, steps: [], events: [], final: state };
  for (let tS = 0; tS <= plan.durationS; tS++) {
    const now = T0 + tS * 1000;
    for (const m of sim.step(now)) {
      const [, , , deviceId, channel] = m.topic.split('/');
      if (channel === 'event' && deviceId === accessId) {
        const r = validateEvent(JSON.parse(m.payload), now);
        if (!r.ok) throw new Error(`${name}: invalid event ${m.payload}`);
        out.events.push(r.value);
        state = applyEntryEvent(state, r.value, now);
      } else if (channel === 'telemetry' && heard.has(deviceId)) {
        const r = validateTelemetry(JSON.parse(m.payload), now);
        expect(r.rejects).toEqual([]);
        heard.set(deviceId, now);
        values.set(deviceId, { ...values.get(deviceId), ...r.accepted[0].values });
      }
    }
    const ctx = {
      maxPersons: site.props?.maxPersons as number,
      detectors: detectors.map((d) => ({
        deviceId: d.id,
        level: d.level,
        intervalS: d.intervalS,
        lastHeardMs: heard.get(d.id)!,
        offline: false,
        alarms: deviceConditions(d, values.get(d.id) ?? {}),
      })),
    };
    const r = evaluateSpace(state, ctx, now);
    state = r.state;
    out.steps.push({ tS, inside: state.inside, evacuate: r.evacuate?.message ?? null, permit: r.permit?.message ?? null });
  }
  out.final = state;
  return out;
}

const firstEvacuate = (t: Trace) => t.steps.find((s) => s.evacuate !== null);

describe('confined scenarios through the entry rules (demo registry)', () => {
  it.each(CONFINED_SCENARIOS.map((s) => s.name))('%s ends with everyone out and no permit open', (name) => {
    const t = trace(name);
    expect(t.final.inside).toEqual([]);
    expect(t.final.permit).toBeNull();
    expect(t.steps.at(-1)!.evacuate).toBeNull();
  });

  it('work-session: ventilate, test, permit, two in and out, never an alarm', () => {
    const t = trace('work-session');
    expect(t.spaceId).toBe('kq-p2-s3');
    expect(t.events.map((e) => e.type)).toEqual(['ventilation', 'gas.test', 'permit.open', 'entry', 'entry', 'exit', 'exit', 'ventilation', 'permit.close']);
    expect(t.events.at(-1)!.ts - t.events[0].ts).toBeGreaterThanOrEqual(18 * 60_000);
    expect(Math.max(...t.steps.map((s) => s.inside.length))).toBe(2);
    expect(t.steps.filter((s) => s.evacuate || s.permit)).toEqual([]);
  });

  it('h2s-evacuate: H₂S in the lower layer raises evacuate while both are inside, and the permit is suspended', () => {
    const t = trace('h2s-evacuate');
    expect(t.spaceId).toBe('kq-p1-s1');
    const first = firstEvacuate(t)!;
    expect(first.inside).toHaveLength(2);
    expect(first.evacuate).toMatch(/lower detector: h2s_ppm \d+(\.\d+)? ≥ 7 \(major\)/);
    expect(first.tS).toBeGreaterThan(300);
    expect(first.tS).toBeLessThan(400);
    expect(t.steps.some((s) => /h2s_ppm [\d.]+ ≥ 14 \(critical\)/.test(s.evacuate ?? ''))).toBe(true);
    // The alarm lasts until both are out, then nothing.
    const lastInside = Math.max(...t.steps.filter((s) => s.inside.length > 0).map((s) => s.tS));
    expect(t.steps.filter((s) => s.tS > first.tS && s.tS <= lastInside).every((s) => s.evacuate !== null)).toBe(true);
    expect(t.steps.filter((s) => s.tS > lastInside).every((s) => s.evacuate === null)).toBe(true);
  });

  it('no-permit-entry: evacuate from the moment of entry, for want of a permit', () => {
    const t = trace('no-permit-entry');
    const first = firstEvacuate(t)!;
    expect(first.tS).toBe(0);
    expect(first.evacuate).toBe('evacuate: 1 inside (W0611): no open permit');
  });

  it('detector-silent: the middle detector goes stale with people inside', () => {
    const t = trace('detector-silent');
    const first = firstEvacuate(t)!;
    expect(first.evacuate).toMatch(/middle detector silent for more than 15 s/);
    // Silent from 300 s; stale once 15 s pass after its last reading.
    expect(first.tS).toBeGreaterThan(310);
    expect(first.tS).toBeLessThanOrEqual(321);
    expect(first.inside).toHaveLength(2);
  });
});
