'use strict';
/**
 * Copies the write-ahead log back into the database file from a worker thread, every `everyMs`
 * (PASSIVE: never waits for, nor blocks, the writer or the readers). SQLite would otherwise do it
 * inside a commit, stalling the writer thread (and an alarm record waiting on it) for 150–280 ms
 * every 64 MB written. A passive checkpoint never ends the WAL under a steady stream (frames keep
 * coming after the ones it copies), so once the WAL is past `restartFrames` the writer thread is
 * asked (`walFull`) to finish one between two slices: it copies what is left, and its next commit
 * starts the WAL over.
 */
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

const db = new Database(workerData.path, { fileMustExist: true });
const walFull = new Int32Array(workerData.walFull);
const timer = setInterval(() => {
  // Asked already: the writer finishes it; a pass here would hold the checkpoint lock it needs.
  if (Atomics.load(walFull, 0) !== 0) return;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r.log >= workerData.restartFrames) Atomics.store(walFull, 0, 1);
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
