import type { AlarmRecord, AlarmState, Severity } from '../contracts';

/**
 * Escalation of alarms nobody answers: a `critical` alarm still unacknowledged
 * `afterMs` after it was raised is escalated once — published on `notify/{scene}` and sent to an
 * optional webhook (SMS or DingTalk gateway) by the service.
 */

/** Only these alarms escalate: "get them out now" alarms, not the orange or yellow ones. */
export const ESCALATING_SEVERITY: Severity = 'critical';

/**
 * States that escalate: only `active_unack`. The condition still holds and nobody has answered,
 * which is what a pager is for. Not `cleared_unack` (the condition is gone; it waits in the alarm
 * list for an acknowledgement, paging someone for it is noise), not `active_ack` (someone is on
 * it), not `shelved` (an operator deliberately hid it, with a reason).
 */
export const ESCALATING_STATES: readonly AlarmState[] = ['active_unack'];

/** What the service publishes on `citytwin/v1/notify/{scene}` (QoS 1, not retained) and POSTs to the webhook. */
export interface EscalationNotice {
  type: 'escalation';
  /** The alarm record as it stood when it escalated. */
  alarm: AlarmRecord;
  /** Epoch ms. */
  escalatedAt: number;
  /** The configured delay (ESCALATE_AFTER_S). */
  afterS: number;
}

/**
 * Whether one alarm is due for escalation at `nowMs`. The delay counts from `raisedAt`, whatever
 * happened in between (a major alarm that turned critical, a shelve that expired, a condition
 * that cleared and returned before any acknowledgement): the question is how long the alarm has
 * gone unanswered. At the boundary it is due: `nowMs - raisedAt >= afterMs`, the same convention
 * as the on-delay (`onDelay`).
 */
export function isEscalationDue(alarm: AlarmRecord, nowMs: number, afterMs: number): boolean {
  return (
    alarm.severity === ESCALATING_SEVERITY &&
    ESCALATING_STATES.includes(alarm.state) &&
    nowMs - alarm.raisedAt >= afterMs
  );
}

/**
 * The alarms to escalate now: due (`isEscalationDue`) and not escalated before. Each alarm
 * escalates at most once in its life — an alarm acknowledged and raised again is a new alarm with
 * a new id, and one that stays unanswered is not re-sent every tick (no retry storm).
 * @param alreadyEscalated ids of alarms escalated earlier (kept across a restart by the service).
 */
export function dueEscalations(
  alarms: Iterable<AlarmRecord>,
  nowMs: number,
  afterMs: number,
  alreadyEscalated: ReadonlySet<string>,
): AlarmRecord[] {
  const due: AlarmRecord[] = [];
  for (const a of alarms) if (!alreadyEscalated.has(a.id) && isEscalationDue(a, nowMs, afterMs)) due.push(a);
  return due;
}

/** The notice of one escalation. */
export function escalationNotice(alarm: AlarmRecord, escalatedAt: number, afterMs: number): EscalationNotice {
  return { type: 'escalation', alarm, escalatedAt, afterS: afterMs / 1000 };
}
