/**
 * The twin as it stood at a past instant, rebuilt from SQLite for the `?at=` form of the scene
 * APIs (the replay's one time cursor): each device's latest stored value of every quantity at or
 * before `at`, the alarms open at `at` in the state their last transition then left them, and the
 * events stored up to `at`. It answers the same questions the live `Ingest` and `AlarmEngine` do
 * (`state(deviceId)`, open alarms by key and scene), so a scene's answer-building code can run on
 * either. Everything is loaded up front by the reader threads (`TwinAt.load`), so answering from it
 * is synchronous and cheap; one request builds one `TwinAt`.
 */
import type { AlarmRecord, Scene, Values } from '../../contracts';
import { isStale } from '../../domain';
import type { DeviceState } from '../ingest';
import type { RegistryIndex } from '../registry';
import type { DeviceAt, Resolution, Storage, StoredEvent } from '../storage';
import { alarmAt } from './alarmAt';

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

/** An alarm as it stood at the instant, with the engine key it was raised under. */
interface KeyedAlarmAt {
  key: string;
  alarm: AlarmRecord;
  everCritical: boolean;
}

/** The alarms open at a past instant, and what they had been by then. */
export interface PastAlarms extends OpenAlarms {
  /** Whether the alarm had been critical by the instant (it may have eased since it was raised). */
  everCritical(alarmId: string): boolean;
}

export class TwinAt implements DeviceStates, PastAlarms {
  private readonly states = new Map<string, DeviceState | undefined>();
  private readonly byKey: Map<string, AlarmRecord>;
  private readonly all: AlarmRecord[];
  private readonly critical: Set<string>;

  private constructor(
    private readonly storage: Storage,
    private readonly registry: RegistryIndex,
    readonly atMs: number,
    private readonly devices: Map<string, DeviceAt>,
    alarms: KeyedAlarmAt[],
    /** `1m` when the instant is older than the raw readings kept: values are the rollups' last ones. */
    readonly resolution: Resolution,
  ) {
    this.byKey = new Map(alarms.map((r) => [r.key, r.alarm]));
    this.all = alarms.map((r) => r.alarm);
    this.critical = new Set(alarms.filter((r) => r.everCritical).map((r) => r.alarm.id));
  }

  /**
   * Loads the twin at `atMs` from the reader threads: the devices of `scene` (every device without
   * one) and the alarms open then. A device of another scene answers undefined.
   */
  static async load(storage: Storage, registry: RegistryIndex, atMs: number, scene?: Scene): Promise<TwinAt> {
    const devices = [...registry.devices.values()].filter((d) => !scene || d.scene === scene);
    const [states, rows] = await Promise.all([storage.history.devicesAt(devices, atMs), storage.history.alarmsAt(atMs)]);
    const alarms = rows.map((r) => ({ key: r.key, alarm: alarmAt(r.latest, r.last, atMs), everCritical: r.everCritical }));
    return new TwinAt(storage, registry, atMs, states.devices, alarms, states.resolution);
  }

  /**
   * A device as it stood at `at`: its latest values, and its last status message (online / offline)
   * at or before `at`. Arrival times are not stored, so a reading's own `ts` stands for when it was
   * heard (as after a restart, Ingest.restore). Event-only devices (no quantities) are never stale,
   * as live (Ingest.checkStale).
   */
  state(deviceId: string): DeviceState | undefined {
    if (this.states.has(deviceId)) return this.states.get(deviceId);
    const device = this.registry.devices.get(deviceId);
    const at = this.devices.get(deviceId);
    let st: DeviceState | undefined;
    if (device && at) {
      const { ts, values, status } = at;
      const stale = device.quantities.length > 0 && isStale(ts, device.intervalS, this.atMs);
      st = { device, ts, values: values as Values, heardAt: ts, online: status?.online ?? null, statusTs: status?.ts ?? 0, stale, reported: null };
    }
    this.states.set(deviceId, st);
    return st;
  }

  openAlarm(key: string): AlarmRecord | undefined {
    return this.byKey.get(key);
  }

  list(scene: Scene | undefined, _openOnly: boolean, limit: number): AlarmRecord[] {
    return this.all.filter((a) => !scene || a.scene === scene).slice(0, limit);
  }

  everCritical(alarmId: string): boolean {
    return this.critical.has(alarmId);
  }

  /** Stored events of a scene in [at − windowMs, at], oldest first (the newest ones when there are very many). */
  events(scene: Scene, windowMs: number): Promise<StoredEvent[]> {
    return this.storage.history.eventsBetween(scene, this.atMs - windowMs, this.atMs);
  }
}
