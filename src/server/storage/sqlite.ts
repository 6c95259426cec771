/**
 * The SQLite engine (one machine): one file in DATA_DIR, WAL mode, held by one service at a time.
 *
 * - writes go through one batch writer on the main connection (writer.ts): committed before a QoS 1
 *   message is acknowledged, and before an alarm is published;
 * - reads for the HTTP API and replay run in reader threads (history.ts), so no request holds the
 *   event loop the broker shares; the small reads of the alarm API and of a start are index seeks
 *   on the main connection;
 * - retention deletes old rows in the background (retention.ts); the schema is brought up to date
 *   by numbered migrations (migrations/).
 */
import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { AlarmRecord, Quantity } from '../../contracts';
import { SqliteIdentityStore } from '../identity/store';
import { SqliteRegistryStore } from './registryStore';
import { FLUSH_INTERVAL_MS, FLUSH_ROWS, type Storage, type StorageOptions, type StorageUsage } from '../storage';
import { acquireLock, dbPath, diskUsage, releaseLock } from './files';
import { History } from './history';
import { migrate } from './migrations';
import { SqlReader } from './reader';
import { Retention } from './retention';
import type { AlarmEventRow, AlarmQuery, HistoryReads } from './types';
import { BatchWriter, type CommitCallback, type ReadingRow } from './writer';

/** The WAL file is cut back to this after a checkpoint, bytes. */
const WAL_LIMIT_BYTES = 64 * 1024 * 1024;
/** The checkpoint thread folds the WAL into the database this often. */
const CHECKPOINT_EVERY_MS = 1000;
/**
 * Pages of WAL after which a commit checkpoints on the main thread itself: only if the checkpoint
 * thread falls behind (SQLite's default of 1,000 pages stalled commits by 20–80 ms on a loaded box).
 */
const FALLBACK_CHECKPOINT_PAGES = 16_384;

export class SqliteStorage implements Storage {
  readonly engine = 'sqlite' as const;
  readonly path: string;
  readonly where: string;
  /** Async reads for the API and replay, off the main thread. */
  readonly history: HistoryReads;
  readonly identity: SqliteIdentityStore;
  readonly registry: SqliteRegistryStore;
  readonly retention: Retention;
  private readonly db: Database.Database;
  private readonly writer: BatchWriter;
  private readonly reader: SqlReader;
  private readonly checkpointer: Worker;
  private readonly st;
  private closing: Promise<void> | null = null;

  constructor(
    readonly dataDir: string,
    opts: StorageOptions = {},
  ) {
    mkdirSync(dataDir, { recursive: true });
    acquireLock(dataDir);
    this.path = dbPath(dataDir);
    let db: Database.Database | null = null;
    try {
      db = new Database(this.path);
      db.pragma('journal_mode = WAL');
      // NORMAL is durable across process crashes in WAL mode; only an OS crash may lose the last commits.
      db.pragma('synchronous = NORMAL');
      db.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
      db.pragma(`wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
      // 16 MB of page cache instead of 2: the newest leaf page of every channel stays in memory.
      db.pragma('cache_size = -16384');
      const m = migrate(db);
      if (m.from !== m.to) opts.info?.(`storage: ${this.path} schema ${m.from === 0 ? 'created' : `migrated from version ${m.from}`} at version ${m.to}`);
    } catch (err) {
      db?.close();
      releaseLock(dataDir);
      throw err;
    }
    this.db = db;
    this.where = this.path;
    this.writer = new BatchWriter(this.db, { intervalMs: FLUSH_INTERVAL_MS, maxRows: FLUSH_ROWS });
    this.reader = new SqlReader(this.path);
    this.checkpointer = new Worker(new URL('./checkpointWorker.cjs', import.meta.url), {
      workerData: { path: this.path, everyMs: CHECKPOINT_EVERY_MS },
    });
    this.checkpointer.unref();
    this.checkpointer.on('message', (m: { error?: string }) => m.error && opts.warn?.(`storage: checkpoint: ${m.error}`));
    this.checkpointer.on('error', (err) => opts.warn?.(`storage: checkpoint thread: ${err.message}`));
    this.retention = new Retention(this.db, this.writer, {
      rawDays: opts.retentionDays ?? 30,
      rollupDays: opts.rollupRetentionDays ?? 400,
      now: opts.now ?? Date.now,
      log: opts.warn,
    });
    this.history = new History({ reader: this.reader, commit: () => this.writer.commit(), rawHorizonMs: () => this.retention.rawHorizonMs() });
    this.st = this.prepare();
    this.identity = new SqliteIdentityStore(this.db, (write) => this.durably(write));
    this.registry = new SqliteRegistryStore(this.db, (write) => this.durably(write));
  }

  private prepare() {
    const db = this.db;
    return {
      allLatest: db.prepare('SELECT device_id, quantity, ts, value FROM latest'),
      upsertAlarm: db.prepare(
        `INSERT INTO alarms (id, key, scene, device_id, site_id, rule, severity, state, raised_at, updated_at, record)
         VALUES (@id, @key, @scene, @deviceId, @siteId, @rule, @severity, @state, @raisedAt, @updatedAt, @record)
         ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, state = excluded.state,
           updated_at = excluded.updated_at, record = excluded.record`,
      ),
      alarmEvent: db.prepare(
        `INSERT INTO alarm_events (alarm_id, ts, action, user, comment, state, severity, shelved_until, value, threshold, message)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      alarmById: db.prepare('SELECT record FROM alarms WHERE id = ?').pluck(),
      openAlarms: db.prepare("SELECT key, record FROM alarms WHERE state <> 'closed'"),
      alarmEvents: db.prepare('SELECT alarm_id AS alarmId, ts, action, user, comment FROM alarm_events WHERE alarm_id = ? ORDER BY seq'),
      escalatedOpen: db.prepare(
        `SELECT a.id FROM alarms a WHERE a.state <> 'closed'
           AND EXISTS (SELECT 1 FROM alarm_events e WHERE e.alarm_id = a.id AND e.action = 'escalated')`,
      ).pluck(),
      event: db.prepare('INSERT OR IGNORE INTO events (device_id, scene, ts, type, payload) VALUES (?, ?, ?, ?, ?)'),
      status: db.prepare('INSERT OR IGNORE INTO statuses (device_id, ts, online) VALUES (?, ?, ?)'),
      indexSample: db.prepare('INSERT OR REPLACE INTO network_index (ts, value) VALUES (?, ?)'),
      indexForget: db.prepare('DELETE FROM network_index WHERE ts < ?'),
    };
  }

  // ——— the write path ———

  /** Writes readings into the open batch; returns how many were new (duplicates are stored once). */
  writeReadings(rows: readonly ReadingRow[]): number {
    return this.writer.readings(rows);
  }

  committed(): Promise<void> {
    return new Promise((ok, fail) => this.whenCommitted((err) => (err ? fail(err) : ok())));
  }

  /** Calls `cb` once everything written so far is committed (with an error if it could not be). */
  whenCommitted(cb: CommitCallback): void {
    this.writer.whenCommitted(cb);
  }

  /** Commits the open batch now. */
  commit(): void {
    this.writer.commit();
  }

  /** The last write error, if the most recent commit failed. */
  get lastError(): string | null {
    return this.writer.lastError;
  }

  /** The main connection (tests and tools that look inside the file). */
  get connection(): Database.Database {
    return this.db;
  }

  /** Runs `write` in the open batch and commits it before returning (throws when that failed). */
  durably<T>(write: () => T): T {
    const out = this.writer.inBatch(write);
    this.writer.commit();
    if (this.writer.lastError) throw new Error(`not stored: ${this.writer.lastError}`);
    return out;
  }

  /** Stores an alarm's current record and the transition that produced it, in the open batch. */
  saveAlarm(key: string, alarm: AlarmRecord, event: Omit<AlarmEventRow, 'alarmId'>): void {
    this.writer.inBatch(() => {
      this.st.upsertAlarm.run({
        id: alarm.id,
        key,
        scene: alarm.scene,
        deviceId: alarm.deviceId,
        siteId: alarm.siteId,
        rule: alarm.rule,
        severity: alarm.severity,
        state: alarm.state,
        raisedAt: alarm.raisedAt,
        updatedAt: alarm.updatedAt,
        record: JSON.stringify(alarm),
      });
      this.writeAlarmEvent(alarm, event);
    });
  }

  /** Records an event that does not change the alarm record (an escalation), in the state it found it. */
  addAlarmEvent(alarm: AlarmRecord, event: Omit<AlarmEventRow, 'alarmId'>): void {
    this.writer.inBatch(() => this.writeAlarmEvent(alarm, event));
  }

  private writeAlarmEvent(a: AlarmRecord, e: Omit<AlarmEventRow, 'alarmId'>): void {
    this.st.alarmEvent.run(a.id, e.ts, e.action, e.user, e.comment, a.state, a.severity, a.shelvedUntil ?? null, a.value, a.threshold, a.message);
  }

  /** Stores an event; false when the same device already sent this type at this ts (a duplicate). */
  saveEvent(deviceId: string, scene: string, ts: number, type: string, payload: unknown): boolean {
    return this.writer.inBatch(() => this.st.event.run(deviceId, scene, ts, type, JSON.stringify(payload)).changes > 0);
  }

  /** Stores a device's status message (a retained one delivered again is stored once). */
  saveStatus(deviceId: string, ts: number, online: boolean): void {
    this.writer.inBatch(() => this.st.status.run(deviceId, ts, online ? 1 : 0));
  }

  /** Writes (or replaces) the network index sample of minute `ts`; forgets samples older than `keepMs` before it. */
  storeIndexSample(ts: number, index: number | null, keepMs: number): void {
    this.writer.inBatch(() => {
      this.st.indexSample.run(ts, index);
      this.st.indexForget.run(ts - keepMs);
    });
  }

  // ——— reads (small: index seeks on the main connection) ———

  /** The latest stored value of every device channel, to restore the live state at start. */
  async latestValues(): Promise<{ deviceId: string; quantity: Quantity; ts: number; value: number }[]> {
    return (this.st.allLatest.all() as { device_id: string; quantity: Quantity; ts: number; value: number }[]).map((r) => ({
      deviceId: r.device_id,
      quantity: r.quantity,
      ts: r.ts,
      value: r.value,
    }));
  }

  /** Every alarm not closed, with the engine key it was raised under. */
  async openAlarms(): Promise<{ key: string; alarm: AlarmRecord }[]> {
    return (this.st.openAlarms.all() as { key: string; record: string }[]).map((r) => ({
      key: r.key,
      alarm: JSON.parse(r.record) as AlarmRecord,
    }));
  }

  /** Ids of open alarms that have an `escalated` event: they do not escalate again after a restart. */
  async escalatedOpenAlarmIds(): Promise<string[]> {
    return this.st.escalatedOpen.all() as string[];
  }

  async alarm(id: string): Promise<AlarmRecord | null> {
    const rec = this.st.alarmById.get(id) as string | undefined;
    return rec ? (JSON.parse(rec) as AlarmRecord) : null;
  }

  /** Alarms newest first (the raised_at index; at most `limit`). */
  async alarms(q: AlarmQuery): Promise<AlarmRecord[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (q.scene) {
      where.push('scene = ?');
      params.push(q.scene);
    }
    if (q.openOnly) where.push("state <> 'closed'");
    const sql = `SELECT record FROM alarms ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY raised_at DESC, id LIMIT ?`;
    return (this.db.prepare(sql).pluck().all(...params, q.limit) as string[]).map((r) => JSON.parse(r) as AlarmRecord);
  }

  alarmEvents(alarmId: string): AlarmEventRow[] {
    return this.st.alarmEvents.all(alarmId) as AlarmEventRow[];
  }

  // ——— health and lifecycle ———

  /** A cheap liveness probe for /api/health. */
  async ok(): Promise<boolean> {
    try {
      this.db.prepare('SELECT 1').get();
      return this.writer.lastError === null;
    } catch {
      return false;
    }
  }

  /** Bytes on disk (database file and WAL) and what retention last did. */
  async usage(): Promise<StorageUsage> {
    return { engine: 'sqlite', ...diskUsage(this.dataDir), retention: this.retention.status };
  }

  /** Starts the background jobs (retention). */
  startBackground(): void {
    this.retention.start();
  }

  /** Stops the jobs and the readers, commits what is open and closes the database. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.retention.stop();
      await this.reader.close();
      const stopped = new Promise((ok) => this.checkpointer.once('exit', ok));
      this.checkpointer.ref();
      this.checkpointer.postMessage('close');
      await stopped;
      this.writer.close();
      // What is left of the WAL goes into the database file, and the WAL file goes.
      this.db.close();
      releaseLock(this.dataDir);
    })();
    return this.closing;
  }
}
