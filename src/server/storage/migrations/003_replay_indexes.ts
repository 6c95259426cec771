/**
 * Migration 3: the alarms open at a past instant are found from two small sets, the alarms open now
 * and those closed after the instant (by `updated_at`, when they closed), not by scanning every
 * alarm ever raised.
 */
import type Database from 'better-sqlite3';

export const version = 3;
export const name = 'replay_indexes';

export function up(db: Database.Database): void {
  db.exec('CREATE INDEX alarms_updated ON alarms (updated_at)');
}
