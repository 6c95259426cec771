/**
 * The confined-space scenarios of the simulator, run through the entry rules of the domain on the
 * generated demo registry: what each scenario is meant to show is what the rules conclude.
 */
import { describe, expect, it } from 'vitest';
import { validateEvent, validateTelemetry, type DeviceEvent, type Values } from '../../src/contracts';
import { EMPTY_SPACE, applyEntryEvent, deviceConditions, entryRules, evaluateSpace, judgeSpace, type SpaceEntryState } from '../../src/domain';
import { generate } from '../../scripts/gen-data';
import { createSimulator } from '../../src/simulator/engine';
import { CONFINED_SCENARIOS, H2S_SHIFT_S, PURGE_S } from '../../src/simulator/scenarios-confined';

const { registry } = generate();
const T0 = Date.parse('2025-11-26T10:00:00+08:00');
const RULES = entryRules();
const codes = (h: { reasons: { code: string }[] } | null) => (h ? h.reasons.map((x) => x.code) : []);

interface Trace {
  spaceId: string;
  /**
   * Per second: people inside, the v1 evacuate / permit conditions' messages (what the service
   * raises today), and the v1.1 rules' reason codes (judgeSpace).
   */
  steps: { tS: number; inside: string[]; evacuate: string | null; permit: string | null; v11: Record<'evacuate' | 'permit' | 'attendant' | 'o2Enrichment', string[]> }[];
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
        state = applyEntryEvent(state, r.value, now, RULES);
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
        values: values.get(d.id),
      })),
    };
    const j = judgeSpace(state, ctx, now, RULES);
    const v11 = { evacuate: codes(j.evacuate), permit: codes(j.permit), attendant: codes(j.attendant), o2Enrichment: codes(j.o2Enrichment) };
    const r = evaluateSpace(state, ctx, now);
    state = r.state;
    out.steps.push({ tS, inside: state.inside, evacuate: r.evacuate?.message ?? null, permit: r.permit?.message ?? null, v11 });
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
    expect(t.events.map((e) => e.type)).toEqual(['ventilation', 'gas.test', 'permit.open', 'attendant.on', 'entry', 'entry', 'exit', 'exit', 'attendant.off', 'permit.close', 'ventilation']);
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
    expect(first.tS).toBeGreaterThan(H2S_SHIFT_S + 300);
    expect(first.tS).toBeLessThan(H2S_SHIFT_S + 400);
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
    // Silent from PURGE_S + 180 s; stale once 15 s pass after its last reading.
    expect(first.tS).toBeGreaterThan(PURGE_S + 190);
    expect(first.tS).toBeLessThanOrEqual(PURGE_S + 201);
    expect(first.inside).toHaveLength(2);
  });

  it.each(['work-session', 'h2s-evacuate', 'detector-silent'])('%s follows the chain: no permit or attendant alarm under the v1.1 rules', (name) => {
    const t = trace(name);
    expect(t.steps.filter((s) => s.v11.permit.length || s.v11.attendant.length || s.v11.o2Enrichment.length)).toEqual([]);
  });

  it('fan-stop: the fan stopping with two inside raises evacuate (ventilation off) until they are out', () => {
    const t = trace('fan-stop');
    const off = t.steps.filter((s) => s.v11.evacuate.includes('ventilation_off'));
    expect(off.length).toBeGreaterThan(0);
    expect(off[0].tS).toBe(PURGE_S + 300);
    expect(off[0].inside).toHaveLength(2);
    const lastInside = Math.max(...t.steps.filter((s) => s.inside.length > 0).map((s) => s.tS));
    expect(off.at(-1)!.tS).toBe(lastInside);
    expect(t.steps.filter((s) => s.tS < PURGE_S + 300).every((s) => s.v11.evacuate.length === 0)).toBe(true);
    // The v1 rules the service runs today do not read the fan.
    expect(t.steps.every((s) => s.evacuate === null)).toBe(true);
  });

  it('attendant-away: 60 s after the attendant leaves the opening, the attendant alarm, until he is back', () => {
    const t = trace('attendant-away');
    const away = t.steps.filter((s) => s.v11.attendant.includes('attendant_off_post'));
    expect(away[0].tS).toBe(PURGE_S + 240 + 61);
    expect(away.at(-1)!.tS).toBe(PURGE_S + 419);
    expect(away.every((s) => s.inside.length === 2)).toBe(true);
    expect(t.steps.filter((s) => s.v11.evacuate.length || s.v11.permit.length)).toEqual([]);
  });
});
