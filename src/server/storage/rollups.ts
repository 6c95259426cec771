/**
 * Per-minute rollups of readings, gathered in memory while a batch is written and merged into
 * `readings_1m` once per key at commit: a channel reporting ten times a second costs one upsert a
 * minute per batch, not one per reading. The merge is exact whatever order batches come in
 * (min, max and last keep the time they were seen at; sums and counts add).
 */
import type Database from 'better-sqlite3';

export const MINUTE_MS = 60_000;

interface Minute {
  deviceId: string;
  quantity: string;
  minute: number;
  n: number;
  sum: number;
  min: number;
  minTs: number;
  max: number;
  maxTs: number;
  last: number;
  lastTs: number;
}

export class RollupAccumulator {
  private readonly minutes = new Map<string, Minute>();

  /** Merges one minute into the table; earlier `min`/`max` win ties, the later `last` wins. */
  readonly upsertSql = `
    INSERT INTO readings_1m (device_id, quantity, minute, n, sum_v, min_v, min_ts, max_v, max_ts, last_v, last_ts)
    VALUES (@deviceId, @quantity, @minute, @n, @sum, @min, @minTs, @max, @maxTs, @last, @lastTs)
    ON CONFLICT (device_id, quantity, minute) DO UPDATE SET
      n = n + excluded.n,
      sum_v = sum_v + excluded.sum_v,
      min_ts = CASE WHEN excluded.min_v < min_v OR (excluded.min_v = min_v AND excluded.min_ts < min_ts) THEN excluded.min_ts ELSE min_ts END,
      min_v = min(min_v, excluded.min_v),
      max_ts = CASE WHEN excluded.max_v > max_v OR (excluded.max_v = max_v AND excluded.max_ts < max_ts) THEN excluded.max_ts ELSE max_ts END,
      max_v = max(max_v, excluded.max_v),
      last_v = CASE WHEN excluded.last_ts >= last_ts THEN excluded.last_v ELSE last_v END,
      last_ts = max(last_ts, excluded.last_ts)`;

  get size(): number {
    return this.minutes.size;
  }

  /** Counts one stored reading (a duplicate that was not stored must not be counted). */
  add(deviceId: string, quantity: string, ts: number, value: number): void {
    const minute = Math.floor(ts / MINUTE_MS) * MINUTE_MS;
    const key = `${deviceId}\u0000${quantity}\u0000${minute}`;
    const m = this.minutes.get(key);
    if (!m) {
      this.minutes.set(key, { deviceId, quantity, minute, n: 1, sum: value, min: value, minTs: ts, max: value, maxTs: ts, last: value, lastTs: ts });
      return;
    }
    m.n++;
    m.sum += value;
    if (value < m.min || (value === m.min && ts < m.minTs)) (m.min = value), (m.minTs = ts);
    if (value > m.max || (value === m.max && ts < m.maxTs)) (m.max = value), (m.maxTs = ts);
    if (ts >= m.lastTs) (m.last = value), (m.lastTs = ts);
  }

  /** Writes every gathered minute with `upsert` (a statement prepared from `upsertSql`) and forgets them. */
  flush(upsert: Database.Statement): void {
    for (const m of this.minutes.values()) upsert.run(m);
    this.minutes.clear();
  }

  /** Forgets what was gathered (its transaction was rolled back). */
  clear(): void {
    this.minutes.clear();
  }
}
