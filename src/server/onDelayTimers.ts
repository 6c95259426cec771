/**
 * One timer per pending alarm condition, armed for the instant its on-delay runs out
 * (domain onDelayDueAt). Judged on the once-a-second tick alone, a delayed alarm came 0.5–1.3 s
 * late; the tick stays as a fallback.
 */
export class OnDelayTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly now: () => number,
    /** Called when the timer of `key` fires; the caller judges the condition again at `now()`. */
    private readonly due: (key: string, nowMs: number) => void,
  ) {}

  /** Arms the timer of `key` for `dueAtMs` (service clock), unless one is armed already. */
  arm(key: string, dueAtMs: number): void {
    if (this.timers.has(key)) return;
    const t = setTimeout(() => {
      this.timers.delete(key);
      const nowMs = this.now();
      // Node's timers may fire a millisecond before the wall clock says so: wait out the rest.
      if (nowMs < dueAtMs) this.arm(key, dueAtMs);
      else this.due(key, nowMs);
    }, Math.max(0, dueAtMs - this.now()));
    t.unref();
    this.timers.set(key, t);
  }

  disarm(key: string): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
  }

  clear(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  get size(): number {
    return this.timers.size;
  }
}
