/**
 * Escalation of unanswered critical alarms, service side. The rule is pure
 * (`dueEscalations` in src/domain/escalation.ts); this file checks it on the service's 1 s tick,
 * publishes each escalation on `citytwin/v1/notify/{scene}` (QoS 1, not retained), records it as an
 * `escalated` alarm event, and POSTs it to ESCALATION_WEBHOOK_URL when set.
 *
 * The webhook is best effort: one attempt per escalation, 5 s timeout, at most
 * WEBHOOK_CONCURRENCY requests at a time and WEBHOOK_QUEUE_MAX waiting; a failure is logged and
 * counted in /metrics, never thrown and never retried — a gateway that is down must not turn an
 * alarm flood into a request storm. The MQTT notice and the stored event are the durable record.
 */
import { Counter } from 'prom-client';
import { isOpen, notificationTopic, type AlarmRecord } from '../contracts';
import { ESCALATING_SEVERITY, dueEscalations, escalationNotice, type EscalationNotice } from '../domain';
import type { AlarmEngine } from './alarms';
import type { Bus } from './bus';
import type { Config } from './config';
import type { Metrics } from './metrics';
import type { Storage } from './storage';

/** A gateway that has not answered in 5 s is not going to page anyone in time either. */
export const WEBHOOK_TIMEOUT_MS = 5000;
/** Webhook requests in flight at once. */
export const WEBHOOK_CONCURRENCY = 2;
/** Escalations waiting for a webhook slot; beyond this they are dropped (and counted). */
export const WEBHOOK_QUEUE_MAX = 100;

const WEBHOOK_RESULTS = ['ok', 'http_error', 'network_error', 'timeout', 'dropped'] as const;
type WebhookResult = (typeof WEBHOOK_RESULTS)[number];

export interface EscalatorOptions {
  cfg: Pick<Config, 'escalateAfterS' | 'escalationWebhookUrl'>;
  alarms: AlarmEngine;
  storage: Storage;
  bus: Bus;
  metrics: Metrics;
  /** Warnings: failed publishes and webhook calls. */
  warn: (detail: object, msg: string) => void;
}

export class Escalator {
  /** Open critical alarms, kept current from the engine's transitions. */
  private readonly candidates = new Map<string, AlarmRecord>();
  private readonly escalated = new Set<string>();
  private readonly queue: EscalationNotice[] = [];
  private readonly inFlight = new Set<AbortController>();
  private closed = false;
  private readonly afterMs: number;
  private readonly escalations: Counter<'scene'>;
  private readonly webhookCalls: Counter<'result'>;

  constructor(private readonly o: EscalatorOptions) {
    this.afterMs = o.cfg.escalateAfterS * 1000;
    this.escalations = new Counter({
      name: 'citytwin_alarm_escalations_total',
      help: 'Critical alarms escalated for want of an acknowledgement, by scene',
      labelNames: ['scene'] as const,
      registers: [o.metrics.registry],
    });
    this.webhookCalls = new Counter({
      name: 'citytwin_escalation_webhook_total',
      help: 'Escalation webhook calls by result (ok, http_error, network_error, timeout, dropped)',
      labelNames: ['result'] as const,
      registers: [o.metrics.registry],
    });
    // Every result from the start, so a dashboard shows 0 rather than "no data".
    if (o.cfg.escalationWebhookUrl) for (const r of WEBHOOK_RESULTS) this.webhookCalls.inc({ result: r }, 0);
  }

  /**
   * Takes the open alarms from the store (after `AlarmEngine.restore`) and follows every later
   * transition. Alarms escalated before a restart are not escalated again.
   */
  async attach(): Promise<this> {
    const [open, escalated] = await Promise.all([this.o.storage.openAlarms(), this.o.storage.escalatedOpenAlarmIds()]);
    for (const { alarm } of open) this.track(alarm);
    for (const id of escalated) this.escalated.add(id);
    this.o.alarms.onChange((alarm) => this.track(alarm));
    return this;
  }

  /** Called on the service's 1 s tick: escalates what is due now. */
  tick(nowMs: number): void {
    if (this.afterMs <= 0 || this.closed) return;
    for (const alarm of dueEscalations(this.candidates.values(), nowMs, this.afterMs, this.escalated)) this.escalate(alarm, nowMs);
  }

  /** Drops waiting webhook calls and aborts those in flight. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    for (const c of this.inFlight) c.abort();
  }

  private track(alarm: AlarmRecord): void {
    if (isOpen(alarm) && alarm.severity === ESCALATING_SEVERITY) {
      this.candidates.set(alarm.id, alarm);
    } else {
      this.candidates.delete(alarm.id);
      if (!isOpen(alarm)) this.escalated.delete(alarm.id);
    }
  }

  private escalate(alarm: AlarmRecord, nowMs: number): void {
    // Marked first: whatever fails below, this alarm is not tried again every second.
    this.escalated.add(alarm.id);
    this.escalations.inc({ scene: alarm.scene });
    const notice = escalationNotice(alarm, nowMs, this.afterMs);
    const comment = `unacknowledged for ${this.o.cfg.escalateAfterS} s`;
    try {
      this.o.storage.addAlarmEvent(alarm, { ts: nowMs, action: 'escalated', user: null, comment });
    } catch (err) {
      this.o.warn({ err, alarmId: alarm.id }, 'escalation not stored');
    }
    const body = JSON.stringify(notice);
    this.o.bus
      .publish(notificationTopic(alarm.scene), body, { qos: 1, retain: false })
      .catch((err: unknown) => this.o.warn({ err, alarmId: alarm.id }, 'escalation publish failed'));
    if (this.o.cfg.escalationWebhookUrl) this.enqueue(notice);
  }

  private enqueue(notice: EscalationNotice): void {
    if (this.queue.length >= WEBHOOK_QUEUE_MAX) {
      this.webhookCalls.inc({ result: 'dropped' });
      this.o.warn({ alarmId: notice.alarm.id }, 'escalation webhook queue full: dropped');
      return;
    }
    this.queue.push(notice);
    this.drain();
  }

  private drain(): void {
    while (!this.closed && this.inFlight.size < WEBHOOK_CONCURRENCY && this.queue.length > 0) {
      const notice = this.queue.shift()!;
      const ctrl = new AbortController();
      this.inFlight.add(ctrl);
      void this.post(notice, ctrl).then((result) => {
        this.inFlight.delete(ctrl);
        this.webhookCalls.inc({ result });
        this.drain();
      });
    }
  }

  /** One POST; resolves to its result, never rejects. */
  private async post(notice: EscalationNotice, ctrl: AbortController): Promise<WebhookResult> {
    const url = this.o.cfg.escalationWebhookUrl!;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, WEBHOOK_TIMEOUT_MS);
    timer.unref();
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(notice),
        signal: ctrl.signal,
      });
      // The answer is not used; releasing it frees the connection.
      await res.body?.cancel().catch(() => {});
      if (res.ok) return 'ok';
      this.o.warn({ alarmId: notice.alarm.id, status: res.status }, 'escalation webhook answered an error');
      return 'http_error';
    } catch (err) {
      // The URL is not logged: it may carry the gateway's token.
      if (!timedOut && this.closed) return 'network_error';
      this.o.warn({ alarmId: notice.alarm.id, err: timedOut ? undefined : String(err) }, timedOut ? 'escalation webhook timed out' : 'escalation webhook failed');
      return timedOut ? 'timeout' : 'network_error';
    } finally {
      clearTimeout(timer);
    }
  }
}
