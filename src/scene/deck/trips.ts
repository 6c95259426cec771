/**
 * Simulated vehicles for the network panel's TripsLayer (pure; no deck.gl here). Each road's two
 * directions are chained into one loop (out on one carriageway, back on the other); vehicles are
 * spread along the loops and drive each segment at its live speed. Trips are rebuilt when speeds
 * change, starting every vehicle from where it is now, so the animation itself only moves the time.
 */
import type { Site } from '../../contracts';

export type LonLat = [number, number];

/** One road's loop: vertices in driving order and the segment each edge belongs to. */
export interface Loop {
  roadKey: string;
  coords: LonLat[];
  /** Segment id of edge i (coords[i] → coords[i + 1]); '' for the turn between carriageways. */
  edgeSegment: string[];
  edgeLenM: number[];
  lengthM: number;
}

/** A drawn directed segment: its polyline moved to the right of travel so both directions show. */
export interface SegmentPath {
  id: string;
  roadKey: string;
  path: LonLat[];
}

const M_PER_DEG_LAT = 111_320;

export function distanceM(a: LonLat, b: LonLat): number {
  const kx = M_PER_DEG_LAT * Math.cos(((a[1] + b[1]) / 2) * (Math.PI / 180));
  return Math.hypot((b[0] - a[0]) * kx, (b[1] - a[1]) * M_PER_DEG_LAT);
}

/** A polyline moved `offsetM` to the right of its direction (flat-earth, fine at a few hundred m). */
export function offsetRight(line: readonly LonLat[], offsetM: number): LonLat[] {
  if (line.length < 2) return line.map((p) => [p[0], p[1]]);
  return line.map((p, i) => {
    const a = line[Math.max(0, i - 1)];
    const b = line[Math.min(line.length - 1, i + 1)];
    const kx = M_PER_DEG_LAT * Math.cos(p[1] * (Math.PI / 180));
    const dx = (b[0] - a[0]) * kx;
    const dy = (b[1] - a[1]) * M_PER_DEG_LAT;
    const len = Math.hypot(dx, dy) || 1;
    // Right of travel: (dy, −dx) normalised.
    return [p[0] + ((dy / len) * offsetM) / kx, p[1] + ((-dx / len) * offsetM) / M_PER_DEG_LAT];
  });
}

/** The registry's road segments as drawable paths, offset to the right of travel. */
export function segmentPaths(sites: Iterable<Site>, offsetM: number): SegmentPath[] {
  const out: SegmentPath[] = [];
  for (const s of sites) {
    if (s.kind !== 'segment' || s.geometry.type !== 'LineString') continue;
    const coords = s.geometry.coordinates as LonLat[];
    if (coords.length < 2) continue;
    out.push({ id: s.id, roadKey: String(s.props?.roadKey ?? s.id), path: offsetRight(coords, offsetM) });
  }
  return out;
}

/**
 * Chains a road's directed segments into one loop: segments of one direction in node order
 * (`fromNode` → `toNode`), then the other direction. Segments without node ids keep registry order.
 */
export function buildLoops(sites: Iterable<Site>, offsetM: number): Loop[] {
  const byRoad = new Map<string, Site[]>();
  for (const s of sites) {
    if (s.kind !== 'segment' || s.geometry.type !== 'LineString') continue;
    const key = String(s.props?.roadKey ?? s.id);
    byRoad.set(key, [...(byRoad.get(key) ?? []), s]);
  }
  const loops: Loop[] = [];
  for (const [roadKey, segs] of byRoad) {
    const dirs = new Map<string, Site[]>();
    for (const s of segs) {
      const d = String(s.props?.direction ?? '');
      dirs.set(d, [...(dirs.get(d) ?? []), s]);
    }
    const coords: LonLat[] = [];
    const edgeSegment: string[] = [];
    for (const chain of [...dirs.values()].map(orderChain)) {
      for (const s of chain) {
        const line = offsetRight(s.geometry.coordinates as LonLat[], offsetM);
        for (let i = 0; i < line.length; i++) {
          if (coords.length > 0) edgeSegment.push(i === 0 ? '' : s.id);
          coords.push(line[i]);
        }
      }
    }
    if (coords.length < 2) continue;
    // Close the loop back to its start.
    edgeSegment.push('');
    coords.push(coords[0]);
    const edgeLenM = edgeSegment.map((_, i) => distanceM(coords[i], coords[i + 1]));
    loops.push({ roadKey, coords, edgeSegment, edgeLenM, lengthM: edgeLenM.reduce((a, b) => a + b, 0) });
  }
  return loops;
}

function orderChain(segs: Site[]): Site[] {
  const byFrom = new Map<string, Site>();
  const toNodes = new Set<string>();
  for (const s of segs) {
    if (typeof s.props?.fromNode === 'string') byFrom.set(s.props.fromNode, s);
    if (typeof s.props?.toNode === 'string') toNodes.add(s.props.toNode);
  }
  const start = segs.find((s) => typeof s.props?.fromNode === 'string' && !toNodes.has(s.props.fromNode as string));
  if (!start) return segs;
  const out: Site[] = [];
  const seen = new Set<string>();
  for (let s: Site | undefined = start; s && !seen.has(s.id); s = byFrom.get(String(s.props?.toNode))) {
    out.push(s);
    seen.add(s.id);
  }
  // Anything not reached (a gap in the chain) follows in registry order.
  return [...out, ...segs.filter((s) => !seen.has(s.id))];
}

/** Seconds from the loop's start to each vertex at the given speeds (km/h; floor 3 km/h). */
export function loopTimes(loop: Loop, speedKmh: (segmentId: string) => number): number[] {
  const cum = [0];
  let prevKmh = 60;
  for (let i = 0; i < loop.edgeLenM.length; i++) {
    const id = loop.edgeSegment[i];
    const kmh = id ? Math.max(3, speedKmh(id)) : prevKmh; // the turn between carriageways: last speed
    prevKmh = kmh;
    cum.push(cum[i] + loop.edgeLenM[i] / (kmh / 3.6));
  }
  return cum;
}

/** Interpolates `ys` at `x` on ascending `xs` (clamped). */
function interp(xs: readonly number[], ys: readonly number[], x: number): number {
  if (x <= xs[0]) return ys[0];
  let lo = 0;
  let hi = xs.length - 1;
  if (x >= xs[hi]) return ys[hi];
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  const f = xs[hi] === xs[lo] ? 0 : (x - xs[lo]) / (xs[hi] - xs[lo]);
  return ys[lo] + f * (ys[hi] - ys[lo]);
}

export interface Trip {
  loop: number;
  path: LonLat[];
  timestamps: number[];
}

/**
 * The fleet: vehicles with a place on their loop, rebuilt into trips at each speed change.
 * Times are animation seconds (the panel's clock, compressed: one real second is many simulated).
 */
export class Fleet {
  private vehicles: { loop: number; distM: number }[] = [];
  private built: { t0: number; cum: number[][]; dist: number[][] } | null = null;
  private phase: number[] = [];

  constructor(
    readonly loops: Loop[],
    count: number,
  ) {
    const total = loops.reduce((a, l) => a + l.lengthM, 0);
    if (total <= 0) return;
    // Vehicles per loop by length; evenly spaced with a deterministic jitter.
    loops.forEach((l, li) => {
      const n = Math.max(2, Math.round((count * l.lengthM) / total));
      for (let k = 0; k < n; k++) this.vehicles.push({ loop: li, distM: (l.lengthM * (k + 0.5 * ((k * 7919) % 13) / 13)) / n });
    });
  }

  get size(): number {
    return this.vehicles.length;
  }

  /** Moves every vehicle to where its last trip put it at time `t`. */
  private advance(t: number): void {
    const b = this.built;
    if (!b) return;
    this.vehicles.forEach((v, i) => {
      const cum = b.cum[v.loop];
      const C = cum[cum.length - 1];
      if (!(C > 0)) return;
      const tau = (((this.phase[i] + (t - b.t0)) % C) + C) % C;
      v.distM = interp(cum, b.dist[v.loop], tau);
    });
  }

  /**
   * Trips covering animation time `t` … `t + windowS` (seconds) at the given live speeds, each
   * vehicle starting from where it is at `t`.
   */
  build(t: number, speedKmh: (segmentId: string) => number, windowS: number): Trip[] {
    this.advance(t);
    const cum = this.loops.map((l) => loopTimes(l, speedKmh));
    const dist = this.loops.map((l) => {
      const d = [0];
      for (const len of l.edgeLenM) d.push(d[d.length - 1] + len);
      return d;
    });
    this.built = { t0: t, cum, dist };
    this.phase = [];
    const trips: Trip[] = [];
    this.vehicles.forEach((v, i) => {
      const l = this.loops[v.loop];
      const c = cum[v.loop];
      const C = c[c.length - 1];
      const tau0 = interp(dist[v.loop], c, v.distM);
      this.phase.push(tau0);
      if (!(C > 0)) return;
      const laps = Math.ceil((tau0 + windowS) / C) + 1;
      const path: LonLat[] = [];
      const timestamps: number[] = [];
      for (let k = 0; k < laps; k++) {
        for (let j = k === 0 ? 0 : 1; j < l.coords.length; j++) {
          path.push(l.coords[j]);
          timestamps.push(t - tau0 + k * C + c[j]);
        }
      }
      trips.push({ loop: v.loop, path, timestamps });
    });
    return trips;
  }
}
