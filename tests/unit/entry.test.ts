/**
 * Entry rules of confined spaces (GB 30871-2022 §6.4): both sides of
 * every boundary — gas-test limits, the 30-minute validity, the head count — and every reason for
 * an evacuate alarm.
 */
import { describe, expect, it } from 'vitest';
import type { DeviceEvent, Quantity, Values } from '../../src/contracts';
import {
  EMPTY_SPACE,
  applyEntryEvent,
  compareSpaces,
  entryConditions,
  evaluateSpace,
  judgeGasTest,
  permitIssue,
  spaceStatus,
  type DetectorContext,
  type SpaceContext,
  type SpaceEntryState,
} from '../../src/domain';

const titled = <T extends { what: string }>(rows: T[]): [string, T][] => rows.map((r) => [r.what, r]);

const T0 = Date.parse('2025-11-26T09:00:00+08:00');
const MIN = 60_000;
const CLEAN: Values = { o2_pct: 20.9, h2s_ppm: 0.3, co_ppm: 1, nh3_ppm: 1.5, lel_pct: 0 };

const ev = (ts: number, type: string, fields: Record<string, unknown> = {}): DeviceEvent => ({ ts, type, ...fields }) as DeviceEvent;
const gasTest = (ts: number, lower: Values = CLEAN, others: Values = CLEAN) =>
  ev(ts, 'gas.test', { spaceId: 's1', levels: { upper: others, middle: others, lower } });
const permitOpen = (ts: number, extra: Record<string, unknown> = {}) =>
  ev(ts, 'permit.open', { permitId: 'P-1', spaceId: 's1', workers: ['w1', 'w2'], attendant: 'a1', maxPersons: 2, ...extra });
const entry = (ts: number, personId: string) => ev(ts, 'entry', { spaceId: 's1', personId });
const exit = (ts: number, personId: string) => ev(ts, 'exit', { spaceId: 's1', personId });

function fold(events: DeviceEvent[], start: SpaceEntryState = EMPTY_SPACE): SpaceEntryState {
  return events.reduce((s, e) => applyEntryEvent(s, e, e.ts), start);
}

const detector = (level: 'upper' | 'middle' | 'lower', extra: Partial<DetectorContext> = {}): DetectorContext => ({
  deviceId: `s1-gas-${level}`,
  level,
  intervalS: 5,
  lastHeardMs: T0,
  offline: false,
  alarms: [],
  ...extra,
});
const healthy: SpaceContext = { maxPersons: 3, detectors: [detector('upper'), detector('middle'), detector('lower')] };

/** The usual session: test, permit 5 min later, two workers in. */
const working = fold([gasTest(T0), permitOpen(T0 + 5 * MIN), entry(T0 + 6 * MIN, 'w1'), entry(T0 + 6 * MIN + 10_000, 'w2')]);
const NOW = T0 + 10 * MIN;
/** Detectors heard just now, so staleness does not interfere with the other rules. */
const fresh = (ctx: SpaceContext, at = NOW): SpaceContext => ({ ...ctx, detectors: ctx.detectors.map((d) => ({ ...d, lastHeardMs: at })) });

describe('gas test: the "entry allowed" column, both sides', () => {
  it.each<{ q: Quantity; v: number; pass: boolean }>([
    { q: 'o2_pct', v: 19.4, pass: false },
    { q: 'o2_pct', v: 19.5, pass: true },
    { q: 'o2_pct', v: 21, pass: true },
    { q: 'o2_pct', v: 21.1, pass: false },
    { q: 'h2s_ppm', v: 6.9, pass: true },
    { q: 'h2s_ppm', v: 7, pass: false },
    { q: 'co_ppm', v: 16.9, pass: true },
    { q: 'co_ppm', v: 17, pass: false },
    { q: 'nh3_ppm', v: 27.9, pass: true },
    { q: 'nh3_ppm', v: 28, pass: false },
    { q: 'lel_pct', v: 9.9, pass: true },
    { q: 'lel_pct', v: 10, pass: false },
  ])('$q = $v at the lower level: pass $pass', ({ q, v, pass }) => {
    const t = judgeGasTest(T0, { upper: CLEAN, middle: CLEAN, lower: { ...CLEAN, [q]: v } });
    expect(t.pass).toBe(pass);
    expect(t.failures).toEqual(pass ? [] : [{ level: 'lower', quantity: q, value: v, allowed: expect.any(String) }]);
  });

  it('fails a level that lacks a four-gas channel, and passes one without NH₃', () => {
    const { nh3_ppm: _nh3, ...noNh3 } = CLEAN;
    expect(judgeGasTest(T0, { upper: noNh3, middle: noNh3, lower: noNh3 }).pass).toBe(true);
    const { o2_pct: _o2, ...noO2 } = CLEAN;
    const t = judgeGasTest(T0, { upper: CLEAN, middle: noO2, lower: CLEAN });
    expect(t.failures).toEqual([{ level: 'middle', quantity: 'o2_pct', value: null, allowed: '19.5–21' }]);
  });

  it('ignores a test reported after a newer one', () => {
    const s = fold([gasTest(T0 + MIN), gasTest(T0, { ...CLEAN, h2s_ppm: 20 })]);
    expect(s.lastGasTest).toMatchObject({ ts: T0 + MIN, pass: true });
  });
});

describe('permit alarm: a failed, expired or missing gas test (30 min validity)', () => {
  it.each(
    titled<{ what: string; events: DeviceEvent[]; issue: RegExp | null }>([
      { what: 'permit 29:59 after a passing test is valid', events: [gasTest(T0), permitOpen(T0 + 29 * MIN + 59_000)], issue: null },
      { what: 'permit exactly 30:00 after is valid', events: [gasTest(T0), permitOpen(T0 + 30 * MIN)], issue: null },
      { what: 'permit 30:01 after has expired', events: [gasTest(T0), permitOpen(T0 + 30 * MIN + 1000)], issue: /opened 30 min after the gas test/ },
      { what: 'permit without any test', events: [permitOpen(T0)], issue: /without a gas test/ },
      { what: 'permit on a failed test', events: [gasTest(T0, { ...CLEAN, h2s_ppm: 9 }), permitOpen(T0 + MIN)], issue: /failed: lower h2s_ppm 9 \(allowed < 7\)/ },
      { what: 'an expired permit is healed by a passing re-test', events: [gasTest(T0), permitOpen(T0 + 45 * MIN), gasTest(T0 + 46 * MIN)], issue: null },
      { what: 'a failed re-test after a good permit', events: [gasTest(T0), permitOpen(T0 + MIN), gasTest(T0 + 2 * MIN, { ...CLEAN, o2_pct: 19.4 })], issue: /failed: lower o2_pct 19.4/ },
      { what: 'first entry 29:59 after the test', events: [gasTest(T0), permitOpen(T0 + MIN), entry(T0 + 29 * MIN + 59_000, 'w1')], issue: null },
      { what: 'first entry 30:01 after the test', events: [gasTest(T0), permitOpen(T0 + MIN), entry(T0 + 30 * MIN + 1000, 'w1')], issue: /first entry 30 min after/ },
      { what: 'no permit, no permit alarm', events: [gasTest(T0, { ...CLEAN, h2s_ppm: 30 })], issue: null },
      { what: 'a closed permit raises nothing', events: [permitOpen(T0), ev(T0 + MIN, 'permit.close', { permitId: 'P-1' })], issue: null },
    ]),
  )('%s', (_, { events, issue }) => {
    const s = fold(events);
    const c = entryConditions(s, healthy, events[events.length - 1].ts);
    if (issue === null) expect(c.permit).toBeNull();
    else expect(c.permit).toMatchObject({ rule: 'permit', severity: 'major', message: expect.stringMatching(issue) });
    expect(permitIssue(s) === null).toBe(issue === null);
  });
});

describe('evacuate: anyone inside an unsafe space', () => {
  it('holds nothing for a proper work session', () => {
    expect(entryConditions(working, fresh(healthy), NOW)).toEqual({ evacuate: null, permit: null, reasons: [] });
  });

  it.each(
    titled<{ what: string; state?: SpaceEntryState; ctx?: SpaceContext; now?: number; reason: RegExp | null }>([
      { what: 'a channel in alarm', ctx: { ...healthy, detectors: [detector('upper'), detector('middle'), detector('lower', { alarms: [{ rule: 'h2s_ppm_high', severity: 'major', message: 'h2s_ppm 7.2 ≥ 7' }] })] }, reason: /lower detector: h2s_ppm 7.2 ≥ 7 \(major\)/ },
      { what: 'a detector silent 15.0 s: not stale yet', ctx: fresh(healthy, NOW - 15_000), reason: null },
      { what: 'a detector silent 15.001 s: stale', ctx: { ...healthy, detectors: [detector('upper', { lastHeardMs: NOW }), detector('middle', { lastHeardMs: NOW - 15_001 }), detector('lower', { lastHeardMs: NOW })] }, reason: /middle detector silent for more than 15 s/ },
      { what: 'a detector offline', ctx: { ...healthy, detectors: [...fresh(healthy).detectors.slice(0, 2), detector('lower', { lastHeardMs: NOW, offline: true })] }, reason: /lower detector offline/ },
      { what: 'no detector at all', ctx: { maxPersons: 3, detectors: [] }, reason: /no gas detector/ },
      { what: 'no open permit', state: fold([entry(T0, 'w1')]), reason: /no open permit/ },
      { what: 'the permit closed with people inside', state: fold([ev(NOW, 'permit.close', { permitId: 'P-1' })], working), reason: /no open permit/ },
      { what: 'a person not on the permit', state: fold([exit(NOW, 'w2'), entry(NOW, 'x9')], working), reason: /x9 is not on permit P-1/ },
      { what: 'the attendant inside', state: fold([exit(NOW, 'w2'), entry(NOW, 'a1')], working), reason: /attendant a1 is inside/ },
      { what: 'head count equal to the permit: fine', state: working, reason: null },
      { what: 'head count over the permit', state: fold([permitOpen(T0 + 5 * MIN, { permitId: 'P-2', workers: ['w1', 'w2', 'w3'], maxPersons: 2 }), entry(NOW, 'w1'), entry(NOW, 'w2'), entry(NOW, 'w3')], fold([gasTest(T0)])), reason: /3 inside, 2 allowed/ },
      { what: 'head count over the space (permit allows more)', ctx: fresh({ ...healthy, maxPersons: 1 }), reason: /2 inside, 1 allowed/ },
      { what: 'head count equal to the space', ctx: fresh({ ...healthy, maxPersons: 2 }), reason: null },
      { what: 'a suspended permit', state: { ...working, permit: { ...working.permit!, suspended: true, suspendReason: 'evacuate: x' } }, reason: /permit P-1 suspended \(evacuate: x\)/ },
    ]),
  )('%s', (_, { state = working, ctx = fresh(healthy), now = NOW, reason }) => {
    const c = entryConditions(state, ctx, now);
    if (reason === null) return expect(c.evacuate).toBeNull();
    expect(c.evacuate).toMatchObject({ rule: 'evacuate', severity: 'critical', value: state.inside.length });
    expect(c.evacuate!.message).toMatch(reason);
    expect(c.reasons.some((r) => reason.test(r))).toBe(true);
  });

  it('names everyone inside and every reason, gas first', () => {
    const ctx: SpaceContext = {
      maxPersons: 3,
      detectors: [
        detector('upper', { lastHeardMs: NOW }),
        detector('middle', { lastHeardMs: T0 }),
        detector('lower', { lastHeardMs: NOW, alarms: [{ rule: 'h2s_ppm_high', severity: 'critical', message: 'h2s_ppm 15 ≥ 14' }] }),
      ],
    };
    const c = entryConditions(fold([ev(NOW, 'permit.close', { permitId: 'P-1' })], working), ctx, NOW);
    expect(c.reasons).toEqual(['lower detector: h2s_ppm 15 ≥ 14 (critical)', 'middle detector silent for more than 15 s', 'no open permit']);
    expect(c.evacuate!.message).toBe('evacuate: 2 inside (w1, w2): lower detector: h2s_ppm 15 ≥ 14 (critical); middle detector silent for more than 15 s; no open permit');
  });

  it('clears when the last person is out, whatever else is wrong', () => {
    const out = fold([exit(NOW, 'w1'), exit(NOW, 'w2')], working);
    expect(entryConditions(out, { maxPersons: 3, detectors: [] }, NOW).evacuate).toBeNull();
    expect(out.inside).toEqual([]);
    expect(out.enteredAt).toEqual({});
  });
});

describe('an evacuate alarm suspends the permit until a new gas test passes', () => {
  const alarmed: SpaceContext = {
    ...fresh(healthy),
    detectors: [detector('upper', { lastHeardMs: NOW }), detector('middle', { lastHeardMs: NOW }), detector('lower', { lastHeardMs: NOW, alarms: [{ rule: 'h2s_ppm_high', severity: 'critical', message: 'h2s_ppm 16 ≥ 14' }] })],
  };

  it('suspends, keeps people out after the gas clears, and lifts on a passing test only', () => {
    const r1 = evaluateSpace(working, alarmed, NOW);
    expect(r1.evacuate).not.toBeNull();
    expect(r1.state.permit).toMatchObject({ suspended: true, suspendReason: 'evacuate: lower detector: h2s_ppm 16 ≥ 14 (critical)' });
    // Gas back to normal, people still inside: the suspended permit keeps the alarm.
    expect(evaluateSpace(r1.state, fresh(healthy), NOW).reasons).toEqual([expect.stringMatching(/permit P-1 suspended/)]);
    const out = fold([exit(NOW, 'w1'), exit(NOW, 'w2')], r1.state);
    expect(evaluateSpace(out, fresh(healthy), NOW).evacuate).toBeNull();
    // Re-entry before a re-test: evacuate again.
    expect(evaluateSpace(fold([entry(NOW + MIN, 'w1')], out), fresh(healthy, NOW + MIN), NOW + MIN).reasons).toEqual([expect.stringMatching(/suspended/)]);
    // A failing re-test keeps it suspended, a passing one lifts it.
    const failed = fold([gasTest(NOW + MIN, { ...CLEAN, h2s_ppm: 8 })], out);
    expect(failed.permit).toMatchObject({ suspended: true, suspendReason: expect.stringMatching(/gas test failed/) });
    const passed = fold([gasTest(NOW + 2 * MIN)], failed);
    expect(passed.permit).toMatchObject({ suspended: false, suspendReason: null, gasTestAt: NOW + 2 * MIN });
    expect(evaluateSpace(fold([entry(NOW + 3 * MIN, 'w1')], passed), fresh(healthy, NOW + 3 * MIN), NOW + 3 * MIN).evacuate).toBeNull();
  });

  it('a permit opened on a failed test starts suspended, so entering is an evacuate', () => {
    const s = fold([gasTest(T0, { ...CLEAN, lel_pct: 12 }), permitOpen(T0 + MIN), entry(T0 + 2 * MIN, 'w1')]);
    expect(s.permit).toMatchObject({ suspended: true });
    const c = entryConditions(s, fresh(healthy, T0 + 2 * MIN), T0 + 2 * MIN);
    expect(c.permit?.message).toMatch(/lower lel_pct 12/);
    expect(c.reasons).toEqual([expect.stringMatching(/permit P-1 suspended \(gas test failed: lower lel_pct 12/)]);
  });

  it('leaves an already suspended permit as it is', () => {
    const r1 = evaluateSpace(working, alarmed, NOW);
    expect(evaluateSpace(r1.state, alarmed, NOW + 1000).state).toBe(r1.state);
  });
});

describe('event folding', () => {
  it('counts a repeated entry once and ignores an exit of someone not inside', () => {
    const s = fold([entry(T0, 'w1'), entry(T0 + 1000, 'w1'), exit(T0 + 2000, 'w9')]);
    expect(s.inside).toEqual(['w1']);
    expect(s.enteredAt).toEqual({ w1: T0 });
  });

  it('closes only the permit named, and tracks ventilation', () => {
    const s = fold([permitOpen(T0), ev(T0 + 1, 'permit.close', { permitId: 'P-0' }), ev(T0 + 2, 'ventilation', { spaceId: 's1', state: 'on' })]);
    expect(s.permit?.permitId).toBe('P-1');
    expect(s.ventilation).toEqual({ on: true, ts: T0 + 2 });
    expect(fold([ev(T0 + 3, 'permit.close', { permitId: 'P-1' })], s).permit).toBeNull();
  });

  it('ignores unknown and malformed events', () => {
    expect(fold([ev(T0, 'incident', {}), ev(T0, 'permit.open', { permitId: 'x' }), ev(T0, 'ventilation', { state: 'maybe' })])).toBe(EMPTY_SPACE);
  });

  it('records the first entry under a permit once', () => {
    const s = fold([gasTest(T0), permitOpen(T0), entry(T0 + MIN, 'w1'), exit(T0 + 2 * MIN, 'w1'), entry(T0 + 3 * MIN, 'w2')]);
    expect(s.permit?.firstEntryAt).toBe(T0 + MIN);
  });
});

describe('inspector list order', () => {
  it.each([
    [{ evacuate: true, activeAlarms: 3, inside: 1, permitOpen: true }, 'evacuate'],
    [{ evacuate: false, activeAlarms: 1, inside: 0, permitOpen: false }, 'alarm'],
    [{ evacuate: false, activeAlarms: 0, inside: 2, permitOpen: true }, 'occupied'],
    [{ evacuate: false, activeAlarms: 0, inside: 0, permitOpen: true }, 'permit'],
    [{ evacuate: false, activeAlarms: 0, inside: 0, permitOpen: false }, 'idle'],
  ] as const)('%o is %s', (s, status) => expect(spaceStatus(s)).toBe(status));

  it('sorts worst first: status, severity, people inside, id', () => {
    const rows = [
      { id: 'd', status: 'idle', worstSeverity: null, inside: [] },
      { id: 'c', status: 'alarm', worstSeverity: 'major', inside: [] },
      { id: 'b', status: 'alarm', worstSeverity: 'critical', inside: [] },
      { id: 'e', status: 'occupied', worstSeverity: null, inside: ['x'] },
      { id: 'f', status: 'occupied', worstSeverity: null, inside: ['x', 'y'] },
      { id: 'a', status: 'evacuate', worstSeverity: 'critical', inside: ['x'] },
    ] as const;
    expect([...rows].sort(compareSpaces).map((r) => r.id)).toEqual(['a', 'b', 'c', 'f', 'e', 'd']);
  });
});
