/**
 * Contract v1.1 entry rules (先通风、再检测、后作业; GB 30871-2022): ventilation before test and
 * entry, the fan stopping with people inside, re-test after a break, permit validity, the attendant
 * on and off post, O₂ enrichment — each on both sides of its boundary.
 */
import { describe, expect, it } from 'vitest';
import type { DeviceEvent, ReasonCode, Values } from '../../src/contracts';
import {
  ATTENDANT_AWAY_MS,
  EMPTY_SPACE,
  RETEST_AFTER_BREAK_MS,
  applyEntryEvent,
  entryConditions,
  entryRules,
  judgeSpace,
  reasonText,
  type DetectorContext,
  type EntryRules,
  type SpaceContext,
  type SpaceEntryState,
} from '../../src/domain';

const T0 = Date.parse('2025-11-26T09:00:00+08:00');
const SEC = 1000;
const MIN = 60 * SEC;
const CLEAN: Values = { o2_pct: 20.9, h2s_ppm: 0.3, co_ppm: 1, nh3_ppm: 1.5, lel_pct: 0 };
const RULES = entryRules({}, { purgeMinutes: 10 });
const NATURAL = entryRules({ naturalVentilation: true });

const ev = (ts: number, type: string, fields: Record<string, unknown> = {}): DeviceEvent => ({ ts, type, spaceId: 's1', ...fields }) as DeviceEvent;
const fan = (ts: number, on: boolean) => ev(ts, 'ventilation', { state: on ? 'on' : 'off' });
const gasTest = (ts: number) => ev(ts, 'gas.test', { levels: { upper: CLEAN, middle: CLEAN, lower: CLEAN } });
const permitOpen = (ts: number, extra: Record<string, unknown> = {}) =>
  ev(ts, 'permit.open', { permitId: 'P-1', workers: ['w1', 'w2'], attendant: 'a1', maxPersons: 2, ...extra });
const entry = (ts: number, personId = 'w1') => ev(ts, 'entry', { personId });
const exit = (ts: number, personId = 'w1') => ev(ts, 'exit', { personId });
const post = (ts: number, on: boolean, personId = 'a1') => ev(ts, on ? 'attendant.on' : 'attendant.off', { personId });

const fold = (events: DeviceEvent[], rules: EntryRules = RULES, start: SpaceEntryState = EMPTY_SPACE) =>
  events.reduce((s, e) => applyEntryEvent(s, e, e.ts, rules), start);

const detector = (level: 'upper' | 'middle' | 'lower', at: number, values: Values = CLEAN): DetectorContext => ({
  deviceId: `s1-gas-${level}`,
  level,
  intervalS: 5,
  lastHeardMs: at,
  offline: false,
  alarms: [],
  values,
});
const ctxAt = (at: number, lower: Values = CLEAN, others: Values = CLEAN): SpaceContext => ({
  maxPersons: 3,
  detectors: [detector('upper', at, others), detector('middle', at, others), detector('lower', at, lower)],
});
const codes = (r: { reasons: { code: ReasonCode }[] } | null) => (r ? r.reasons.map((x) => x.code) : []);

/** Fan on at T0, 10 min purge, test at +10, permit at +11, attendant on post, first entry at +12. */
const ordered = (fanOn = T0, testAt = T0 + 10 * MIN) => [fan(fanOn, true), gasTest(testAt), permitOpen(testAt + MIN), post(testAt + MIN, true), entry(testAt + 2 * MIN)];

describe('ventilate first: entering with the fan off, or before the purge, raises permit', () => {
  it.each<{ what: string; events: DeviceEvent[]; rules?: EntryRules; permit: ReasonCode[] }>([
    { what: 'the ordered chain raises nothing', events: ordered(), permit: [] },
    { what: 'test exactly purgeMinutes after the fan started: enough', events: ordered(T0, T0 + 10 * MIN), permit: [] },
    { what: 'test 1 s short of the purge', events: ordered(T0, T0 + 10 * MIN - SEC), permit: ['purge_too_short'] },
    { what: 'a repeated "on" does not restart the purge', events: [fan(T0, true), fan(T0 + 5 * MIN, true), gasTest(T0 + 10 * MIN), permitOpen(T0 + 11 * MIN), entry(T0 + 12 * MIN)], permit: [] },
    { what: 'fan stopped and restarted after the test: the test no longer counts', events: [fan(T0, true), gasTest(T0 + 10 * MIN), fan(T0 + 11 * MIN, false), fan(T0 + 12 * MIN, true), permitOpen(T0 + 13 * MIN), entry(T0 + 14 * MIN)], permit: ['purge_too_short'] },
    { what: 'entering with the fan off', events: [fan(T0, true), gasTest(T0 + 10 * MIN), permitOpen(T0 + 11 * MIN), fan(T0 + 11 * MIN, false), entry(T0 + 12 * MIN)], permit: ['entered_ventilation_off'] },
    { what: 'a naturally ventilated space needs no fan', events: [fan(T0, false), gasTest(T0 + MIN), permitOpen(T0 + 2 * MIN), entry(T0 + 3 * MIN)], rules: NATURAL, permit: [] },
    { what: 'a v1 terminal that never reports its fan raises nothing', events: [gasTest(T0), permitOpen(T0 + MIN), entry(T0 + 2 * MIN)], permit: [] },
    { what: 'unless a ventilation record is required', events: [gasTest(T0), permitOpen(T0 + MIN), entry(T0 + 2 * MIN)], rules: { ...RULES, requireVentilationRecord: true }, permit: ['entered_ventilation_unrecorded'] },
  ])('$what', ({ events, rules = RULES, permit }) => {
    const s = fold(events, rules);
    const now = events.at(-1)!.ts + SEC;
    expect(codes(judgeSpace(s, ctxAt(now), now, rules).permit)).toEqual(permit);
  });

  it('the permit alarm stands while the person who entered out of order is inside, and goes when they are out', () => {
    // w1 goes in on a test taken 5 min into the purge; a re-test at 15 min, and w2 goes in properly.
    const s = fold([fan(T0, true), gasTest(T0 + 5 * MIN), permitOpen(T0 + 6 * MIN), entry(T0 + 7 * MIN, 'w1'), gasTest(T0 + 15 * MIN), entry(T0 + 20 * MIN, 'w2')]);
    const at = (st: SpaceEntryState, now: number) => judgeSpace(st, ctxAt(now), now, RULES).permit;
    expect(at(s, T0 + 21 * MIN)?.reasons).toEqual([{ code: 'purge_too_short', params: { ranMinutes: 5, purgeMinutes: 10, personId: 'w1' } }]);
    expect(at(s, T0 + 21 * MIN)?.message).toBe('w1 entered on a gas test taken 5 min into the ventilation (purge 10 min first)');
    expect(at(fold([exit(T0 + 22 * MIN, 'w1')], RULES, s), T0 + 23 * MIN)).toBeNull();
  });
});

describe('the fan stopping while people are inside raises evacuate, unless ventilated naturally', () => {
  const inside = fold(ordered());
  const now = T0 + 20 * MIN;
  it.each<{ what: string; events: DeviceEvent[]; rules: EntryRules; evacuate: boolean }>([
    { what: 'fan running', events: [], rules: RULES, evacuate: false },
    { what: 'fan stopped', events: [fan(T0 + 15 * MIN, false)], rules: RULES, evacuate: true },
    { what: 'fan stopped and restarted', events: [fan(T0 + 15 * MIN, false), fan(T0 + 16 * MIN, true)], rules: RULES, evacuate: false },
    { what: 'fan stopped in a naturally ventilated space', events: [fan(T0 + 15 * MIN, false)], rules: NATURAL, evacuate: false },
  ])('$what → evacuate $evacuate', ({ events, rules, evacuate }) => {
    const j = judgeSpace(fold(events, rules, inside), ctxAt(now), now, rules);
    expect(codes(j.evacuate).includes('ventilation_off')).toBe(evacuate);
    if (evacuate) expect(j.evacuate).toMatchObject({ rule: 'evacuate', severity: 'critical' });
  });

  it('the v1 rules the service still runs do not read the fan', () => {
    const stopped = fold([fan(T0 + 15 * MIN, false)], RULES, inside);
    expect(entryConditions(stopped, ctxAt(now), now).evacuate).toBeNull();
  });
});

describe('re-test after a break longer than the interruption limit (GB 30871-2022: 60 min)', () => {
  const out = fold([...ordered(), exit(T0 + 30 * MIN)]);
  const back = (afterMs: number, retest = false) => {
    const t = T0 + 30 * MIN + afterMs;
    return fold([...(retest ? [gasTest(t - MIN)] : []), entry(t)], RULES, out);
  };
  it.each<{ what: string; s: SpaceEntryState; retest: boolean }>([
    { what: 'back after exactly 60 min: no re-test needed', s: back(RETEST_AFTER_BREAK_MS), retest: false },
    { what: 'back after 60 min 1 s: a new test is needed', s: back(RETEST_AFTER_BREAK_MS + SEC), retest: true },
    { what: 'back after 3 h with a new test taken during the break', s: back(3 * 60 * MIN, true), retest: false },
  ])('$what', ({ s, retest }) => {
    const now = s.updatedAt + SEC;
    expect(codes(judgeSpace(s, ctxAt(now), now, RULES).permit).includes('retest_after_break')).toBe(retest);
  });
});

describe('permit validity: entering after validUntil raises permit, people inside when it lapses raise evacuate', () => {
  const validUntil = T0 + 60 * MIN;
  const s = (enterAt: number) => fold([fan(T0, true), gasTest(T0 + 10 * MIN), permitOpen(T0 + 11 * MIN, { validUntil }), entry(enterAt)]);
  it.each<{ what: string; enterAt: number; now: number; permit: boolean; evacuate: boolean }>([
    { what: 'entry at validUntil, judged at validUntil', enterAt: validUntil, now: validUntil, permit: false, evacuate: false },
    { what: 'entry 1 ms after validUntil', enterAt: validUntil + 1, now: validUntil + 1, permit: true, evacuate: true },
    { what: 'inside before, still inside 1 ms after it lapses', enterAt: T0 + 12 * MIN, now: validUntil + 1, permit: false, evacuate: true },
  ])('$what', ({ enterAt, now, permit, evacuate }) => {
    const j = judgeSpace(s(enterAt), ctxAt(now), now, RULES);
    expect(codes(j.permit).includes('entered_after_expiry')).toBe(permit);
    expect(codes(j.evacuate).includes('permit_lapsed')).toBe(evacuate);
  });

  it('a permit without validUntil lasts the configured validity from its opening', () => {
    const st = fold([permitOpen(T0)], entryRules({}, { permitValidityMs: 8 * 60 * MIN }));
    expect(st.permit?.validUntil).toBe(T0 + 8 * 60 * MIN);
  });
});

describe('the attendant: off post more than 60 s while anyone is inside, or inside, is critical', () => {
  const base = fold(ordered()); // first entry at T0 + 12 min, attendant on post since T0 + 11 min
  const off = T0 + 15 * MIN;
  const away = fold([post(off, false)], RULES, base);
  it.each<{ what: string; s: SpaceEntryState; now: number; codes: ReasonCode[] }>([
    { what: 'on post', s: base, now: off + 10 * MIN, codes: [] },
    { what: 'off post exactly 60 s', s: away, now: off + ATTENDANT_AWAY_MS, codes: [] },
    { what: 'off post 60.001 s', s: away, now: off + ATTENDANT_AWAY_MS + 1, codes: ['attendant_off_post'] },
    { what: 'back on post', s: fold([post(off + 30 * SEC, true)], RULES, away), now: off + 5 * MIN, codes: [] },
    { what: 'another person on post does not stand in for the permit attendant', s: fold([post(off + 10 * SEC, true, 'x7')], RULES, away), now: off + 2 * MIN, codes: ['attendant_off_post'] },
    { what: 'off post with nobody inside', s: fold([exit(off - SEC)], RULES, away), now: off + 10 * MIN, codes: [] },
    { what: 'the attendant goes in', s: fold([entry(off, 'a1')], RULES, base), now: off + SEC, codes: ['attendant_inside'] },
  ])('$what → $codes', ({ s, now, codes: expected }) => {
    const hit = judgeSpace(s, ctxAt(now), now, RULES).attendant;
    expect(codes(hit)).toEqual(expected);
    if (hit) expect(hit).toMatchObject({ rule: 'attendant', severity: 'critical' });
  });

  it('counts the unattended time from the first entry when the attendant left before anyone went in', () => {
    const s = fold([fan(T0, true), gasTest(T0 + 10 * MIN), permitOpen(T0 + 11 * MIN), post(T0 + 11 * MIN, false), entry(T0 + 20 * MIN)]);
    expect(judgeSpace(s, ctxAt(T0 + 20 * MIN + 60 * SEC), T0 + 20 * MIN + 60 * SEC, RULES).attendant).toBeNull();
    const hit = judgeSpace(s, ctxAt(T0 + 20 * MIN + 61 * SEC), T0 + 20 * MIN + 61 * SEC, RULES).attendant!;
    expect(hit.reasons[0]).toEqual({ code: 'attendant_off_post', params: { personId: 'a1', awayS: 61, limitS: 60 } });
    expect(reasonText(hit.reasons[0])).toBe('attendant a1 off post for 61 s (limit 60 s)');
  });
});

describe('O₂ above 21 % with people inside is a warning (enrichment)', () => {
  const s = fold(ordered());
  const now = T0 + 20 * MIN;
  it.each<{ o2: number; inside: boolean; active?: boolean; warn: boolean }>([
    { o2: 21, inside: true, warn: false },
    { o2: 21.01, inside: true, warn: true },
    { o2: 22.5, inside: false, warn: false },
    { o2: 20.9, inside: true, active: true, warn: true },
    { o2: 20.8, inside: true, active: true, warn: false },
  ])('O₂ $o2 %, inside $inside, already active $active → $warn', ({ o2, inside, active, warn }) => {
    const st = inside ? s : fold([exit(now - MIN)], RULES, s);
    const hit = judgeSpace(st, ctxAt(now, { ...CLEAN, o2_pct: o2 }, { ...CLEAN, o2_pct: 20.5 }), now, RULES, new Set(active ? ['o2_enrichment'] : [])).o2Enrichment;
    expect(hit !== null).toBe(warn);
    if (hit) expect(hit).toMatchObject({ rule: 'o2_enrichment', severity: 'warning', value: o2, threshold: 21 });
  });
});

describe('reasons are codes first', () => {
  it('every evacuate reason of v1 words the same in English as before', () => {
    const st = fold([entry(T0, 'x9')]);
    const c = entryConditions(st, { maxPersons: 3, detectors: [] }, T0 + SEC);
    expect(c.reasons).toEqual(['no gas detector monitors the space', 'no open permit']);
    const j = judgeSpace(st, { maxPersons: 3, detectors: [] }, T0 + SEC, RULES);
    expect(codes(j.evacuate)).toEqual(['no_detector', 'no_permit']);
    expect(j.evacuate?.message).toBe(c.evacuate?.message);
  });
});
