/**
 * Ingest: every device message is validated with the contract code, counted, stored, folded into
 * the live state and handed to the alarm engine. Bad input is counted by reason and dropped; it
 * never stops the stream (docs/contract.md "MQTT topics").
 */
import {
  decodeJson,
  parseDeviceTopic,
  validateEvent,
  validateStatus,
  validateTelemetry,
  type Device,
  type LiveStatus,
  type RejectReason,
  type Telemetry,
  type Quantity,
  type Values,
} from '../contracts';
import { DeadlineQueue, isStale, staleAtMs } from '../domain';
import type { AlarmEngine } from './alarms';
import type { LiveBatcher } from './live';
import { eventScopeRefusal } from './mqttAccess';
import type { Metrics } from './metrics';
import type { RegistryIndex } from './registry';
import type { ReadingRow, Storage } from './storage';

/** What the service knows of one device now. */
export interface DeviceState {
  device: Device;
  /** `ts` of the newest reading applied to the live state; null until the first one. */
  ts: number | null;
  /** Latest value of every quantity, merged across messages. */
  values: Values;
  /**
   * Service clock when a reading last moved the live state. Staleness is silence on arrival, so a
   * device whose clock runs a minute behind is not stale for it.
   */
  heardAt: number | null;
  /** From the device's status messages (and Last Will); null until one arrives. */
  online: boolean | null;
  statusTs: number;
  /** Silent for more than 3 × intervalS (domain isStale). */
  stale: boolean;
  /** The status last put into a live batch. */
  reported: LiveStatus | null;
}

export interface IngestDeps {
  registry: RegistryIndex;
  storage: Storage;
  live: LiveBatcher;
  alarms: AlarmEngine;
  metrics: Metrics;
  now: () => number;
  onError: (err: Error, topic: string) => void;
  /** Told about every rejected message (the service logs it at debug level). */
  onReject?: (reason: RejectReason, detail: string) => void;
}

export class Ingest {
  accepted = 0;
  readonly rejected: Partial<Record<RejectReason, number>> = {};
  private readonly states = new Map<string, DeviceState>();
  /** Devices never heard count as silent from service start, not from the epoch. */
  private readonly startedAt: number;
  /**
   * When each device may turn stale, never later than it does (one heard meanwhile is queued again
   * when its entry comes up): the 1 s check looks at those due only. Judging all 25,000 devices
   * every second held the event loop 3–60 ms.
   */
  private readonly staleAt = new DeadlineQueue();

  constructor(private readonly d: IngestDeps) {
    this.startedAt = d.now();
    for (const device of d.registry.devices.values()) {
      this.states.set(device.id, { device, ts: null, values: {}, heardAt: null, online: null, statusTs: 0, stale: false, reported: null });
    }
    this.queueAll();
  }

  /**
   * The registry changed: new devices are ingested from now on, changed ones keep their live state
   * under their new definition (its limits, interval, site), retired ones are dropped.
   */
  registryChanged(): void {
    for (const device of this.d.registry.devices.values()) {
      const st = this.states.get(device.id);
      if (st) st.device = device;
      else this.states.set(device.id, { device, ts: null, values: {}, heardAt: null, online: null, statusTs: 0, stale: false, reported: null });
    }
    for (const id of this.states.keys()) if (!this.d.registry.devices.has(id)) this.states.delete(id);
    // An interval may have shortened: every deadline anew.
    this.queueAll();
  }

  /** Restores the latest values stored before a restart (no live batch, no alarm evaluation). */
  async restore(): Promise<void> {
    const latest = await this.d.storage.latestValues();
    const now = this.d.now();
    for (const r of latest) {
      const st = this.states.get(r.deviceId);
      if (!st) continue;
      st.values[r.quantity] = r.value;
      st.ts = Math.max(st.ts ?? 0, r.ts);
      // Arrival times are not stored: the reading's own ts is the best guess of when it was heard.
      st.heardAt = Math.min(st.ts, now);
    }
  }

  state(deviceId: string): DeviceState | undefined {
    return this.states.get(deviceId);
  }

  /** Counts a rejected message (also used by the broker for publishes it refuses). */
  reject(reason: RejectReason, detail: string): void {
    this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
    this.d.metrics.reject(reason);
    this.d.onReject?.(reason, detail);
  }

  /**
   * Entry point for every device message from the bus. False when it could not be handled (a bug or
   * a storage failure): the message must then not be acknowledged. Bad input is handled (counted).
   */
  handle(topic: string, payload: Buffer): boolean {
    try {
      this.dispatch(topic, payload);
      return true;
    } catch (err) {
      // A bug or a storage failure on one message must not take the broker down with it.
      this.d.onError(err as Error, topic);
      return false;
    }
  }

  private dispatch(topic: string, payload: Buffer): void {
    const t = parseDeviceTopic(topic);
    if (!t) return this.reject('bad_topic', `${topic} is not citytwin/v1/{scene}/{deviceId}/{channel}`);
    const st = this.states.get(t.deviceId);
    if (!st || st.device.scene !== t.scene) return this.reject('unknown_device', `${t.scene}/${t.deviceId} is not registered`);
    const json = decodeJson(payload);
    if (!json.ok) return this.reject(json.reject.reason, `${t.deviceId}: ${json.reject.detail}`);
    const now = this.d.now();
    switch (t.channel) {
      case 'telemetry': {
        const r = validateTelemetry(json.value, now, st.device.quantities);
        for (const rej of r.rejects) this.reject(rej.reason, `${t.deviceId}: ${rej.detail}`);
        if (r.accepted.length > 0) this.telemetry(st, r.accepted, now);
        return;
      }
      case 'event': {
        const r = validateEvent(json.value, now);
        if (!r.ok) return this.reject(r.reject.reason, `${t.deviceId}: ${r.reject.detail}`);
        const outOfScope = eventScopeRefusal(st.device, r.value, this.d.registry) ?? this.d.alarms.refuseEvent(st.device, r.value);
        if (outOfScope) return this.reject('forbidden', outOfScope);
        this.count('event');
        // A duplicate (same device, ts and type) is stored once and runs the rules once.
        if (this.d.storage.saveEvent(st.device.id, st.device.scene, r.value.ts, r.value.type, r.value)) {
          this.d.alarms.onEvent(st.device, r.value, now);
        }
        return;
      }
      case 'status': {
        const r = validateStatus(json.value, now);
        if (!r.ok) return this.reject(r.reject.reason, `${t.deviceId}: ${r.reject.detail}`);
        this.count('status');
        this.d.storage.saveStatus(st.device.id, r.value.ts, r.value.online);
        // Status is retained: an older one replayed after a newer one must not win.
        if (r.value.ts < st.statusTs) return;
        st.statusTs = r.value.ts;
        st.online = r.value.online;
        this.report(st);
        return;
      }
    }
  }

  private telemetry(st: DeviceState, items: Telemetry[], now: number): void {
    const { device } = st;
    const rows: ReadingRow[] = [];
    /** The quantities that moved the live state, for the alarm engine (the one applied item's values, mostly). */
    let changed = null as Values | null;
    if (items.length > 1) items.sort((a, b) => a.ts - b.ts);
    for (const item of items) {
      this.count('telemetry');
      for (const q in item.values) rows.push([device.id, q, item.ts, item.values[q as Quantity] as number]);
      if (st.ts !== null && item.ts <= st.ts) {
        // Same ts: a duplicate, applied once. Older: history only, the live state stays newer.
        if (item.ts === st.ts) this.d.metrics.duplicates.inc();
        continue;
      }
      st.ts = item.ts;
      st.heardAt = now;
      Object.assign(st.values, item.values);
      this.d.live.reading(device.scene, device.id, item.ts, item.values);
      changed = changed === null ? item.values : { ...changed, ...item.values };
    }
    this.d.storage.writeReadings(rows);
    if (changed === null) return;
    // Just heard, so not stale; told every time (cheap), so a stale alarm restored after a
    // restart clears on the first reading too. A device not stale is queued already.
    if (st.stale) this.queueStale(st);
    st.stale = false;
    this.d.alarms.onStale(device, false, now);
    this.report(st);
    this.d.alarms.onValues(device, st.values, now, changed);
  }

  /** Once a second: devices silent for more than 3 × their interval become stale. */
  checkStale(now: number): void {
    for (const id of this.staleAt.popDue(now)) {
      const st = this.states.get(id);
      if (!st) continue;
      const stale = isStale(this.silentSince(st), st.device.intervalS, now);
      // Heard since it was queued: its new deadline.
      if (!stale) this.queueStale(st);
      if (stale === st.stale) continue;
      st.stale = stale;
      this.report(st);
      // Only a device that has reported can go silent; one never heard is grey, not an alarm.
      if (st.heardAt !== null) this.d.alarms.onStale(st.device, stale, now);
    }
  }

  /**
   * A restart is not a device failure: silence counts from the later of the last reading and this
   * process's start, so the minutes the service was down raise no flood of stale alarms.
   */
  private silentSince(st: DeviceState): number {
    return Math.max(st.heardAt ?? this.startedAt, this.startedAt);
  }

  /** Queues when the device turns stale if it stays silent; event-only devices (access terminals, road operators) have no telemetry to miss. */
  private queueStale(st: DeviceState): void {
    if (st.device.quantities.length > 0) this.staleAt.set(st.device.id, staleAtMs(this.silentSince(st), st.device.intervalS)!);
  }

  private queueAll(): void {
    this.staleAt.clear();
    for (const st of this.states.values()) this.queueStale(st);
  }

  /** Puts a device's status into the next live batch when it changed. */
  private report(st: DeviceState): void {
    const status = effectiveStatus(st);
    if (status === null || status === st.reported) return;
    st.reported = status;
    this.d.live.status(st.device.scene, st.device.id, status);
  }

  private count(channel: 'telemetry' | 'event' | 'status'): void {
    this.accepted++;
    this.d.metrics.acceptedSince[channel]++;
  }
}

/** Offline (said so) over stale (silent) over online; null while nothing is known. */
export function effectiveStatus(st: Pick<DeviceState, 'online' | 'stale' | 'heardAt'>): LiveStatus | null {
  if (st.online === false) return 'offline';
  if (st.stale) return 'stale';
  if (st.heardAt !== null || st.online === true) return 'online';
  return null;
}
