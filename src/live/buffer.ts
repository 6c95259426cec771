/**
 * Collects decoded live batches and alarm updates between two animation frames and folds them into
 * the store's mutable `live` map in one go. Keyed by device id, so however many messages arrive
 * while a tab is in the background, what is held stays bounded by the number of devices.
 */
import type { AlarmRecord, DeviceLive, LiveBatch, LiveStatus, Values } from '../contracts';

interface PendingReading {
  ts: number;
  values: Values;
}

/**
 * A device's values after a newer reading: the reading's own object when it carries every quantity
 * shown already (a device reports all of its quantities each time), else both merged, the newer winning.
 */
function merged(shown: Values, fresh: Values): Values {
  for (const q in shown) if (!(q in fresh)) return { ...shown, ...fresh };
  return fresh;
}

export class LiveBuffer {
  private readings = new Map<string, PendingReading>();
  private statuses = new Map<string, LiveStatus>();
  private alarms = new Map<string, AlarmRecord | null>();

  get empty(): boolean {
    return this.readings.size === 0 && this.statuses.size === 0 && this.alarms.size === 0;
  }

  /** Merges a batch: values of the same device merge, the newest value of a quantity wins. */
  addBatch(batch: LiveBatch): void {
    for (const [id, ts, values] of batch.readings) {
      const prev = this.readings.get(id);
      // Held as received (never written to: merges below make new objects), one copy fewer per reading.
      if (!prev) this.readings.set(id, { ts, values });
      else if (ts >= prev.ts) this.readings.set(id, { ts, values: { ...prev.values, ...values } });
      else this.readings.set(id, { ts: prev.ts, values: { ...values, ...prev.values } });
    }
    for (const [id, status] of batch.status) this.statuses.set(id, status);
  }

  /** An alarm record, or null when its retained topic was emptied (closed). The last one wins. */
  addAlarm(id: string, record: AlarmRecord | null): void {
    this.alarms.set(id, record);
  }

  /**
   * Writes pending readings and statuses into `live` (new DeviceLive objects for the devices that
   * changed, so panels can compare by identity) and returns the ids touched.
   * A reading older than what is shown already is dropped, as the service does for its live state.
   */
  foldInto(live: Map<string, DeviceLive>): string[] {
    const changed: string[] = [];
    for (const [id, r] of this.readings) {
      const cur = live.get(id);
      if (cur && cur.ts !== null && r.ts < cur.ts) continue;
      // A fresh reading proves the device is reporting; a status in the same frame still overrides it below.
      live.set(id, { ts: r.ts, values: cur ? merged(cur.values, r.values) : r.values, status: 'online' });
      changed.push(id);
    }
    for (const [id, status] of this.statuses) {
      const cur = live.get(id);
      if (cur?.status === status) continue;
      live.set(id, { ts: cur?.ts ?? null, values: cur?.values ?? {}, status });
      if (!this.readings.has(id)) changed.push(id);
    }
    this.readings.clear();
    this.statuses.clear();
    return changed;
  }

  /** Hands over the pending alarm changes and forgets them. */
  takeAlarms(): Map<string, AlarmRecord | null> {
    const out = this.alarms;
    this.alarms = new Map();
    return out;
  }
}
