/**
 * The PostgreSQL engine's own parts, on the run's throwaway cluster: numbered migrations (recorded,
 * applied once, a newer database refused), readings in day partitions made ahead and on demand and
 * dropped whole by retention while their rollups stay, rollups that count a duplicate once, the
 * duplicate check of events (also across a restart), and the event loop free during a big read.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PgStorage } from '../../../src/server/storage/pg';
import { PG_SCHEMA_VERSION } from '../../../src/server/storage/pg/migrations';
import { databaseEnv } from '../../fixture/database';
import { removeDir, tempDataDir } from '../helpers';

const DAY = 86_400_000;
const MIN = 60_000;
const T = Date.UTC(2026, 11, 1, 4, 0, 0);
const open: PgStorage[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

/** A new database of the cluster (named after a throwaway directory, as the service fixture does). */
async function fresh(): Promise<string> {
  const dir = tempDataDir();
  removeDir(dir);
  return (await databaseEnv(dir)).DATABASE_URL;
}
async function storage(url: string, now = () => T): Promise<PgStorage> {
  const s = await PgStorage.open(url, { now, retentionDays: 30, rollupRetentionDays: 400 });
  open.push(s);
  return s;
}
async function rows(url: string, sql: string): Promise<any[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}
const partitions = async (url: string) =>
  (await rows(url, `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'readings'::regclass ORDER BY 1`)).map((r) => r.relname);

describe('PostgreSQL storage', () => {
  it('migrates once, records each migration, and refuses a database written by a newer build', async () => {
    const url = await fresh();
    await (await storage(url)).close();
    await storage(url);
    const versions = await rows(url, 'SELECT version, name FROM schema_migrations ORDER BY version');
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1));
    await rows(url, `INSERT INTO schema_migrations VALUES (${PG_SCHEMA_VERSION + 1}, 'from the future', 0)`);
    await expect(PgStorage.open(url)).rejects.toThrow(`schema version ${PG_SCHEMA_VERSION + 1}, newer than this build knows (${PG_SCHEMA_VERSION})`);
  });

  it('keeps readings in day partitions, made ahead and for any day written; retention drops whole days and keeps their rollups', async () => {
    const url = await fresh();
    let clock = T;
    const s = await storage(url, () => clock);
    // Today and two days ahead exist before anything is written.
    expect(await partitions(url)).toEqual(['readings_p20261201', 'readings_p20261202', 'readings_p20261203']);
    const old = T - 40 * DAY;
    s.writeReadings([
      ['t-tank-1', 'level_pct', old + 1000, 10],
      ['t-tank-1', 'level_pct', old + 20_000, 90],
      ['t-tank-1', 'level_pct', old + 40_000, 50],
      ['t-tank-1', 'level_pct', T - DAY, 61],
    ]);
    await s.committed();
    expect(await partitions(url)).toEqual(['readings_p20261022', 'readings_p20261130', 'readings_p20261201', 'readings_p20261202', 'readings_p20261203']);
    await s.runRetention();
    expect(s.retentionStatus.deleted.readings).toBe(1);
    expect(await partitions(url)).toEqual(['readings_p20261130', 'readings_p20261201', 'readings_p20261202', 'readings_p20261203']);
    // The old day's rollup stays and answers, saying so.
    const series = await s.history.series('t-tank-1', 'level_pct', old, old + MIN, 2000);
    expect(series).toEqual({ points: [[old + 1000, 10], [old + 20_000, 90]], resolution: '1m' });
    const recent = await s.history.series('t-tank-1', 'level_pct', T - 2 * DAY, T, 2000);
    expect(recent).toEqual({ points: [[T - DAY, 61]], resolution: 'raw' });
    // A day later, the next day ahead is made by the next pass.
    clock = T + DAY;
    await s.runRetention();
    expect(await partitions(url)).toContain('readings_p20261204');
  });

  it('counts a duplicate reading once in the rollups and the latest value, in any order and across batches', async () => {
    const url = await fresh();
    const s = await storage(url);
    const m = T - 10 * MIN;
    s.writeReadings([['d', 'o2_pct', m + 5000, 20], ['d', 'o2_pct', m + 1000, 19], ['d', 'o2_pct', m + 5000, 20]]);
    await s.committed();
    s.writeReadings([['d', 'o2_pct', m + 1000, 19], ['d', 'o2_pct', m + 9000, 21], ['d', 'o2_pct', m + 3000, 18]]);
    await s.committed();
    expect(await rows(url, 'SELECT minute, n, sum_v, min_v, min_ts, max_v, max_ts, last_v, last_ts FROM readings_1m')).toEqual([
      { minute: String(m), n: 4, sum_v: 78, min_v: 18, min_ts: String(m + 3000), max_v: 21, max_ts: String(m + 9000), last_v: 21, last_ts: String(m + 9000) },
    ]);
    expect(await s.latestValues()).toEqual([{ deviceId: 'd', quantity: 'o2_pct', ts: m + 9000, value: 21 }]);
  });

  it('applies an event once: a duplicate is refused from memory, also after a restart, and stored once', async () => {
    const url = await fresh();
    const s = await storage(url, () => Date.now());
    const ts = Date.now() - 1000;
    expect(s.saveEvent('t-access', 'confined', ts, 'entry', { ts, type: 'entry' })).toBe(true);
    expect(s.saveEvent('t-access', 'confined', ts, 'entry', { ts, type: 'entry' })).toBe(false);
    expect(s.saveEvent('t-access', 'confined', ts, 'exit', { ts, type: 'exit' })).toBe(true);
    await s.close();
    const again = await storage(url, () => Date.now());
    expect(again.saveEvent('t-access', 'confined', ts, 'entry', { ts, type: 'entry' })).toBe(false);
    expect((await again.history.eventsBetween('confined', ts, ts)).map((e) => e.type).sort()).toEqual(['entry', 'exit']);
  });

  it('reads 200,000 readings with the event loop free: the server scans, a few thousand points cross', async () => {
    const url = await fresh();
    const s = await storage(url, () => Date.now());
    const t0 = Date.now() - 3 * 3600_000;
    for (let b = 0; b < 100; b++) s.writeReadings(Array.from({ length: 2000 }, (_, i) => ['big', 'speed_kmh', t0 + (b * 2000 + i) * 50, (i % 100) + 1] as [string, string, number, number]));
    await s.committed();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const t = performance.now();
    const r = await s.history.series('big', 'speed_kmh', t0, Date.now(), 2000);
    const ms = performance.now() - t;
    clearInterval(timer);
    expect(r.points.length).toBeLessThanOrEqual(2000);
    expect(r.points.length).toBeGreaterThan(100);
    // The timer kept running while the answer was computed (more than a third of its 5 ms ticks).
    expect(ticks).toBeGreaterThan(ms / 5 / 3);
  });
});
