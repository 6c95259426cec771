'use strict';
/**
 * The SQLite write connection, in a worker thread (writer.ts sends it the batches): each batch is
 * one transaction, and the service is told only after its COMMIT, so a QoS 1 message is still
 * acknowledged only once it is stored. The inserts, the per-minute rollups and the `latest` upserts
 * cost the broker's event loop nothing but a message.
 * Plain CommonJS on purpose: it loads the same way under tsx, vitest and plain node.
 */
const { parentPort, receiveMessageOnPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

const { path, sql, pragmas, mainWants, urgent, rowsPerStatement: K } = workerData;
const db = new Database(path, { fileMustExist: true });
for (const p of pragmas) db.pragma(p);
const st = {};
for (const [k, s] of Object.entries(sql)) st[k] = db.prepare(s);
// Around each multi-row insert of readings: undone when it stored fewer than all (a duplicate among them).
st.savepoint = db.prepare('SAVEPOINT rows');
st.release = db.prepare('RELEASE rows');
st.undo = db.prepare('ROLLBACK TO rows');
/** The main connection's rare writes (users, sessions, the registry) set this to take their turn. */
const wants = new Int32Array(mainWants);

/** Channel id → [deviceId, quantity], as the service numbered them. */
const channels = [];
const MINUTE_MS = 60_000;
/**
 * Readings written between two looks at whether anyone waits (an alarm in the lane, the main
 * connection): an alarm waits for at most one slice and the commit before it. 500 rows took 10–25 ms
 * on the 2-core build machine under load (about 40 µs a row with the `latest` and rollup upserts).
 */
const SLICE_ROWS = 500;
/**
 * Readings per transaction at most when no one waits. A commit writes every page the transaction
 * dirtied, and a city's readings land on a different page each (one channel after another): on the
 * writer micro-bench a commit every 500 rows cost 22–31 µs a message, every 4,000 rows 7–10.
 */
const TRANSACTION_ROWS = 4000;

/** Waits while the main connection writes, so its busy wait is never starved by back-to-back batches. */
function yieldToMain() {
  while (Atomics.load(wants, 0) !== 0) Atomics.wait(wants, 0, Atomics.load(wants, 0), 50);
}

function inTransaction(write) {
  yieldToMain();
  db.exec('BEGIN IMMEDIATE');
  try {
    const out = write();
    db.exec('COMMIT');
    return out;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

/** Runs the K-row form of statement `name` on each K of `rows` (`width` values each), the one-row form on the rest. */
function runRows(name, width, rows) {
  const many = st[name + K];
  const one = st[name + 1];
  const args = new Array(width * K);
  let i = 0;
  for (; i + K <= rows.length; i += K) {
    for (let j = 0; j < K; j++) for (let c = 0, r = rows[i + j]; c < width; c++) args[j * width + c] = r[c];
    many.run(args);
  }
  for (; i < rows.length; i++) one.run(rows[i]);
}

/** Inserts readings `from`..`to` of `buf`; marks in `stored` those stored (not already there). */
function insertReadings(buf, from, to, stored) {
  const args = new Array(4 * (to - from));
  for (let i = from, k = 0; i < to; i++) {
    const [deviceId, quantity] = channels[buf[3 * i]];
    args[k++] = deviceId;
    args[k++] = quantity;
    args[k++] = buf[3 * i + 1];
    args[k++] = buf[3 * i + 2];
  }
  if (to - from === K) {
    st.savepoint.run();
    if (st['readings' + K].run(args).changes === K) {
      st.release.run();
      stored.fill(1, from, to);
      return;
    }
    // A duplicate among them: undone, and inserted one by one to know which.
    st.undo.run();
    st.release.run();
  }
  for (let i = from; i < to; i++) stored[i] = st.readings1.run(args.slice(4 * (i - from), 4 * (i - from) + 4)).changes;
}

/** Readings `[channel, ts, value]` triplets: inserted; newest per channel into `latest`; rollups merged per minute. */
function readings(buf, n) {
  const stored = new Uint8Array(n);
  let from = 0;
  for (; from + K <= n; from += K) insertReadings(buf, from, from + K, stored);
  if (from < n) insertReadings(buf, from, n, stored);
  const latest = new Map();
  const minutes = new Map();
  for (let i = 0; i < n; i++) {
    if (!stored[i]) continue;
    const c = buf[3 * i];
    const ts = buf[3 * i + 1];
    const value = buf[3 * i + 2];
    const [deviceId, quantity] = channels[c];
    const newest = latest.get(c);
    if (newest === undefined || ts > newest[2]) latest.set(c, [deviceId, quantity, ts, value]);
    // The same merge as RollupAccumulator (rollups.ts): earlier min/max win ties, the later last wins.
    const minute = Math.floor(ts / MINUTE_MS) * MINUTE_MS;
    const key = c * 1e9 + minute / MINUTE_MS;
    const m = minutes.get(key);
    // [deviceId, quantity, minute, n, sum, min, minTs, max, maxTs, last, lastTs], as rollupRowsSql binds them.
    if (!m) {
      minutes.set(key, [deviceId, quantity, minute, 1, value, value, ts, value, ts, value, ts]);
      continue;
    }
    m[3]++;
    m[4] += value;
    if (value < m[5] || (value === m[5] && ts < m[6])) (m[5] = value), (m[6] = ts);
    if (value > m[7] || (value === m[7] && ts < m[8])) (m[7] = value), (m[8] = ts);
    if (ts >= m[10]) (m[9] = value), (m[10] = ts);
  }
  runRows('latest', 4, [...latest.values()]);
  runRows('rollups', 11, [...minutes.values()]);
}

/** Alarm records and events, in a transaction of their own; the service is told once committed. */
function alarms(msg) {
  try {
    inTransaction(() => {
      for (const a of msg.alarms) st.upsertAlarm.run(a);
      for (const e of msg.alarmEvents) st.alarmEvent.run(e);
    });
    parentPort.postMessage({ id: msg.id });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: String((err && err.message) || err) });
  }
}

/** Commits every alarm message waiting in the lane. */
function drainAlarms() {
  for (let m = receiveMessageOnPort(urgent); m; m = receiveMessageOnPort(urgent)) alarms(m.message);
}

/** Something waits for the writer: an alarm in the lane (taken off it, to serve after the commit), or the main connection. */
function waiting(held) {
  const m = receiveMessageOnPort(urgent);
  if (m) held.push(m.message);
  return held.length > 0 || Atomics.load(wants, 0) !== 0;
}

/**
 * A batch: its readings in transactions of up to TRANSACTION_ROWS, cut short between two slices when
 * an alarm or the main connection waits (served before the next begins); the rest with the last
 * transaction. The service hears of it only once all of it is committed.
 */
function batch(b) {
  for (const [id, deviceId, quantity] of b.channels) channels[id] = [deviceId, quantity];
  const all = new Float64Array(b.buf);
  const held = [];
  let from = 0;
  let last = false;
  while (!last) {
    drainAlarms();
    try {
      inTransaction(() => {
        const end = Math.min(from + TRANSACTION_ROWS, b.n);
        while (from < end) {
          const to = Math.min(from + SLICE_ROWS, end);
          readings(all.subarray(3 * from, 3 * to), to - from);
          from = to;
          if (from < end && waiting(held)) return;
        }
        if (from < b.n) return;
        last = true;
        for (const e of b.events) st.event.run(e);
        for (const s of b.statuses) st.status.run(s);
        for (const [ts, value, forgetBefore] of b.index) {
          st.indexSample.run(ts, value);
          st.indexForget.run(forgetBefore);
        }
      });
    } finally {
      for (const m of held.splice(0)) alarms(m);
    }
  }
}

urgent.on('message', alarms);

parentPort.on('message', (msg) => {
  if (msg === 'close') {
    drainAlarms();
    urgent.close();
    db.close();
    parentPort.close();
    return;
  }
  try {
    if (msg.batch) {
      batch(msg.batch);
      drainAlarms();
      parentPort.postMessage({ id: msg.id });
    } else {
      const changes = inTransaction(() => st[msg.statement].run(...msg.params).changes);
      parentPort.postMessage({ id: msg.id, changes });
    }
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: String((err && err.message) || err) });
  }
});
