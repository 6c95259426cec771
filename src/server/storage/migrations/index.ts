/**
 * Numbered schema migrations: applied in order at start, each in its own transaction, each recorded
 * in `schema_migrations`. A database written by a newer build is refused rather than guessed at.
 */
import type Database from 'better-sqlite3';
import * as m001 from './001_initial';
import * as m002 from './002_rollups';
import * as m003 from './003_replay_indexes';
import * as m004 from './004_identity';
import * as m005 from './005_registry';
import * as m006 from './006_newest_from_readings';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/** Every migration, oldest first; a new one gets the next number and is appended. */
export const MIGRATIONS: readonly Migration[] = [m001, m002, m003, m004, m005, m006];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export class SchemaError extends Error {
  override name = 'SchemaError';
}

/** The version a database is at: 0 when no migration was ever recorded (new, or from before them). */
export function schemaVersion(db: Database.Database): number {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!has) return 0;
  return (db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null) ?? 0;
}

/** Applies the migrations the database lacks; returns the versions it went from and to. */
export function migrate(db: Database.Database, now: () => number = Date.now): { from: number; to: number } {
  const from = schemaVersion(db);
  if (from > SCHEMA_VERSION) {
    throw new SchemaError(`the database is at schema version ${from}, newer than this build knows (${SCHEMA_VERSION}): run a newer CityTwin`);
  }
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of MIGRATIONS) {
    if (m.version <= from) continue;
    db.transaction(() => {
      m.up(db);
      record.run(m.version, m.name, now());
    })();
  }
  return { from, to: SCHEMA_VERSION };
}
