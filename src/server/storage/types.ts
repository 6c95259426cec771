/** The shapes Storage takes and answers (shared by its SQLite parts, and by a later PostgreSQL one). */
import type { AlarmRecord, AlarmState, DeviceEvent, Severity } from '../../contracts';
import type { SpeedTrackView, TrafficOptions } from '../../domain';

export type { ReadingRow } from './writer';

export interface AlarmEventRow {
  alarmId: string;
  ts: number;
  action: string;
  user: string | null;
  comment: string | null;
}

/** One stored device event, as accepted. */
export interface StoredEvent {
  deviceId: string;
  ts: number;
  type: string;
  event: DeviceEvent;
}

export interface AlarmQuery {
  scene?: string;
  openOnly: boolean;
  limit: number;
}

/** One stored transition with the state and severity it left the alarm in. */
export interface AlarmHistoryRow {
  ts: number;
  action: string;
  user: string | null;
  comment: string | null;
  state: string;
  severity: string;
  /** The shelve's expiry while shelved (null in databases written before it was stored). */
  shelvedUntil: number | null;
}

/** The filters of the alarm history search; every one optional but `limit`. */
export interface AlarmSearch {
  scene?: string;
  /** Alarms open at some time in [fromMs, toMs]: raised by `toMs`, and not closed before `fromMs`. */
  fromMs?: number;
  toMs?: number;
  /** Substring of message, messageZh, device id, site id, rule or alarm id (ASCII case-insensitive). */
  text?: string;
  /** What `text` also stands for (ids of devices and sites it names, quantities and rules whose label it is): any of them matches as `text` does. */
  alsoText?: string[];
  severities?: string[];
  /** States; `open` stands for every state but closed. */
  states?: string[];
  limit: number;
}

/** Where an answer about the past comes from: raw readings, or per-minute rollups where those are gone. */
export type Resolution = 'raw' | '1m';

/** What an alarm's last transition at or before an instant left it in (a row of alarm_events). */
export interface TransitionAt {
  ts: number;
  state: AlarmState;
  severity: Severity;
  /** The shelve's expiry while shelved; null otherwise, and in databases written before it was stored. */
  shelvedUntil: number | null;
  value: number | null;
  threshold: number | null;
  /** Null in databases written before transitions kept their message: the record's own are kept. */
  message: string | null;
}

/**
 * An alarm raised by an instant and not closed by then: the engine key it was raised under, its
 * latest record and its last transition at or before the instant (`alarmAt` in
 * src/server/history/alarmAt.ts makes the record as it stood from the two).
 */
export interface AlarmTransitionAt {
  key: string;
  latest: AlarmRecord;
  last: TransitionAt;
  /** Whether it had been critical by the instant (a leak's zone stays while its alarm is open). */
  everCritical: boolean;
}

/** A device's channels as they stood at a past instant. */
export interface DeviceAt {
  values: Record<string, number>;
  /** Newest `ts` among those values; null when none was stored by then. */
  ts: number | null;
  /** Its last status message at or before the instant. */
  status: { ts: number; online: boolean } | null;
}

/** A channel's stored values over a time range, downsampled. */
export interface SeriesAnswer {
  points: [ts: number, value: number][];
  resolution: Resolution;
}

/** One network congestion index sample, `[ts, index]`; the index is null when no segment had a known level. */
export type IndexSample = [ts: number, index: number | null];

/**
 * The history reads of the HTTP API and replay: all async and bounded, so an engine may answer
 * them from worker threads (SQLite) or over the network (PostgreSQL) without holding the event loop.
 */
export interface HistoryReads {
  /** One channel in [fromMs, toMs], downsampled to at most `maxPoints` (min and max per bucket). */
  series(deviceId: string, quantity: string, fromMs: number, toMs: number, maxPoints: number): Promise<SeriesAnswer>;
  /** Each device's latest value of every quantity, and its last status, at or before `atMs`. */
  devicesAt(devices: readonly { id: string; quantities: readonly string[] }[], atMs: number): Promise<{ devices: Map<string, DeviceAt>; resolution: Resolution }>;
  /** Road detectors' speed tracks as they stood at `atMs` (the newest of the `windowMs` before). */
  tracksAt(deviceIds: readonly string[], quantity: string, atMs: number, windowMs: number, opts: TrafficOptions, capacity: number): Promise<Map<string, SpeedTrackView>>;
  /** The alarms open at `atMs`, each with its latest record and its last transition by then. */
  alarmsAt(atMs: number, scene?: string): Promise<AlarmTransitionAt[]>;
  /** A scene's stored events in [fromMs, toMs], oldest first (the newest `cap` when there are more). */
  eventsBetween(scene: string, fromMs: number, toMs: number, cap?: number): Promise<StoredEvent[]>;
  /** Network index samples in [fromMs, toMs], oldest first. */
  indexHistory(fromMs: number, toMs: number): Promise<IndexSample[]>;
  alarmHistory(alarmId: string): Promise<AlarmHistoryRow[]>;
  searchAlarms(q: AlarmSearch): Promise<AlarmRecord[]>;
}
