import { describe, expect, it } from 'vitest';
import type { AlarmRecord } from '../../src/contracts';
import { dueEscalations, escalationNotice, isEscalationDue, raiseAlarm, transition } from '../../src/domain';

/** Table rows titled in full by their `what` (vitest cuts `$field` titles at 40 characters). */
const titled = <T extends { what: string }>(rows: T[]): [string, T][] => rows.map((r) => [r.what, r]);

const T0 = 1_764_300_000_000;
const SEC = 1000;
const AFTER_MS = 300 * SEC;

const alarm = (over: Partial<AlarmRecord> = {}): AlarmRecord => ({
  ...raiseAlarm({
    scene: 'confined',
    siteId: 'kq-p1-pit1',
    deviceId: 'kq-gd-1',
    rule: 'h2s_ppm_high',
    severity: 'critical',
    message: 'h2s_ppm 30 ≥ 14',
    value: 30,
    threshold: 14,
    raisedAt: T0,
  }),
  ...over,
});

const acked = transition(alarm(), { type: 'ack', nowMs: T0 + 10 * SEC, user: 'inspector' });
const cleared = transition(alarm(), { type: 'clear', nowMs: T0 + 10 * SEC });
const shelved = transition(alarm(), { type: 'shelve', nowMs: T0 + 10 * SEC, untilMs: T0 + 3600 * SEC, reason: 'sensor swap', user: 'inspector' });
const returned = transition(cleared, { type: 'return', nowMs: T0 + 20 * SEC, value: 31, severity: 'critical', message: 'back', threshold: 14 });

describe('isEscalationDue: a critical alarm unacknowledged for ESCALATE_AFTER_S (fake clock, 300 s)', () => {
  it.each(titled([
    { what: 'just raised', a: alarm(), afterS: 0, due: false },
    { what: 'one millisecond before the delay', a: alarm(), afterS: 300 - 0.001, due: false },
    { what: 'exactly at the delay: due (>=, like the on-delay)', a: alarm(), afterS: 300, due: true },
    { what: 'long after the delay', a: alarm(), afterS: 3600, due: true },
    { what: 'acknowledged in time', a: acked, afterS: 3600, due: false },
    { what: 'shelved by an operator', a: shelved, afterS: 3600, due: false },
    { what: 'cleared but unacknowledged: waits in the list, no page', a: cleared, afterS: 3600, due: false },
    { what: 'cleared and returned unacknowledged: counts from raisedAt', a: returned, afterS: 300, due: true },
    { what: 'major, never acknowledged', a: alarm({ severity: 'major' }), afterS: 3600, due: false },
    { what: 'minor, never acknowledged', a: alarm({ severity: 'minor' }), afterS: 3600, due: false },
    { what: 'closed', a: alarm({ state: 'closed' }), afterS: 3600, due: false },
  ]))('%s', (_, { a, afterS, due }) => {
    expect(isEscalationDue(a, T0 + afterS * SEC, AFTER_MS)).toBe(due);
  });
});

describe('dueEscalations', () => {
  const a = alarm({ id: 'a' });
  const b = alarm({ id: 'b', raisedAt: T0 + 100 * SEC });
  const m = alarm({ id: 'm', severity: 'major' });

  it('fires each alarm after its own delay, and not before', () => {
    const escalated = new Set<string>();
    const fired: [number, string[]][] = [];
    // A fake clock stepping a second at a time, as the service's tick does.
    for (let s = 0; s <= 500; s++) {
      const due = dueEscalations([a, b, m], T0 + s * SEC, AFTER_MS, escalated);
      for (const d of due) escalated.add(d.id);
      if (due.length) fired.push([s, due.map((d) => d.id)]);
    }
    expect(fired).toEqual([
      [300, ['a']],
      [400, ['b']],
    ]);
  });

  it('escalates an alarm once: an id already escalated is skipped', () => {
    expect(dueEscalations([a, b], T0 + 1000 * SEC, AFTER_MS, new Set(['a']))).toEqual([b]);
  });

  it('builds the notice the service publishes', () => {
    expect(escalationNotice(a, T0 + 300 * SEC, AFTER_MS)).toEqual({ type: 'escalation', alarm: a, escalatedAt: T0 + 300 * SEC, afterS: 300 });
  });
});
