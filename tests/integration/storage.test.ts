/**
 * Storage on a real SQLite file with its real reader threads: the numbered migrations (a database
 * made by the code before them upgrades and keeps everything), the per-minute rollups, the history
 * reader's downsampling (in its thread, checked against the reference `downsampleMinMax`), and one
 * process per data directory.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { downsampleMinMax } from '../../src/server/downsample';
import { alarmAt } from '../../src/server/history/alarmAt';
import type { ReadingRow } from '../../src/server/storage';
import { SqliteStorage } from '../../src/server/storage/sqlite';
import { dbPath, lockHolder } from '../../src/server/storage/files';
import { SCHEMA_VERSION } from '../../src/server/storage/migrations';
import { removeDir, tempDataDir } from './helpers';

const OLD_SCHEMA = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures/schema-before-migrations.sql'), 'utf8');
const MIN = 60_000;
const T = Date.UTC(2026, 10, 28, 2, 0, 0);

const dirs: string[] = [];
const open: SqliteStorage[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) removeDir(d);
});
function storageIn(dir = tempDataDir(), opts = {}): SqliteStorage {
  if (!dirs.includes(dir)) dirs.push(dir);
  const s = new SqliteStorage(dir, opts);
  open.push(s);
  return s;
}

/** A database file as the code before numbered migrations left it, with a little of everything. */
function oldDatabase(dir: string, laterColumns: boolean): void {
  const db = new Database(dbPath(dir));
  db.pragma('journal_mode = WAL');
  db.exec(OLD_SCHEMA);
  if (laterColumns) {
    for (const c of ['shelved_until INTEGER', 'value REAL', 'threshold REAL', 'message TEXT']) db.exec(`ALTER TABLE alarm_events ADD COLUMN ${c}`);
    db.exec('CREATE TABLE network_index (ts INTEGER PRIMARY KEY, value REAL)');
    db.prepare('INSERT INTO network_index VALUES (?, ?)').run(T, 1.5);
  }
  const reading = db.prepare('INSERT INTO readings VALUES (?, ?, ?, ?)');
  for (const [ts, v] of [[T + 1000, 3], [T + 20_000, 9], [T + 40_000, 5], [T + MIN + 5000, 7]]) reading.run('t-gas-lower', 'h2s_ppm', ts, v);
  db.prepare('INSERT INTO latest VALUES (?, ?, ?, ?)').run('t-gas-lower', 'h2s_ppm', T + MIN + 5000, 7);
  // A channel quiet for longer than the raw retention: its rows are gone, its latest value is not.
  db.prepare('INSERT INTO latest VALUES (?, ?, ?, ?)').run('t-gas-lower', 'o2_pct', T - 40 * 86_400_000, 20.9);
  const record = { id: 'a1', scene: 'confined', siteId: 't-pit', deviceId: 't-gas-lower', rule: 'h2s_ppm_high', severity: 'major', state: 'active_unack', message: 'H2S high', value: 9, threshold: 7, raisedAt: T + 20_000, updatedAt: T + 20_000, clearedAt: null, ackedAt: null, ackedBy: null };
  db.prepare('INSERT INTO alarms VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run('a1', 't-gas-lower|h2s_ppm_high', 'confined', 't-gas-lower', 't-pit', 'h2s_ppm_high', 'major', 'active_unack', T + 20_000, T + 20_000, JSON.stringify(record));
  db.prepare('INSERT INTO alarm_events (alarm_id, ts, action, user, comment, state, severity) VALUES (?, ?, ?, ?, ?, ?, ?)').run('a1', T + 20_000, 'raise', null, null, 'active_unack', 'major');
  db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?)').run('t-access', 'confined', T, 'entry', JSON.stringify({ ts: T, type: 'entry', spaceId: 't-pit', personId: 'p1' }));
  db.prepare('INSERT INTO statuses VALUES (?, ?, ?)').run('t-gas-lower', T, 1);
  db.close();
}

describe('migrations', () => {
  it.each([
    { what: 'as first made (no later alarm_events columns, no network_index)', laterColumns: false },
    { what: 'with every column added later', laterColumns: true },
  ])('upgrade a database from before numbered migrations, $what, keeping its history', async ({ laterColumns }) => {
    const dir = tempDataDir();
    oldDatabase(dir, laterColumns);
    const s = storageIn(dir);
    // The latest values are each channel's newest row now; the one only `latest` held was put back.
    expect(await s.latestValues()).toEqual([
      { deviceId: 't-gas-lower', quantity: 'o2_pct', ts: T - 40 * 86_400_000, value: 20.9 },
      { deviceId: 't-gas-lower', quantity: 'h2s_ppm', ts: T + MIN + 5000, value: 7 },
    ]);
    expect((await s.openAlarms()).map((a) => a.alarm.id)).toEqual(['a1']);
    expect((await s.history.eventsBetween('confined', T, T)).map((e) => e.type)).toEqual(['entry']);
    expect(await s.history.indexHistory(0, Number.MAX_SAFE_INTEGER)).toEqual(laterColumns ? [[T, 1.5]] : []);
    // Replay reads the old rows (their transitions say nothing of value or message: the record does).
    const [then] = await s.history.alarmsAt(T + 30_000);
    expect(alarmAt(then.latest, then.last, T + 30_000)).toMatchObject({ id: 'a1', state: 'active_unack', value: 9, message: 'H2S high' });
    const at = await s.history.devicesAt([{ id: 't-gas-lower', quantities: ['h2s_ppm'] }], T + 50_000);
    expect(at.devices.get('t-gas-lower')).toEqual({ values: { h2s_ppm: 5 }, ts: T + 40_000, status: { ts: T, online: true } });
    // The history already stored is rolled up.
    const check = new Database(dbPath(dir), { readonly: true });
    expect(check.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1, name: 'initial' },
      { version: 2, name: 'rollups' },
      { version: 3, name: 'replay_indexes' },
      { version: 4, name: 'identity' },
      { version: 5, name: 'registry' },
      { version: 6, name: 'newest_from_readings' },
    ]);
    expect(check.prepare('SELECT minute, n, sum_v, min_v, min_ts, max_v, max_ts, last_v, last_ts FROM readings_1m ORDER BY minute').all()).toEqual([
      { minute: T, n: 3, sum_v: 17, min_v: 3, min_ts: T + 1000, max_v: 9, max_ts: T + 20_000, last_v: 5, last_ts: T + 40_000 },
      { minute: T + MIN, n: 1, sum_v: 7, min_v: 7, min_ts: T + MIN + 5000, max_v: 7, max_ts: T + MIN + 5000, last_v: 7, last_ts: T + MIN + 5000 },
    ]);
    const cols = check.prepare("SELECT name FROM pragma_table_info('alarm_events')").pluck().all();
    expect(cols).toEqual(expect.arrayContaining(['shelved_until', 'value', 'threshold', 'message']));
    check.close();
    // A new transition stores the columns the old table lacked.
    s.saveAlarm('t-gas-lower|h2s_ppm_high', { ...then.latest, state: 'active_ack', ackedAt: T + MIN, ackedBy: 'inspector', updatedAt: T + MIN }, { ts: T + MIN, action: 'ack', user: 'inspector', comment: null });
    expect((await s.history.alarmHistory('a1')).map((r) => r.action)).toEqual(['raise', 'ack']);
  });

  it('are recorded once: a second start applies nothing', async () => {
    const dir = tempDataDir();
    await storageIn(dir).close();
    open.length = 0;
    const info: string[] = [];
    storageIn(dir, { info: (m: string) => info.push(m) });
    expect(info).toEqual([]);
  });

  it('refuse a database written by a newer build', () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const db = new Database(dbPath(dir));
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(SCHEMA_VERSION + 1, 'from the future', 0);
    db.close();
    expect(() => new SqliteStorage(dir)).toThrow(`schema version ${SCHEMA_VERSION + 1}, newer than this build knows (${SCHEMA_VERSION})`);
    // The refusal released the directory.
    expect(lockHolder(dir)).toBeNull();
  });
});

describe('one process per data directory', () => {
  it('refuses a second Storage on a directory that is open, and says which process holds it', () => {
    const dir = tempDataDir();
    storageIn(dir);
    expect(() => new SqliteStorage(dir)).toThrow(/already open in this process/);
  });
});

describe('rollups and the history reader', () => {
  it('keep min, max (with their times), sum, count and last per minute, counting a duplicate once, in any order', async () => {
    const s = storageIn();
    s.writeReadings([['d', 'q', T + 30_000, 4], ['d', 'q', T + 10_000, 8]]);
    s.commit();
    s.writeReadings([['d', 'q', T + 10_000, 8], ['d', 'q', T + 50_000, 1], ['d', 'q', T + 5000, 6]]);
    s.commit();
    const r = await s.history.series('d', 'q', T, T + MIN - 1, 2000);
    expect(r).toEqual({ resolution: 'raw', points: [[T + 5000, 6], [T + 10_000, 8], [T + 30_000, 4], [T + 50_000, 1]] });
    const db = new Database(dbPath(s.dataDir), { readonly: true });
    expect(db.prepare('SELECT n, sum_v, min_v, min_ts, max_v, max_ts, last_v, last_ts FROM readings_1m').get()).toEqual({
      n: 4, sum_v: 19, min_v: 1, min_ts: T + 50_000, max_v: 8, max_ts: T + 10_000, last_v: 1, last_ts: T + 50_000,
    });
    db.close();
  });

  it('count each reading once when a batch repeats fifty stored readings and one of its own', async () => {
    const s = storageIn();
    const row = (i: number): ReadingRow => ['d', 'q', T + i * 1000, i];
    s.writeReadings(Array.from({ length: 100 }, (_, i) => row(i)));
    await s.committed();
    // 50 already stored, one twice in the batch itself, 49 new.
    s.writeReadings([...Array.from({ length: 100 }, (_, i) => row(50 + i)), row(120)]);
    await s.committed();
    const db = new Database(dbPath(s.dataDir), { readonly: true });
    expect(db.prepare('SELECT count(*) FROM readings').pluck().get()).toBe(150);
    const minutes = db.prepare('SELECT minute, n, sum_v, min_v, max_v, last_v FROM readings_1m ORDER BY minute').all();
    const expected = new Map<number, { minute: number; n: number; sum_v: number; min_v: number; max_v: number; last_v: number }>();
    for (let i = 0; i < 150; i++) {
      const minute = Math.floor((T + i * 1000) / MIN) * MIN;
      const m = expected.get(minute) ?? { minute, n: 0, sum_v: 0, min_v: i, max_v: i, last_v: i };
      expected.set(minute, { ...m, n: m.n + 1, sum_v: m.sum_v + i, max_v: i, last_v: i });
    }
    expect(minutes).toEqual([...expected.values()]);
    db.close();
    expect(await s.latestValues()).toEqual([{ deviceId: 'd', quantity: 'q', ts: T + 149_000, value: 149 }]);
  });

  it('downsamples in the reader thread exactly as the reference downsampleMinMax does', async () => {
    const s = storageIn();
    // A noisy O₂ trace with a one-sample dip and a one-sample spike.
    const rows: ReadingRow[] = Array.from({ length: 20_000 }, (_, i) => ['d', 'o2_pct', T + i * 997, i === 4321 ? 16.1 : i === 15_000 ? 23.9 : 20.9 + Math.sin(i / 13) * 0.2]);
    for (let i = 0; i < rows.length; i += 2000) s.writeReadings(rows.slice(i, i + 2000));
    const points = rows.map(([, , ts, v]) => [ts, v] as [number, number]);
    for (const maxPoints of [2000, 500, 37]) {
      const r = await s.history.series('d', 'o2_pct', T, T + 20_000 * 997, maxPoints);
      expect(r.resolution).toBe('raw');
      expect(r.points).toEqual(downsampleMinMax(points, maxPoints));
    }
  });

  it('stores logins and audit entries on the main connection while the writer thread commits batch after batch', async () => {
    const s = storageIn();
    const batches: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) {
      s.writeReadings(Array.from({ length: 500 }, (_, k): ReadingRow => [`d${k % 50}`, 'q', T + i * 1000 + k, k]));
      batches.push(s.committed());
      // Each a transaction of its own on the main connection, between the thread's batches.
      await s.identity.addFailure(T + 1 + i, 'someone', '10.0.0.1');
    }
    await Promise.all(batches);
    expect(s.lastError).toBeNull();
    expect(await s.identity.failuresSince('username', 'someone', T)).toHaveLength(40);
    const db = new Database(dbPath(s.dataDir), { readonly: true });
    expect(db.prepare('SELECT count(*) FROM readings').pluck().get()).toBe(40 * 500);
    db.close();
    expect(await s.latestValues()).toHaveLength(50);
  });

  it('reads what was written a moment ago, before its batch would have been committed', async () => {
    const s = storageIn();
    s.writeReadings([['d', 'q', T, 1]]);
    expect((await s.history.series('d', 'q', T, T, 10)).points).toEqual([[T, 1]]);
  });
});

describe('the write-ahead log', () => {
  it('stays short under a steady stream of batches: the writer thread ends it between slices, not at 64 MB inside a commit', async () => {
    const s = storageIn();
    const wal = `${dbPath(s.dataDir)}-wal`;
    let longest = 0;
    // 60 batches of 4,000 readings over 40,000 channels: each slice of 500 dirties a page of its own per reading, ~240 MB of WAL in all.
    for (let b = 0; b < 60; b++) {
      s.writeReadings(Array.from({ length: 4000 }, (_, k): ReadingRow => [`d${(b * 4000 + k) % 10_000}`, `q${Math.floor((b * 4000 + k) / 10_000) % 4}`, T + b * 1000, k]));
      await s.committed();
      longest = Math.max(longest, statSync(wal).size);
    }
    expect(s.lastError).toBeNull();
    // 16 MB (WAL_RESTART_BYTES) and what the slices after it add until a checkpoint finishes; SQLite's own auto-checkpoint let it reach 64 MB.
    expect(longest).toBeLessThan(40 * 1024 * 1024);
    const db = new Database(dbPath(s.dataDir), { readonly: true });
    expect(db.prepare('SELECT count(*) FROM readings').pluck().get()).toBe(60 * 4000);
    db.close();
  });
});
