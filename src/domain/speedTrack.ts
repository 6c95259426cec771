/**
 * One traffic detector's recent speed readings: a fixed-capacity ring with a running sum, so a
 * reading costs the same whatever the detector's rate. (A track that copied its whole 5-minute
 * sample list per reading made live readings, and replay's rebuild, cost more the faster they came.)
 */

export interface TrafficOptions {
  /** Speeds are averaged over the readings of this window, ms (ending at the newest reading). @default 5 min */
  smoothingMs: number;
  /** A detector repeating one speed value for longer than this is stuck, ms. @default 10 min */
  stuckMs: number;
}

export const TRAFFIC_DEFAULTS: TrafficOptions = { smoothingMs: 5 * 60_000, stuckMs: 10 * 60_000 };

/**
 * Readings a track holds at most. Road detectors report every 20–60 s (5–15 readings in the 5-minute
 * window); one reporting faster than every ~1.2 s is averaged over its newest readings instead.
 */
export const TRACK_CAPACITY = 256;

/** What the road answers read of a track: the live `SpeedTrack`, or one rebuilt for a past instant. */
export interface SpeedTrackView {
  /** Readings in the smoothing window of the newest one (at most TRACK_CAPACITY). */
  readonly count: number;
  readonly lastTsMs: number | null;
  readonly lastKmh: number | null;
  /** Mean of the readings in the window; null without readings. */
  readonly meanKmh: number | null;
  /** `ts` of the first reading of the current run of identical values; null before any reading. */
  readonly sameSinceMs: number | null;
}

export const EMPTY_TRACK: SpeedTrackView = Object.freeze({ count: 0, lastTsMs: null, lastKmh: null, meanKmh: null, sameSinceMs: null });

export class SpeedTrack implements SpeedTrackView {
  private tsMs = new Float64Array(8);
  private kmh = new Float64Array(8);
  /** Ring index of the oldest reading. */
  private head = 0;
  private size = 0;
  private sum = 0;
  /** Evictions since the sum was last recomputed: subtracting drifts, so it is redone every `capacity`. */
  private evictions = 0;
  sameSinceMs: number | null = null;

  constructor(
    private readonly opts: TrafficOptions = TRAFFIC_DEFAULTS,
    private readonly capacity = TRACK_CAPACITY,
  ) {}

  /** A track folded from readings, oldest first (replay rebuilds a past instant's track this way). */
  static of(readings: Iterable<readonly [tsMs: number, speedKmh: number]>, opts: TrafficOptions = TRAFFIC_DEFAULTS): SpeedTrack {
    const t = new SpeedTrack(opts);
    for (const [ts, v] of readings) t.add(ts, v);
    return t;
  }

  get count(): number {
    return this.size;
  }

  get lastTsMs(): number | null {
    return this.size ? this.tsMs[this.at(this.size - 1)] : null;
  }

  get lastKmh(): number | null {
    return this.size ? this.kmh[this.at(this.size - 1)] : null;
  }

  get meanKmh(): number | null {
    return this.size ? this.sum / this.size : null;
  }

  /**
   * Adds a reading (by its own `ts`); false when it is not newer than the newest one (the live state
   * only moves forward). Readings that left the smoothing window, or beyond the capacity, are dropped.
   */
  add(tsMs: number, speedKmh: number): boolean {
    const lastTs = this.lastTsMs;
    if (lastTs !== null && tsMs <= lastTs) return false;
    const lastV = this.lastKmh;
    const cutoff = tsMs - this.opts.smoothingMs;
    while (this.size > 0 && this.tsMs[this.head] <= cutoff) this.evict();
    if (this.size === this.capacity) this.evict();
    if (this.size === this.tsMs.length) this.grow();
    const i = this.at(this.size);
    this.tsMs[i] = tsMs;
    this.kmh[i] = speedKmh;
    this.size++;
    this.sum += speedKmh;
    // A frozen sensor repeats the very same value; any change, however small, restarts the run.
    if (lastV === null || lastV !== speedKmh || this.sameSinceMs === null) this.sameSinceMs = tsMs;
    return true;
  }

  /** The readings held, oldest first. */
  readings(): [tsMs: number, speedKmh: number][] {
    const out: [number, number][] = [];
    for (let k = 0; k < this.size; k++) out.push([this.tsMs[this.at(k)], this.kmh[this.at(k)]]);
    return out;
  }

  private at(k: number): number {
    return (this.head + k) % this.tsMs.length;
  }

  private evict(): void {
    this.sum -= this.kmh[this.head];
    this.head = (this.head + 1) % this.tsMs.length;
    this.size--;
    if (this.size === 0) this.sum = 0;
    else if (++this.evictions >= this.capacity) {
      this.evictions = 0;
      this.sum = 0;
      for (let k = 0; k < this.size; k++) this.sum += this.kmh[this.at(k)];
    }
  }

  /** Doubles the ring (up to the capacity), oldest reading first again. */
  private grow(): void {
    const n = Math.min(this.capacity, this.tsMs.length * 2);
    const ts = new Float64Array(n);
    const kmh = new Float64Array(n);
    for (let k = 0; k < this.size; k++) {
      ts[k] = this.tsMs[this.at(k)];
      kmh[k] = this.kmh[this.at(k)];
    }
    this.tsMs = ts;
    this.kmh = kmh;
    this.head = 0;
  }
}

/** Mean speed of the readings within the smoothing window of the newest one; null without readings. */
export function smoothedSpeedKmh(track: SpeedTrackView): number | null {
  return track.meanKmh;
}

/** How long the detector has reported one unchanged value, ms (by reading timestamps). */
export function unchangedForMs(track: SpeedTrackView): number {
  return track.lastTsMs !== null && track.sameSinceMs !== null ? track.lastTsMs - track.sameSinceMs : 0;
}

/** Stuck: one value for longer than `stuckMs`. */
export function isStuck(track: SpeedTrackView, opts: TrafficOptions = TRAFFIC_DEFAULTS): boolean {
  return unchangedForMs(track) > opts.stuckMs;
}
