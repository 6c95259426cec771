/**
 * Storage benches (`npm run bench`), each against a baseline of the same run:
 *
 *  - replay cost against history size: `GET /api/segments?at=` and `/api/replay?at=` over 1×, 4× and
 *    16× as many road readings in the replay window, and `/api/telemetry` over them; the figure is
 *    how much the cost grew over how much the history grew (≤ 1: no faster than linear);
 *  - the write path: µs per reading with the per-minute rollups and the batch bookkeeping, against
 *    the bare INSERT + latest upsert per reading that the store did before, and without the rollups
 *    (their cost);
 *  - retention: rows deleted per second, and the longest the event loop waited meanwhile against
 *    the longest it waits idle for as long.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Registry } from '../../src/contracts';
import { startService } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import type { ReadingRow } from '../../src/server/storage';
import { SqliteStorage } from '../../src/server/storage/sqlite';
import { timeGet } from './replay';

const SIZES = (process.env.BENCH_HISTORY_SIZES ?? '100000,400000,1600000').split(',').map(Number);
const CALLS = Number(process.env.BENCH_REPLAY_CALLS ?? 9);
const registry = JSON.parse(readFileSync('public/data/registry.json', 'utf8')) as Registry;
const detectors = registry.devices.filter((d) => d.kind === 'traffic_detector').map((d) => d.id);

/** Writes `n` road readings spread over the detectors and the 15 minutes before `endMs`, through Storage. */
async function writeRoadHistory(dir: string, n: number, endMs: number, salt: number): Promise<void> {
  const storage = new SqliteStorage(dir);
  const spanMs = 15 * 60_000;
  let batch: ReadingRow[] = [];
  for (let i = 0; i < n; i++) {
    const det = detectors[i % detectors.length];
    // Distinct timestamps per round (salt) and per reading; a speed that moves, as a real one does.
    const ts = endMs - spanMs + Math.floor(((i / detectors.length) * spanMs) / (n / detectors.length)) * 4 + salt;
    batch.push([det, 'speed_kmh', ts, 40 + ((i * 7 + salt) % 50)]);
    if (batch.length === 5000) (storage.writeReadings(batch), (batch = []));
  }
  storage.writeReadings(batch);
  await storage.close();
}

export async function benchReplayScaling(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'citytwin-bench-scale-'));
  const out: Record<string, number> = {};
  const end = Date.now() - 60_000;
  let stored = 0;
  const cost: Record<string, number[]> = { segmentsAt: [], replayAt: [], telemetry: [] };
  try {
    for (const [round, size] of SIZES.entries()) {
      await writeRoadHistory(dir, size - stored, end, round);
      stored = size;
      const svc = await startService(loadConfig({ PORT: '0', MQTT_PORT: '0', DATA_DIR: dir, SIMULATE: '0', VIDEO: '0' }), { logger: false });
      try {
        const login = await fetch(`${svc.url}/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: svc.config.demoPassword }),
        });
        const { token } = (await login.json()) as { token: string };
        const at = end - 60_000;
        cost.segmentsAt.push(await timeGet(svc.url, token, `/api/segments?at=${at}`, CALLS));
        cost.replayAt.push(await timeGet(svc.url, token, `/api/replay?at=${at}&scene=roads`, CALLS));
        // 500 points: every size is downsampled (none is small enough to be sent whole).
        cost.telemetry.push(await timeGet(svc.url, token, `/api/telemetry/${detectors[0]}?quantity=speed_kmh&from=${end - 20 * 60_000}&to=${end}&maxPoints=500`, CALLS));
      } finally {
        await svc.close();
      }
      for (const [k, v] of Object.entries(cost)) out[`${k}Ms@${size}`] = v[round];
    }
    const sizeGrowth = SIZES[SIZES.length - 1] / SIZES[0];
    for (const [k, v] of Object.entries(cost)) {
      const growth = v[v.length - 1] / v[0];
      // ≤ 1: the cost grew no faster than the history; the exponent says how (0 flat, 1 linear).
      out[`${k}GrowthOverSizeGrowth`] = growth / sizeGrowth;
      out[`${k}Exponent`] = Math.log(growth) / Math.log(sizeGrowth);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** µs per reading through the write path against a bare INSERT + latest upsert per reading. */
export async function benchWritePath(n = Number(process.env.BENCH_WRITE_ROWS ?? 200_000)): Promise<Record<string, number>> {
  const t0 = Date.now() - 3600_000;
  const rows: ReadingRow[] = Array.from({ length: n }, (_, i) => [`dev-${i % 150}`, 'o2_pct', t0 + Math.floor(i / 150) * 1000, 20.9 + (i % 7) * 0.01]);
  const dirA = mkdtempSync(join(tmpdir(), 'citytwin-bench-write-'));
  const dirB = mkdtempSync(join(tmpdir(), 'citytwin-bench-base-'));
  try {
    const storage = new SqliteStorage(dirA);
    let t = performance.now();
    for (let i = 0; i < n; i += 2000) storage.writeReadings(rows.slice(i, i + 2000));
    await storage.commit();
    const writeUs = ((performance.now() - t) * 1000) / n;
    await storage.close();

    const db = new Database(join(dirB, 'base.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE readings (device_id TEXT NOT NULL, quantity TEXT NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (device_id, quantity, ts)) WITHOUT ROWID;
             CREATE TABLE latest (device_id TEXT NOT NULL, quantity TEXT NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (device_id, quantity)) WITHOUT ROWID;`);
    const ins = db.prepare('INSERT OR IGNORE INTO readings VALUES (?, ?, ?, ?)');
    const latest = db.prepare('INSERT INTO latest VALUES (?, ?, ?, ?) ON CONFLICT (device_id, quantity) DO UPDATE SET ts = excluded.ts, value = excluded.value WHERE excluded.ts > latest.ts');
    const batch = db.transaction((rs: ReadingRow[]) => {
      for (const r of rs) (ins.run(r), latest.run(r));
    });
    t = performance.now();
    for (let i = 0; i < n; i += 2000) batch(rows.slice(i, i + 2000));
    const baseUs = ((performance.now() - t) * 1000) / n;
    // The write path's own bookkeeping without the rollups: insert per reading, latest per channel per batch.
    db.exec('DELETE FROM readings; DELETE FROM latest');
    const noRollups = db.transaction((rs: ReadingRow[]) => {
      const newest = new Map<string, ReadingRow>();
      for (const r of rs) {
        if (ins.run(r).changes === 0) continue;
        const k = `${r[0]}\u0000${r[1]}`;
        const prev = newest.get(k);
        if (!prev || r[2] > prev[2]) newest.set(k, r);
      }
      for (const r of newest.values()) latest.run(r);
    });
    t = performance.now();
    for (let i = 0; i < n; i += 2000) noRollups(rows.slice(i, i + 2000));
    const noRollupsUs = ((performance.now() - t) * 1000) / n;
    db.close();
    return {
      rows: n,
      writePathUsPerReading: writeUs,
      withoutRollupsUsPerReading: noRollupsUs,
      bareInsertUsPerReading: baseUs,
      // What the per-minute rollups add to a reading's write, and the write path against the old one.
      rollupsUsPerReading: writeUs - noRollupsUs,
      ratio: writeUs / baseUs,
    };
  } finally {
    rmSync(dirA, { recursive: true, force: true });
    rmSync(dirB, { recursive: true, force: true });
  }
}

/** Rows a retention pass deletes per second, and the longest event-loop delay while it runs. */
export async function benchRetention(n = Number(process.env.BENCH_RETENTION_ROWS ?? 300_000)): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'citytwin-bench-retention-'));
  const now = Date.now();
  try {
    const storage = new SqliteStorage(dir, { now: () => now, retentionDays: 30 });
    const old = now - 40 * 86_400_000;
    for (let i = 0; i < n; i += 5000) {
      storage.writeReadings(Array.from({ length: Math.min(5000, n - i) }, (_, k): ReadingRow => [`dev-${(i + k) % 100}`, 'temp_c', old + i + k, 20]));
    }
    await storage.commit();
    const lag = monitorEventLoopDelay({ resolution: 1 });
    lag.enable();
    const t = performance.now();
    await storage.retention.run();
    const s = (performance.now() - t) / 1000;
    lag.disable();
    const deleted = storage.retention.status.deleted.readings;
    await storage.close();
    if (deleted !== n) throw new Error(`retention deleted ${deleted} of ${n}`);
    // Baseline: the same event loop, idle for as long (a busy machine delays it too).
    const idle = monitorEventLoopDelay({ resolution: 1 });
    idle.enable();
    await new Promise((r) => setTimeout(r, s * 1000));
    idle.disable();
    return {
      rowsDeleted: deleted,
      rowsPerS: deleted / s,
      maxEventLoopDelayMs: lag.max / 1e6,
      idleMaxEventLoopDelayMs: idle.max / 1e6,
      passS: s,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
