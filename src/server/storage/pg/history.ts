/**
 * History reads of the PostgreSQL engine: the same answers as the SQLite engine (../history.ts),
 * bounded the same way (a row cap on every scan, rollups where raw readings are gone or too many),
 * with the downsampling done by the server so that at most a few thousand rows cross the network.
 * Many channels are read in one statement (`unnest` and a LATERAL seek each), not one round trip
 * per channel.
 */
import type { Pool } from 'pg';
import type { AlarmRecord } from '../../../contracts';
import { SpeedTrack, type SpeedTrackView, type TrafficOptions } from '../../../domain';
import { EVENT_CAP, RAW_SCAN_CAP, minMaxPoints } from '../history';
import { MINUTE_MS } from '../rollups';
import type { AlarmHistoryRow, AlarmSearch, AlarmTransitionAt, DeviceAt, HistoryReads, IndexSample, Resolution, SeriesAnswer, StoredEvent, TransitionAt } from '../types';

type AlarmAtRow = TransitionAt & { key: string; record: string; everCritical: number };

type Point = [number, number];
type Quad = [number, number, number, number];

export interface PgHistoryDeps {
  pool: Pool;
  /** Waits for the open write batch (read-your-writes). */
  flush(): Promise<void>;
  rawHorizonMs(): number;
}

export class PgHistory implements HistoryReads {
  constructor(private readonly d: PgHistoryDeps) {}

  private async rows<T>(sql: string, params: unknown[], rowMode?: 'array'): Promise<T[]> {
    await this.d.flush();
    const r = await this.d.pool.query({ text: sql, values: params, ...(rowMode && { rowMode }) });
    return r.rows as T[];
  }

  async series(deviceId: string, quantity: string, fromMs: number, toMs: number, maxPoints: number): Promise<SeriesAnswer> {
    const buckets = Math.max(1, Math.floor(maxPoints / 2));
    if (fromMs >= this.d.rawHorizonMs()) {
      const rows = 'SELECT ts AS t, ts AS min_ts, value AS min_v, ts AS max_ts, value AS max_v FROM readings WHERE device_id = $1 AND quantity = $2 AND ts >= $3 AND ts <= $4';
      const p = [deviceId, quantity, fromMs, toMs];
      const stats = await this.count(rows, p);
      if (stats.n <= RAW_SCAN_CAP) {
        if (stats.n <= maxPoints) return { points: await this.rows<Point>(`SELECT t, min_v FROM (${rows}) r ORDER BY t`, p, 'array'), resolution: 'raw' };
        return { points: await this.buckets(rows, p, stats, buckets), resolution: 'raw' };
      }
    }
    const from = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS;
    const rows = 'SELECT minute AS t, min_ts, min_v, max_ts, max_v FROM readings_1m WHERE device_id = $1 AND quantity = $2 AND minute >= $3 AND minute <= $4';
    const p = [deviceId, quantity, from, toMs];
    const stats = await this.count(rows, p);
    const points =
      stats.n * 2 <= maxPoints
        ? minMaxPoints(await this.rows<Quad>(`SELECT min_ts, min_v, max_ts, max_v FROM (${rows}) r ORDER BY t`, p, 'array'))
        : await this.buckets(rows, p, stats, buckets);
    return { points: points.filter(([t]) => t >= fromMs && t <= toMs), resolution: '1m' };
  }

  private async count(rowsSql: string, p: unknown[]): Promise<{ n: number; t0: number; t1: number }> {
    const [r] = await this.rows<{ n: number; t0: number | null; t1: number | null }>(
      `SELECT count(*) AS n, min(t) AS t0, max(t) AS t1 FROM (${rowsSql} LIMIT ${RAW_SCAN_CAP + 1}) r`,
      p,
    );
    return { n: r.n, t0: r.t0 ?? 0, t1: r.t1 ?? 0 };
  }

  /**
   * Each of `buckets` equal spans of [t0, t1]: its minimum and maximum with their times, the first
   * of equal ones in time order (the same cut as the SQLite reader and src/server/downsample.ts).
   */
  private async buckets(rowsSql: string, p: unknown[], s: { t0: number; t1: number }, buckets: number): Promise<Point[]> {
    const n = p.length;
    const sql = `
      WITH b AS (SELECT least($${n + 3}::int - 1, floor((t - $${n + 1}::bigint)::float8 / $${n + 2}::float8)::int) AS k, * FROM (${rowsSql}) r),
      mn AS (SELECT DISTINCT ON (k) k, min_ts, min_v FROM b ORDER BY k, min_v, t),
      mx AS (SELECT DISTINCT ON (k) k, max_ts, max_v FROM b ORDER BY k, max_v DESC, t)
      SELECT mn.min_ts, mn.min_v, mx.max_ts, mx.max_v FROM mn JOIN mx USING (k) ORDER BY k`;
    return minMaxPoints(await this.rows<Quad>(sql, [...p, s.t0, (s.t1 - s.t0 + 1) / buckets, buckets], 'array'));
  }

  async devicesAt(devices: readonly { id: string; quantities: readonly string[] }[], atMs: number): Promise<{ devices: Map<string, DeviceAt>; resolution: Resolution }> {
    const channels = devices.flatMap((d) => d.quantities.map((q) => [d.id, q] as const));
    const resolution: Resolution = atMs >= this.d.rawHorizonMs() ? 'raw' : '1m';
    const ids = channels.map((c) => c[0]);
    const qs = channels.map((c) => c[1]);
    const [raw, statuses, rolled] = await Promise.all([
      this.rows<[number, number, number]>(
        `SELECT c.i, r.ts, r.value FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS c(d, q, i)
           CROSS JOIN LATERAL (SELECT ts, value FROM readings WHERE device_id = c.d AND quantity = c.q AND ts <= $3 ORDER BY ts DESC LIMIT 1) r`,
        [ids, qs, atMs],
        'array',
      ),
      this.rows<[number, number, boolean]>(
        `SELECT c.i, s.ts, s.online FROM unnest($1::text[]) WITH ORDINALITY AS c(d, i)
           CROSS JOIN LATERAL (SELECT ts, online FROM statuses WHERE device_id = c.d AND ts <= $2 ORDER BY ts DESC LIMIT 1) s`,
        [devices.map((d) => d.id), atMs],
        'array',
      ),
      resolution === '1m'
        ? this.rows<[number, number, number]>(
            `SELECT c.i, r.last_ts, r.last_v FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS c(d, q, i)
               CROSS JOIN LATERAL (SELECT last_ts, last_v FROM readings_1m WHERE device_id = c.d AND quantity = c.q AND minute <= $3 AND last_ts <= $3
                                   ORDER BY minute DESC LIMIT 1) r`,
            [ids, qs, atMs],
            'array',
          )
        : Promise.resolve([]),
    ]);
    const out = new Map<string, DeviceAt>();
    for (const d of devices) out.set(d.id, { values: {}, ts: null, status: null });
    for (const [i, ts, online] of statuses) out.get(devices[i - 1].id)!.status = { ts, online };
    const byChannel = new Map<number, Point>();
    for (const [i, ts, v] of rolled) byChannel.set(i, [ts, v]);
    for (const [i, ts, v] of raw) byChannel.set(i, [ts, v]);
    for (const [i, [ts, v]] of byChannel) {
      const [d, q] = channels[i - 1];
      const dev = out.get(d)!;
      dev.values[q] = v;
      dev.ts = Math.max(dev.ts ?? ts, ts);
    }
    return { devices: out, resolution };
  }

  async tracksAt(deviceIds: readonly string[], quantity: string, atMs: number, windowMs: number, opts: TrafficOptions, capacity: number): Promise<Map<string, SpeedTrackView>> {
    const since = atMs - windowMs;
    const out = new Map<string, SpeedTrackView>();
    if (atMs < this.d.rawHorizonMs()) {
      const rows = await this.rows<[number, number, number]>(
        `SELECT c.i, r.last_ts, r.sum_v / r.n FROM unnest($1::text[]) WITH ORDINALITY AS c(d, i)
           CROSS JOIN LATERAL (SELECT last_ts, sum_v, n, minute FROM readings_1m WHERE device_id = c.d AND quantity = $2
                                 AND minute > $3 AND minute <= $4 AND last_ts <= $4 ORDER BY minute) r
          ORDER BY c.i, r.minute`,
        [deviceIds, quantity, since - MINUTE_MS, atMs],
        'array',
      );
      const per = deviceIds.map(() => [] as Point[]);
      for (const [i, ts, v] of rows) per[i - 1].push([ts, v]);
      deviceIds.forEach((id, i) => out.set(id, SpeedTrack.of(per[i], opts)));
      return out;
    }
    const ch = 'device_id = c.d AND quantity = $2';
    const rows = await this.rows<[number, number, number, number, number, number]>(
      `SELECT c.i, last.ts, last.value,
         (SELECT count(*) FROM (SELECT 1 FROM readings WHERE ${ch} AND ts > last.ts - $5 AND ts <= last.ts ORDER BY ts DESC LIMIT $6) x),
         (SELECT sum(value) FROM (SELECT value FROM readings WHERE ${ch} AND ts > last.ts - $5 AND ts <= last.ts ORDER BY ts DESC LIMIT $6) y),
         (SELECT min(ts) FROM readings WHERE ${ch} AND ts <= last.ts AND ts > greatest($3, coalesce(
            (SELECT ts FROM readings WHERE ${ch} AND ts > $3 AND ts <= last.ts AND value <> last.value ORDER BY ts DESC LIMIT 1), $3)))
       FROM unnest($1::text[]) WITH ORDINALITY AS c(d, i)
       CROSS JOIN LATERAL (SELECT ts, value FROM readings WHERE ${ch} AND ts > $3 AND ts <= $4 ORDER BY ts DESC LIMIT 1) last`,
      [deviceIds, quantity, since, atMs, opts.smoothingMs, capacity],
      'array',
    );
    for (const [i, ts, v, n, sum, same] of rows) out.set(deviceIds[i - 1], { lastTsMs: ts, lastKmh: v, count: n, meanKmh: sum / n, sameSinceMs: same });
    return out;
  }

  async alarmsAt(atMs: number, scene?: string): Promise<AlarmTransitionAt[]> {
    const sql = `
      WITH cand AS (
        SELECT id FROM alarms WHERE state <> 'closed' AND raised_at <= $1
        UNION SELECT id FROM alarms WHERE updated_at >= $1 AND raised_at <= $1
      )
      SELECT a.key, a.record, e.ts, e.state, e.severity, e.shelved_until AS "shelvedUntil", e.value, e.threshold, e.message,
             (EXISTS (SELECT 1 FROM alarm_events e3 WHERE e3.alarm_id = a.id AND e3.ts <= $1 AND e3.severity = 'critical'))::int AS "everCritical"
        FROM cand JOIN alarms a ON a.id = cand.id
        JOIN alarm_events e ON e.seq = (SELECT max(e2.seq) FROM alarm_events e2 WHERE e2.alarm_id = a.id AND e2.ts <= $1)
       WHERE ($2::text IS NULL OR a.scene = $2) AND e.state <> 'closed'
       ORDER BY a.raised_at DESC, a.id`;
    const rows = await this.rows<AlarmAtRow>(sql, [atMs, scene ?? null]);
    return rows.map(({ key, record, everCritical, ...last }) => ({ key, latest: JSON.parse(record) as AlarmRecord, last, everCritical: everCritical === 1 }));
  }

  async eventsBetween(scene: string, fromMs: number, toMs: number, cap = EVENT_CAP): Promise<StoredEvent[]> {
    const rows = await this.rows<{ deviceId: string; ts: number; type: string; payload: string }>(
      `SELECT * FROM (SELECT device_id AS "deviceId", ts, type, payload FROM events WHERE scene = $1 AND ts >= $2 AND ts <= $3
         ORDER BY ts DESC, device_id DESC LIMIT $4) e ORDER BY ts, "deviceId"`,
      [scene, fromMs, toMs, cap],
    );
    return rows.map((r) => ({ deviceId: r.deviceId, ts: r.ts, type: r.type, event: JSON.parse(r.payload) }));
  }

  indexHistory(fromMs: number, toMs: number): Promise<IndexSample[]> {
    return this.rows<IndexSample>('SELECT ts, value FROM network_index WHERE ts >= $1 AND ts <= $2 ORDER BY ts', [fromMs, toMs], 'array');
  }

  alarmHistory(alarmId: string): Promise<AlarmHistoryRow[]> {
    return this.rows<AlarmHistoryRow>(
      `SELECT ts, action, user_name AS "user", comment, state, severity, shelved_until AS "shelvedUntil" FROM alarm_events WHERE alarm_id = $1 ORDER BY seq`,
      [alarmId],
    );
  }

  async searchAlarms(q: AlarmSearch): Promise<AlarmRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown): string => (params.push(v), `$${params.length}`);
    if (q.scene) where.push(`scene = ${p(q.scene)}`);
    if (q.toMs !== undefined) where.push(`raised_at <= ${p(q.toMs)}`);
    // A closed alarm's last transition is its closing: updated_at is when it closed.
    if (q.fromMs !== undefined) where.push(`(state <> 'closed' OR updated_at >= ${p(q.fromMs)})`);
    if (q.severities?.length) where.push(`severity = ANY(${p(q.severities)}::text[])`);
    if (q.states?.length) {
      const exact = q.states.filter((s) => s !== 'open');
      const parts = exact.length ? [`state = ANY(${p(exact)}::text[])`] : [];
      if (q.states.includes('open')) parts.push("state <> 'closed'");
      where.push(`(${parts.join(' OR ')})`);
    }
    if (q.text) {
      const like = p(`%${q.text.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
      const cols = ["(record::json->>'message')", 'device_id', 'site_id', 'rule', 'id'];
      where.push(`(${cols.map((c) => `${c} ILIKE ${like}`).join(' OR ')})`);
    }
    const sql = `SELECT record FROM alarms ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY raised_at DESC, id LIMIT ${p(q.limit)}`;
    const rows = await this.rows<{ record: string }>(sql, params);
    return rows.map((r) => JSON.parse(r.record) as AlarmRecord);
  }
}
