/**
 * The alarm engine: turns conditions (domain) into ISA-18.2 alarm records (domain `transition`),
 * stores every transition and publishes each record retained on `citytwin/v1/alarms/{id}`.
 * It runs in the service, so an alarm is raised, stored and published whether or not anyone has
 * the page open. What is common to every scene lives here (threshold and stale conditions, the
 * on-delay, the state machine, storing and publishing); each scene's own rules plug in as
 * `SceneRules` (src/server/scenes/).
 */
import {
  alarmTopic,
  detail,
  roleOwnsScene,
  type AlarmRecord,
  type Device,
  type DeviceEvent,
  type Role,
  type Scene,
  type Severity,
  type Values,
} from '../contracts';
import {
  AlarmTransitionError,
  STALE_INTERVALS,
  onDelay,
  onDelayDueAt,
  mustUnshelve,
  raiseAlarm,
  shelveExpired,
  shelveRefusal,
  transition,
  type AlarmAction,
  type Condition,
  type PendingCondition,
  type ShelveContext,
} from '../domain';
import { renderDetail, type Say } from '../domain/texts';
import type { Bus } from './bus';
import type { Metrics } from './metrics';
import { OnDelayTimers } from './onDelayTimers';
import { RecentSet } from './recentSet';
import type { Storage } from './storage';
import type { OperatorResult, SceneRules, Subject } from './alarmTypes';
import { NOT_SHELVABLE_TEXT, NOWHERE, ON_DELAY_MS, STALE_SEVERITY } from './alarmConstants';
import { ValueRules } from './valueRules';

export { ON_DELAY_MS, STALE_SEVERITY } from './alarmConstants';

export type * from './alarmTypes';

export class AlarmEngine {
  private readonly open = new Map<string, AlarmRecord>();
  private readonly keyById = new Map<string, string>();
  private readonly pending = new Map<string, { since: PendingCondition; cond: Condition; subject: Subject; delayMs: number }>();
  private readonly valueRules = new ValueRules({
    isActive: (key) => this.isActive(key),
    isPending: (key) => this.pending.has(key),
    assert: (subject, cond, nowMs) => this.assert(subject, cond, nowMs),
    judgeIfPending: (key, nowMs) => {
      const p = this.pending.get(key);
      if (p) this.judgePending(key, p, nowMs);
    },
  });
  private scenes: Readonly<Record<Scene, SceneRules>> | null = null;
  private linkCameras: ((subject: Subject, cond: Condition) => string[]) | null = null;
  private readonly changeListeners: ((alarm: AlarmRecord, key: string) => void)[] = [];
  /** Ids raised or changed lately, so a new alarm never takes the id of one just closed. */
  private readonly recentIds = new RecentSet(10_000);
  /** Whether a subject's device or site is retired: nothing raises for it (useRetired). */
  private retired: (s: Pick<Subject, 'deviceId' | 'siteId'>) => boolean = () => false;

  constructor(
    private readonly storage: Storage,
    private readonly bus: Bus,
    private readonly metrics: Metrics,
    private readonly onPublishError: (err: Error) => void = () => {},
    /** Chinese wording with registry names: every condition with a detail gets its `messageZh` from it. */
    private readonly zh: Say | null = null,
    /** Service clock of the on-delay timers. */
    now: () => number = Date.now,
  ) {
    this.timers = new OnDelayTimers(now, (key, nowMs) => {
      const p = this.pending.get(key);
      try {
        if (p) this.judgePending(key, p, nowMs);
      } catch (err) {
        this.onPublishError(err as Error);
      }
    });
  }
  private readonly timers: OnDelayTimers;

  /**
   * Reloads the open alarms after a restart (or when this instance becomes the leader) and
   * republishes them retained (`publish` false: a standby's view of the leader's alarms). Whatever
   * the engine held before is replaced.
   */
  async restore(publish = true): Promise<number> {
    const rows = await this.storage.openAlarms();
    this.open.clear();
    this.valueRules.clear();
    this.keyById.clear();
    this.pending.clear();
    this.timers.clear();
    for (const { key, alarm } of rows) {
      this.open.set(key, alarm);
      this.keyById.set(alarm.id, key);
      this.recentIds.add(alarm.id);
      if (publish) this.publish(alarm);
    }
    return rows.length;
  }

  /** The rules of every scene: from here on each device's values and events and each alarm's transitions reach its scene's. */
  useScenes(scenes: Readonly<Record<Scene, SceneRules>>): void {
    this.scenes = scenes;
  }

  /** Video linkage: each raised or returning alarm carries `cameraIds` from `link` (see video/linkage.ts). */
  useCameras(link: (subject: Subject, cond: Condition) => string[]): void {
    this.linkCameras = link;
  }

  /** Observes every stored transition (raise, update, clear, ack, …), before the alarm's scene does. */
  onChange(listener: (alarm: AlarmRecord, key: string) => void): void {
    this.changeListeners.push(listener);
  }

  /** The registry changed: a device's candidate rules follow its new limits. */
  registryChanged(): void {
    this.valueRules.clear();
  }

  /**
   * Evaluates a device's latest merged values against its limits (and weather rules); `changed`:
   * the quantities the reading carried, whose rules alone are evaluated (ValueRules.judge).
   */
  onValues(device: Device, values: Values, nowMs: number, changed?: Values): void {
    const scene = this.scenes?.[device.scene];
    this.valueRules.judge(device, values, nowMs, changed, scene);
    scene?.onValues(device, values, nowMs);
  }

  /** A device went stale (or came back). Its pending value conditions are void: the value is old. */
  onStale(device: Device, stale: boolean, nowMs: number): void {
    const plan = this.valueRules.plan(device);
    if (stale) {
      for (const s of plan.all) this.dropPending(s.key);
      this.valueRules.evaluateAllNext(device.id);
    } else if (!this.pending.has(plan.stale.key) && !this.isActive(plan.stale.key)) return; // nothing to clear: as assert(null) would find
    const limitS = STALE_INTERVALS * device.intervalS;
    const cond: Condition | null = stale
      ? { rule: 'stale', severity: STALE_SEVERITY, value: null, threshold: limitS, message: `no telemetry for more than ${limitS} s`, detail: detail('stale', { silentS: limitS, intervalS: device.intervalS }) }
      : null;
    // No extra on-delay: silence for 3 intervals already is the delay.
    this.assert(plan.stale, cond, nowMs, 0);
  }

  /** Why the device's scene refuses an event (counted as `forbidden`, never stored), or null. */
  refuseEvent(device: Device, event: DeviceEvent): string | null {
    return this.scenes?.[device.scene].refuseEvent(device, event) ?? null;
  }

  /** Hands a newly stored event to its device's scene. */
  onEvent(device: Device, event: DeviceEvent, nowMs: number): void {
    this.scenes?.[device.scene].onEvent(device, event, nowMs);
  }

  /**
   * Raises, updates, returns or clears the alarm of a subject from the condition that holds now
   * (null: none holds). Raising and returning wait for the severity's on-delay; a change of
   * severity of an active alarm (major → critical) updates the same alarm at once.
   * @param delayMs on-delay; by default that of the condition's severity (ON_DELAY_MS).
   */
  assert(subject: Subject, cond: Condition | null, nowMs: number, delayMs?: number): void {
    const alarm = this.open.get(subject.key);
    if (!cond) {
      this.dropPending(subject.key);
      if (alarm && alarm.active !== false) this.apply(subject.key, transition(alarm, { type: 'clear', nowMs }), 'clear');
      return;
    }
    const prev = this.pending.get(subject.key)?.since ?? { sinceMs: null };
    const delay = delayMs ?? ON_DELAY_MS[cond.severity];
    const d = onDelay(prev, true, nowMs, delay);
    this.pending.set(subject.key, { since: d.pending, cond, subject, delayMs: delay });
    if (alarm && alarm.active !== false) {
      if (alarm.severity !== cond.severity) this.apply(subject.key, transition(alarm, { type: 'update', nowMs, ...this.fields(cond) }), 'update');
    } else if (d.due) {
      this.raiseOrReturn(subject, cond, nowMs);
    } else {
      this.timers.arm(subject.key, onDelayDueAt(d.pending, delay)!);
    }
  }

  /** Nothing raises for a subject `retired` says left the registry (a rule still holding its state, a timer due). */
  useRetired(retired: (s: Pick<Subject, 'deviceId' | 'siteId'>) => boolean): void {
    this.retired = retired;
  }

  /**
   * Devices or sites left the registry: their open alarms close at once (history action
   * `retire_device` / `retire_site`, by `user`), their pending conditions are dropped. Answers the closed alarms.
   */
  retire(deviceIds: ReadonlySet<string>, siteIds: ReadonlySet<string>, user: string | null, nowMs: number): AlarmRecord[] {
    this.valueRules.clear();
    const ofDevice = (x: Pick<Subject, 'deviceId'>) => x.deviceId !== null && deviceIds.has(x.deviceId);
    const hit = (x: Pick<Subject, 'deviceId' | 'siteId'>) => ofDevice(x) || (x.siteId !== null && siteIds.has(x.siteId));
    for (const [key, p] of this.pending) if (hit(p.subject)) this.dropPending(key);
    const closed: AlarmRecord[] = [];
    for (const [key, alarm] of [...this.open]) {
      if (!hit(alarm)) continue;
      const next = transition(alarm, { type: 'retire', nowMs });
      this.apply(key, next, ofDevice(alarm) ? 'retire_device' : 'retire_site', user);
      closed.push(next);
    }
    return closed;
  }

  /** Disarms the on-delay timers (the service stops; a standby stops leading). */
  stopTimers(): void {
    this.timers.clear();
  }

  private dropPending(key: string): void {
    this.pending.delete(key);
    this.timers.disarm(key);
  }

  /** Raises (or returns) a pending condition whose on-delay has passed, unless its alarm is active. */
  private judgePending(key: string, p: { since: PendingCondition; cond: Condition; subject: Subject; delayMs: number }, nowMs: number): void {
    const alarm = this.open.get(key);
    if (alarm && alarm.active !== false) return;
    if (onDelay(p.since, true, nowMs, p.delayMs).due) this.raiseOrReturn(p.subject, p.cond, nowMs);
  }

  /**
   * Once a second: shelves that ran out or may no longer stand (people went into the space, a
   * permit opened), and conditions whose on-delay has now passed. An unshelved alarm that still
   * holds is `active_unack` again and escalates like any other.
   */
  tick(nowMs: number): void {
    for (const [key, alarm] of this.open) {
      if (shelveExpired(alarm, nowMs) || mustUnshelve(alarm, this.shelveContext(alarm))) {
        this.apply(key, transition(alarm, { type: 'unshelve', nowMs }), 'unshelve');
        this.touched(alarm);
      }
    }
    for (const [key, p] of this.pending) this.judgePending(key, p, nowMs);
  }

  /** Operator acknowledgement: only a role owning the alarm's scene. */
  ack(id: string, user: string, role: Role, comment: string | null, nowMs: number): Promise<OperatorResult> {
    return this.operate(id, role, { type: 'ack', nowMs, user }, user, comment);
  }

  /**
   * Operator shelving for `minutes`, with a reason: refused (409 `not_shelvable`) for a life-safety
   * alarm (shelveRefusal), 400 `reason_required` without a reason.
   */
  shelve(id: string, user: string, role: Role, minutes: number, reason: string, nowMs: number): Promise<OperatorResult> {
    const action: AlarmAction = { type: 'shelve', nowMs, untilMs: nowMs + minutes * 60_000, reason, user };
    return this.operate(id, role, action, user, reason, (alarm) => {
      const r = shelveRefusal(alarm, reason, this.shelveContext(alarm));
      if (!r) return null;
      if (r.error === 'reason_required') return { ok: false, status: 400, error: r.error, message: 'shelving needs a reason' };
      return { ok: false, status: 409, error: r.error, why: r.why, message: `not shelvable: ${NOT_SHELVABLE_TEXT[r.why]}` };
    });
  }

  /** Why an alarm may not be shelved now (`critical`, `space_occupied`, …), or null when it may. */
  notShelvable(alarm: AlarmRecord): string | null {
    const r = shelveRefusal(alarm, 'judged without a reason', this.shelveContext(alarm));
    return r?.error === 'not_shelvable' ? r.why : null;
  }

  /**
   * The open alarms newest first, from memory (the engine holds every open alarm); closed ones are
   * read from storage (`Storage.alarms`).
   */
  list(scene: Scene | undefined, _openOnly: true, limit: number): AlarmRecord[] {
    const all = [...this.open.values()].filter((a) => !scene || a.scene === scene);
    all.sort((a, b) => b.raisedAt - a.raisedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return all.slice(0, limit);
  }

  /** Open alarms by scene and severity, for the metrics gauge. */
  openCounts(): { scene: string; severity: string; n: number }[] {
    const m = new Map<string, { scene: string; severity: string; n: number }>();
    for (const a of this.open.values()) {
      const k = `${a.scene}|${a.severity}`;
      const c = m.get(k) ?? { scene: a.scene, severity: a.severity, n: 0 };
      c.n++;
      m.set(k, c);
    }
    return [...m.values()];
  }

  /** The open alarm of a subject, if any (for rules and tests). */
  openAlarm(key: string): AlarmRecord | undefined {
    return this.open.get(key);
  }

  /** Applies an operator's action; answers once the transition is committed. `refuse` may turn it down first. */
  private async operate(
    id: string,
    role: Role,
    action: AlarmAction,
    user: string,
    comment: string | null,
    refuse: (alarm: AlarmRecord) => OperatorResult | null = () => null,
  ): Promise<OperatorResult> {
    const key = this.keyById.get(id);
    const alarm = key ? this.open.get(key) : await this.storage.alarm(id);
    if (!alarm) return { ok: false, status: 404, error: 'not_found', message: `no alarm ${id}` };
    if (!roleOwnsScene(role, alarm.scene)) {
      return { ok: false, status: 403, error: 'forbidden', message: `role ${role} does not own scene ${alarm.scene}` };
    }
    if (!key) return { ok: false, status: 409, error: 'invalid_transition', message: `cannot ${action.type} a closed alarm` };
    const refused = refuse(alarm);
    if (refused) return refused;
    let next: AlarmRecord;
    try {
      next = transition(alarm, action);
    } catch (err) {
      if (err instanceof AlarmTransitionError) return { ok: false, status: 409, error: 'invalid_transition', message: err.message };
      throw err;
    }
    this.apply(key, next, action.type, user, comment);
    this.touched(alarm);
    await this.storage.committed();
    return { ok: true, alarm: next };
  }

  private raiseOrReturn(subject: Subject, cond: Condition, nowMs: number): void {
    if (this.retired(subject)) return;
    const alarm = this.open.get(subject.key);
    const cams = this.linkCameras ? { cameraIds: this.linkCameras(subject, cond) } : {};
    if (alarm) {
      this.apply(subject.key, { ...transition(alarm, { type: 'return', nowMs, ...this.fields(cond) }), ...cams }, 'return');
      return;
    }
    const raised = raiseAlarm({ scene: subject.scene, siteId: subject.siteId, deviceId: subject.deviceId, raisedAt: nowMs, rule: cond.rule, ...this.fields(cond) });
    this.apply(subject.key, { ...raised, ...cams, id: this.uniqueId(raised.id) }, 'raise');
  }

  /** Stores, indexes and (once committed) publishes the result of a transition. */
  private apply(key: string, alarm: AlarmRecord, action: string, user: string | null = null, comment: string | null = null): void {
    this.storage.saveAlarm(key, alarm, { ts: alarm.updatedAt, action, user, comment });
    // Published only once stored: an alarm seen by anyone is one a restart or a new leader knows.
    this.storage.whenAlarmsStored((err) => (err ? this.onPublishError(err) : this.publish(alarm)));
    this.recentIds.add(alarm.id);
    this.metrics.alarmTransitions.inc({ action });
    if (alarm.state === 'closed') {
      this.open.delete(key);
      this.keyById.delete(alarm.id);
    } else {
      this.open.set(key, alarm);
      this.keyById.set(alarm.id, key);
    }
    for (const listener of this.changeListeners) listener(alarm, key);
    this.scenes?.[alarm.scene].onAlarm(alarm, key);
  }

  private publish(alarm: AlarmRecord): void {
    // Retained while open, so a client connecting later sees it; an empty retained payload removes it once closed.
    const payload = alarm.state === 'closed' ? '' : JSON.stringify(alarm);
    this.bus.publish(alarmTopic(alarm.id), payload, { qos: 1, retain: true }).catch(this.onPublishError);
  }

  /**
   * raiseAlarm ids are device-rule-time; two raises in one millisecond get a suffix. Checked
   * against the open alarms and the ids this engine used lately (the stored alarms are a millisecond
   * apart at least, unless a clock went back).
   */
  private uniqueId(id: string): string {
    let candidate = id;
    for (let n = 2; this.keyById.has(candidate) || this.recentIds.has(candidate); n++) candidate = `${id}-${n}`;
    return candidate;
  }

  private shelveContext(alarm: AlarmRecord): ShelveContext {
    return this.scenes?.[alarm.scene].shelveContext(alarm) ?? NOWHERE;
  }

  private isActive(key: string): boolean {
    const a = this.open.get(key);
    return a !== undefined && a.active !== false;
  }

  /** An alarm changed other than by its rule (an operator, a shelve running out): its device's rules are all evaluated next time. */
  private touched(alarm: AlarmRecord): void {
    if (alarm.deviceId !== null) this.valueRules.evaluateAllNext(alarm.deviceId);
  }

  private fields(c: Condition) {
    const zh = c.messageZh ?? (this.zh && c.detail ? renderDetail(c.detail, this.zh) : null);
    return { severity: c.severity, value: c.value, threshold: c.threshold, message: c.message, detail: c.detail ?? null, messageZh: zh };
  }
}
