/**
 * The raw-readings layout at city scale, measured before anyone changes it: one row per quantity
 * (the `readings` table as it is: device, quantity, ts, value) against one row per message
 * (device, ts, the values as JSON), the same telemetry of the city's devices into SQLite files set
 * up as the service sets its own (WAL, synchronous=NORMAL), 2,000 rows' worth per transaction.
 * Figures: µs of the writing thread per message and bytes on disk per message, each layout.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Device } from '../../src/contracts';

const MESSAGES = Number(process.env.BENCH_LAYOUT_MESSAGES ?? 200_000);
const PER_TX = 2000;

function open(dir: string, name: string, ddl: string): Database.Database {
  const db = new Database(join(dir, name));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -16384');
  db.exec(ddl);
  return db;
}

const size = (path: string): number => statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);

export function benchLayout(devices: readonly Pick<Device, 'id' | 'quantities'>[]): Record<string, number> {
  const devs = devices.filter((d) => d.quantities.length > 0);
  const dir = mkdtempSync(join(tmpdir(), 'citytwin-layout-'));
  try {
    const perQuantity = open(dir, 'q.db', 'CREATE TABLE readings (device_id TEXT NOT NULL, quantity TEXT NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (device_id, quantity, ts)) WITHOUT ROWID');
    const perMessage = open(dir, 'm.db', 'CREATE TABLE messages (device_id TEXT NOT NULL, ts INTEGER NOT NULL, vals TEXT NOT NULL, PRIMARY KEY (device_id, ts)) WITHOUT ROWID');
    const q = perQuantity.prepare('INSERT OR IGNORE INTO readings VALUES (?, ?, ?, ?)');
    const m = perMessage.prepare('INSERT OR IGNORE INTO messages VALUES (?, ?, ?)');
    const t0 = Date.now() - MESSAGES;
    const message = (i: number): { d: (typeof devs)[number]; ts: number; values: Record<string, number> } => {
      const d = devs[i % devs.length];
      const values: Record<string, number> = {};
      for (const k of d.quantities) values[k] = Math.round(Math.random() * 1000) / 10;
      return { d, ts: t0 + i, values };
    };
    let rows = 0;
    let qMs = 0;
    let mMs = 0;
    for (let start = 0; start < MESSAGES; ) {
      const batch = [];
      let batchRows = 0;
      while (start < MESSAGES && batchRows < PER_TX) {
        const x = message(start++);
        batch.push(x);
        batchRows += x.d.quantities.length;
      }
      rows += batchRows;
      let t = performance.now();
      perQuantity.exec('BEGIN');
      for (const x of batch) for (const [k, v] of Object.entries(x.values)) q.run(x.d.id, k, x.ts, v);
      perQuantity.exec('COMMIT');
      qMs += performance.now() - t;
      t = performance.now();
      perMessage.exec('BEGIN');
      for (const x of batch) m.run(x.d.id, x.ts, JSON.stringify(x.values));
      perMessage.exec('COMMIT');
      mMs += performance.now() - t;
    }
    perQuantity.pragma('wal_checkpoint(TRUNCATE)');
    perMessage.pragma('wal_checkpoint(TRUNCATE)');
    const out = {
      layoutQuantitiesPerMessage: rows / MESSAGES,
      rowPerQuantityUsPerMsg: (qMs * 1000) / MESSAGES,
      rowPerMessageUsPerMsg: (mMs * 1000) / MESSAGES,
      rowPerQuantityBytesPerMsg: size(join(dir, 'q.db')) / MESSAGES,
      rowPerMessageBytesPerMsg: size(join(dir, 'm.db')) / MESSAGES,
    };
    perQuantity.close();
    perMessage.close();
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
