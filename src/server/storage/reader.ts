/**
 * Reads off the main thread: a small pool of worker threads (readerWorker.cjs), each with its own
 * read-only connection to the SQLite file. The service sends SQL and parameters and awaits rows,
 * so a replay over a big history costs the broker and the API nothing but the wait.
 */
import { Worker } from 'node:worker_threads';

/** One statement to run; `each` runs it once per parameter list and answers a list of results. */
export interface Query {
  sql: string;
  /** `rows`: objects (default); `raw`: arrays; `pluck`: the first column. */
  shape?: 'rows' | 'raw' | 'pluck';
  /** Only the first row (null when none). */
  one?: boolean;
  params?: unknown[];
  each?: unknown[][];
  /**
   * Downsample in the reader: `sql` yields `[t, minTs, minV, maxTs, maxV]` in `t` order; the answer is
   * each of `buckets` equal spans from `t0` as `[minTs, minV, maxTs, maxV]`.
   */
  minmax?: { t0: number; width: number; buckets: number };
}

interface Pending {
  resolve(results: unknown[]): void;
  reject(err: Error): void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** Two readers: one long history query does not queue every replay behind it (the box has 2 cores). */
export const READER_THREADS = 2;

export class SqlReader {
  private readonly pool: (PoolWorker | null)[];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly path: string,
    threads = READER_THREADS,
  ) {
    this.pool = new Array<PoolWorker | null>(threads).fill(null);
  }

  /** Runs the queries in one snapshot on the least busy reader; one result per query, in order. */
  query(queries: Query[]): Promise<unknown[]> {
    if (this.closed) return Promise.reject(new Error('storage is closed'));
    const w = this.pick();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      w.pending.set(id, { resolve, reject });
      w.worker.postMessage({ id, queries });
    });
  }

  /** One query, its result. */
  async one<T>(q: Query): Promise<T> {
    return (await this.query([q]))[0] as T;
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.pool.filter((w): w is PoolWorker => w !== null);
    this.pool.fill(null);
    for (const w of workers) this.fail(w, new Error('storage is closed'));
    await Promise.all(workers.map((w) => (w.worker.ref(), w.worker.terminate())));
  }

  /** The idle reader, else the one with the fewest requests; started on first use. */
  private pick(): PoolWorker {
    let best = -1;
    for (let i = 0; i < this.pool.length; i++) {
      const w = this.pool[i];
      if (!w) return this.start(i);
      if (best < 0 || w.pending.size < this.pool[best]!.pending.size) best = i;
    }
    return this.pool[best]!;
  }

  private start(slot: number): PoolWorker {
    const worker = new Worker(new URL('./readerWorker.cjs', import.meta.url), { workerData: { path: this.path } });
    // A reader never keeps the process alive on its own.
    worker.unref();
    const w: PoolWorker = { worker, pending: new Map() };
    worker.on('message', (msg: { id: number; results?: unknown[]; error?: string }) => {
      const p = w.pending.get(msg.id);
      if (!p) return;
      w.pending.delete(msg.id);
      if (msg.error !== undefined) p.reject(new Error(msg.error));
      else p.resolve(msg.results!);
    });
    // A dead reader fails what it held; the next query starts a new one in its slot.
    const gone = (err: Error) => {
      if (this.pool[slot] === w) this.pool[slot] = null;
      this.fail(w, err);
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`history reader exited (${code})`)));
    this.pool[slot] = w;
    return w;
  }

  private fail(w: PoolWorker, err: Error): void {
    for (const p of w.pending.values()) p.reject(err);
    w.pending.clear();
  }
}
