'use strict';
/**
 * Copies the write-ahead log back into the database file from a worker thread, every `everyMs`
 * (PASSIVE: never waits for, nor blocks, the writer or the readers). SQLite would otherwise do it
 * inside a commit, stalling the writer thread (and an alarm record waiting on it) for 150–280 ms
 * every 64 MB written. A passive checkpoint never ends the WAL under a steady stream (frames keep
 * coming after the ones it copies): the writer thread finishes one between two slices once the WAL
 * is long, and sets `walFull` meanwhile so that no pass here holds the checkpoint lock it needs.
 */
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

const db = new Database(workerData.path, { fileMustExist: true });
const walFull = new Int32Array(workerData.walFull);
const timer = setInterval(() => {
  if (Atomics.load(walFull, 0) !== 0) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String((err && err.message) || err) });
  }
}, workerData.everyMs);

parentPort.on('message', (msg) => {
  if (msg !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
