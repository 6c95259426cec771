/**
 * Retention: raw readings are kept `rawDays` (and each channel's newest, however old: it restores the
 * live state after a restart), the per-minute rollups `rollupDays`, status messages as long as the
 * rollups; alarms, their transitions and device events are kept. The job runs in
 * the background on the writer thread, one channel and at most CHUNK_ROWS rows per transaction
 * between the write batches, so a batch never waits for more than one small delete. Freed pages are
 * reused by new rows: the file stops growing once the retention is reached.
 */
import type Database from 'better-sqlite3';
import type { RetentionStatus } from '../storage';
import { NewestReadings } from './newest';
import type { BatchWriter } from './writer';

const DAY_MS = 86_400_000;
/** Rows one delete removes at most: measured 3–4 ms of SQLite work on a loaded 2-core box (5,000: 13–30 ms). */
export const CHUNK_ROWS = 1000;
/** How often the job runs after the first run at start. */
export const RETENTION_EVERY_MS = 10 * 60_000;

/** The deletes, run by the writer thread (named as its statements). */
export const RETENTION_SQL = {
  retainReadings: `DELETE FROM readings WHERE device_id = ? AND quantity = ? AND ts < ? LIMIT ${CHUNK_ROWS}`,
  retainRollups: `DELETE FROM readings_1m WHERE device_id = ? AND quantity = ? AND minute < ? LIMIT ${CHUNK_ROWS}`,
  retainStatuses: `DELETE FROM statuses WHERE device_id = ? AND ts < ? LIMIT ${CHUNK_ROWS}`,
};

export interface RetentionOptions {
  rawDays: number;
  rollupDays: number;
  now: () => number;
  log?: (message: string) => void;
}


export class Retention {
  readonly status: RetentionStatus;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly st;

  constructor(
    private readonly db: Database.Database,
    private readonly writer: BatchWriter,
    private readonly o: RetentionOptions,
  ) {
    this.status = { rawDays: o.rawDays, rollupDays: o.rollupDays, lastRunAt: null, lastRunMs: null, deleted: { readings: 0, rollups: 0, statuses: 0 } };
    this.st = {
      newest: new NewestReadings(db),
      statusDevices: db.prepare('SELECT DISTINCT device_id FROM statuses').pluck(),
    };
  }

  /** Raw readings older than this are deleted by the job, epoch ms. */
  rawHorizonMs(): number {
    return this.o.now() - this.o.rawDays * DAY_MS;
  }

  /** Runs now, then every RETENTION_EVERY_MS. */
  start(): void {
    const loop = (): void => {
      this.run().finally(() => {
        if (!this.stopped) (this.timer = setTimeout(loop, RETENTION_EVERY_MS)).unref();
      });
    };
    loop();
  }

  /** Stops the timer and waits for a run in progress to end at its next chunk. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over every channel; a second call while one runs waits for it. */
  run(): Promise<void> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<void> {
    const t0 = performance.now();
    const now = this.o.now();
    const rawCut = now - this.o.rawDays * DAY_MS;
    const rollupCut = now - this.o.rollupDays * DAY_MS;
    const deleted = { readings: 0, rollups: 0, statuses: 0 };
    try {
      // Channel by channel, each with its newest row: that row is kept however old (it is the
      // channel's live value after a restart), a newer one written meanwhile is newer still.
      for (const [deviceId, quantity, newestTs] of this.st.newest.rows()) {
        deleted.readings += await this.chunks('retainReadings', [deviceId, quantity, Math.min(rawCut, newestTs)]);
        deleted.rollups += await this.chunks('retainRollups', [deviceId, quantity, rollupCut]);
        if (this.stopped) return;
      }
      for (const deviceId of this.st.statusDevices.all() as string[]) {
        deleted.statuses += await this.chunks('retainStatuses', [deviceId, rollupCut]);
        if (this.stopped) return;
      }
      this.status.lastRunAt = this.o.now();
      this.status.lastRunMs = Math.round(performance.now() - t0);
      this.status.deleted = deleted;
    } catch (err) {
      this.o.log?.(`retention: ${(err as Error).message}`);
    }
  }

  /** Repeats a delete (each its own transaction on the writer thread) until it deletes less than a chunk. */
  private async chunks(statement: keyof typeof RETENTION_SQL, params: unknown[]): Promise<number> {
    let total = 0;
    for (;;) {
      if (this.stopped) return total;
      const n = await this.writer.run(statement, params);
      total += n;
      if (n < CHUNK_ROWS) return total;
    }
  }
}
