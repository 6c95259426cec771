/**
 * Contract v1.1 "Safety alarms cannot be shelved": which alarms may be shelved, and what happens to
 * a shelved alarm that worsens or whose shelve ends with the condition still present.
 */
import { describe, expect, it } from 'vitest';
import type { AlarmRecord, Scene, Severity } from '../../src/contracts';
import { EMPTY_SPACE, applyEntryEvent, isEscalationDue, mustUnshelve, raiseAlarm, shelveContext, shelveExpired, shelveRefusal, transition, type ShelveContext } from '../../src/domain';

const T0 = 1_764_300_000_000;
const SEC = 1000;
const MIN = 60 * SEC;
const EMPTY: ShelveContext = { peopleInside: 0, permitOpen: false };

const alarm = (scene: Scene, rule: string, severity: Severity): AlarmRecord =>
  raiseAlarm({ scene, siteId: 's', deviceId: 'd', rule, severity, message: rule, value: 1, threshold: 1, raisedAt: T0 });

describe('shelveRefusal: not_shelvable on both sides of every rule', () => {
  it.each<{ what: string; scene: Scene; rule: string; severity: Severity; ctx: ShelveContext; reason?: string; refused: string | null }>([
    { what: 'a major boundary-gas alarm in the park', scene: 'park', rule: 'cl2_ppm_high', severity: 'major', ctx: EMPTY, refused: null },
    { what: 'the same alarm once critical', scene: 'park', rule: 'cl2_ppm_high', severity: 'critical', ctx: EMPTY, refused: 'critical' },
    { what: 'a minor fog alarm', scene: 'roads', rule: 'fog', severity: 'minor', ctx: EMPTY, refused: null },
    { what: 'a critical fog alarm (< 50 m)', scene: 'roads', rule: 'fog', severity: 'critical', ctx: EMPTY, refused: 'critical' },
    { what: 'an evacuate alarm, even if its severity were lowered', scene: 'confined', rule: 'evacuate', severity: 'major', ctx: EMPTY, refused: 'evacuate' },
    { what: 'an attendant alarm', scene: 'confined', rule: 'attendant', severity: 'major', ctx: EMPTY, refused: 'attendant' },
    { what: 'a major H₂S alarm of an empty space without a permit', scene: 'confined', rule: 'h2s_ppm_high', severity: 'major', ctx: EMPTY, refused: null },
    { what: 'the same with one person inside', scene: 'confined', rule: 'h2s_ppm_high', severity: 'major', ctx: { peopleInside: 1, permitOpen: false }, refused: 'space_occupied' },
    { what: 'the same with a permit open and nobody inside', scene: 'confined', rule: 'h2s_ppm_high', severity: 'major', ctx: { peopleInside: 0, permitOpen: true }, refused: 'permit_open' },
    { what: 'a stale detector of an occupied space', scene: 'confined', rule: 'stale', severity: 'warning', ctx: { peopleInside: 2, permitOpen: true }, refused: 'space_occupied' },
    { what: 'a park alarm is not held back by a confined space context', scene: 'park', rule: 'level_pct_high', severity: 'major', ctx: { peopleInside: 3, permitOpen: true }, refused: null },
  ])('$what → $refused', ({ scene, rule, severity, ctx, reason, refused }) => {
    const r = shelveRefusal(alarm(scene, rule, severity), reason ?? 'sensor maintenance', ctx);
    expect(r === null ? null : r.error === 'not_shelvable' ? r.why : r.error).toBe(refused);
  });

  it.each(['', '   ', '\n'])('needs a reason: %j is refused, "x" is not', (reason) => {
    expect(shelveRefusal(alarm('park', 'fog', 'minor'), reason, EMPTY)).toEqual({ error: 'reason_required' });
    expect(shelveRefusal(alarm('park', 'fog', 'minor'), 'x', EMPTY)).toBeNull();
  });

  it('a closed alarm is not shelvable', () => {
    const closed = transition(transition(alarm('park', 'fog', 'minor'), { type: 'ack', nowMs: T0 + SEC, user: 'u' }), { type: 'clear', nowMs: T0 + 2 * SEC });
    expect(closed.state).toBe('closed');
    expect(shelveRefusal(closed, 'why', EMPTY)).toEqual({ error: 'not_shelvable', why: 'closed' });
  });
});

describe('a shelved alarm that worsens, or whose shelve ends while it holds', () => {
  const shelved = transition(alarm('park', 'nh3_ppm_high', 'major'), { type: 'shelve', nowMs: T0 + 10 * SEC, untilMs: T0 + 30 * MIN, reason: 'calibration', user: 'park_manager' });
  const worse = { value: 80, message: 'nh3_ppm 80 ≥ 57', threshold: 57 };

  it('stays shelved while its severity holds or eases', () => {
    const same = transition(shelved, { type: 'update', nowMs: T0 + 60 * SEC, severity: 'major', ...worse });
    expect(same.state).toBe('shelved');
    const easier = transition(shelved, { type: 'update', nowMs: T0 + 60 * SEC, severity: 'minor', ...worse });
    expect(easier.state).toBe('shelved');
  });

  it('comes back as active_unack when its severity rises, and is due for escalation like any other', () => {
    const up = transition(shelved, { type: 'update', nowMs: T0 + 60 * SEC, severity: 'critical', ...worse });
    expect(up).toMatchObject({ state: 'active_unack', severity: 'critical', shelvedUntil: null, ackedAt: null });
    expect(isEscalationDue(shelved, T0 + 10 * MIN, 5 * MIN)).toBe(false);
    expect(isEscalationDue(up, T0 + 10 * MIN, 5 * MIN)).toBe(true);
  });

  it('comes back when it clears while shelved and returns worse', () => {
    const cleared = transition(shelved, { type: 'clear', nowMs: T0 + 60 * SEC });
    const backSame = transition(cleared, { type: 'return', nowMs: T0 + 90 * SEC, severity: 'major', ...worse });
    expect(backSame.state).toBe('shelved');
    const backWorse = transition(cleared, { type: 'return', nowMs: T0 + 90 * SEC, severity: 'critical', ...worse });
    expect(backWorse).toMatchObject({ state: 'active_unack', severity: 'critical', active: true, clearedAt: null });
  });

  it('a shelve that ends with the condition present is active_unack, and a critical one escalates', () => {
    const critical = { ...shelved, severity: 'critical' as const };
    expect(shelveExpired(critical, T0 + 30 * MIN - 1)).toBe(false);
    expect(shelveExpired(critical, T0 + 30 * MIN)).toBe(true);
    const back = transition(critical, { type: 'unshelve', nowMs: T0 + 30 * MIN });
    expect(back.state).toBe('active_unack');
    expect(isEscalationDue(back, T0 + 30 * MIN, 5 * MIN)).toBe(true);
  });

  it('reads the space context off the entry state', () => {
    expect(shelveContext(undefined)).toEqual(EMPTY);
    const permitted = applyEntryEvent(EMPTY_SPACE, { ts: T0, type: 'permit.open', permitId: 'P', spaceId: 's', workers: ['w'], attendant: 'a', maxPersons: 1 }, T0);
    expect(shelveContext(permitted)).toEqual({ peopleInside: 0, permitOpen: true });
    const inside = applyEntryEvent(permitted, { ts: T0 + SEC, type: 'entry', spaceId: 's', personId: 'w' }, T0 + SEC);
    expect(shelveContext(inside)).toEqual({ peopleInside: 1, permitOpen: true });
  });

  it('must be unshelved when people enter its space or a permit opens', () => {
    const pit = transition(alarm('confined', 'h2s_ppm_high', 'major'), { type: 'shelve', nowMs: T0, untilMs: T0 + 30 * MIN, reason: 'sump being pumped', user: 'inspector' });
    expect(mustUnshelve(pit, EMPTY)).toBe(false);
    expect(mustUnshelve(pit, { peopleInside: 1, permitOpen: false })).toBe(true);
    expect(mustUnshelve(pit, { peopleInside: 0, permitOpen: true })).toBe(true);
    expect(mustUnshelve(alarm('confined', 'h2s_ppm_high', 'major'), { peopleInside: 1, permitOpen: true })).toBe(false); // not shelved
  });
});
