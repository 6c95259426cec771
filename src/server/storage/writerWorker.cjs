'use strict';
/**
 * The SQLite write connection, in a worker thread (writer.ts sends it the batches): each batch is
 * one transaction, and the service is told only after its COMMIT, so a QoS 1 message is still
 * acknowledged only once it is stored. The inserts and the per-minute rollups cost the broker's
 * event loop nothing but a message. (Each channel's latest value is its newest row: newest.ts.)
 * Plain CommonJS on purpose: it loads the same way under tsx, vitest and plain node.
 */
const { parentPort, receiveMessageOnPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

const { statSync } = require('node:fs');

const { path, sql, pragmas, mainWants, walFull, walRestartBytes, urgent } = workerData;
const db = new Database(path, { fileMustExist: true });
for (const p of pragmas) db.pragma(p);
const st = {};
for (const [k, s] of Object.entries(sql)) st[k] = db.prepare(s);
/** The main connection's rare writes (users, sessions, the registry) set this to take their turn. */
const wants = new Int32Array(mainWants);
/** Set while the WAL is long (sqlite.ts WAL_RESTART_BYTES): the checkpoint thread then leaves its lock to this one. */
const walLong = new Int32Array(walFull);
const walPath = `${path}-wal`;

/** Channel id → [deviceId, quantity], as the service numbered them. */
const channels = [];
const MINUTE_MS = 60_000;
/**
 * Readings committed per transaction: an alarm waits for at most one slice. 500 rows took 10–25 ms
 * on the 2-core build machine under load (about 40 µs a row, when a `latest` upsert came with each).
 */
const SLICE_ROWS = 500;

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

/** Readings `[channel, ts, value]` triplets: inserted; rollups merged per minute. */
function readings(buf, n) {
  const minutes = new Map();
  for (let i = 0; i < n; i++) {
    const c = buf[3 * i];
    const ts = buf[3 * i + 1];
    const value = buf[3 * i + 2];
    const [deviceId, quantity] = channels[c];
    if (st.reading.run(deviceId, quantity, ts, value).changes === 0) continue;
    // The same merge as RollupAccumulator (rollups.ts): earlier min/max win ties, the later last wins.
    const minute = Math.floor(ts / MINUTE_MS) * MINUTE_MS;
    const key = c * 1e9 + minute / MINUTE_MS;
    const m = minutes.get(key);
    if (!m) {
      minutes.set(key, { deviceId, quantity, minute, n: 1, sum: value, min: value, minTs: ts, max: value, maxTs: ts, last: value, lastTs: ts });
      continue;
    }
    m.n++;
    m.sum += value;
    if (value < m.min || (value === m.min && ts < m.minTs)) (m.min = value), (m.minTs = ts);
    if (value > m.max || (value === m.max && ts < m.maxTs)) (m.max = value), (m.maxTs = ts);
    if (ts >= m.lastTs) (m.last = value), (m.lastTs = ts);
  }
  for (const m of minutes.values()) st.rollup.run(m);
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

/**
 * Commits every alarm message waiting in the lane; then, with none waiting and the WAL long, finishes
 * a checkpoint. Never inside a commit an alarm waits for.
 */
function drainAlarms() {
  for (let m = receiveMessageOnPort(urgent); m; m = receiveMessageOnPort(urgent)) alarms(m.message);
  checkpointIfLong();
}

/**
 * The checkpoint thread copies the WAL into the database in passes of its own, but a passive
 * checkpoint never ends a WAL that keeps growing meanwhile; one finished by the only writer does
 * (its next commit starts the WAL over and cuts the file back to `journal_size_limit`, the same
 * size). So the file's size says whether the WAL passed that size since it last started over.
 */
function checkpointIfLong() {
  if (Atomics.load(walLong, 0) === 0) {
    let bytes = 0;
    try {
      bytes = statSync(walPath).size;
    } catch {
      return;
    }
    if (bytes <= walRestartBytes) return;
    Atomics.store(walLong, 0, 1);
  }
  const [r] = db.pragma('wal_checkpoint(PASSIVE)');
  // Not all copied (the checkpoint thread was in a pass, or a reader's snapshot held frames back): again after the next slice.
  if (r.busy === 0 && r.checkpointed === r.log) Atomics.store(walLong, 0, 0);
}

/**
 * A batch: its readings in slices of their own transactions, the alarm lane served between them,
 * the rest with the last slice. The service hears of it only once all of it is committed.
 */
function batch(b) {
  for (const [id, deviceId, quantity] of b.channels) channels[id] = [deviceId, quantity];
  const all = new Float64Array(b.buf);
  let from = 0;
  for (; b.n - from > SLICE_ROWS; from += SLICE_ROWS) {
    drainAlarms();
    inTransaction(() => readings(all.subarray(3 * from, 3 * (from + SLICE_ROWS)), SLICE_ROWS));
  }
  drainAlarms();
  inTransaction(() => {
    if (b.n > from) readings(all.subarray(3 * from), b.n - from);
    for (const e of b.events) st.event.run(e);
    for (const s of b.statuses) st.status.run(s);
    for (const [ts, value, forgetBefore] of b.index) {
      st.indexSample.run(ts, value);
      st.indexForget.run(forgetBefore);
    }
  });
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
