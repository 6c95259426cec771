/**
 * The one write path into SQLite. Everything the service stores (readings, events, statuses,
 * alarms, index samples) runs inside one open transaction that is committed as a batch:
 *
 * - at the end of the event-loop turn when anyone waits for it (`whenCommitted`: a QoS 1 device
 *   message is acknowledged only then, so a SIGKILL loses no acknowledged message);
 * - otherwise at most `intervalMs` after it began, or once `maxRows` readings wait (QoS 0 may lose
 *   at most that interval);
 * - at once when the caller needs it durable before it acts (`commit()`: an alarm before it is
 *   published).
 *
 * A batch per turn keeps SQLite's per-transaction cost shared by every message of a socket read.
 * In WAL mode with synchronous=NORMAL a commit is a write to the WAL, not an fsync: committed data
 * survives a crash of the process; an OS crash or power cut may lose the last commits.
 */
import type Database from 'better-sqlite3';
import { RollupAccumulator } from './rollups';

export type ReadingRow = [deviceId: string, quantity: string, ts: number, value: number];

/** Told whether the batch holding what was written so far was committed. */
export type CommitCallback = (err?: Error) => void;

export interface WriterOptions {
  intervalMs: number;
  maxRows: number;
}

export class BatchWriter {
  /** The last commit error, null once a commit succeeds again. */
  lastError: string | null = null;
  private open = false;
  private rows = 0;
  private waiters: CommitCallback[] = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  /** Newest reading per channel in this batch: one `latest` upsert per channel, not per reading. */
  private readonly latest = new Map<string, ReadingRow>();
  private readonly rollups = new RollupAccumulator();
  private readonly st;

  constructor(
    private readonly db: Database.Database,
    private readonly opts: WriterOptions,
  ) {
    this.st = {
      reading: db.prepare('INSERT OR IGNORE INTO readings (device_id, quantity, ts, value) VALUES (?, ?, ?, ?)'),
      latest: db.prepare(
        `INSERT INTO latest (device_id, quantity, ts, value) VALUES (?, ?, ?, ?)
         ON CONFLICT (device_id, quantity) DO UPDATE SET ts = excluded.ts, value = excluded.value WHERE excluded.ts > latest.ts`,
      ),
      rollup: db.prepare(this.rollups.upsertSql),
    };
  }

  /** Readings in the open batch; how many were new (a duplicate device/quantity/ts is stored once). */
  readings(rows: readonly ReadingRow[]): number {
    this.begin();
    let stored = 0;
    for (const r of rows) {
      if (this.st.reading.run(r).changes === 0) continue;
      stored++;
      const key = `${r[0]}\u0000${r[1]}`;
      const newest = this.latest.get(key);
      if (!newest || r[2] > newest[2]) this.latest.set(key, r);
      this.rollups.add(r[0], r[1], r[2], r[3]);
    }
    this.rows += rows.length;
    if (this.rows >= this.opts.maxRows) this.commit();
    return stored;
  }

  /** Runs `write` inside the open batch (it is committed with it). */
  inBatch<T>(write: () => T): T {
    this.begin();
    return write();
  }

  /** Calls `cb` once everything written so far is committed (or failed to be); never synchronously. */
  whenCommitted(cb: CommitCallback): void {
    if (!this.open) {
      process.nextTick(cb);
      return;
    }
    this.waiters.push(cb);
    // After the I/O of this turn: every message read from the sockets meanwhile joins the batch.
    this.immediate ??= setImmediate(() => {
      this.immediate = null;
      this.commit();
    });
  }

  /** Commits the open batch now. A failure is reported to its waiters and kept in `lastError`, not thrown. */
  commit(): void {
    this.cancelTimers();
    if (!this.open) return;
    let err: Error | undefined;
    try {
      if (!this.db.inTransaction) throw new Error('the batch was rolled back by SQLite');
      for (const r of this.latest.values()) this.st.latest.run(r);
      this.rollups.flush(this.st.rollup);
      this.db.exec('COMMIT');
      this.lastError = null;
    } catch (e) {
      err = e as Error;
      this.lastError = err.message;
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    }
    this.finish(err);
  }

  /** Commits what is open and stops the timers. */
  close(): void {
    this.commit();
    this.cancelTimers();
  }

  private begin(): void {
    // SQLite rolls a transaction back by itself on some errors (disk full, I/O): that batch is lost.
    if (this.open && !this.db.inTransaction) {
      this.lastError = 'the batch was rolled back by SQLite';
      this.finish(new Error(this.lastError));
    }
    if (this.open) return;
    this.db.exec('BEGIN');
    this.open = true;
    this.timer = setTimeout(() => this.commit(), this.opts.intervalMs);
  }

  private finish(err: Error | undefined): void {
    this.open = false;
    this.rows = 0;
    this.latest.clear();
    this.rollups.clear();
    const waiters = this.waiters;
    this.waiters = [];
    // Never from inside a caller's write: a callback may feed the next message in (aedes reads on).
    if (waiters.length > 0) process.nextTick(() => waiters.forEach((cb) => cb(err)));
  }

  private cancelTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }
}
