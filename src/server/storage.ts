/**
 * Storage: one interface, two engines. SQLite (storage/sqlite.ts, a file in DATA_DIR) for one
 * machine; PostgreSQL (storage/pg/, `DATABASE_URL`) for several instances sharing one database.
 * The service sees only this interface:
 *
 * - the write path is synchronous to call and asynchronous to commit: writes join the open batch,
 *   and `whenCommitted` calls back once everything written so far is committed (a QoS 1 message is
 *   acknowledged, and an alarm published, only then);
 * - every read is async (reader threads on SQLite, the network on PostgreSQL), so no request holds
 *   the event loop that the broker shares;
 * - identity and access (users, sessions, credentials, audit) live in the same database
 *   (`identity`).
 */
import type { AlarmRecord, Quantity } from '../contracts';
import type { IdentityStore } from './identity/store';
import type { RegistryStore } from './storage/registryStore';
import type { AlarmEventRow, AlarmQuery, HistoryReads } from './storage/types';
import type { CommitCallback, ReadingRow } from './storage/writer';

export type * from './storage/types';
export type { CommitCallback, ReadingRow };

/** An open write batch is committed at least this often (QoS 0 may lose at most this)… */
export const FLUSH_INTERVAL_MS = 100;
/** …or as soon as this many readings wait. */
export const FLUSH_ROWS = 2000;

export interface StorageOptions {
  /** Raw readings kept, days. @default 30 */
  retentionDays?: number;
  /** Per-minute rollups and status messages kept, days. @default 400 */
  rollupRetentionDays?: number;
  /** Clock of retention and of the raw/rollup choice. @default Date.now */
  now?: () => number;
  /** Told what was done (a schema migrated). */
  info?: (message: string) => void;
  /** Told what failed in the background (a retention pass, a commit). */
  warn?: (message: string) => void;
}

/** What retention keeps and what its last pass deleted, for /api/health. */
export interface RetentionStatus {
  rawDays: number;
  rollupDays: number;
  /** Service clock when the last run finished; null before the first. */
  lastRunAt: number | null;
  lastRunMs: number | null;
  /** Rows the last run deleted (PostgreSQL: `readings` counts the day partitions dropped). */
  deleted: { readings: number; rollups: number; statuses: number };
}

/** Disk use for /api/health: SQLite's file and WAL, or PostgreSQL's database size (`walBytes` 0). */
export interface StorageUsage {
  engine: 'sqlite' | 'postgres';
  dbBytes: number;
  walBytes: number;
  retention: RetentionStatus;
}

export interface Storage {
  readonly engine: 'sqlite' | 'postgres';
  /** Where the data lives, for logs: a file path, or the database URL without its password. */
  readonly where: string;
  /** Async reads for the API and replay. */
  readonly history: HistoryReads;
  /** Users, sessions, MQTT credentials, login failures and the audit log, in the same database. */
  readonly identity: IdentityStore;
  /** The registry of sites and devices, versioned (managed through the API). */
  readonly registry: RegistryStore;

  // ——— the write path: joins the open batch; committed before `whenCommitted` calls back ———

  writeReadings(rows: readonly ReadingRow[]): void;
  /** Calls `cb` once everything written so far is committed (with an error if it could not be). */
  whenCommitted(cb: CommitCallback): void;
  /** Calls `cb` once the alarm records and events written so far are committed (sooner than everything). */
  whenAlarmsStored(cb: CommitCallback): void;
  /** The same as a promise (rejects when the commit failed). */
  committed(): Promise<void>;
  /** The last write error, if the most recent commit failed. */
  readonly lastError: string | null;
  /** An alarm's current record and the transition that produced it. */
  saveAlarm(key: string, alarm: AlarmRecord, event: Omit<AlarmEventRow, 'alarmId'>): void;
  /** An event that does not change the alarm record (an escalation), in the state it found it. */
  addAlarmEvent(alarm: AlarmRecord, event: Omit<AlarmEventRow, 'alarmId'>): void;
  /**
   * A device event; false when the same device already sent this type at this ts (a duplicate, stored
   * once), answered from the recent events it has seen and loaded at start (a unique key in the
   * database stores an older duplicate once all the same).
   */
  saveEvent(deviceId: string, scene: string, ts: number, type: string, payload: unknown): boolean;
  /** A device's status message (a retained one delivered again is stored once). */
  saveStatus(deviceId: string, ts: number, online: boolean): void;
  /** The network index sample of minute `ts` (replaced); forgets samples older than `keepMs` before it. */
  storeIndexSample(ts: number, index: number | null, keepMs: number): void;

  // ——— reads ———

  /** The latest stored value of every device channel, to restore the live state. */
  latestValues(): Promise<{ deviceId: string; quantity: Quantity; ts: number; value: number }[]>;
  /** Every alarm not closed, with the engine key it was raised under. */
  openAlarms(): Promise<{ key: string; alarm: AlarmRecord }[]>;
  /** Ids of open alarms that have an `escalated` event: they do not escalate again. */
  escalatedOpenAlarmIds(): Promise<string[]>;
  alarm(id: string): Promise<AlarmRecord | null>;
  /** Alarms newest first (at most `limit`). */
  alarms(q: AlarmQuery): Promise<AlarmRecord[]>;

  // ——— health and lifecycle ———

  /** A cheap liveness probe for /api/health. */
  ok(): Promise<boolean>;
  usage(): Promise<StorageUsage>;
  /** Starts the background jobs (retention, partitions ahead). */
  startBackground(): void;
  /** Stops the jobs, commits what is open and closes every connection. Idempotent. */
  close(): Promise<void>;
}

/** Where the service keeps its data: a PostgreSQL URL, or else the SQLite file in `dataDir`. */
export interface StorageTarget {
  databaseUrl: string | null;
  dataDir: string;
}

/** Opens (and migrates) the storage the configuration names. */
export async function openStorage(target: StorageTarget, opts: StorageOptions = {}): Promise<Storage> {
  if (target.databaseUrl) {
    const { PgStorage } = await import('./storage/pg');
    return PgStorage.open(target.databaseUrl, opts);
  }
  const { SqliteStorage } = await import('./storage/sqlite');
  return new SqliteStorage(target.dataDir, opts);
}
