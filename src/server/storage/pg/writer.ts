/**
 * The one write path into PostgreSQL: everything the service stores is gathered in memory into the
 * open batch and written in one transaction on a dedicated connection, batches one after another:
 *
 * - at the end of the event-loop turn when anyone waits for it (`whenCommitted`: a QoS 1 message is
 *   acknowledged, an alarm published, only once its batch is committed);
 * - otherwise at most `intervalMs` after it began, or once `maxRows` readings wait.
 *
 * Readings go in as arrays (`unnest`) in one statement that also merges the per-minute rollups and
 * the latest values from the rows actually inserted, so a duplicate (same device, quantity and ts)
 * is stored and counted once, as on SQLite.
 */
import type { PoolClient } from 'pg';
import type { AlarmRecord } from '../../../contracts';
import type { AlarmEventRow } from '../types';
import type { CommitCallback, ReadingRow } from '../writer';
import { dayOf, type Partitions } from './partitions';

interface Batch {
  readings: ReadingRow[];
  events: [deviceId: string, scene: string, ts: number, type: string, payload: string][];
  statuses: [deviceId: string, ts: number, online: boolean][];
  /** Each alarm's newest record in this batch (the table keeps the current record only). */
  alarms: Map<string, { key: string; alarm: AlarmRecord }>;
  /** Every transition, in order. */
  alarmEvents: { alarm: AlarmRecord; e: Omit<AlarmEventRow, 'alarmId'> }[];
  index: { ts: number; value: number | null; forgetBefore: number }[];
  waiters: CommitCallback[];
}

const READINGS_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::float8[]) AS t(device_id, quantity, ts, value)
), ins AS (
  INSERT INTO readings (device_id, quantity, ts, value) SELECT * FROM input
  ON CONFLICT DO NOTHING RETURNING device_id, quantity, ts, value
), roll AS (
  INSERT INTO readings_1m AS r (device_id, quantity, minute, n, sum_v, min_v, min_ts, max_v, max_ts, last_v, last_ts)
  SELECT device_id, quantity, (ts / 60000) * 60000, count(*), sum(value),
         min(value), (array_agg(ts ORDER BY value, ts))[1], max(value), (array_agg(ts ORDER BY value DESC, ts))[1],
         (array_agg(value ORDER BY ts DESC))[1], max(ts)
    FROM ins GROUP BY 1, 2, 3
  ON CONFLICT (device_id, quantity, minute) DO UPDATE SET
    n = r.n + excluded.n,
    sum_v = r.sum_v + excluded.sum_v,
    min_ts = CASE WHEN excluded.min_v < r.min_v OR (excluded.min_v = r.min_v AND excluded.min_ts < r.min_ts) THEN excluded.min_ts ELSE r.min_ts END,
    min_v = least(r.min_v, excluded.min_v),
    max_ts = CASE WHEN excluded.max_v > r.max_v OR (excluded.max_v = r.max_v AND excluded.max_ts < r.max_ts) THEN excluded.max_ts ELSE r.max_ts END,
    max_v = greatest(r.max_v, excluded.max_v),
    last_v = CASE WHEN excluded.last_ts >= r.last_ts THEN excluded.last_v ELSE r.last_v END,
    last_ts = greatest(r.last_ts, excluded.last_ts)
  RETURNING 1
), lat AS (
  INSERT INTO latest AS l (device_id, quantity, ts, value)
  SELECT DISTINCT ON (device_id, quantity) device_id, quantity, ts, value FROM ins ORDER BY device_id, quantity, ts DESC
  ON CONFLICT (device_id, quantity) DO UPDATE SET ts = excluded.ts, value = excluded.value WHERE excluded.ts > l.ts
  RETURNING 1
)
SELECT (SELECT count(*) FROM ins) AS stored, (SELECT count(*) FROM roll) AS minutes, (SELECT count(*) FROM lat) AS channels`;

const EVENTS_SQL = `INSERT INTO events (device_id, scene, ts, type, payload)
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[]) ON CONFLICT DO NOTHING`;
const STATUSES_SQL = `INSERT INTO statuses (device_id, ts, online)
  SELECT * FROM unnest($1::text[], $2::bigint[], $3::boolean[]) ON CONFLICT DO NOTHING`;
const ALARM_SQL = `INSERT INTO alarms (id, key, scene, device_id, site_id, rule, severity, state, raised_at, updated_at, record)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
  ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, state = excluded.state, updated_at = excluded.updated_at, record = excluded.record`;
const ALARM_EVENTS_SQL = `INSERT INTO alarm_events (alarm_id, ts, action, user_name, comment, state, severity, shelved_until, value, threshold, message)
  SELECT a, t, ac, u, c, st, sv, sh, v, th, m FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::bigint[], $9::float8[], $10::float8[], $11::text[]) WITH ORDINALITY AS x(a, t, ac, u, c, st, sv, sh, v, th, m, ord) ORDER BY ord`;

/** "no partition of relation found for row": a day partition dropped meanwhile. */
const NO_PARTITION = '23514';

export class PgWriter {
  lastError: string | null = null;
  private open: Batch | null = null;
  /** The newest batch closed and not yet committed (writes meanwhile go into the next one). */
  private pending: Batch | null = null;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;

  constructor(
    private readonly client: PoolClient,
    private readonly partitions: Partitions,
    private readonly opts: { intervalMs: number; maxRows: number; warn?: (m: string) => void },
  ) {}

  readings(rows: readonly ReadingRow[]): void {
    const b = this.batch();
    for (const r of rows) b.readings.push(r);
    if (b.readings.length >= this.opts.maxRows) this.flush();
  }

  event(deviceId: string, scene: string, ts: number, type: string, payload: string): void {
    this.batch().events.push([deviceId, scene, ts, type, payload]);
  }

  status(deviceId: string, ts: number, online: boolean): void {
    this.batch().statuses.push([deviceId, ts, online]);
  }

  alarm(key: string, alarm: AlarmRecord, e: Omit<AlarmEventRow, 'alarmId'> | null): void {
    const b = this.batch();
    b.alarms.set(alarm.id, { key, alarm });
    if (e) b.alarmEvents.push({ alarm, e });
  }

  alarmEvent(alarm: AlarmRecord, e: Omit<AlarmEventRow, 'alarmId'>): void {
    this.batch().alarmEvents.push({ alarm, e });
  }

  indexSample(ts: number, value: number | null, forgetBefore: number): void {
    this.batch().index.push({ ts, value, forgetBefore });
  }

  /** Calls `cb` once everything written so far is committed (or failed to be); never synchronously. */
  whenCommitted(cb: CommitCallback): void {
    if (this.open) {
      this.open.waiters.push(cb);
      // After the I/O of this turn: every message read from the sockets meanwhile joins the batch.
      this.immediate ??= setImmediate(() => {
        this.immediate = null;
        this.flush();
      });
    } else if (this.pending) this.pending.waiters.push(cb);
    else process.nextTick(cb);
  }

  /** Closes the open batch and queues its commit; resolves once everything so far is committed. */
  flush(): Promise<void> {
    this.cancelTimers();
    const b = this.open;
    if (b) {
      this.open = null;
      this.pending = b;
      this.chain = this.chain.then(() => this.commit(b));
    }
    return this.chain;
  }

  /** Commits what is open and waits for every commit. */
  async close(): Promise<void> {
    await this.flush();
    this.cancelTimers();
  }

  private batch(): Batch {
    if (this.open) return this.open;
    this.open = { readings: [], events: [], statuses: [], alarms: new Map(), alarmEvents: [], index: [], waiters: [] };
    this.timer = setTimeout(() => this.flush(), this.opts.intervalMs);
    return this.open;
  }

  private async commit(b: Batch): Promise<void> {
    let err: Error | undefined;
    try {
      try {
        await this.write(b);
      } catch (e) {
        if ((e as { code?: string }).code !== NO_PARTITION) throw e;
        // Another instance's retention dropped a day this one thought was there: make it again, once.
        for (const r of b.readings) this.partitions.forget(dayOf(r[2]));
        await this.write(b);
      }
      this.lastError = null;
    } catch (e) {
      err = e as Error;
      this.lastError = err.message;
      this.opts.warn?.(`storage: a write batch was not committed: ${err.message}`);
    } finally {
      if (this.pending === b) this.pending = null;
    }
    const waiters = b.waiters;
    for (const cb of waiters) cb(err);
  }

  private async write(b: Batch): Promise<void> {
    const c = this.client;
    if (b.readings.length > 0) await this.partitions.ensure(c, new Set(b.readings.map((r) => dayOf(r[2]))));
    await c.query('BEGIN');
    try {
      if (b.readings.length > 0) {
        const cols = columns(b.readings, 4);
        await c.query(READINGS_SQL, cols);
      }
      if (b.events.length > 0) await c.query(EVENTS_SQL, columns(b.events, 5));
      if (b.statuses.length > 0) await c.query(STATUSES_SQL, columns(b.statuses, 3));
      for (const { key, alarm: a } of b.alarms.values()) {
        await c.query(ALARM_SQL, [a.id, key, a.scene, a.deviceId, a.siteId, a.rule, a.severity, a.state, a.raisedAt, a.updatedAt, JSON.stringify(a)]);
      }
      if (b.alarmEvents.length > 0) {
        const rows = b.alarmEvents.map(({ alarm: a, e }) => [a.id, e.ts, e.action, e.user, e.comment, a.state, a.severity, a.shelvedUntil ?? null, a.value, a.threshold, a.message]);
        await c.query(ALARM_EVENTS_SQL, columns(rows, 11));
      }
      for (const s of b.index) {
        await c.query('INSERT INTO network_index (ts, value) VALUES ($1, $2) ON CONFLICT (ts) DO UPDATE SET value = excluded.value', [s.ts, s.value]);
        await c.query('DELETE FROM network_index WHERE ts < $1', [s.forgetBefore]);
      }
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    }
  }

  private cancelTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }
}

/** Rows of `width` values as `width` column arrays (one `unnest` parameter each). */
function columns(rows: readonly (readonly unknown[])[], width: number): unknown[][] {
  const cols: unknown[][] = Array.from({ length: width }, () => new Array(rows.length));
  rows.forEach((r, i) => {
    for (let k = 0; k < width; k++) cols[k][i] = r[k];
  });
  return cols;
}
