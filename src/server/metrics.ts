/**
 * Prometheus metrics. Each service instance has its own registry (not prom-client's global one),
 * so several instances can run in one process, as the integration tests do.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { REJECT_REASONS, type RejectReason } from '../contracts';

export class Metrics {
  readonly registry = new Registry();
  /**
   * Accepted messages not yet added to `accepted`: counted here on every message and added when the
   * counter is read (a labelled increment hashes its labels, a cost on every message at 25k msg/s).
   */
  readonly acceptedSince: Record<'telemetry' | 'event' | 'status', number> = { telemetry: 0, event: 0, status: 0 };
  readonly accepted = acceptedCounter(this.registry, this.acceptedSince);
  readonly rejected = new Counter({
    name: 'citytwin_messages_rejected_total',
    help: 'Device messages rejected, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly duplicates = new Counter({
    name: 'citytwin_readings_duplicate_total',
    help: 'Readings whose device and ts were already applied (applied once)',
    registers: [this.registry],
  });
  readonly liveMessages = new Counter({
    name: 'citytwin_live_messages_total',
    help: 'Live batch messages published, by scene',
    labelNames: ['scene'] as const,
    registers: [this.registry],
  });
  readonly liveReadings = new Counter({
    name: 'citytwin_live_readings_total',
    help: 'Readings carried in live batches, by scene',
    labelNames: ['scene'] as const,
    registers: [this.registry],
  });
  readonly alarmTransitions = new Counter({
    name: 'citytwin_alarm_transitions_total',
    help: 'Alarm transitions stored, by action',
    labelNames: ['action'] as const,
    registers: [this.registry],
  });
  readonly openAlarms: Gauge<'scene' | 'severity'>;
  readonly mqttClients: Gauge;

  /**
   * @param openAlarmCounts read at scrape time: open alarms by scene and severity.
   * @param clientCount read at scrape time: connected MQTT clients (embedded broker).
   */
  constructor(openAlarmCounts: () => { scene: string; severity: string; n: number }[], clientCount: () => number | undefined) {
    this.openAlarms = new Gauge({
      name: 'citytwin_alarms_open',
      help: 'Open (not closed) alarms, by scene and severity',
      labelNames: ['scene', 'severity'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of openAlarmCounts()) this.set({ scene: c.scene, severity: c.severity }, c.n);
      },
    });
    this.mqttClients = new Gauge({
      name: 'citytwin_mqtt_clients',
      help: 'Clients connected to the embedded broker',
      registers: [this.registry],
      collect() {
        const n = clientCount();
        if (n !== undefined) this.set(n);
      },
    });
    // Every reason appears from the start, so a dashboard shows 0 rather than "no data".
    for (const r of REJECT_REASONS) this.rejected.inc({ reason: r }, 0);
    collectDefaultMetrics({ register: this.registry, prefix: 'citytwin_' });
  }

  reject(reason: RejectReason): void {
    this.rejected.inc({ reason });
  }
}

/** The accepted counter, adding what `since` counted whenever it is read (a scrape). */
function acceptedCounter(registry: Registry, since: Metrics['acceptedSince']): Counter<'channel'> {
  return new Counter({
    name: 'citytwin_messages_accepted_total',
    help: 'Device messages (telemetry items, events, status) accepted',
    labelNames: ['channel'] as const,
    registers: [registry],
    collect() {
      for (const channel of ['telemetry', 'event', 'status'] as const) {
        if (since[channel] > 0) this.inc({ channel }, since[channel]);
        since[channel] = 0;
      }
    },
  });
}
