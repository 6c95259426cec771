'use strict';
/**
 * A read-only SQLite connection in a worker thread: runs the SQL the service sends, so heavy history
 * and replay queries never hold the event loop that the broker and the HTTP API share. Each request
 * runs in one read transaction (one consistent snapshot; WAL lets it read beside the writer).
 * Plain CommonJS on purpose: it loads the same way under tsx, vitest and plain node.
 */
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
// Pages read through a memory map and a larger cache than SQLite's 2 MB default: a replay touches a
// few pages of every channel, and those stay warm from one cursor position to the next.
db.pragma('mmap_size = 268435456');
db.pragma('cache_size = -16384');
const statements = new Map();

/** Prepared statements kept; the SQL the service sends comes in a few hundred shapes at most. */
const MAX_STATEMENTS = 500;

function statement(sql, shape) {
  const key = `${shape}\u0000${sql}`;
  let st = statements.get(key);
  if (!st) {
    st = db.prepare(sql);
    if (shape === 'raw') st.raw(true);
    else if (shape === 'pluck') st.pluck(true);
    if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value);
    statements.set(key, st);
  }
  return st;
}

function exec(st, one, params) {
  return one ? (st.get(...params) ?? null) : st.all(...params);
}

/**
 * Rows `[t, minTs, minV, maxTs, maxV]` in `t` order, cut into `buckets` equal spans from `t0`: each
 * span's minimum and maximum with their times (the first of equal ones). One pass, no sort: the
 * same cut as src/server/downsample.ts, against which it is tested.
 */
function minmax(st, params, { t0, width, buckets }) {
  const out = [];
  let b = -1;
  let m = null;
  // all() before the loop: better-sqlite3's per-row iterate() costs more than the array (≤ 100,000 rows).
  for (const [t, minTs, minV, maxTs, maxV] of st.all(...params)) {
    const k = Math.min(buckets - 1, Math.floor((t - t0) / width));
    if (k !== b) {
      if (m) out.push(m);
      b = k;
      m = [minTs, minV, maxTs, maxV];
      continue;
    }
    if (minV < m[1]) (m[0] = minTs), (m[1] = minV);
    if (maxV > m[3]) (m[2] = maxTs), (m[3] = maxV);
  }
  if (m) out.push(m);
  return out;
}

function run(q) {
  if (q.minmax) return minmax(statement(q.sql, 'raw'), q.params || [], q.minmax);
  const st = statement(q.sql, q.shape || 'rows');
  if (q.each) return q.each.map((params) => exec(st, q.one, params));
  return exec(st, q.one, q.params || []);
}

const snapshot = db.transaction((queries) => queries.map(run));

parentPort.on('message', (msg) => {
  try {
    parentPort.postMessage({ id: msg.id, results: snapshot(msg.queries) });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: String((err && err.message) || err) });
  }
});
