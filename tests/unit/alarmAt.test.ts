/**
 * An alarm record as it stood at a past instant, from its latest record and its last transition
 * then (what replay shows in the alarm list and what the scenes' `?at=` answers read).
 */
import { describe, expect, it } from 'vitest';
import type { AlarmRecord } from '../../src/contracts';
import { raiseAlarm, transition, type AlarmAction } from '../../src/domain';
import { alarmAt } from '../../src/server/history/alarmAt';
import type { TransitionAt } from '../../src/server/storage';

/** Table rows titled in full by their `what` (vitest cuts `$field` titles at 40 characters). */
const titled = <T extends { what: string }>(rows: T[]): [string, T][] => rows.map((r) => [r.what, r]);

const T0 = 1_764_300_000_000;
const SEC = 1000;

/** The row storage writes for a transition: the state, severity, shelve, value, threshold and message it left. */
const rowOf = (a: AlarmRecord): TransitionAt => ({
  ts: a.updatedAt,
  state: a.state,
  severity: a.severity,
  shelvedUntil: a.shelvedUntil ?? null,
  value: a.value,
  threshold: a.threshold,
  message: a.message,
});

/** Every record an alarm went through, oldest first, from its raise and a list of actions. */
function history(actions: AlarmAction[]): AlarmRecord[] {
  const raised = raiseAlarm({
    scene: 'confined',
    siteId: 'kq-p1-pit1',
    deviceId: 'kq-gd-1',
    rule: 'h2s_ppm_high',
    severity: 'major',
    message: 'h2s_ppm 10 ≥ 7.2',
    value: 10,
    threshold: 7.2,
    raisedAt: T0,
  });
  const out = [raised];
  for (const a of actions) out.push(transition(out[out.length - 1], a));
  return out;
}

describe('alarmAt: an alarm record as it stood at an instant', () => {
  // Raised major, worsened to critical, acknowledged, then its condition cleared (closed).
  const steps = history([
    { type: 'update', nowMs: T0 + 10 * SEC, severity: 'critical', value: 30, threshold: 14, message: 'h2s_ppm 30 ≥ 14' },
    { type: 'ack', nowMs: T0 + 20 * SEC, user: 'inspector' },
    { type: 'clear', nowMs: T0 + 40 * SEC },
  ]);
  const latest = steps[steps.length - 1];

  it.each(titled([
    { what: 'at its raise', k: 0, atMs: T0 },
    { what: 'before it worsened: major, with the value and message it had then', k: 0, atMs: T0 + 5 * SEC },
    { what: 'once worse, before anyone acknowledged it', k: 1, atMs: T0 + 15 * SEC },
    { what: 'acknowledged, its condition still holding', k: 2, atMs: T0 + 30 * SEC },
  ]))('gives back the record it was %s', (_, { k, atMs }) => {
    expect(alarmAt(latest, rowOf(steps[k]), atMs)).toEqual(steps[k]);
  });

  it('changes nothing in the latest record it starts from', () => {
    const copy = structuredClone(latest);
    alarmAt(latest, rowOf(steps[0]), T0 + 5 * SEC);
    expect(latest).toEqual(copy);
  });

  it('keeps the latest value, threshold and message when the transition has none (a database older than them)', () => {
    const a = alarmAt(latest, { ...rowOf(steps[0]), value: null, threshold: null, message: null }, T0 + 5 * SEC);
    expect([a.severity, a.value, a.threshold, a.message]).toEqual(['major', 30, 14, 'h2s_ppm 30 ≥ 14']);
  });

  describe('shelving', () => {
    const UNTIL = T0 + 3600 * SEC;
    // Shelved while active, its condition cleared while shelved, then the shelve ran out (closed).
    const shelved = history([
      { type: 'shelve', nowMs: T0 + 10 * SEC, untilMs: UNTIL, reason: 'sensor swap', user: 'inspector' },
      { type: 'clear', nowMs: T0 + 20 * SEC },
      { type: 'unshelve', nowMs: UNTIL },
    ]);
    const last = shelved[shelved.length - 1];

    it.each(titled([
      { what: 'before the shelve: active, not shelved', k: 0, atMs: T0 + 5 * SEC, state: 'active_unack', until: null, active: true, clearedAt: null },
      { what: 'shelved, condition holding: active behind the shelve', k: 1, atMs: T0 + 15 * SEC, state: 'shelved', until: UNTIL, active: true, clearedAt: null },
      { what: 'shelved, condition cleared: not active', k: 2, atMs: T0 + 30 * SEC, state: 'shelved', until: UNTIL, active: false, clearedAt: T0 + 20 * SEC },
    ]))('%s', (_, { k, atMs, state, until, active, clearedAt }) => {
      const a = alarmAt(last, rowOf(shelved[k]), atMs);
      expect({ state: a.state, shelvedUntil: a.shelvedUntil, active: a.active, clearedAt: a.clearedAt, updatedAt: a.updatedAt }).toEqual({
        state,
        shelvedUntil: until,
        active,
        clearedAt,
        updatedAt: shelved[k].updatedAt,
      });
    });

    it('drops a later shelve and its reason from an instant before it', () => {
      const later = history([{ type: 'shelve', nowMs: T0 + 10 * SEC, untilMs: UNTIL, reason: 'sensor swap', user: 'inspector' }]);
      const a = alarmAt(later[1], rowOf(later[0]), T0 + 5 * SEC);
      expect([a.state, a.shelvedUntil, a.shelveReason]).toEqual(['active_unack', null, null]);
    });
  });

  it('leaves `active` out of a record written before records had it', () => {
    const { active: _, ...old } = latest;
    expect('active' in alarmAt(old, rowOf(steps[0]), T0 + 5 * SEC)).toBe(false);
  });
});
