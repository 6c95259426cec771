/**
 * The twin as it stood at a past instant, rebuilt from SQLite for the `?at=` form of the scene
 * APIs (issue 6, "one time cursor"): each device's latest stored value of every quantity at or
 * before `at`, the alarms open at `at` in the state their last transition then left them, and the
 * events stored up to `at`. It answers the same questions the live `Ingest` and `AlarmEngine` do
 * (`state(deviceId)`, open alarms by key and scene), so a scene's answer-building code can run on
 * either. Lookups are memoised: one request builds one `TwinAt` and may ask the same thing often.
 */
import type { AlarmRecord, Scene, Values } from '../../contracts';
import { isStale } from '../../domain';
import type { DeviceState } from '../ingest';
import type { RegistryIndex } from '../registry';
import type { Storage, StoredEvent } from '../storage';

/** What the scene answers read of a device: the live `Ingest` or a `TwinAt`. */
export interface DeviceStates {
  state(deviceId: string): DeviceState | undefined;
}

/** What the scene answers read of the alarms: the live `AlarmEngine` or a `TwinAt`. */
export interface OpenAlarms {
  /** The open alarm raised under `key` (`deviceId|rule`, `spaceId|evacuate`, …). */
  openAlarm(key: string): AlarmRecord | undefined;
  /** Alarms of a scene, newest first; `openOnly` is accepted for the engine's signature (a `TwinAt` holds only open ones). */
  list(scene: Scene | undefined, openOnly: boolean, limit: number): AlarmRecord[];
}

/** The alarms open at a past instant, and what they had been by then. */
export interface PastAlarms extends OpenAlarms {
  /** Whether the alarm had been critical by the instant (it may have eased since it was raised). */
  everCritical(alarmId: string): boolean;
}

export class TwinAt implements DeviceStates, PastAlarms {
  private readonly states = new Map<string, DeviceState | undefined>();
  private byKey: Map<string, AlarmRecord> | null = null;
  private all: AlarmRecord[] | null = null;
  private critical: Set<string> | null = null;

  /** @param atMs the instant, epoch ms */
  constructor(
    private readonly storage: Storage,
    private readonly registry: RegistryIndex,
    readonly atMs: number,
  ) {}

  /**
   * A device as it stood at `at`: its latest values, and its last status message (online / offline)
   * at or before `at`. Arrival times are not stored, so a reading's own `ts` stands for when it was
   * heard (as after a restart, Ingest.restore). Event-only devices (no quantities) are never stale,
   * as live (Ingest.checkStale).
   */
  state(deviceId: string): DeviceState | undefined {
    if (this.states.has(deviceId)) return this.states.get(deviceId);
    const device = this.registry.devices.get(deviceId);
    let st: DeviceState | undefined;
    if (device) {
      const values: Values = {};
      let ts: number | null = null;
      for (const q of device.quantities) {
        const r = this.storage.valueAt(device.id, q, this.atMs);
        if (!r) continue;
        values[q] = r.value;
        ts = Math.max(ts ?? r.ts, r.ts);
      }
      const status = this.storage.statusAt(device.id, this.atMs);
      const stale = device.quantities.length > 0 && isStale(ts, device.intervalS, this.atMs);
      st = { device, ts, values, heardAt: ts, online: status?.online ?? null, statusTs: status?.ts ?? 0, stale, reported: null };
    }
    this.states.set(deviceId, st);
    return st;
  }

  openAlarm(key: string): AlarmRecord | undefined {
    if (!this.byKey) this.load();
    return this.byKey!.get(key);
  }

  list(scene: Scene | undefined, _openOnly: boolean, limit: number): AlarmRecord[] {
    if (!this.all) this.load();
    return this.all!.filter((a) => !scene || a.scene === scene).slice(0, limit);
  }

  everCritical(alarmId: string): boolean {
    if (!this.critical) this.load();
    return this.critical!.has(alarmId);
  }

  /** Stored events of a scene in [at − windowMs, at], oldest first. */
  events(scene: Scene, windowMs: number): StoredEvent[] {
    return this.storage.eventsBetween(scene, this.atMs - windowMs, this.atMs);
  }

  /** Raw points of one channel in [at − windowMs, at], oldest first. */
  series(deviceId: string, quantity: string, windowMs: number): [number, number][] {
    return this.storage.series(deviceId, quantity, this.atMs - windowMs, this.atMs);
  }

  private load(): void {
    const rows = this.storage.keyedAlarmsAt(this.atMs);
    this.byKey = new Map(rows.map((r) => [r.key, r.alarm]));
    this.all = rows.map((r) => r.alarm);
    this.critical = new Set(rows.filter((r) => r.everCritical).map((r) => r.alarm.id));
  }
}
