import { describe, expect, it } from 'vitest';
import { parseAlarmRecord, type AlarmRecord, type AlarmState } from '../../src/contracts';
import {
  AlarmTransitionError,
  isFlood,
  onDelay,
  raiseAlarm,
  shelveExpired,
  transition,
  type AlarmAction,
  type PendingCondition,
} from '../../src/domain';

/** Table rows titled in full by their `what` (vitest cuts `$field` titles at 40 characters). */
const titled = <T extends { what: string }>(rows: T[]): [string, T][] => rows.map((r) => [r.what, r]);

const T0 = 1_764_300_000_000;
const SEC = 1000;
const MIN = 60 * SEC;

const raised = (): AlarmRecord =>
  raiseAlarm({
    scene: 'confined',
    siteId: 'kq-p1-pit1',
    deviceId: 'kq-gd-1',
    rule: 'h2s_ppm_high',
    severity: 'major',
    message: 'h2s_ppm 7.4 ≥ 7',
    value: 7.4,
    threshold: 7,
    raisedAt: T0,
  });

// Actions as an operator or the rules engine would send them, at T0 + `s` seconds.
const ack = (s: number, user = 'inspector'): AlarmAction => ({ type: 'ack', nowMs: T0 + s * SEC, user });
const clear = (s: number): AlarmAction => ({ type: 'clear', nowMs: T0 + s * SEC });
const back = (s: number, value = 8): AlarmAction => ({
  type: 'return',
  nowMs: T0 + s * SEC,
  value,
  severity: 'major',
  message: `h2s_ppm ${value} ≥ 7`,
  threshold: 7,
});
const update = (s: number, value: number): AlarmAction => ({
  type: 'update',
  nowMs: T0 + s * SEC,
  value,
  severity: value >= 14 ? 'critical' : 'major',
  message: `h2s_ppm ${value}`,
  threshold: value >= 14 ? 14 : 7,
});
const shelve = (s: number, minutes = 30): AlarmAction => ({
  type: 'shelve',
  nowMs: T0 + s * SEC,
  untilMs: T0 + s * SEC + minutes * MIN,
  reason: 'detector being recalibrated',
  user: 'inspector',
});
const unshelve = (s: number): AlarmAction => ({ type: 'unshelve', nowMs: T0 + s * SEC });
const retire = (s: number): AlarmAction => ({ type: 'retire', nowMs: T0 + s * SEC });

const run = (actions: AlarmAction[], from: AlarmRecord = raised()): AlarmRecord => actions.reduce(transition, from);
const states = (actions: AlarmAction[]): AlarmState[] => {
  const out: AlarmState[] = [];
  actions.reduce((a, action) => {
    const next = transition(a, action);
    out.push(next.state);
    return next;
  }, raised());
  return out;
};

describe('raiseAlarm', () => {
  it('raises a new alarm active and unacknowledged, nothing cleared or acked yet', () => {
    expect(raised()).toMatchObject({
      state: 'active_unack',
      raisedAt: T0,
      updatedAt: T0,
      clearedAt: null,
      ackedAt: null,
      ackedBy: null,
      value: 7.4,
      threshold: 7,
      rule: 'h2s_ppm_high',
    });
  });

  it('makes a valid wire record whose id fits in one topic level', () => {
    const alarm = raised();
    expect(parseAlarmRecord(alarm)).not.toBeNull();
    expect(alarm.id).not.toMatch(/[/+#\s]/);
  });

  it('gives the same device, rule and raise time the same id, and another raise time another id', () => {
    expect(raised().id).toBe(raised().id);
    expect(raiseAlarm({ ...raised(), raisedAt: T0 + 1 }).id).not.toBe(raised().id);
  });

  it('makes an id without topic wildcards or separators from a site id that has them', () => {
    const alarm = raiseAlarm({ ...raised(), deviceId: null, siteId: 'seg/12 #a+b', rule: 'fog' });
    expect(alarm.id).not.toMatch(/[/+#\s]/);
  });
});

describe('ISA-18.2 transitions', () => {
  it.each(titled([
    {
      what: 'active_unack →ack→ active_ack →clear→ closed',
      actions: [ack(10), clear(60)],
      expected: ['active_ack', 'closed'],
    },
    {
      what: 'active_unack →clear→ cleared_unack →ack→ closed',
      actions: [clear(10), ack(60)],
      expected: ['cleared_unack', 'closed'],
    },
    {
      what: 'a condition that returns before the ack brings cleared_unack back to active_unack',
      actions: [clear(10), back(20), ack(30), clear(40)],
      expected: ['cleared_unack', 'active_unack', 'active_ack', 'closed'],
    },
    {
      what: 'a value that changes within its severity updates the acknowledged alarm in place',
      actions: [update(5, 9), ack(10), update(15, 12), clear(60)],
      expected: ['active_unack', 'active_ack', 'active_ack', 'closed'],
    },
    {
      what: 'an acknowledged major that turns critical must be acknowledged again (re-alarm)',
      actions: [ack(10), update(15, 15), ack(20), update(25, 9), clear(60)],
      expected: ['active_ack', 'active_unack', 'active_ack', 'active_ack', 'closed'],
    },
    {
      what: 'retiring its device closes an alarm from any open state',
      actions: [retire(10)],
      expected: ['closed'],
    },
    {
      what: 'retiring closes an acknowledged, a cleared and a shelved alarm alike',
      actions: [ack(10), retire(20)],
      expected: ['active_ack', 'closed'],
    },
    {
      what: 'retiring closes an alarm whose condition cleared before anyone acknowledged it',
      actions: [clear(10), retire(20)],
      expected: ['cleared_unack', 'closed'],
    },
    {
      what: 'retiring closes a shelved alarm (nothing comes back when the shelve would end)',
      actions: [shelve(10), retire(20)],
      expected: ['shelved', 'closed'],
    },
    {
      what: 'shelve an active_unack alarm, unshelve it while still active → active_unack',
      actions: [shelve(10), unshelve(20)],
      expected: ['shelved', 'active_unack'],
    },
    {
      what: 'shelve, condition clears while shelved, unshelve → closed',
      actions: [shelve(10), clear(15), unshelve(20)],
      expected: ['shelved', 'shelved', 'closed'],
    },
    {
      what: 'shelve, clears, returns while shelved, unshelve → active_unack',
      actions: [shelve(10), clear(15), back(18), unshelve(20)],
      expected: ['shelved', 'shelved', 'shelved', 'active_unack'],
    },
    {
      what: 'shelve an active_ack alarm, unshelve while active → active_unack (annunciated again)',
      actions: [ack(5), shelve(10), unshelve(20)],
      expected: ['active_ack', 'shelved', 'active_unack'],
    },
    {
      what: 'shelve a cleared_unack alarm, unshelve → closed',
      actions: [clear(5), shelve(10), unshelve(20)],
      expected: ['cleared_unack', 'shelved', 'closed'],
    },
  ]))('%s', (_what, { actions, expected }) => {
    expect(states(actions)).toEqual(expected);
  });

  it('records who acknowledged and when', () => {
    const a = run([ack(10, 'admin')]);
    expect(a).toMatchObject({ state: 'active_ack', ackedAt: T0 + 10 * SEC, ackedBy: 'admin', updatedAt: T0 + 10 * SEC, clearedAt: null });
  });

  it('records when the condition cleared, and keeps the ack when it closes', () => {
    const a = run([ack(10), clear(60)]);
    expect(a).toMatchObject({ state: 'closed', clearedAt: T0 + 60 * SEC, ackedAt: T0 + 10 * SEC, ackedBy: 'inspector', updatedAt: T0 + 60 * SEC });
  });

  it('closes a cleared_unack alarm at the ack, keeping when it cleared', () => {
    const a = run([clear(10), ack(60)]);
    expect(a).toMatchObject({ state: 'closed', clearedAt: T0 + 10 * SEC, ackedAt: T0 + 60 * SEC });
  });

  it('forgets the clear time when the condition returns', () => {
    const a = run([clear(10), back(20, 9.5)]);
    expect(a).toMatchObject({ state: 'active_unack', clearedAt: null, value: 9.5, updatedAt: T0 + 20 * SEC });
  });

  it('an update carries the new value, severity and threshold, not the raise time', () => {
    const a = run([update(5, 15)]);
    expect(a).toMatchObject({ state: 'active_unack', value: 15, severity: 'critical', threshold: 14, raisedAt: T0, updatedAt: T0 + 5 * SEC });
  });

  it('a shelve records until when and why', () => {
    const a = run([shelve(10, 30)]);
    expect(a).toMatchObject({ state: 'shelved', shelvedUntil: T0 + 10 * SEC + 30 * MIN, shelveReason: 'detector being recalibrated' });
  });

  it('an unshelved alarm that comes back active needs a fresh ack', () => {
    const a = run([ack(5), shelve(10), unshelve(20)]);
    expect(a).toMatchObject({ state: 'active_unack', ackedAt: null, ackedBy: null, shelvedUntil: null });
  });

  it('does not change the alarm it was given', () => {
    const a = raised();
    const copy = structuredClone(a);
    transition(a, ack(10));
    transition(a, shelve(10));
    expect(a).toEqual(copy);
  });
});

describe('invalid transitions throw AlarmTransitionError', () => {
  /** How to get from a fresh alarm to each state. */
  const reach: Record<AlarmState, AlarmAction[]> = {
    active_unack: [],
    active_ack: [ack(5)],
    cleared_unack: [clear(5)],
    closed: [ack(5), clear(6)],
    shelved: [shelve(5)],
  };

  const invalid: { state: AlarmState; action: AlarmAction; why: string }[] = [
    { state: 'active_ack', action: ack(100), why: 'an acknowledged alarm cannot be acked again' },
    { state: 'closed', action: ack(100), why: 'a closed alarm cannot be acked' },
    { state: 'shelved', action: ack(100), why: 'a shelved alarm is hidden until unshelved' },
    { state: 'cleared_unack', action: clear(100), why: 'a cleared alarm cannot clear again' },
    { state: 'closed', action: clear(100), why: 'a closed alarm cannot clear' },
    { state: 'active_unack', action: back(100), why: 'an active alarm cannot return (it is updated instead)' },
    { state: 'active_ack', action: back(100), why: 'an active alarm cannot return' },
    { state: 'closed', action: back(100), why: 'a closed alarm never reopens (a new one is raised)' },
    { state: 'closed', action: update(100, 9), why: 'a closed alarm is not updated' },
    { state: 'closed', action: shelve(100), why: 'a closed alarm cannot be shelved' },
    { state: 'active_unack', action: unshelve(100), why: 'only a shelved alarm can be unshelved' },
    { state: 'active_ack', action: unshelve(100), why: 'only a shelved alarm can be unshelved' },
    { state: 'cleared_unack', action: unshelve(100), why: 'only a shelved alarm can be unshelved' },
    { state: 'closed', action: unshelve(100), why: 'only a shelved alarm can be unshelved' },
    { state: 'closed', action: retire(100), why: 'a closed alarm has nothing left to close' },
  ];
  const rows = invalid.map((r) => [`${r.action.type} in ${r.state}: ${r.why}`, r] as [string, typeof r]);

  it.each(rows)('%s', (_title, { state, action }) => {
    const alarm = run(reach[state]);
    expect(alarm.state).toBe(state);
    expect(() => transition(alarm, action)).toThrow(AlarmTransitionError);
    try {
      transition(alarm, action);
    } catch (e) {
      expect(e).toMatchObject({ state, action: action.type });
    }
  });

  it.each([
    { what: 'ends when it starts', untilMs: T0 + 10 * SEC },
    { what: 'ended in the past', untilMs: T0 },
  ])('a shelve that $what throws', ({ untilMs }) => {
    const action: AlarmAction = { type: 'shelve', nowMs: T0 + 10 * SEC, untilMs, reason: 'x', user: 'inspector' };
    expect(() => transition(raised(), action)).toThrow(AlarmTransitionError);
  });
});

describe('shelve expiry', () => {
  const shelved = run([shelve(0, 30)]); // until T0 + 30 min

  it.each([
    { what: 'a minute before the end', nowMs: T0 + 29 * MIN, expired: false },
    { what: '1 ms before the end', nowMs: T0 + 30 * MIN - 1, expired: false },
    { what: 'at the end', nowMs: T0 + 30 * MIN, expired: true },
    { what: 'an hour after the end', nowMs: T0 + 90 * MIN, expired: true },
  ])('a 30-minute shelve is over $what: $expired', ({ nowMs, expired }) => {
    expect(shelveExpired(shelved, nowMs)).toBe(expired);
  });

  it.each(['active_unack', 'active_ack', 'cleared_unack', 'closed'] as const)('an alarm in %s has no shelve to expire', (state) => {
    expect(shelveExpired({ ...raised(), state, shelvedUntil: T0 }, T0 + 90 * MIN)).toBe(false);
  });

  it.each([
    { what: 'still active', actions: [shelve(0, 30)], state: 'active_unack' },
    { what: 'cleared while shelved', actions: [shelve(0, 30), clear(60)], state: 'closed' },
  ])('an expired shelve of an alarm $what brings it back as $state', ({ actions, state }) => {
    const alarm = run(actions);
    const now = T0 + 31 * MIN;
    expect(shelveExpired(alarm, now)).toBe(true);
    expect(transition(alarm, { type: 'unshelve', nowMs: now }).state).toBe(state);
  });
});

describe('on-delay: a condition must hold for its delay before it raises', () => {
  const DELAY = 5 * SEC;

  /** Feeds (time in s, holds) samples through onDelay; returns when it was due. */
  function dueAt(samples: [s: number, holds: boolean][], delayMs = DELAY): number[] {
    let pending: PendingCondition = { sinceMs: null };
    const due: number[] = [];
    for (const [s, holds] of samples) {
      const r = onDelay(pending, holds, T0 + s * SEC, delayMs);
      pending = r.pending;
      if (r.due) due.push(s);
    }
    return due;
  }

  it.each(titled([
    {
      what: 'is not due before its 5 s delay, and due from 5 s on while it holds',
      samples: [[0, true], [4, true], [4.999, true], [5, true], [6, true]],
      due: [5, 6],
    },
    {
      what: 'a blip shorter than the delay never raises',
      samples: [[0, true], [3, true], [4, false], [5, false]],
      due: [],
    },
    {
      what: 'a break restarts the delay from the next time it holds',
      samples: [[0, true], [4, true], [4.5, false], [5, true], [9, true], [10, true]],
      due: [10],
    },
    {
      what: 'a condition that stops holding is no longer due',
      samples: [[0, true], [5, true], [6, false], [7, true]],
      due: [5],
    },
  ] as { what: string; samples: [number, boolean][]; due: number[] }[]))('%s', (_what, { samples, due }) => {
    expect(dueAt(samples)).toEqual(due);
  });

  it('with no delay, a condition raises the moment it holds', () => {
    expect(dueAt([[0, false], [1, true]], 0)).toEqual([1]);
  });
});

describe('alarm flood: more than 10 new alarms in 10 minutes (EEMUA 191 / ISA-18.2)', () => {
  const now = T0 + 60 * MIN;
  const inWindow = (n: number) => Array.from({ length: n }, (_, i) => now - i * 30 * SEC); // 0 … 5 min ago

  it.each([
    { what: 'no alarms', raised: [], flood: false },
    { what: '10 alarms in 5 minutes', raised: inWindow(10), flood: false },
    { what: '11 alarms in 5 minutes', raised: inWindow(11), flood: true },
    { what: '11 alarms, the oldest 9 min 59 s ago', raised: [...inWindow(10), now - 9 * MIN - 59 * SEC], flood: true },
    { what: '10 now and 1 from 10 min 1 s ago', raised: [...inWindow(10), now - 10 * MIN - SEC], flood: false },
    { what: '10 alarms now and 5 from an hour ago', raised: [...inWindow(10), ...Array(5).fill(now - 60 * MIN)], flood: false },
    { what: '30 alarms all older than 10 minutes', raised: Array(30).fill(now - 11 * MIN), flood: false },
  ])('$what: flood $flood', ({ raised: raisedAt, flood }) => {
    expect(isFlood(raisedAt, now)).toBe(flood);
  });
});
