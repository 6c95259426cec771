/**
 * Numbered schema migrations of the PostgreSQL engine, beside the SQLite ones (../migrations/):
 * applied in order at start, each in its own transaction, recorded in `schema_migrations`. Two
 * instances starting at once take turns (a transaction-level advisory lock); a database written by
 * a newer build is refused.
 *
 * Times are epoch milliseconds (bigint), as in the contract; alarm records and event payloads are
 * kept as the JSON text the service wrote (byte for byte, as SQLite keeps them).
 */
import type { PoolClient } from 'pg';
import { SchemaError } from '../migrations';

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'history',
    sql: `
-- Raw readings, one table per day (partitions are made ahead and dropped whole by retention).
CREATE TABLE readings (
  device_id text NOT NULL, quantity text NOT NULL, ts bigint NOT NULL, value double precision NOT NULL,
  PRIMARY KEY (device_id, quantity, ts)
) PARTITION BY RANGE (ts);
-- Latest value per channel: restores the live state without scanning history.
CREATE TABLE latest (
  device_id text NOT NULL, quantity text NOT NULL, ts bigint NOT NULL, value double precision NOT NULL,
  PRIMARY KEY (device_id, quantity)
);
-- Per-minute rollups: min and max with the time each was seen, sum, count, last.
CREATE TABLE readings_1m (
  device_id text NOT NULL, quantity text NOT NULL, minute bigint NOT NULL,
  n integer NOT NULL, sum_v double precision NOT NULL,
  min_v double precision NOT NULL, min_ts bigint NOT NULL, max_v double precision NOT NULL, max_ts bigint NOT NULL,
  last_v double precision NOT NULL, last_ts bigint NOT NULL,
  PRIMARY KEY (device_id, quantity, minute)
);
CREATE TABLE alarms (
  id text PRIMARY KEY, key text NOT NULL, scene text NOT NULL, device_id text, site_id text,
  rule text NOT NULL, severity text NOT NULL, state text NOT NULL,
  raised_at bigint NOT NULL, updated_at bigint NOT NULL, record text NOT NULL
);
CREATE INDEX alarms_open ON alarms (state) WHERE state <> 'closed';
CREATE INDEX alarms_raised ON alarms (raised_at DESC);
CREATE INDEX alarms_updated ON alarms (updated_at);
CREATE TABLE alarm_events (
  seq bigserial PRIMARY KEY, alarm_id text NOT NULL, ts bigint NOT NULL, action text NOT NULL,
  user_name text, comment text, state text NOT NULL, severity text NOT NULL,
  shelved_until bigint, value double precision, threshold double precision, message text
);
CREATE INDEX alarm_events_alarm ON alarm_events (alarm_id, ts);
CREATE TABLE events (
  device_id text NOT NULL, scene text NOT NULL, ts bigint NOT NULL, type text NOT NULL, payload text NOT NULL,
  PRIMARY KEY (device_id, ts, type)
);
CREATE INDEX events_scene_ts ON events (scene, ts);
CREATE TABLE statuses (
  device_id text NOT NULL, ts bigint NOT NULL, online boolean NOT NULL,
  PRIMARY KEY (device_id, ts)
);
CREATE TABLE network_index (ts bigint PRIMARY KEY, value double precision);
`,
  },
  {
    version: 2,
    name: 'identity',
    sql: `
CREATE TABLE users (
  username text PRIMARY KEY, role text NOT NULL, password_hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false, created_at bigint NOT NULL, updated_at bigint NOT NULL,
  last_login_at bigint
);
-- Sessions by the SHA-256 of their token: the token itself is never stored.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY, username text NOT NULL, created_at bigint NOT NULL,
  expires_at bigint NOT NULL, address text
);
CREATE INDEX sessions_user ON sessions (username);
CREATE TABLE mqtt_credentials (
  username text PRIMARY KEY, kind text NOT NULL, secret_hash text NOT NULL, site_ids text,
  issued_at bigint NOT NULL, issued_by text NOT NULL
);
CREATE TABLE login_failures (ts bigint NOT NULL, username text NOT NULL, address text NOT NULL);
CREATE INDEX login_failures_user ON login_failures (username, ts);
CREATE INDEX login_failures_address ON login_failures (address, ts);
CREATE TABLE audit (
  seq bigserial PRIMARY KEY, ts bigint NOT NULL, user_name text, address text,
  action text NOT NULL, target text, detail text
);
CREATE INDEX audit_ts ON audit (ts);
`,
  },
  {
    version: 3,
    name: 'leader',
    sql: `
-- Which instance leads (holds the advisory lock) and where its API answers: standbys forward
-- operator actions (ack, shelve) there.
CREATE TABLE ha_leader (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), instance_id text NOT NULL,
  url text, since bigint NOT NULL
);
`,
  },
  {
    version: 4,
    name: 'registry',
    sql: `
-- The registry of sites and devices (managed through the API), one row per object as JSON; and its version.
CREATE TABLE registry_items (
  kind text NOT NULL, id text NOT NULL, body text NOT NULL, retired_at bigint,
  PRIMARY KEY (kind, id)
);
CREATE TABLE registry_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), version bigint NOT NULL, updated_at bigint NOT NULL,
  seed_hash text, managed boolean NOT NULL DEFAULT false
);
`,
  },
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS[PG_MIGRATIONS.length - 1].version;

/** Any 64-bit number the instances agree on: serialises migrations between instances. */
const MIGRATION_LOCK = 0x43_54_6d_69_67; // 'CTmig'

/** Applies the migrations the database lacks; returns the versions it went from and to. */
export async function migratePg(client: PoolClient, now: () => number = Date.now): Promise<{ from: number; to: number }> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)');
    const from = Number((await client.query('SELECT coalesce(max(version), 0) AS v FROM schema_migrations')).rows[0].v);
    if (from > PG_SCHEMA_VERSION) {
      throw new SchemaError(`the database is at schema version ${from}, newer than this build knows (${PG_SCHEMA_VERSION}): run a newer CityTwin`);
    }
    for (const m of PG_MIGRATIONS) {
      if (m.version <= from) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, now()]);
    }
    await client.query('COMMIT');
    return { from, to: PG_SCHEMA_VERSION };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}
