/**
 * The SQLite engine (one machine): one file in DATA_DIR, WAL mode, held by one service at a time.
 *
 * - writes go through one batch writer whose connection is in a worker thread (writer.ts): committed
 *   before a QoS 1 message is acknowledged, and before an alarm is published; the main connection
 *   writes only what must be durable before a call returns (users, sessions, the registry);
 * - reads for the HTTP API and replay run in reader threads (history.ts), so no request holds the
 *   event loop the broker shares; the small reads of the alarm API and of a start are index seeks
 *   on the main connection;
 * - retention deletes old rows on the writer thread (retention.ts); the schema is brought up to date
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
import { NewestReadings } from './newest';
import { SqlReader } from './reader';
import { RecentEvents } from './recentEvents';
import { RETENTION_SQL, Retention } from './retention';
import { RollupAccumulator } from './rollups';
import type { AlarmEventRow, AlarmQuery, HistoryReads } from './types';
import { BatchWriter, type CommitCallback, type ReadingRow } from './writer';

/** The WAL file is cut back to this after a checkpoint, bytes. */
const WAL_LIMIT_BYTES = 64 * 1024 * 1024;
/** The checkpoint thread folds the WAL into the database this often. */
const CHECKPOINT_EVERY_MS = 100;
/**
 * The writer thread finishes a checkpoint itself, between two slices with no alarm record waiting,
 * once the WAL file is past this size (and cuts the file back to it when the WAL starts over).
 */
const WAL_RESTART_BYTES = 16 * 1024 * 1024;
/**
 * Pages of WAL after which a commit checkpoints on its own thread (SQLite's auto-checkpoint): on the
 * main connection, whose writes are rare; on the writer thread only if its own checkpoints between
 * slices cannot finish (a reader's snapshot holding frames back): at 16,384 pages one took 150–280 ms
 * inside the commit an alarm record waited for.
 */
const FALLBACK_CHECKPOINT_PAGES = 16_384;
const WRITER_FALLBACK_CHECKPOINT_PAGES = 4 * FALLBACK_CHECKPOINT_PAGES;
/** How long a write waits for the other connection's transaction (the writer thread's batch, a user's login), ms. */
const BUSY_TIMEOUT_MS = 10_000;

/** The write thread's statements, by name. */
const WRITE_SQL = {
  reading: 'INSERT OR IGNORE INTO readings (device_id, quantity, ts, value) VALUES (?, ?, ?, ?)',
  rollup: new RollupAccumulator().upsertSql,
  upsertAlarm: `INSERT INTO alarms (id, key, scene, device_id, site_id, rule, severity, state, raised_at, updated_at, record)
    VALUES (@id, @key, @scene, @deviceId, @siteId, @rule, @severity, @state, @raisedAt, @updatedAt, @record)
    ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, state = excluded.state,
      updated_at = excluded.updated_at, record = excluded.record`,
  alarmEvent: `INSERT INTO alarm_events (alarm_id, ts, action, user, comment, state, severity, shelved_until, value, threshold, message)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  event: 'INSERT OR IGNORE INTO events (device_id, scene, ts, type, payload) VALUES (?, ?, ?, ?, ?)',
  status: 'INSERT OR IGNORE INTO statuses (device_id, ts, online) VALUES (?, ?, ?)',
  indexSample: 'INSERT OR REPLACE INTO network_index (ts, value) VALUES (?, ?)',
  indexForget: 'DELETE FROM network_index WHERE ts < ?',
  ...RETENTION_SQL,
};

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
  private readonly recentEvents = new RecentEvents();
  private readonly st;
  private closing: Promise<void> | null = null;
  private readonly now: () => number;

  constructor(
    readonly dataDir: string,
    opts: StorageOptions = {},
  ) {
    mkdirSync(dataDir, { recursive: true });
    acquireLock(dataDir);
    this.path = dbPath(dataDir);
    this.now = opts.now ?? Date.now;
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
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      const m = migrate(db);
      if (m.from !== m.to) opts.info?.(`storage: ${this.path} schema ${m.from === 0 ? 'created' : `migrated from version ${m.from}`} at version ${m.to}`);
    } catch (err) {
      db?.close();
      releaseLock(dataDir);
      throw err;
    }
    this.db = db;
    this.where = this.path;
    // Set by the writer thread while it finishes a checkpoint (the checkpoint thread then makes no pass).
    const walFull = new SharedArrayBuffer(4);
    this.writer = new BatchWriter(this.path, {
      walFull,
      walRestartBytes: WAL_RESTART_BYTES,
      intervalMs: FLUSH_INTERVAL_MS,
      maxRows: FLUSH_ROWS,
      sql: WRITE_SQL,
      pragmas: [
        'synchronous = NORMAL',
        `journal_size_limit = ${WAL_RESTART_BYTES}`,
        `wal_autocheckpoint = ${WRITER_FALLBACK_CHECKPOINT_PAGES}`,
        // 16 MB of page cache instead of 2: the newest leaf page of every channel stays in memory.
        'cache_size = -16384',
        `busy_timeout = ${BUSY_TIMEOUT_MS}`,
      ],
      warn: opts.warn,
    });
    this.writer.start();
    this.reader = new SqlReader(this.path);
    this.checkpointer = new Worker(new URL('./checkpointWorker.cjs', import.meta.url), {
      workerData: { path: this.path, everyMs: CHECKPOINT_EVERY_MS, walFull },
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
    this.history = new History({ reader: this.reader, commit: () => this.settled(), rawHorizonMs: () => this.retention.rawHorizonMs() });
    this.st = this.prepare();
    this.recentEvents.load(this.st.recentEvents.all(this.now() - RecentEvents.LOAD_MS, RecentEvents.CAPACITY) as [string, number, string][]);
    this.identity = new SqliteIdentityStore(this.db, (write) => this.durably(write));
    this.registry = new SqliteRegistryStore(this.db, (write) => this.durably(write));
  }

  private prepare() {
    const db = this.db;
    return {
      newest: new NewestReadings(db),
      alarmById: db.prepare('SELECT record FROM alarms WHERE id = ?').pluck(),
      openAlarms: db.prepare("SELECT key, record FROM alarms WHERE state <> 'closed'"),
      alarmEvents: db.prepare('SELECT alarm_id AS alarmId, ts, action, user, comment FROM alarm_events WHERE alarm_id = ? ORDER BY seq'),
      escalatedOpen: db.prepare(
        `SELECT a.id FROM alarms a WHERE a.state <> 'closed'
           AND EXISTS (SELECT 1 FROM alarm_events e WHERE e.alarm_id = a.id AND e.action = 'escalated')`,
      ).pluck(),
      recentEvents: db.prepare('SELECT device_id, ts, type FROM events WHERE ts >= ? ORDER BY ts DESC LIMIT ?').raw(),
    };
  }

  // ——— the write path ———

  /** Writes readings into the open batch (a duplicate is stored once, by the writer thread). */
  writeReadings(rows: readonly ReadingRow[]): void {
    this.writer.readings(rows);
  }

  /** Resolves once everything written so far is committed (rejects when that failed). */
  committed(): Promise<void> {
    return this.writer.committed();
  }

  /** Calls `cb` once everything written so far is committed (with an error if it could not be). */
  whenCommitted(cb: CommitCallback): void {
    this.writer.whenCommitted(cb);
  }

  whenAlarmsStored(cb: CommitCallback): void {
    this.writer.whenAlarmsStored(cb);
  }

  /** Commits the open batch now; resolves once it is (rejects when that failed). */
  commit(): Promise<void> {
    return this.writer.committed();
  }

  /** The last write error, if the most recent commit failed. */
  get lastError(): string | null {
    return this.writer.lastError;
  }

  /** The main connection (tests and tools that look inside the file; commit() first). */
  get connection(): Database.Database {
    return this.db;
  }

  /**
   * Runs `write` on the main connection in its own transaction, committed before returning (throws
   * when it could not be): the writer thread starts no batch meanwhile, so this waits for at most the
   * one it is committing.
   */
  durably<T>(write: () => T): T {
    const wants = this.writer.mainWants;
    Atomics.add(wants, 0, 1);
    try {
      return this.db.transaction(write).immediate();
    } finally {
      Atomics.sub(wants, 0, 1);
      Atomics.notify(wants, 0);
    }
  }

  /** Stores an alarm's current record and the transition that produced it, in the open batch. */
  saveAlarm(key: string, alarm: AlarmRecord, event: Omit<AlarmEventRow, 'alarmId'>): void {
    this.writer.alarm({
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
    this.addAlarmEvent(alarm, event);
  }

  /** Records an event that does not change the alarm record (an escalation), in the state it found it. */
  addAlarmEvent(a: AlarmRecord, e: Omit<AlarmEventRow, 'alarmId'>): void {
    this.writer.alarmEvent([a.id, e.ts, e.action, e.user, e.comment, a.state, a.severity, a.shelvedUntil ?? null, a.value, a.threshold, a.message]);
  }

  /**
   * Stores an event; false when the same device sent this type at this ts lately (a duplicate),
   * answered from the keys of recent events (loaded at start); the table's key stores an older
   * duplicate once all the same.
   */
  saveEvent(deviceId: string, scene: string, ts: number, type: string, payload: unknown): boolean {
    if (!this.recentEvents.add(deviceId, ts, type)) return false;
    this.writer.event([deviceId, scene, ts, type, JSON.stringify(payload)]);
    return true;
  }

  /** Stores a device's status message (a retained one delivered again is stored once). */
  saveStatus(deviceId: string, ts: number, online: boolean): void {
    this.writer.status([deviceId, ts, online ? 1 : 0]);
  }

  /** Writes (or replaces) the network index sample of minute `ts`; forgets samples older than `keepMs` before it. */
  storeIndexSample(ts: number, index: number | null, keepMs: number): void {
    this.writer.indexSample(ts, index, ts - keepMs);
  }

  // ——— reads (small: index seeks on the main connection, after the open batch is committed) ———

  /** Waits for the open batch (a failed one is in `lastError`; what was committed is read). */
  private settled(): Promise<void> {
    return this.writer.committed().catch(() => {});
  }

  /** The latest stored value of every device channel, to restore the live state at start (each channel's newest row). */
  async latestValues(): Promise<{ deviceId: string; quantity: Quantity; ts: number; value: number }[]> {
    await this.settled();
    const out: { deviceId: string; quantity: Quantity; ts: number; value: number }[] = [];
    for (const [deviceId, quantity, ts, value] of this.st.newest.rows()) out.push({ deviceId, quantity: quantity as Quantity, ts, value });
    return out;
  }

  /** Every alarm not closed, with the engine key it was raised under. */
  async openAlarms(): Promise<{ key: string; alarm: AlarmRecord }[]> {
    await this.settled();
    return (this.st.openAlarms.all() as { key: string; record: string }[]).map((r) => ({
      key: r.key,
      alarm: JSON.parse(r.record) as AlarmRecord,
    }));
  }

  /** Ids of open alarms that have an `escalated` event: they do not escalate again after a restart. */
  async escalatedOpenAlarmIds(): Promise<string[]> {
    await this.settled();
    return this.st.escalatedOpen.all() as string[];
  }

  async alarm(id: string): Promise<AlarmRecord | null> {
    await this.settled();
    const rec = this.st.alarmById.get(id) as string | undefined;
    return rec ? (JSON.parse(rec) as AlarmRecord) : null;
  }

  /** Alarms newest first (the raised_at index; at most `limit`). */
  async alarms(q: AlarmQuery): Promise<AlarmRecord[]> {
    await this.settled();
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

  async alarmEvents(alarmId: string): Promise<AlarmEventRow[]> {
    await this.settled();
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
      await this.writer.close();
      const stopped = new Promise((ok) => this.checkpointer.once('exit', ok));
      this.checkpointer.ref();
      this.checkpointer.postMessage('close');
      await stopped;
      // What is left of the WAL goes into the database file, and the WAL file goes.
      this.db.close();
      releaseLock(this.dataDir);
    })();
    return this.closing;
  }
}
