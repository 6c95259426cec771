'use strict';
/**
 * Copies the write-ahead log back into the database file from a worker thread, once a second
 * (PASSIVE: never waits for, nor blocks, the writer or the readers). SQLite would otherwise do it
 * inside a commit on the main thread, stalling the broker for tens of ms every few MB written.
 */
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

const db = new Database(workerData.path, { fileMustExist: true });
const timer = setInterval(() => {
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
