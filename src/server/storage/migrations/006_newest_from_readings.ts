/**
 * Migration 6: each channel's latest value is its newest row in `readings` (newest.ts; retention
 * keeps that row however old), so the `latest` table the writer upserted on every batch goes. A
 * value it held whose row retention had already deleted (a channel quiet for longer than the raw
 * retention) is put back into `readings` first, so a restart still restores it.
 */
import type Database from 'better-sqlite3';

export const version = 6;
export const name = 'newest_from_readings';

export function up(db: Database.Database): void {
  db.exec(`
    INSERT OR IGNORE INTO readings (device_id, quantity, ts, value) SELECT device_id, quantity, ts, value FROM latest;
    DROP TABLE latest;
  `);
}
