/**
 * The SQLite schema of the history (storage.ts) and its additive migrations: a database written by
 * an older version gains the new columns, empty, and keeps everything it had.
 */
import type Database from 'better-sqlite3';
import { IDENTITY_SCHEMA } from './identity/schema';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS readings (
  device_id TEXT NOT NULL, quantity TEXT NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL,
  PRIMARY KEY (device_id, quantity, ts)
) WITHOUT ROWID;
-- Latest value per channel: restores the live state after a restart without scanning history.
CREATE TABLE IF NOT EXISTS latest (
  device_id TEXT NOT NULL, quantity TEXT NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL,
  PRIMARY KEY (device_id, quantity)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS alarms (
  id TEXT PRIMARY KEY, key TEXT NOT NULL, scene TEXT NOT NULL, device_id TEXT, site_id TEXT,
  rule TEXT NOT NULL, severity TEXT NOT NULL, state TEXT NOT NULL,
  raised_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alarms_open ON alarms (state) WHERE state <> 'closed';
CREATE INDEX IF NOT EXISTS alarms_raised ON alarms (raised_at DESC);
CREATE TABLE IF NOT EXISTS alarm_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, alarm_id TEXT NOT NULL, ts INTEGER NOT NULL,
  action TEXT NOT NULL, user TEXT, comment TEXT, state TEXT NOT NULL, severity TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alarm_events_alarm ON alarm_events (alarm_id, ts);
CREATE TABLE IF NOT EXISTS events (
  device_id TEXT NOT NULL, scene TEXT NOT NULL, ts INTEGER NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL,
  PRIMARY KEY (device_id, ts, type)
) WITHOUT ROWID;
-- Status messages (online / offline, also the Last Will), so replay knows a device's status then.
CREATE TABLE IF NOT EXISTS statuses (
  device_id TEXT NOT NULL, ts INTEGER NOT NULL, online INTEGER NOT NULL,
  PRIMARY KEY (device_id, ts)
) WITHOUT ROWID;
-- Replay folds a scene's events up to an instant (issue 6).
CREATE INDEX IF NOT EXISTS events_scene_ts ON events (scene, ts);
`;

/** Creates what is missing; adds the columns later versions introduced. */
export function createSchema(db: Database.Database): void {
  db.exec(SCHEMA);
  db.exec(IDENTITY_SCHEMA);
  // Added with the alarm history (issue 6): databases from before get the column, empty.
  const eventCols = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('alarm_events') as string[];
  if (!eventCols.includes('shelved_until')) db.exec('ALTER TABLE alarm_events ADD COLUMN shelved_until INTEGER');
  // Added with replay (issue 6): what the record said at each transition (null in older rows).
  for (const [col, type] of [['value', 'REAL'], ['threshold', 'REAL'], ['message', 'TEXT']]) {
    if (!eventCols.includes(col)) db.exec(`ALTER TABLE alarm_events ADD COLUMN ${col} ${type}`);
  }
}
