import type { AlarmDetail, AlarmRecord, AlarmState, Severity, ShelveRefusal } from '../contracts';

/** What can happen to an alarm (ISA-18.2 with shelving). */
export type AlarmAction =
  | ({ type: 'update' } & ConditionFields)
  | { type: 'clear'; nowMs: number }
  | ({ type: 'return' } & ConditionFields)
  | { type: 'ack'; nowMs: number; user: string }
  | { type: 'shelve'; nowMs: number; untilMs: number; reason: string; user: string }
  | { type: 'unshelve'; nowMs: number }
  /** Its device or site left the registry: nothing is left to watch or to act on, whatever the state. */
  | { type: 'retire'; nowMs: number };

/** What a condition says of an alarm when it is raised, updated or returns. */
export interface ConditionFields {
  nowMs: number;
  value: number | null;
  severity: Severity;
  message: string;
  threshold: number | null;
  detail?: AlarmDetail | null;
  messageZh?: string | null;
}

/** The text fields of a condition as they go onto the record (absent ones become null). */
function text(a: ConditionFields): Pick<AlarmRecord, 'message' | 'detail' | 'messageZh'> {
  return { message: a.message, detail: a.detail ?? null, messageZh: a.messageZh ?? null };
}

/** Lower is worse, as in conditions.ts SEVERITY_RANK (kept here so this file imports no rules). */
const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, major: 1, minor: 2, warning: 3 };

export class AlarmTransitionError extends Error {
  constructor(
    readonly state: AlarmState,
    readonly action: AlarmAction['type'],
  ) {
    super(`cannot ${action} an alarm in state ${state}`);
  }
}

/** A new alarm record in `active_unack`. The id is stable for device, rule and raise time. */
export function raiseAlarm(fields: Omit<AlarmRecord, 'id' | 'state' | 'updatedAt' | 'clearedAt' | 'ackedAt' | 'ackedBy'>): AlarmRecord {
  const id = `${fields.deviceId ?? fields.siteId ?? fields.scene}-${fields.rule}-${fields.raisedAt.toString(36)}`.replace(
    /[^A-Za-z0-9_.-]/g,
    '_',
  );
  return {
    ...fields,
    detail: fields.detail ?? null,
    messageZh: fields.messageZh ?? null,
    id,
    state: 'active_unack',
    updatedAt: fields.raisedAt,
    clearedAt: null,
    ackedAt: null,
    ackedBy: null,
    shelvedUntil: null,
    shelveReason: null,
    active: true,
  };
}

/**
 * The ISA-18.2 state machine:
 * `active_unack` →ack→ `active_ack` →clear→ `closed`; `active_unack` →clear→ `cleared_unack` →ack→ `closed`;
 * a condition that returns before acknowledgement brings `cleared_unack` back to `active_unack`;
 * `shelved` hides an open alarm until its expiry, then it comes back as it stands (or closes if clear);
 * a shelved alarm whose severity rises comes back at once as `active_unack` (a hidden alarm that
 * worsens must reach someone: ISA-18.2 lets shelving hide a nuisance, not a new hazard).
 * Throws AlarmTransitionError for an action that makes no sense in the state (e.g. ack a closed alarm).
 */
export function transition(alarm: AlarmRecord, action: AlarmAction): AlarmRecord {
  const next = step(alarm, action);
  // History keeps the worst the alarm reached, not only where it ended.
  const peak = SEVERITY_ORDER[next.severity] <= SEVERITY_ORDER[alarm.peakSeverity ?? alarm.severity] ? next.severity : (alarm.peakSeverity ?? alarm.severity);
  return peak === next.severity && alarm.peakSeverity == null ? next : { ...next, peakSeverity: peak };
}

function step(alarm: AlarmRecord, action: AlarmAction): AlarmRecord {
  const s = alarm.state;
  const at = { updatedAt: action.nowMs };
  switch (action.type) {
    case 'update': {
      if (s === 'closed') throw new AlarmTransitionError(s, action.type);
      // Worse than what the operator acknowledged (major → critical) must be acknowledged again:
      // an H₂S level that turns lethal after the first ack has to reach someone (ISA-18.2 re-alarm).
      const worse = SEVERITY_ORDER[action.severity] < SEVERITY_ORDER[alarm.severity];
      const reAlarm = worse && (s === 'active_ack' || s === 'shelved');
      return {
        ...alarm,
        ...at,
        ...(reAlarm ? { state: 'active_unack' as const, ackedAt: null, ackedBy: null, shelvedUntil: null } : {}),
        value: action.value,
        severity: action.severity,
        ...text(action),
        threshold: action.threshold,
      };
    }
    case 'return':
      if (s === 'cleared_unack') {
        return { ...alarm, ...at, state: 'active_unack', active: true, clearedAt: null, value: action.value, severity: action.severity, ...text(action), threshold: action.threshold };
      }
      if (s === 'shelved') {
        // Back worse than it was shelved at: unshelved, as for an update.
        if (SEVERITY_ORDER[action.severity] < SEVERITY_ORDER[alarm.severity]) {
          return { ...alarm, ...at, state: 'active_unack', active: true, clearedAt: null, shelvedUntil: null, ackedAt: null, ackedBy: null, value: action.value, severity: action.severity, ...text(action), threshold: action.threshold };
        }
        return { ...alarm, ...at, active: true, value: action.value, severity: action.severity };
      }
      throw new AlarmTransitionError(s, action.type);
    case 'clear':
      if (s === 'active_unack') return { ...alarm, ...at, state: 'cleared_unack', clearedAt: action.nowMs, active: false };
      if (s === 'active_ack') return { ...alarm, ...at, state: 'closed', clearedAt: action.nowMs, active: false };
      if (s === 'shelved') return { ...alarm, ...at, clearedAt: action.nowMs, active: false };
      throw new AlarmTransitionError(s, action.type);
    case 'ack':
      if (s === 'active_unack') return { ...alarm, ...at, state: 'active_ack', ackedAt: action.nowMs, ackedBy: action.user };
      if (s === 'cleared_unack') return { ...alarm, ...at, state: 'closed', ackedAt: action.nowMs, ackedBy: action.user };
      throw new AlarmTransitionError(s, action.type);
    case 'shelve':
      if (s === 'closed' || action.untilMs <= action.nowMs) throw new AlarmTransitionError(s, action.type);
      return {
        ...alarm,
        ...at,
        state: 'shelved',
        active: alarm.active ?? (s === 'active_unack' || s === 'active_ack'),
        shelvedUntil: action.untilMs,
        shelveReason: action.reason,
      };
    case 'retire':
      if (s === 'closed') throw new AlarmTransitionError(s, action.type);
      return { ...alarm, ...at, state: 'closed', active: false, clearedAt: alarm.clearedAt ?? action.nowMs, shelvedUntil: null };
    case 'unshelve': {
      if (s !== 'shelved') throw new AlarmTransitionError(s, action.type);
      const active = alarm.active ?? false;
      return {
        ...alarm,
        ...at,
        state: active ? 'active_unack' : 'closed',
        shelvedUntil: null,
        ackedAt: active ? null : alarm.ackedAt,
        ackedBy: active ? null : alarm.ackedBy,
      };
    }
  }
}

/** Condition tracking with an on-delay: a condition must hold this long before it raises. */
export interface PendingCondition {
  /** When the condition was first seen in its current unbroken run, or null when it does not hold. */
  sinceMs: number | null;
}

/**
 * Whether a condition that holds (`holds`) at `nowMs` should raise now, given its on-delay.
 * Returns the next tracking state too; a condition that stops holding resets the delay.
 */
export function onDelay(
  pending: PendingCondition,
  holds: boolean,
  nowMs: number,
  delayMs: number,
): { pending: PendingCondition; due: boolean } {
  if (!holds) return { pending: { sinceMs: null }, due: false };
  const sinceMs = pending.sinceMs ?? nowMs;
  return { pending: { sinceMs }, due: nowMs - sinceMs >= delayMs };
}

/**
 * When a pending condition's on-delay runs out (service clock, ms); null when none is pending. The
 * service arms a timer for this instant, so a delayed alarm raises on time, not on the next tick.
 */
export function onDelayDueAt(pending: PendingCondition, delayMs: number): number | null {
  return pending.sinceMs === null ? null : pending.sinceMs + delayMs;
}

/** What the shelving rule needs to know of the alarm's place: a confined space's people and permit. */
export interface ShelveContext {
  /** People inside the alarm's confined space (0 elsewhere). */
  peopleInside: number;
  /** A permit is open on the alarm's confined space. */
  permitOpen: boolean;
}

/** Rules whose alarms are never shelvable: get-them-out alarms and the rescuer's own. */
const NEVER_SHELVED_RULES: Readonly<Record<string, 'evacuate' | 'attendant'>> = { evacuate: 'evacuate', attendant: 'attendant' };

/**
 * Whether an alarm may be shelved, or why not (contract v1.1 "Safety alarms cannot be shelved"):
 * never a `critical` alarm, an `evacuate` or `attendant` alarm, nor any alarm of a confined space
 * while people are inside or a permit is open — shelving hides a nuisance, never a life-safety
 * alarm. A shelve needs a reason (ISA-18.2: shelving is recorded with who and why). Null: allowed.
 */
export function shelveRefusal(alarm: Pick<AlarmRecord, 'state' | 'severity' | 'rule' | 'scene'>, reason: string, ctx: ShelveContext): ShelveRefusal | null {
  if (alarm.state === 'closed') return { error: 'not_shelvable', why: 'closed' };
  const never = NEVER_SHELVED_RULES[alarm.rule];
  if (never) return { error: 'not_shelvable', why: never };
  if (alarm.severity === 'critical') return { error: 'not_shelvable', why: 'critical' };
  if (alarm.scene === 'confined' && ctx.peopleInside > 0) return { error: 'not_shelvable', why: 'space_occupied' };
  if (alarm.scene === 'confined' && ctx.permitOpen) return { error: 'not_shelvable', why: 'permit_open' };
  if (reason.trim().length === 0) return { error: 'reason_required' };
  return null;
}

/**
 * A shelved alarm that may no longer stay shelved: its place changed (people went into the space,
 * a permit was opened) or it turned critical. The service unshelves it (`unshelve`) at once.
 */
export function mustUnshelve(alarm: AlarmRecord, ctx: ShelveContext): boolean {
  return alarm.state === 'shelved' && shelveRefusal({ ...alarm, state: 'active_unack' }, alarm.shelveReason ?? 'shelved', ctx) !== null;
}

/** A shelved alarm whose time is up. */
export function shelveExpired(alarm: AlarmRecord, nowMs: number): boolean {
  return alarm.state === 'shelved' && alarm.shelvedUntil != null && nowMs >= alarm.shelvedUntil;
}

/** More than 10 new alarms in 10 minutes for one scene is a flood (EEMUA 191 / ISA-18.2). */
export const FLOOD_COUNT = 10;
export const FLOOD_WINDOW_MS = 10 * 60 * 1000;

/** Whether the alarms raised in the last 10 minutes before `nowMs` make a flood. */
export function isFlood(raisedAtMs: readonly number[], nowMs: number): boolean {
  let n = 0;
  for (const t of raisedAtMs) if (t > nowMs - FLOOD_WINDOW_MS && t <= nowMs) n++;
  return n > FLOOD_COUNT;
}
