/**
 * Work done in slices across tasks instead of at once: the city's 25,000 device points are built a
 * few milliseconds at a time after the registry lands, so the first screen (the far-zoom marks,
 * the panels, the first live values) does not wait for them. Each slice runs items until its
 * budget is spent, then yields to the event loop (input, network, frames) before the next.
 * No Cesium here: the clock and the scheduler are injected, so the order is tested in plain Node.
 */

export interface BuildQueueOptions {
  /** ms a slice may run before it yields (one item always runs). */
  sliceMs: number;
  /** The clock slices are timed with, ms. */
  now?: () => number;
  /** Runs `next` in a later task; returns a cancel. */
  later?: (next: () => void) => () => void;
  /** After each slice that ran something; `done` once the queue is empty. */
  onSlice?: (done: boolean) => void;
}

export interface BuildQueue<T> {
  /** Queues items; slices start in a later task. */
  push(items: Iterable<T>): void;
  /** Runs every queued item now (e.g. before the queue's owner reads what they build). */
  drain(): void;
  /** Items waiting. */
  readonly pending: number;
  /** Drops what is queued; nothing runs after. */
  stop(): void;
}

const defaultLater = (next: () => void): (() => void) => {
  const t = setTimeout(next, 0);
  return () => clearTimeout(t);
};

/** A queue running `run` on each item in time-boxed slices, in the order pushed. */
export function createBuildQueue<T>(run: (item: T) => void, opts: BuildQueueOptions): BuildQueue<T> {
  const now = opts.now ?? (() => performance.now());
  const later = opts.later ?? defaultLater;
  let queue: T[] = [];
  let head = 0;
  let cancel: (() => void) | null = null;
  let stopped = false;

  const schedule = () => {
    if (!cancel && !stopped && head < queue.length) cancel = later(slice);
  };
  const finishSlice = (ran: number) => {
    if (head >= queue.length) (queue = []), (head = 0);
    if (ran > 0) opts.onSlice?.(queue.length === 0);
  };
  function slice() {
    cancel = null;
    if (stopped) return;
    const until = now() + opts.sliceMs;
    let ran = 0;
    do {
      run(queue[head++]);
      ran++;
    } while (head < queue.length && now() < until);
    finishSlice(ran);
    schedule();
  }

  return {
    push(items) {
      if (stopped) return;
      for (const it of items) queue.push(it);
      schedule();
    },
    drain() {
      if (stopped) return;
      const ran = queue.length - head;
      while (head < queue.length) run(queue[head++]);
      cancel?.();
      cancel = null;
      finishSlice(ran);
    },
    get pending() {
      return queue.length - head;
    },
    stop() {
      stopped = true;
      cancel?.();
      cancel = null;
      queue = [];
      head = 0;
    },
  };
}
