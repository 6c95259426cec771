/**
 * Migration 1: the schema as it stood before migrations were numbered. A database written by that
 * code has these tables already (made by `CREATE TABLE IF NOT EXISTS` at every start, columns added
 * later by checking which exist): this migration adopts it as version 1, adding what it lacks.
 */
import type Database from 'better-sqlite3';

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
-- Replay folds a scene's events up to an instant.
CREATE INDEX IF NOT EXISTS events_scene_ts ON events (scene, ts);
-- The road network's congestion index, one row a minute.
CREATE TABLE IF NOT EXISTS network_index (ts INTEGER PRIMARY KEY, value REAL);
`;

/** Columns added to alarm_events after its table was first created (older rows hold null). */
const LATER_EVENT_COLUMNS: [name: string, type: string][] = [
  ['shelved_until', 'INTEGER'],
  ['value', 'REAL'],
  ['threshold', 'REAL'],
  ['message', 'TEXT'],
];

export const version = 1;
export const name = 'initial';

export function up(db: Database.Database): void {
  db.exec(SCHEMA);
  const cols = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('alarm_events') as string[];
  for (const [col, type] of LATER_EVENT_COLUMNS) {
    if (!cols.includes(col)) db.exec(`ALTER TABLE alarm_events ADD COLUMN ${col} ${type}`);
  }
}
