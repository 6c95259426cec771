/**
 * History reads for the HTTP API and replay, answered by the reader threads (reader.ts): every
 * method is async and bounded — index seeks, a row cap on every scan, per-minute rollups where raw
 * readings are gone (older than the retention) or too many to scan. Whatever is waiting in the
 * write batch is committed first, so a reading acknowledged a moment ago is in the answer.
 */
import type { AlarmRecord, DeviceEvent } from '../../contracts';
import { SpeedTrack, type SpeedTrackView, type TrafficOptions } from '../../domain';
import { MINUTE_MS } from './rollups';
import type { Query, SqlReader } from './reader';
import type { AlarmHistoryRow, AlarmSearch, AlarmTransitionAt, DeviceAt, HistoryReads, IndexSample, Resolution, SeriesAnswer, StoredEvent, TransitionAt } from './types';

/**
 * Raw rows one history answer scans at most; beyond that it is answered from the 1-minute rollups
 * (a day of a 1 s channel is 86,400 rows; a day of rollups 1,440).
 */
export const RAW_SCAN_CAP = 100_000;
/** Stored events one replay folds at most (the newest of its window). */
export const EVENT_CAP = 50_000;

export interface HistoryDeps {
  reader: SqlReader;
  /** Commits the open write batch (read-your-writes). */
  commit(): Promise<void> | void;
  /** Raw readings older than this are gone (or about to be): answer from rollups, epoch ms. */
  rawHorizonMs(): number;
}

type Point = [number, number];

export class History implements HistoryReads {
  constructor(private readonly d: HistoryDeps) {}

  private async run(queries: Query[]): Promise<unknown[]> {
    await this.d.commit();
    return this.d.reader.query(queries);
  }

  /**
   * One channel in [fromMs, toMs], at most `maxPoints` points: raw readings, downsampled by keeping
   * each bucket's minimum and maximum (a short spike survives any zoom); from the 1-minute rollups
   * (their min and max, at the times they were seen) where raw readings are gone or too many.
   */
  async series(deviceId: string, quantity: string, fromMs: number, toMs: number, maxPoints: number): Promise<SeriesAnswer> {
    const buckets = Math.max(1, Math.floor(maxPoints / 2));
    if (fromMs >= this.d.rawHorizonMs()) {
      const where = 'device_id = @d AND quantity = @q AND ts >= @from AND ts <= @to';
      const p = { d: deviceId, q: quantity, from: fromMs, to: toMs };
      const stats = await this.count(`SELECT ts AS t FROM readings WHERE ${where}`, p);
      if (stats.n <= RAW_SCAN_CAP) {
        if (stats.n <= maxPoints) {
          const points = await this.one<Point[]>({ sql: `SELECT ts, value FROM readings WHERE ${where} ORDER BY ts`, shape: 'raw', params: [p] });
          return { points, resolution: 'raw' };
        }
        const rows = `SELECT ts AS min_ts, value AS min_v, ts AS max_ts, value AS max_v, ts AS t FROM readings WHERE ${where}`;
        return { points: await this.buckets(rows, p, stats, buckets), resolution: 'raw' };
      }
    }
    const from = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS;
    const p = { d: deviceId, q: quantity, from, to: toMs };
    const rows = 'SELECT min_ts, min_v, max_ts, max_v, minute AS t FROM readings_1m WHERE device_id = @d AND quantity = @q AND minute >= @from AND minute <= @to';
    const stats = await this.count(rows, p);
    const points =
      stats.n * 2 <= maxPoints
        ? minMaxPoints(await this.one<[number, number, number, number][]>({ sql: `SELECT min_ts, min_v, max_ts, max_v FROM (${rows}) ORDER BY t`, shape: 'raw', params: [p] }))
        : await this.buckets(rows, p, stats, buckets);
    return { points: points.filter(([t]) => t >= fromMs && t <= toMs), resolution: '1m' };
  }

  /** Rows of `rowsSql` (capped), with the first and last `t`. */
  private async count(rowsSql: string, p: object): Promise<{ n: number; t0: number; t1: number }> {
    const sql = `SELECT count(*) AS n, min(t) AS t0, max(t) AS t1 FROM (${rowsSql} LIMIT ${RAW_SCAN_CAP + 1})`;
    const r = await this.one<{ n: number; t0: number | null; t1: number | null }>({ sql, one: true, params: [p] });
    return { n: r.n, t0: r.t0 ?? 0, t1: r.t1 ?? 0 };
  }

  /** Splits [t0, t1] into `buckets` equal spans and keeps each span's minimum and maximum, in time order. */
  private async buckets(rowsSql: string, p: object, s: { t0: number; t1: number }, buckets: number): Promise<Point[]> {
    const sql = `SELECT t, min_ts, min_v, max_ts, max_v FROM (${rowsSql}) ORDER BY t`;
    const minmax = { t0: s.t0, width: (s.t1 - s.t0 + 1) / buckets, buckets };
    return minMaxPoints(await this.one<[number, number, number, number][]>({ sql, params: [p], minmax }));
  }

  private async one<T>(q: Query): Promise<T> {
    return (await this.run([q]))[0] as T;
  }

  /**
   * Each device's latest value of every quantity at or before `atMs`, and its last status message:
   * index seeks, from the raw readings or, where those are gone, from the rollups' last value.
   */
  async devicesAt(devices: readonly { id: string; quantities: readonly string[] }[], atMs: number): Promise<{ devices: Map<string, DeviceAt>; resolution: Resolution }> {
    const channels = devices.flatMap((d) => d.quantities.map((q) => [d.id, q] as const));
    const resolution: Resolution = atMs >= this.d.rawHorizonMs() ? 'raw' : '1m';
    const queries: Query[] = [
      { sql: 'SELECT ts, value FROM readings WHERE device_id = ? AND quantity = ? AND ts <= ? ORDER BY ts DESC LIMIT 1', shape: 'raw', one: true, each: channels.map(([d, q]) => [d, q, atMs]) },
      { sql: 'SELECT ts, online FROM statuses WHERE device_id = ? AND ts <= ? ORDER BY ts DESC LIMIT 1', shape: 'raw', one: true, each: devices.map((d) => [d.id, atMs]) },
    ];
    if (resolution === '1m') {
      queries.push({
        sql: 'SELECT last_ts, last_v FROM readings_1m WHERE device_id = ? AND quantity = ? AND minute <= ? AND last_ts <= ? ORDER BY minute DESC LIMIT 1',
        shape: 'raw',
        one: true,
        each: channels.map(([d, q]) => [d, q, atMs, atMs]),
      });
    }
    const [raw, statuses, rolled] = (await this.run(queries)) as (Point | null)[][];
    const out = new Map<string, DeviceAt>();
    devices.forEach((d, i) => {
      const s = statuses[i];
      out.set(d.id, { values: {}, ts: null, status: s ? { ts: s[0], online: s[1] === 1 } : null });
    });
    channels.forEach(([d, q], i) => {
      const r = raw[i] ?? rolled?.[i] ?? null;
      if (!r) return;
      const dev = out.get(d)!;
      dev.values[q] = r[1];
      dev.ts = Math.max(dev.ts ?? r[0], r[0]);
    });
    return { devices: out, resolution };
  }

  /**
   * Speed tracks as they stood at `atMs`, summarised in SQL: each detector's newest reading of the
   * `windowMs` before, the count and sum of its newest readings within the smoothing window of that
   * one (at most `capacity`, as the live track holds), and where its run of one repeated value began.
   * Three index seeks and two bounded scans a detector, whatever the history holds. Where raw
   * readings are gone, the per-minute rollups are folded instead (each minute's mean at its last
   * reading's time).
   */
  async tracksAt(deviceIds: readonly string[], quantity: string, atMs: number, windowMs: number, opts: TrafficOptions, capacity: number): Promise<Map<string, SpeedTrackView>> {
    const since = atMs - windowMs;
    const out = new Map<string, SpeedTrackView>();
    if (atMs < this.d.rawHorizonMs()) {
      const [rows] = (await this.run([
        { sql: 'SELECT last_ts, sum_v / n FROM readings_1m WHERE device_id = ? AND quantity = ? AND minute > ? AND minute <= ? AND last_ts <= ? ORDER BY minute', shape: 'raw', each: deviceIds.map((id) => [id, quantity, since - MINUTE_MS, atMs, atMs]) },
      ])) as Point[][][];
      deviceIds.forEach((id, i) => out.set(id, SpeedTrack.of(rows[i], opts)));
      return out;
    }
    const ch = 'device_id = @d AND quantity = @q';
    const sql = `
      WITH last AS (SELECT ts, value FROM readings WHERE ${ch} AND ts > @since AND ts <= @at ORDER BY ts DESC LIMIT 1)
      SELECT last.ts, last.value,
        (SELECT count(*) FROM (SELECT 1 FROM readings WHERE ${ch} AND ts > last.ts - @smoothing AND ts <= last.ts ORDER BY ts DESC LIMIT @cap)),
        (SELECT sum(value) FROM (SELECT value FROM readings WHERE ${ch} AND ts > last.ts - @smoothing AND ts <= last.ts ORDER BY ts DESC LIMIT @cap)),
        (SELECT min(ts) FROM readings WHERE ${ch} AND ts <= last.ts AND ts > max(@since, coalesce(
          (SELECT ts FROM readings WHERE ${ch} AND ts > @since AND ts <= last.ts AND value <> last.value ORDER BY ts DESC LIMIT 1), @since)))
      FROM last`;
    const params = deviceIds.map((d) => [{ d, q: quantity, since, at: atMs, smoothing: opts.smoothingMs, cap: capacity }]);
    const [rows] = (await this.run([{ sql, shape: 'raw', one: true, each: params }])) as ([number, number, number, number, number] | null)[][];
    deviceIds.forEach((id, i) => {
      const r = rows[i];
      if (r) out.set(id, { lastTsMs: r[0], lastKmh: r[1], count: r[2], meanKmh: r[3] / r[2], sameSinceMs: r[4] });
    });
    return out;
  }

  /** The alarms open at `atMs`, each in the state and severity of its last transition by then. */
  async alarmsAt(atMs: number, scene?: string): Promise<AlarmTransitionAt[]> {
    // Candidates: open now (the partial index), or closed after `at` (updated_at), raised by `at`.
    // `+raised_at` keeps the planner off the raised_at index, which would scan every older alarm.
    const sql = `
      WITH cand AS (
        SELECT id FROM alarms WHERE state <> 'closed' AND +raised_at <= @at
        UNION SELECT id FROM alarms WHERE updated_at >= @at AND +raised_at <= @at
      )
      SELECT a.key, a.record, e.ts, e.state, e.severity, e.shelved_until AS shelvedUntil, e.value, e.threshold, e.message,
             EXISTS (SELECT 1 FROM alarm_events e3 WHERE e3.alarm_id = a.id AND e3.ts <= @at AND e3.severity = 'critical') AS everCritical
        FROM cand JOIN alarms a ON a.id = cand.id
        JOIN alarm_events e ON e.seq = (SELECT MAX(e2.seq) FROM alarm_events e2 WHERE e2.alarm_id = a.id AND e2.ts <= @at)
       WHERE (@scene IS NULL OR a.scene = @scene) AND e.state <> 'closed'
       ORDER BY a.raised_at DESC, a.id`;
    const rows = await this.one<AlarmAtRow[]>({ sql, params: [{ at: atMs, scene: scene ?? null }] });
    return rows.map(({ key, record, everCritical, ...last }) => ({ key, latest: JSON.parse(record) as AlarmRecord, last, everCritical: everCritical === 1 }));
  }

  /** Stored events of a scene with `fromMs ≤ ts ≤ toMs`, oldest first; the newest `cap` when there are more. */
  async eventsBetween(scene: string, fromMs: number, toMs: number, cap = EVENT_CAP): Promise<StoredEvent[]> {
    const sql = `SELECT * FROM (SELECT device_id AS deviceId, ts, type, payload FROM events WHERE scene = ? AND ts >= ? AND ts <= ?
                 ORDER BY ts DESC, device_id DESC LIMIT ?) ORDER BY ts, deviceId`;
    const rows = await this.one<{ deviceId: string; ts: number; type: string; payload: string }[]>({ sql, params: [scene, fromMs, toMs, cap] });
    return rows.map((r) => ({ deviceId: r.deviceId, ts: r.ts, type: r.type, event: JSON.parse(r.payload) as DeviceEvent }));
  }

  /** Network index samples with `fromMs ≤ ts ≤ toMs`, oldest first. */
  indexHistory(fromMs: number, toMs: number): Promise<IndexSample[]> {
    return this.one({ sql: 'SELECT ts, value FROM network_index WHERE ts >= ? AND ts <= ? ORDER BY ts', shape: 'raw', params: [fromMs, toMs] });
  }

  /** Every transition of one alarm, oldest first. */
  alarmHistory(alarmId: string): Promise<AlarmHistoryRow[]> {
    return this.one({
      sql: 'SELECT ts, action, user, comment, state, severity, shelved_until AS shelvedUntil FROM alarm_events WHERE alarm_id = ? ORDER BY seq',
      params: [alarmId],
    });
  }

  /** The alarm history search (including closed alarms), newest first. */
  async searchAlarms(q: AlarmSearch): Promise<AlarmRecord[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (sql: string, ...p: (string | number)[]): void => {
      where.push(sql);
      params.push(...p);
    };
    if (q.scene) add('scene = ?', q.scene);
    if (q.toMs !== undefined) add('raised_at <= ?', q.toMs);
    // A closed alarm's last transition is its closing: updated_at is when it closed.
    if (q.fromMs !== undefined) add("(state <> 'closed' OR updated_at >= ?)", q.fromMs);
    if (q.severities?.length) add(`severity IN (${q.severities.map(() => '?').join(', ')})`, ...q.severities);
    if (q.states?.length) {
      const exact = q.states.filter((s) => s !== 'open');
      const parts = exact.length ? [`state IN (${exact.map(() => '?').join(', ')})`] : [];
      if (q.states.includes('open')) parts.push("state <> 'closed'");
      add(`(${parts.join(' OR ')})`, ...exact);
    }
    if (q.text) {
      const cols = ["json_extract(record, '$.message')", "json_extract(record, '$.messageZh')", 'device_id', 'site_id', 'rule', 'id'];
      const terms = [q.text, ...(q.alsoText ?? [])];
      const likes = terms.map((t) => `%${t.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
      add(`(${likes.flatMap(() => cols.map((c) => `${c} LIKE ? ESCAPE '\\'`)).join(' OR ')})`, ...likes.flatMap((l) => cols.map(() => l)));
    }
    const sql = `SELECT record FROM alarms ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY raised_at DESC, id LIMIT ?`;
    const rows = await this.one<string[]>({ sql, shape: 'pluck', params: [...params, q.limit] });
    return rows.map((r) => JSON.parse(r) as AlarmRecord);
  }
}

/** Min and max of each `[minTs, minV, maxTs, maxV]`, in time order; one point when they are the same reading. */
export function minMaxPoints(rows: readonly (readonly [number, number, number, number])[]): Point[] {
  const out: Point[] = [];
  for (const [minTs, minV, maxTs, maxV] of rows) {
    if (minTs === maxTs) out.push([minTs, minV]);
    else if (minTs < maxTs) out.push([minTs, minV], [maxTs, maxV]);
    else out.push([maxTs, maxV], [minTs, minV]);
  }
  return out;
}

type AlarmAtRow = TransitionAt & { key: string; record: string; everCritical: number };
