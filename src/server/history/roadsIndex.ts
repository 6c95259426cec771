/**
 * The network congestion index history in SQLite (issues 5 and 6): one row a minute written by the
 * live road rules, read back after a restart and by the `?at=` form of GET /api/network. Storage
 * owns the main connection and has no query for this table, so each call opens a short-lived one
 * of its own (WAL lets a reader in beside the writer).
 */
import Database from 'better-sqlite3';

/** One `[ts, index]` sample; the index is null when no segment had a known level. */
export type IndexSample = [ts: number, index: number | null];

const TABLE = 'network_index';

/** Writes (or replaces) the sample of minute `ts` and forgets samples older than `keepMs` before it. */
export function storeIndexSample(dbPath: string, ts: number, index: number | null, keepMs: number): void {
  const db = new Database(dbPath);
  try {
    db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (ts INTEGER PRIMARY KEY, value REAL)`);
    db.prepare(`INSERT OR REPLACE INTO ${TABLE} (ts, value) VALUES (?, ?)`).run(ts, index);
    db.prepare(`DELETE FROM ${TABLE} WHERE ts < ?`).run(ts - keepMs);
  } finally {
    db.close();
  }
}

/** The samples with `fromMs ≤ ts ≤ toMs`, oldest first; none before the first sample was ever written. */
export function readIndexHistory(dbPath: string, fromMs: number, toMs: number): IndexSample[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(TABLE);
    if (!hasTable) return [];
    return db.prepare(`SELECT ts, value FROM ${TABLE} WHERE ts >= ? AND ts <= ? ORDER BY ts`).raw().all(fromMs, toMs) as IndexSample[];
  } finally {
    db.close();
  }
}
