/**
 * The inspector's chain ventilate → test → permit → attendant → entry: what each step shows as a
 * space goes through an ordinary entry, and where it turns red when a link is broken.
 */
import { describe, expect, it } from 'vitest';
import type { ChainStatus, DeviceEvent, ReasonCode, Values } from '../../src/contracts';
import { CHAIN_STEPS } from '../../src/contracts';
import { EMPTY_SPACE, applyEntryEvent, entryRules, judgeSpace, type EntryRules, type SpaceContext, type SpaceEntryState } from '../../src/domain';

const T0 = Date.parse('2025-11-26T09:00:00+08:00');
const MIN = 60_000;
const CLEAN: Values = { o2_pct: 20.9, h2s_ppm: 0.3, co_ppm: 1, nh3_ppm: 1.5, lel_pct: 0 };
const BAD: Values = { ...CLEAN, h2s_ppm: 9 };
const RULES = entryRules({}, { purgeMinutes: 10 });

const ev = (ts: number, type: string, fields: Record<string, unknown> = {}): DeviceEvent => ({ ts, type, spaceId: 's1', ...fields }) as DeviceEvent;
const fold = (events: DeviceEvent[], rules: EntryRules = RULES, start: SpaceEntryState = EMPTY_SPACE) => events.reduce((s, e) => applyEntryEvent(s, e, e.ts, rules), start);
const ctx = (at: number): SpaceContext => ({
  maxPersons: 3,
  detectors: (['upper', 'middle', 'lower'] as const).map((level) => ({ deviceId: `g-${level}`, level, intervalS: 5, lastHeardMs: at, offline: false, alarms: [], values: CLEAN })),
});
/** The chain as `step:status:reason` rows. */
const chain = (s: SpaceEntryState, now: number, rules = RULES) =>
  judgeSpace(s, ctx(now), now, rules).chain.map((c) => `${c.step}:${c.status}${c.reason ? `:${c.reason.code}` : ''}`);

const fanOn = ev(T0, 'ventilation', { state: 'on' });
const test = (t: number, lower = CLEAN) => ev(t, 'gas.test', { levels: { upper: CLEAN, middle: CLEAN, lower } });
const permit = ev(T0 + 11 * MIN, 'permit.open', { permitId: 'P-1', workers: ['w1'], attendant: 'a1', maxPersons: 1 });
const onPost = ev(T0 + 11 * MIN, 'attendant.on', { personId: 'a1' });
const enter = (t: number, personId = 'w1') => ev(t, 'entry', { personId });

describe('entryChain', () => {
  it('lists the five steps in their order', () => {
    expect(judgeSpace(EMPTY_SPACE, ctx(T0), T0).chain.map((c) => c.step)).toEqual([...CHAIN_STEPS]);
  });

  it.each<{ what: string; events: DeviceEvent[]; now: number; rules?: EntryRules; rows: string[] }>([
    {
      what: 'an idle space',
      events: [],
      now: T0,
      rows: ['ventilate:pending:ventilation_unrecorded', 'test:pending:gas_test_missing', 'permit:pending:no_permit', 'attendant:pending', 'entry:pending:nobody_inside'],
    },
    {
      what: 'the fan running 4 min: purging',
      events: [fanOn],
      now: T0 + 4 * MIN,
      rows: ['ventilate:pending:purging', 'test:pending:gas_test_missing', 'permit:pending:no_permit', 'attendant:pending', 'entry:pending:nobody_inside'],
    },
    {
      what: 'the whole chain in order, someone inside',
      events: [fanOn, test(T0 + 10 * MIN), permit, onPost, enter(T0 + 12 * MIN)],
      now: T0 + 13 * MIN,
      rows: ['ventilate:ok', 'test:ok', 'permit:ok', 'attendant:ok:attendant_on_post', 'entry:ok'],
    },
    {
      what: 'a test taken during the purge, then entry',
      events: [fanOn, test(T0 + 5 * MIN), permit, onPost, enter(T0 + 12 * MIN)],
      now: T0 + 13 * MIN,
      rows: ['ventilate:ok', 'test:failed:purge_too_short', 'permit:ok', 'attendant:ok:attendant_on_post', 'entry:failed:purge_too_short'],
    },
    {
      what: 'a failed test: red test and a suspended permit',
      events: [fanOn, test(T0 + 10 * MIN, BAD), permit],
      now: T0 + 12 * MIN,
      rows: ['ventilate:ok', 'test:failed:gas_test_failed', 'permit:failed:permit_suspended', 'attendant:pending:attendant_unrecorded', 'entry:pending:nobody_inside'],
    },
    {
      what: 'the fan stopped with someone inside',
      events: [fanOn, test(T0 + 10 * MIN), permit, onPost, enter(T0 + 12 * MIN), ev(T0 + 14 * MIN, 'ventilation', { state: 'off' })],
      now: T0 + 15 * MIN,
      rows: ['ventilate:failed:ventilation_off', 'test:ok', 'permit:failed:permit_suspended', 'attendant:ok:attendant_on_post', 'entry:failed:evacuate'],
    },
    {
      what: 'the attendant walked away 2 min ago',
      events: [fanOn, test(T0 + 10 * MIN), permit, onPost, enter(T0 + 12 * MIN), ev(T0 + 13 * MIN, 'attendant.off', { personId: 'a1' })],
      now: T0 + 15 * MIN,
      rows: ['ventilate:ok', 'test:ok', 'permit:ok', 'attendant:failed:attendant_off_post', 'entry:ok'],
    },
    {
      what: 'empty for 61 min after work: a new test is needed',
      events: [fanOn, test(T0 + 10 * MIN), permit, onPost, enter(T0 + 12 * MIN), ev(T0 + 20 * MIN, 'exit', { personId: 'w1' })],
      now: T0 + 81 * MIN + 1,
      rows: ['ventilate:ok', 'test:pending:retest_required', 'permit:ok', 'attendant:ok:attendant_on_post', 'entry:pending:nobody_inside'],
    },
    {
      what: 'a naturally ventilated space',
      events: [test(T0), permit],
      now: T0 + 12 * MIN,
      rules: entryRules({ naturalVentilation: true }),
      rows: ['ventilate:ok:natural_ventilation', 'test:ok', 'permit:ok', 'attendant:pending:attendant_unrecorded', 'entry:pending:nobody_inside'],
    },
  ])('$what', ({ events, now, rules = RULES, rows }) => {
    expect(chain(fold(events, rules), now, rules)).toEqual(rows);
  });

  it('gives each done step its time', () => {
    const s = fold([fanOn, test(T0 + 10 * MIN), permit, onPost, enter(T0 + 12 * MIN)]);
    const at = Object.fromEntries(judgeSpace(s, ctx(T0 + 13 * MIN), T0 + 13 * MIN).chain.map((c) => [c.step, c.at]));
    expect(at).toEqual({ ventilate: T0, test: T0 + 10 * MIN, permit: T0 + 11 * MIN, attendant: T0 + 11 * MIN, entry: T0 + 12 * MIN });
  });

  it('never says ok for a step whose alarm holds', () => {
    const s = fold([enter(T0, 'x9')]);
    const j = judgeSpace(s, ctx(T0 + 1000), T0 + 1000);
    const status: Record<string, ChainStatus> = Object.fromEntries(j.chain.map((c) => [c.step, c.status]));
    expect(j.evacuate).not.toBeNull();
    expect(status.entry).toBe('failed');
    expect(status.permit).toBe('failed');
    expect(j.chain.find((c) => c.step === 'permit')?.reason?.code).toBe<ReasonCode>('no_permit');
  });
});
