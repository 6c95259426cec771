/**
 * Deadlines by key in a binary min-heap: when each device goes stale, so that the map recolours
 * only the devices whose deadline has passed instead of re-judging every device every second (at
 * 25,000 devices that sweep cost 27 ms a second, measured in Chromium). Setting a key again
 * replaces its deadline: a later one (a fresh reading) only notes it, and the key's heap entry is
 * moved when it surfaces; an earlier one is pushed, and the old entry dropped when it surfaces.
 * Pushing every reading's deadline made the heap outgrow its keys every 25,000 readings, and each
 * rebuild sorted all of them: about 40 ms of the page's folds over a 10-s stream at 25,000 devices.
 */
interface Entry {
  key: string;
  atMs: number;
}

export class DeadlineQueue {
  private heap: Entry[] = [];
  /** The live deadline of each key. */
  private current = new Map<string, number>();
  /**
   * The deadline of the heap entry that stands for each key, never later than the key's own: a
   * deadline moved later (every reading moves its device's) is not pushed again, the entry is moved
   * when it surfaces. Other entries of a key (moved earlier, deleted) are dropped when they surface.
   */
  private queued = new Map<string, number>();

  get size(): number {
    return this.current.size;
  }

  /** Sets (or moves) `key`'s deadline. */
  set(key: string, atMs: number): void {
    if (this.current.get(key) === atMs) return;
    this.current.set(key, atMs);
    const queued = this.queued.get(key);
    if (queued !== undefined && queued <= atMs) return;
    this.queued.set(key, atMs);
    this.push({ key, atMs });
    // Lazy deletion must not let replaced entries pile up: rebuild once they outnumber the live ones.
    if (this.heap.length > 2 * this.current.size + 64) this.rebuild();
  }

  delete(key: string): void {
    this.current.delete(key);
  }

  clear(): void {
    this.heap = [];
    this.current.clear();
    this.queued.clear();
  }

  /** The earliest pending deadline, or null when none. */
  nextAtMs(): number | null {
    this.settle();
    return this.heap.length > 0 ? this.heap[0].atMs : null;
  }

  /** Removes and returns every key whose deadline is at or before `nowMs`, earliest first. */
  popDue(nowMs: number): string[] {
    const due: string[] = [];
    for (;;) {
      this.settle();
      const top = this.heap[0];
      if (!top || top.atMs > nowMs) return due;
      this.pop();
      this.current.delete(top.key);
      this.queued.delete(top.key);
      due.push(top.key);
    }
  }

  /** Drops or moves entries at the top until the top is a key's own deadline (or the heap is empty). */
  private settle(): void {
    const h = this.heap;
    while (h.length > 0) {
      const top = h[0];
      if (this.queued.get(top.key) !== top.atMs) {
        this.pop(); // replaced by an earlier entry, or its key was handed out
        continue;
      }
      const at = this.current.get(top.key);
      if (at === top.atMs) return;
      this.pop();
      if (at === undefined) this.queued.delete(top.key);
      else {
        // Moved later since it was pushed (never earlier: that pushes an entry of its own).
        this.queued.set(top.key, at);
        this.push({ key: top.key, atMs: at });
      }
    }
  }

  private rebuild(): void {
    this.heap = [...this.current].map(([key, atMs]) => ({ key, atMs })).sort((a, b) => a.atMs - b.atMs);
    this.queued = new Map(this.current);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent].atMs <= e.atMs) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = e;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && h[r].atMs < h[l].atMs ? r : l;
      if (h[c].atMs >= last.atMs) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = last;
  }
}
