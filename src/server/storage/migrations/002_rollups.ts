/**
 * Migration 2: per-minute rollups of the readings (min, max with their times, sum, count, last), kept
 * longer than the raw readings. History already stored is rolled up here, in one pass in key order.
 */
import type Database from 'better-sqlite3';
import { MINUTE_MS, RollupAccumulator } from '../rollups';

export const version = 2;
export const name = 'rollups';

export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE readings_1m (
      device_id TEXT NOT NULL, quantity TEXT NOT NULL, minute INTEGER NOT NULL,
      n INTEGER NOT NULL, sum_v REAL NOT NULL,
      min_v REAL NOT NULL, min_ts INTEGER NOT NULL, max_v REAL NOT NULL, max_ts INTEGER NOT NULL,
      last_v REAL NOT NULL, last_ts INTEGER NOT NULL,
      PRIMARY KEY (device_id, quantity, minute)
    ) WITHOUT ROWID;
  `);
  const acc = new RollupAccumulator();
  const write = db.prepare(acc.upsertSql);
  const rows = db.prepare('SELECT device_id, quantity, ts, value FROM readings ORDER BY device_id, quantity, ts').raw();
  let key = '';
  for (const [deviceId, quantity, ts, value] of rows.iterate() as Iterable<[string, string, number, number]>) {
    // Rows come channel by channel, minute by minute: write each finished minute as the next begins.
    const k = `${deviceId}\u0000${quantity}\u0000${Math.floor(ts / MINUTE_MS)}`;
    if (k !== key && acc.size >= 1000) acc.flush(write);
    key = k;
    acc.add(deviceId, quantity, ts, value);
  }
  acc.flush(write);
}
