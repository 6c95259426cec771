/**
 * The one write path into SQLite. The write connection lives in a worker thread (writerWorker.cjs);
 * here the service gathers what it stores (readings, events, statuses, alarms, index samples) into
 * the open batch, and the thread commits it as one transaction:
 *
 * - at the end of the event-loop turn when anyone waits for it (`whenCommitted`: a QoS 1 device
 *   message is acknowledged only after the thread's COMMIT, so a SIGKILL loses no acknowledged message);
 * - otherwise at most `intervalMs` after it began, or once `maxRows` readings wait (QoS 0 may lose
 *   at most that interval).
 *
 * Alarm records and their events take a lane of their own (`whenAlarmsStored`): the thread commits
 * them in a transaction of their own as soon as it is between two slices of a batch, so an alarm
 * waits for at most one slice of readings, not for a whole backlog of them.
 *
 * One batch is in the thread at a time; what arrives meanwhile waits in the next, so under load the
 * batches grow and SQLite's per-transaction cost is shared by more messages. Readings travel as
 * numbers (channel id, ts, value) in a transferred buffer: no copy, no string per row.
 * In WAL mode with synchronous=NORMAL a commit is a write to the WAL, not an fsync: committed data
 * survives a crash of the process; an OS crash or power cut may lose the last commits.
 */
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';

export type ReadingRow = [deviceId: string, quantity: string, ts: number, value: number];

/** Told whether the batch holding what was written so far was committed. */
export type CommitCallback = (err?: Error) => void;

export interface WriterOptions {
  intervalMs: number;
  maxRows: number;
  /** The statements the thread prepares, by name (sqlite.ts). */
  sql: Record<string, string>;
  /** Run on the thread's connection when it opens. */
  pragmas: string[];
  /** A flag (Int32) the thread sets while it finishes a checkpoint; the checkpoint thread makes no pass meanwhile. */
  walFull?: SharedArrayBuffer;
  /** WAL file size past which the thread finishes a checkpoint between slices (its `journal_size_limit`). */
  walRestartBytes?: number;
  warn?: (message: string) => void;
}

interface Batch {
  /** Readings as [channel, ts, value] triplets; `n` of them. */
  buf: Float64Array;
  n: number;
  events: unknown[][];
  statuses: unknown[][];
  index: [ts: number, value: number | null, forgetBefore: number][];
  waiters: CommitCallback[];
}

interface Pending {
  done(err: Error | undefined, changes: number): void;
}

const FIRST_ROWS = 1024;

export class BatchWriter {
  /** The last commit error, null once a commit succeeds again. */
  lastError: string | null = null;
  /** Set while the main connection writes: the thread starts no transaction meanwhile. */
  readonly mainWants = new Int32Array(new SharedArrayBuffer(4));
  private open: Batch | null = null;
  private inFlight: Batch | null = null;
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private readonly channelIds = new Map<string, Map<string, number>>();
  /** Channels the current thread knows (a new thread is told them all again). */
  private readonly channelList: [number, string, string][] = [];
  private told = 0;
  /** A flush was asked for while a batch was in the thread: the open one goes as soon as that is done. */
  private due = false;
  private closed = false;
  /** Alarm records and events not yet sent, and who waits for them. */
  private urgent: { alarms: Record<string, unknown>[]; alarmEvents: unknown[][]; waiters: CommitCallback[] } | null = null;
  private urgentImmediate: NodeJS.Immediate | null = null;
  /** The thread's alarm lane (it polls it between slices of a batch). */
  private urgentPort: MessagePort | null = null;
  /** Who waits for the last alarm records sent, until the thread has committed them. */
  private urgentSent: CommitCallback[] | null = null;

  constructor(
    private readonly path: string,
    private readonly opts: WriterOptions,
  ) {}

  /** Starts the thread now, so the first batch does not wait for it to load. */
  start(): void {
    if (!this.closed) this.thread();
  }

  /** Readings into the open batch (a duplicate device/quantity/ts is stored once, by the thread). */
  readings(rows: readonly ReadingRow[]): void {
    const b = this.batch();
    if (b.buf.length < 3 * (b.n + rows.length)) {
      const grown = new Float64Array(Math.max(2 * b.buf.length, 3 * (b.n + rows.length)));
      grown.set(b.buf.subarray(0, 3 * b.n));
      b.buf = grown;
    }
    let k = 3 * b.n;
    for (const r of rows) {
      b.buf[k++] = this.channel(r[0], r[1]);
      b.buf[k++] = r[2];
      b.buf[k++] = r[3];
    }
    b.n += rows.length;
    if (b.n >= this.opts.maxRows) this.flush();
  }

  event(row: unknown[]): void {
    this.batch().events.push(row);
  }

  status(row: unknown[]): void {
    this.batch().statuses.push(row);
  }

  alarm(params: Record<string, unknown>): void {
    this.lane().alarms.push(params);
  }

  alarmEvent(row: unknown[]): void {
    this.lane().alarmEvents.push(row);
  }

  /** Calls `cb` once the alarm records and events written so far are committed; never synchronously. */
  whenAlarmsStored(cb: CommitCallback): void {
    if (this.urgent) this.urgent.waiters.push(cb);
    else this.whenCommitted(cb);
  }

  indexSample(ts: number, value: number | null, forgetBefore: number): void {
    this.batch().index.push([ts, value, forgetBefore]);
  }

  /** Calls `cb` once everything written so far is committed (or failed to be); never synchronously. */
  whenCommitted(cb: CommitCallback): void {
    // Alarms already sent may still be in the thread's lane: wait for those as well.
    const lane = this.urgent?.waiters ?? this.urgentSent;
    if (lane) {
      const whole = cb;
      let left = 2;
      let failed: Error | undefined;
      const both: CommitCallback = (err) => {
        failed ??= err;
        if (--left === 0) whole(failed);
      };
      lane.push(both);
      cb = both;
    }
    if (this.open) {
      this.open.waiters.push(cb);
      // After the I/O of this turn: every message read from the sockets meanwhile joins the batch.
      this.immediate ??= setImmediate(() => {
        this.immediate = null;
        this.flush();
      });
    } else if (this.inFlight) this.inFlight.waiters.push(cb);
    else process.nextTick(cb);
  }

  /** Resolves once everything written so far is committed (rejects when that failed). */
  committed(): Promise<void> {
    this.flush();
    return new Promise((ok, fail) => this.whenCommitted((err) => (err ? fail(err) : ok())));
  }

  /** Sends the open batch to the thread now, or as soon as the one there is committed. */
  flush(): void {
    // Alarms written before anything in this batch reach the thread first, as they were written.
    this.sendUrgent();
    this.cancelTimers();
    if (!this.open) return;
    if (this.inFlight) {
      this.due = true;
      return;
    }
    const b = this.open;
    this.open = null;
    this.inFlight = b;
    this.due = false;
    if (!this.closed) this.thread();
    const channels = this.channelList.slice(this.told);
    this.told = this.channelList.length;
    const buf = b.buf.buffer as ArrayBuffer;
    const message = { n: b.n, buf, channels, events: b.events, statuses: b.statuses, index: b.index };
    this.send({ batch: message }, [buf], (err) => this.committedBatch(b, err));
  }

  /** Runs one named statement in its own transaction on the thread (retention's deletes); its changes. */
  run(statement: string, params: unknown[]): Promise<number> {
    return new Promise((ok, fail) => this.send({ statement, params }, [], (err, changes) => (err ? fail(err) : ok(changes))));
  }

  /** Commits everything written and stops the thread. */
  async close(): Promise<void> {
    await this.committed().catch(() => {});
    this.closed = true;
    if (this.urgentImmediate) clearImmediate(this.urgentImmediate);
    this.cancelTimers();
    const w = this.worker;
    this.worker = null;
    if (!w) return;
    const exited = new Promise((ok) => w.once('exit', ok));
    w.ref();
    w.postMessage('close');
    await exited;
  }

  private committedBatch(b: Batch, err: Error | undefined): void {
    if (err) {
      this.lastError = err.message;
      this.opts.warn?.(`storage: a write batch was not committed: ${err.message}`);
    } else this.lastError = null;
    this.inFlight = null;
    for (const cb of b.waiters) cb(err);
    // What waited meanwhile goes at once: someone waits for it, or it is due or full.
    if (this.open && this.due) this.flush();
  }

  private send(msg: object, transfer: ArrayBuffer[], done: Pending['done'], urgent = false): void {
    if (this.closed) {
      process.nextTick(() => done(new Error('storage is closed'), 0));
      return;
    }
    const id = this.nextId++;
    this.pending.set(id, { done });
    const w = this.thread();
    (urgent ? this.urgentPort! : w).postMessage({ id, ...msg }, transfer);
  }

  private lane(): NonNullable<BatchWriter['urgent']> {
    if (this.urgent) return this.urgent;
    this.urgent = { alarms: [], alarmEvents: [], waiters: [] };
    // After the I/O of this turn, like a waited-for batch: the alarms raised meanwhile go together.
    this.urgentImmediate ??= setImmediate(() => {
      this.urgentImmediate = null;
      this.sendUrgent();
    });
    return this.urgent;
  }

  private sendUrgent(): void {
    const u = this.urgent;
    if (!u) return;
    this.urgent = null;
    if (this.urgentImmediate) clearImmediate(this.urgentImmediate);
    this.urgentImmediate = null;
    this.urgentSent = u.waiters;
    this.send({ alarms: u.alarms, alarmEvents: u.alarmEvents }, [], (err) => {
      if (this.urgentSent === u.waiters) this.urgentSent = null;
      if (err) this.opts.warn?.(`storage: alarm records were not committed: ${err.message}`);
      for (const cb of u.waiters) cb(err);
    }, true);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const lane = new MessageChannel();
    const w = new Worker(new URL('./writerWorker.cjs', import.meta.url), {
      workerData: {
        path: this.path,
        sql: this.opts.sql,
        pragmas: this.opts.pragmas,
        mainWants: this.mainWants.buffer,
        walFull: this.opts.walFull ?? new SharedArrayBuffer(4),
        walRestartBytes: this.opts.walRestartBytes ?? Infinity,
        urgent: lane.port2,
      },
      transferList: [lane.port2],
    });
    this.urgentPort?.close();
    this.urgentPort = lane.port1;
    lane.port1.unref();
    // The thread never keeps the process alive on its own; close() waits for it.
    w.unref();
    w.on('message', (m: { id: number; error?: string; changes?: number }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      p.done(m.error === undefined ? undefined : new Error(m.error), m.changes ?? 0);
    });
    // A dead thread fails what it held; the next write starts another, told every channel again.
    const gone = (err: Error) => {
      if (this.worker !== w) return;
      this.worker = null;
      this.told = 0;
      const held = [...this.pending.values()];
      this.pending.clear();
      for (const p of held) p.done(err, 0);
    };
    w.on('error', gone);
    w.on('exit', (code) => gone(new Error(`storage writer thread exited (${code})`)));
    this.worker = w;
    // A new thread learns every channel numbered so far with its first batch.
    this.told = 0;
    return w;
  }

  private channel(deviceId: string, quantity: string): number {
    let byQ = this.channelIds.get(deviceId);
    if (!byQ) this.channelIds.set(deviceId, (byQ = new Map()));
    let id = byQ.get(quantity);
    if (id === undefined) {
      id = this.channelList.length;
      byQ.set(quantity, id);
      this.channelList.push([id, deviceId, quantity]);
    }
    return id;
  }

  private batch(): Batch {
    if (this.open) return this.open;
    this.open = { buf: new Float64Array(3 * FIRST_ROWS), n: 0, events: [], statuses: [], index: [], waiters: [] };
    this.timer = setTimeout(() => this.flush(), this.opts.intervalMs);
    return this.open;
  }

  private cancelTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }
}
