/**
 * Retention with an injected clock: raw readings older than RETENTION_DAYS are deleted in the
 * background, their per-minute rollups stay until ROLLUP_RETENTION_DAYS, and /api/telemetry and
 * replay answer from the rollups where raw readings are gone, saying so (`resolution`).
 */
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startService, type Service } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import type { ReadingRow } from '../../src/server/storage';
import { SqliteStorage } from '../../src/server/storage/sqlite';
import { CHUNK_ROWS } from '../../src/server/storage/retention';
import { dbPath } from '../../src/server/storage/files';
import { DEMO_PASSWORD, FIXTURE_REGISTRY, api, login, removeDir, tempDataDir, waitFor } from './helpers';

const DAY = 86_400_000;
const MIN = 60_000;
const dataDir = tempDataDir();
let svc: Service | undefined;
/** The service's clock: a fixed instant, moved on by the test. */
let clock = Date.UTC(2026, 11, 1, 4, 0, 0);

afterAll(async () => {
  await svc?.close();
  removeDir(dataDir);
});

const start = () =>
  startService(
    loadConfig({
      PORT: '0', MQTT_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, REGISTRY: FIXTURE_REGISTRY, STATIC_DIR: `${dataDir}/no-dist`,
      CITYTWIN_DEMO_PASSWORD: DEMO_PASSWORD, SIMULATE: '0', RETENTION_DAYS: '30', ROLLUP_RETENTION_DAYS: '400',
    }),
    { now: () => clock, logger: false },
  );

/** Waits for a retention pass that finished at the current clock. */
const retained = (s: Service) =>
  waitFor('a retention pass', async () => {
    const h = (await api(s, '/api/health')).body;
    return h.db.retention.lastRunAt === clock && h.db.retention;
  });

/** A minute of level readings 40 days back: min 10 at +1 s, max 90 at +20 s, last 50 at +40 s. */
const oldMinute = Math.floor((clock - 40 * DAY) / MIN) * MIN;
const ancient = clock - 500 * DAY;
const recent = clock - DAY;

describe('retention', () => {
  it('deletes raw readings past RETENTION_DAYS in chunks, keeps their rollups, and answers from them', async () => {
    const storage = new SqliteStorage(dataDir, { now: () => clock });
    const level: ReadingRow[] = [
      ['t-tank-1', 'level_pct', oldMinute + 1000, 10],
      ['t-tank-1', 'level_pct', oldMinute + 20_000, 90],
      ['t-tank-1', 'level_pct', oldMinute + 40_000, 50],
      ['t-tank-1', 'level_pct', ancient, 42],
      ['t-tank-1', 'level_pct', recent, 61],
    ];
    storage.writeReadings(level);
    // Enough old rows of another channel for several delete chunks.
    const many: ReadingRow[] = Array.from({ length: CHUNK_ROWS * 2 + 17 }, (_, i) => ['t-tank-1', 'temp_c', clock - 35 * DAY + i * 100, 20 + (i % 3)]);
    for (let i = 0; i < many.length; i += 2000) storage.writeReadings(many.slice(i, i + 2000));
    await storage.close();

    svc = await start();
    const r = await retained(svc);
    // Every old row but the newest of `temp_c`, whose channel has nothing newer: it stays as its live value.
    expect(r).toMatchObject({ rawDays: 30, rollupDays: 400, deleted: { readings: 3 + 1 + many.length - 1, rollups: 1 } });
    const health = (await api(svc, '/api/health')).body;
    expect(health.db.dbBytes).toBeGreaterThan(0);
    expect(health.db.walBytes).toBeGreaterThanOrEqual(0);

    const token = await login(svc, 'park_manager');
    const tele = (from: number, to: number) => api(svc!, `/api/telemetry/t-tank-1?quantity=level_pct&from=${from}&to=${to}`, { token });
    // Past the raw retention: the minute's min and max at the times they were seen, from the rollups.
    expect((await tele(oldMinute - MIN, oldMinute + 2 * MIN)).body).toMatchObject({
      resolution: '1m',
      points: [[oldMinute + 1000, 10], [oldMinute + 20_000, 90]],
    });
    // Past the rollup retention: nothing.
    expect((await tele(ancient - MIN, ancient + MIN)).body).toMatchObject({ resolution: '1m', points: [] });
    // Within it: raw.
    expect((await tele(recent - MIN, recent + MIN)).body).toMatchObject({ resolution: 'raw', points: [[recent, 61]] });

    // Replay 39 days back: the minute's last value, at its time; and the scene APIs say so in a header.
    const at = oldMinute + 5 * MIN;
    const snap = (await api(svc, `/api/replay?at=${at}&scene=park`, { token })).body;
    expect(snap.resolution).toBe('1m');
    expect(snap.readings.find((x: [string]) => x[0] === 't-tank-1')).toEqual(['t-tank-1', oldMinute + 40_000, { level_pct: 50 }]);
    expect((await api(svc, `/api/park/summary?at=${at}`, { token })).headers.get('x-citytwin-resolution')).toBe('1m');
    expect((await api(svc, `/api/replay?at=${recent}&scene=park`, { token })).body.resolution).toBe('raw');

    const db = new Database(dbPath(dataDir), { readonly: true });
    expect(db.prepare('SELECT quantity, ts, value FROM readings WHERE ts < ?').all(clock - 30 * DAY)).toEqual([
      { quantity: 'temp_c', ts: many[many.length - 1][2], value: many[many.length - 1][3] },
    ]);
    expect(db.prepare('SELECT count(*) FROM readings_1m WHERE minute < ?').pluck().get(clock - 400 * DAY)).toBe(0);
    db.close();
  });

  it('follows the clock: 35 days later the reading of yesterday is answered from its rollup', async () => {
    await svc!.close();
    clock += 35 * DAY;
    svc = await start();
    await retained(svc);
    const token = await login(svc, 'park_manager');
    const r = await api(svc, `/api/telemetry/t-tank-1?quantity=level_pct&from=${recent - MIN}&to=${recent + MIN}`, { token });
    expect(r.body).toMatchObject({ resolution: '1m', points: [[recent, 61]] });
  });
});
