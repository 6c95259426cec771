/**
 * The PostgreSQL engine (`DATABASE_URL`): the same Storage as SQLite's, for several instances on
 * one database. One dedicated connection writes the batches (writer.ts); a small pool answers the
 * reads (history.ts, identity.ts). Readings live in day partitions that retention drops whole.
 *
 * What SQLite answers synchronously from its file, this engine answers from memory where the hot
 * path needs it: an event's duplicate check looks at the keys of the events it wrote lately (and
 * loaded at start), with the table's primary key storing an older duplicate once all the same.
 */
import pg from 'pg';
import type { AlarmRecord, Quantity } from '../../../contracts';
import { redactUrl } from '../../config';
import { FLUSH_INTERVAL_MS, FLUSH_ROWS, type RetentionStatus, type Storage, type StorageOptions, type StorageUsage } from '../../storage';
import type { AlarmEventRow, AlarmQuery } from '../types';
import type { CommitCallback, ReadingRow } from '../writer';
import { PgHistory } from './history';
import { PgIdentityStore } from './identity';
import { PgRegistryStore } from './registry';
import { migratePg } from './migrations';
import { DAY_MS, Partitions } from './partitions';
import { PgWriter } from './writer';

/** bigint (int8) and numeric as JS numbers: epoch ms and counts fit in 2^53. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 || oid === 1700 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Readers: enough for the API's parallel reads, few enough that many instances share one server. */
const READ_CONNECTIONS = 6;
/** Keys of recent events kept for the duplicate check. */
const RECENT_EVENT_KEYS = 200_000;
/** Events of this long ago are loaded at start for the duplicate check (a device resends within seconds). */
const RECENT_EVENTS_MS = 60 * 60_000;
/** Retention's chunk: rows one delete removes at most (the rollups and status tables). */
const CHUNK_ROWS = 10_000;
const RETENTION_EVERY_MS = 10 * 60_000;

export class PgStorage implements Storage {
  readonly engine = 'postgres' as const;
  readonly where: string;
  readonly history: PgHistory;
  readonly identity: PgIdentityStore;
  readonly registry: PgRegistryStore;
  readonly retentionStatus: RetentionStatus;
  private readonly recentEvents = new Set<string>();
  private readonly partitions: Partitions;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  private stopped = false;

  private constructor(
    url: string,
    private readonly pool: pg.Pool,
    private readonly writerClient: pg.PoolClient,
    private readonly writer: PgWriter,
    partitions: Partitions,
    private readonly opts: StorageOptions,
  ) {
    this.where = redactUrl(url);
    this.partitions = partitions;
    this.now = opts.now ?? Date.now;
    this.retentionStatus = { rawDays: opts.retentionDays ?? 30, rollupDays: opts.rollupRetentionDays ?? 400, lastRunAt: null, lastRunMs: null, deleted: { readings: 0, rollups: 0, statuses: 0 } };
    this.history = new PgHistory({ pool, flush: () => this.writer.flush(), rawHorizonMs: () => this.rawHorizonMs() });
    this.identity = new PgIdentityStore(pool);
    this.registry = new PgRegistryStore(pool);
  }

  /** Connects, migrates, makes today's partitions and loads the recent event keys. */
  static async open(url: string, opts: StorageOptions = {}): Promise<PgStorage> {
    const pool = new pg.Pool({ connectionString: url, max: READ_CONNECTIONS + 1, types: TYPES, connectionTimeoutMillis: 10_000, application_name: 'citytwin' } as pg.PoolConfig);
    // An idle connection that breaks (the server restarted) is dropped by the pool, not thrown.
    pool.on('error', (err) => opts.warn?.(`storage: ${err.message}`));
    let writerClient: pg.PoolClient | null = null;
    try {
      const client = await pool.connect();
      try {
        const m = await migratePg(client, opts.now);
        if (m.from !== m.to) opts.info?.(`storage: ${redactUrl(url)} schema ${m.from === 0 ? 'created' : `migrated from version ${m.from}`} at version ${m.to}`);
      } finally {
        client.release();
      }
      // The writer's own connection, outside the pool: batches never wait for a reader.
      writerClient = (await new pg.Client({ connectionString: url, types: TYPES, application_name: 'citytwin-writer' } as pg.ClientConfig)) as unknown as pg.PoolClient;
      await writerClient.connect();
      writerClient.on('error', (err) => opts.warn?.(`storage: writer connection: ${err.message}`));
      const partitions = new Partitions();
      await partitions.ahead(pool, (opts.now ?? Date.now)());
      const writer = new PgWriter(writerClient, partitions, { intervalMs: FLUSH_INTERVAL_MS, maxRows: FLUSH_ROWS, warn: opts.warn });
      const s = new PgStorage(url, pool, writerClient, writer, partitions, opts);
      await s.loadRecentEvents();
      return s;
    } catch (err) {
      await writerClient?.end().catch(() => {});
      await pool.end().catch(() => {});
      throw err;
    }
  }

  private async loadRecentEvents(): Promise<void> {
    const r = await this.pool.query({
      text: 'SELECT device_id, ts, type FROM events WHERE ts >= $1 ORDER BY ts DESC LIMIT $2',
      values: [this.now() - RECENT_EVENTS_MS, RECENT_EVENT_KEYS],
      rowMode: 'array',
    });
    for (const [d, ts, type] of (r.rows as [string, number, string][]).reverse()) this.rememberEvent(`${d}\u0000${ts}\u0000${type}`);
  }

  private rememberEvent(key: string): void {
    this.recentEvents.add(key);
    if (this.recentEvents.size > RECENT_EVENT_KEYS) this.recentEvents.delete(this.recentEvents.values().next().value!);
  }

  rawHorizonMs(): number {
    return this.now() - this.retentionStatus.rawDays * DAY_MS;
  }

  // ——— the write path ———

  writeReadings(rows: readonly ReadingRow[]): void {
    this.writer.readings(rows);
  }

  whenCommitted(cb: CommitCallback): void {
    this.writer.whenCommitted(cb);
  }

  /** One transaction holds everything here: the alarms are stored with the rest. */
  whenAlarmsStored(cb: CommitCallback): void {
    this.writer.whenCommitted(cb);
  }

  committed(): Promise<void> {
    return new Promise((ok, fail) => this.writer.whenCommitted((err) => (err ? fail(err) : ok())));
  }

  get lastError(): string | null {
    return this.writer.lastError;
  }

  saveAlarm(key: string, alarm: AlarmRecord, event: Omit<AlarmEventRow, 'alarmId'>): void {
    this.writer.alarm(key, alarm, event);
  }

  addAlarmEvent(alarm: AlarmRecord, event: Omit<AlarmEventRow, 'alarmId'>): void {
    this.writer.alarmEvent(alarm, event);
  }

  saveEvent(deviceId: string, scene: string, ts: number, type: string, payload: unknown): boolean {
    const key = `${deviceId}\u0000${ts}\u0000${type}`;
    if (this.recentEvents.has(key)) return false;
    this.rememberEvent(key);
    this.writer.event(deviceId, scene, ts, type, JSON.stringify(payload));
    return true;
  }

  saveStatus(deviceId: string, ts: number, online: boolean): void {
    this.writer.status(deviceId, ts, online);
  }

  storeIndexSample(ts: number, index: number | null, keepMs: number): void {
    this.writer.indexSample(ts, index, ts - keepMs);
  }

  // ——— reads ———

  private async rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    await this.writer.flush();
    return (await this.pool.query(sql, params)).rows as T[];
  }

  latestValues(): Promise<{ deviceId: string; quantity: Quantity; ts: number; value: number }[]> {
    return this.rows('SELECT device_id AS "deviceId", quantity, ts, value FROM latest');
  }

  async openAlarms(): Promise<{ key: string; alarm: AlarmRecord }[]> {
    const rows = await this.rows<{ key: string; record: string }>("SELECT key, record FROM alarms WHERE state <> 'closed'");
    return rows.map((r) => ({ key: r.key, alarm: JSON.parse(r.record) as AlarmRecord }));
  }

  async escalatedOpenAlarmIds(): Promise<string[]> {
    const rows = await this.rows<{ id: string }>(
      `SELECT a.id FROM alarms a WHERE a.state <> 'closed' AND EXISTS (SELECT 1 FROM alarm_events e WHERE e.alarm_id = a.id AND e.action = 'escalated')`,
    );
    return rows.map((r) => r.id);
  }

  async alarm(id: string): Promise<AlarmRecord | null> {
    const [r] = await this.rows<{ record: string }>('SELECT record FROM alarms WHERE id = $1', [id]);
    return r ? (JSON.parse(r.record) as AlarmRecord) : null;
  }

  async alarms(q: AlarmQuery): Promise<AlarmRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.scene) where.push(`scene = $${params.push(q.scene)}`);
    if (q.openOnly) where.push("state <> 'closed'");
    const sql = `SELECT record FROM alarms ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY raised_at DESC, id LIMIT $${params.push(q.limit)}`;
    return (await this.rows<{ record: string }>(sql, params)).map((r) => JSON.parse(r.record) as AlarmRecord);
  }

  /** The pool, for the leader election and tools that share this database. */
  get connectionPool(): pg.Pool {
    return this.pool;
  }

  // ——— health and lifecycle ———

  async ok(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return this.writer.lastError === null;
    } catch {
      return false;
    }
  }

  async usage(): Promise<StorageUsage> {
    let dbBytes = 0;
    try {
      dbBytes = Number((await this.pool.query('SELECT pg_database_size(current_database()) AS n')).rows[0].n);
    } catch {
      // Reported as 0; `ok` says the database is unreachable.
    }
    return { engine: 'postgres', dbBytes, walBytes: 0, retention: this.retentionStatus };
  }

  /** Retention now and every 10 minutes: day partitions past RETENTION_DAYS dropped, rollups and statuses deleted in chunks, partitions made ahead. */
  startBackground(): void {
    const loop = (): void => {
      this.runRetention().finally(() => {
        if (!this.stopped) (this.timer = setTimeout(loop, RETENTION_EVERY_MS)).unref();
      });
    };
    loop();
  }

  runRetention(): Promise<void> {
    this.running ??= this.retentionPass().finally(() => (this.running = null));
    return this.running;
  }

  private async retentionPass(): Promise<void> {
    const t0 = performance.now();
    const now = this.now();
    const s = this.retentionStatus;
    const deleted = { readings: 0, rollups: 0, statuses: 0 };
    try {
      await this.partitions.ahead(this.pool, now);
      deleted.readings = await this.partitions.dropBefore(this.pool, now - s.rawDays * DAY_MS);
      const cut = now - s.rollupDays * DAY_MS;
      deleted.rollups = await this.chunks('readings_1m', 'minute', cut);
      deleted.statuses = await this.chunks('statuses', 'ts', cut);
      s.lastRunAt = this.now();
      s.lastRunMs = Math.round(performance.now() - t0);
      s.deleted = deleted;
    } catch (err) {
      this.opts.warn?.(`retention: ${(err as Error).message}`);
    }
  }

  /** Deletes rows of `table` older than `cut`, CHUNK_ROWS a statement. */
  private async chunks(table: string, col: string, cut: number): Promise<number> {
    let total = 0;
    for (;;) {
      if (this.stopped) return total;
      const r = await this.pool.query(`DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${col} < $1 LIMIT ${CHUNK_ROWS}))`, [cut]);
      total += r.rowCount ?? 0;
      if ((r.rowCount ?? 0) < CHUNK_ROWS) return total;
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stopped = true;
      if (this.timer) clearTimeout(this.timer);
      await this.running;
      await this.writer.close();
      await this.writerClient.end().catch(() => {});
      await this.pool.end().catch(() => {});
    })();
    return this.closing;
  }
}
