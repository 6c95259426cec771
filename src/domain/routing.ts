/**
 * Fastest routes on the road graph: Dijkstra with a binary heap on travel time, where a segment
 * takes lengthM / speed — its live speed when known, else its free-flow speed, and never faster
 * than a fog speed limit in force — and a closed segment (a closure, ice) cannot be driven at all. Points are snapped onto the network, so a route may start and
 * end part-way along a segment.
 */
import { length, lineSliceAlong, lineString } from '@turf/turf';
import type { Route, SegmentControl } from '../contracts';
import { nearestSegments, type LonLat, type RoadEdge, type RoadGraph, type SegmentSnap } from './roadGraph';
// The route answer lives in the contracts; the service still names it here.
export type { Route } from '../contracts';

/**
 * Slowest speed a segment is costed at, km/h: a detector reading 0 in a standing queue would make
 * the segment infinitely long, but a queue still moves off eventually, so it is only very slow.
 */
export const MIN_SPEED_KMH = 5;

export interface RouteOptions {
  /** Live speed of a segment, km/h; null or undefined when unknown (then free flow is used). */
  speedKmh?: (segmentId: string) => number | null | undefined;
  /** Segments that cannot be driven (an open `closure` incident, an ice closure). */
  closed?: ReadonlySet<string>;
  /** A speed limit in force on a segment (fog control), km/h; null or undefined when none. */
  limitKmh?: (segmentId: string) => number | null | undefined;
}

/**
 * Route options that honour fog and ice control: each controlled segment is driven at no more
 * than its limit, and a closed one (ice) joins the closed set.
 */
export function withControls(opts: RouteOptions, controls: ReadonlyMap<string, SegmentControl>): RouteOptions {
  const closed = new Set(opts.closed ?? []);
  for (const [id, c] of controls) if (c.action === 'close') closed.add(id);
  const own = opts.limitKmh;
  return {
    ...opts,
    closed,
    limitKmh: (id) => {
      const a = own?.(id);
      const b = controls.get(id)?.speedLimitKmh;
      const xs = [a, b].filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
      return xs.length ? Math.min(...xs) : null;
    },
  };
}

/** Part of one segment, from fraction `from` to `to` of its length (0…1). */
interface Leg {
  edge: RoadEdge;
  from: number;
  to: number;
}

/** Seconds to drive a whole segment on the options' speeds: the lower of the live (or free-flow) speed and any limit. */
export function edgeTimeS(edge: RoadEdge, opts: RouteOptions = {}): number {
  const live = opts.speedKmh?.(edge.segmentId);
  const base = live !== null && live !== undefined && Number.isFinite(live) ? live : edge.freeFlowKmh;
  const limit = opts.limitKmh?.(edge.segmentId);
  const capped = limit !== null && limit !== undefined && Number.isFinite(limit) ? Math.min(base, limit) : base;
  return edge.lengthM / (Math.max(MIN_SPEED_KMH, capped) / 3.6);
}

const legTimeS = (leg: Leg, opts: RouteOptions) => edgeTimeS(leg.edge, opts) * (leg.to - leg.from);

/** Fastest route from node to node; null when the target cannot be reached. */
export function routeNodes(graph: RoadGraph, fromNode: string, toNode: string, opts: RouteOptions = {}): Route | null {
  if (!graph.nodes.has(fromNode) || !graph.nodes.has(toNode)) return null;
  const n = graph.nodes.get(fromNode)!;
  const legs = search(graph, [{ node: fromNode, leg: null }], [{ node: toNode, leg: null }], null, opts);
  return legs && toRoute(legs, opts, [n.lonDeg, n.latDeg]);
}

/**
 * Fastest route between two points, each snapped onto the nearest open segment (either direction
 * of a road); null when nothing connects them.
 */
export function routePoints(graph: RoadGraph, from: LonLat, to: LonLat, opts: RouteOptions = {}): Route | null {
  const closed = opts.closed ?? new Set<string>();
  return routeSnapped(graph, nearestSegments(graph, from, 1, closed), nearestSegments(graph, to, 1, closed), opts);
}

/** As routePoints, from snaps already made (the API checks how far off the network they are). */
export function routeSnapped(graph: RoadGraph, fromSnaps: SegmentSnap[], toSnaps: SegmentSnap[], opts: RouteOptions = {}): Route | null {
  const closed = opts.closed ?? new Set<string>();
  const from = fromSnaps.filter((s) => !closed.has(s.edge.segmentId));
  const to = toSnaps.filter((s) => !closed.has(s.edge.segmentId));
  if (from.length === 0 || to.length === 0) return null;
  // Drive off the rest of the start segment, and onto the first part of the end segment.
  const starts = from.map((s) => ({ node: s.edge.to, leg: { edge: s.edge, from: s.fraction, to: 1 } }));
  const ends = to.map((s) => ({ node: s.edge.from, leg: { edge: s.edge, from: 0, to: s.fraction } }));
  // Both points on one segment, the end further along: no node in between.
  let direct: Leg | null = null;
  for (const f of from) {
    for (const t of to) {
      if (f.edge !== t.edge || f.fraction > t.fraction) continue;
      const leg = { edge: f.edge, from: f.fraction, to: t.fraction };
      if (!direct || legTimeS(leg, opts) < legTimeS(direct, opts)) direct = leg;
    }
  }
  const legs = search(graph, starts, ends, direct, opts);
  return legs && toRoute(legs, opts, from[0].at);
}

interface Terminal {
  node: string;
  leg: Leg | null;
}

/**
 * Multi-source, multi-target Dijkstra. Each start costs its leg's time to reach its node; each end
 * adds its leg's time after its node. `direct` is a candidate that needs no node at all.
 * Returns the legs of the fastest route, or null.
 */
function search(graph: RoadGraph, starts: Terminal[], ends: Terminal[], direct: Leg | null, opts: RouteOptions): Leg[] | null {
  const closed = opts.closed ?? new Set<string>();
  const dist = new Map<string, number>();
  const via = new Map<string, { edge: RoadEdge } | { start: Terminal }>();
  const heap = new MinHeap<string>();
  for (const s of starts) {
    const c = s.leg ? legTimeS(s.leg, opts) : 0;
    if (c < (dist.get(s.node) ?? Infinity)) {
      dist.set(s.node, c);
      via.set(s.node, { start: s });
      heap.push(c, s.node);
    }
  }
  const endsAt = new Map<string, Terminal[]>();
  for (const e of ends) endsAt.set(e.node, [...(endsAt.get(e.node) ?? []), e]);

  let best = direct ? legTimeS(direct, opts) : Infinity;
  let bestEnd: Terminal | null = null;
  while (heap.size > 0) {
    const [c, id] = heap.pop()!;
    if (c > (dist.get(id) ?? Infinity)) continue; // an outdated entry
    if (c >= best) break; // every leg costs ≥ 0: nothing later can beat it
    for (const e of endsAt.get(id) ?? []) {
      const total = c + (e.leg ? legTimeS(e.leg, opts) : 0);
      if (total < best) [best, bestEnd] = [total, e];
    }
    for (const i of graph.nodes.get(id)?.out ?? []) {
      const edge = graph.edges[i];
      if (closed.has(edge.segmentId)) continue;
      const nc = c + edgeTimeS(edge, opts);
      if (nc < (dist.get(edge.to) ?? Infinity)) {
        dist.set(edge.to, nc);
        via.set(edge.to, { edge });
        heap.push(nc, edge.to);
      }
    }
  }
  if (!bestEnd) return direct && best < Infinity ? [direct] : null;

  const legs: Leg[] = bestEnd.leg ? [bestEnd.leg] : [];
  for (let node = bestEnd.node; ; ) {
    const v = via.get(node)!;
    if ('start' in v) {
      if (v.start.leg) legs.push(v.start.leg);
      break;
    }
    legs.push({ edge: v.edge, from: 0, to: 1 });
    node = v.edge.from;
  }
  return legs.reverse();
}

/** Totals and geometry of a list of legs; `at` is the start, for a route of no length. */
function toRoute(legs: Leg[], opts: RouteOptions, at: LonLat): Route {
  const driven = legs.filter((l) => l.to - l.from > 1e-9);
  const coordinates: LonLat[] = [];
  for (const leg of driven) {
    for (const c of legCoordinates(leg)) {
      const last = coordinates[coordinates.length - 1];
      if (!last || last[0] !== c[0] || last[1] !== c[1]) coordinates.push(c);
    }
  }
  while (coordinates.length < 2) coordinates.push(coordinates[0] ?? at); // a LineString needs two positions
  const sum = (f: (l: Leg) => number) => driven.reduce((s, l) => s + f(l), 0);
  return {
    segmentIds: driven.map((l) => l.edge.segmentId),
    travelTimeS: round1(sum((l) => legTimeS(l, opts))),
    freeFlowTimeS: round1(sum((l) => legTimeS(l, {}))),
    lengthM: Math.round(sum((l) => l.edge.lengthM * (l.to - l.from))),
    geometry: { type: 'LineString', coordinates },
  };
}

function legCoordinates(leg: Leg): LonLat[] {
  if (leg.from <= 0 && leg.to >= 1) return leg.edge.coordinates;
  const line = lineString(leg.edge.coordinates);
  const total = length(line, { units: 'meters' });
  const cut = lineSliceAlong(line, leg.from * total, leg.to * total, { units: 'meters' });
  return cut.geometry.coordinates.map(([lon, lat]) => [round6(lon), round6(lat)] as LonLat);
}

const round1 = (v: number) => Math.round(v * 10) / 10;
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** A binary min-heap of (key, value) pairs. */
export class MinHeap<T> {
  private readonly keys: number[] = [];
  private readonly values: T[] = [];

  get size(): number {
    return this.keys.length;
  }

  push(key: number, value: T): void {
    let i = this.keys.length;
    this.keys.push(key);
    this.values.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent] <= key) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** The smallest key and its value, removed; undefined when empty. */
  pop(): [number, T] | undefined {
    if (this.keys.length === 0) return undefined;
    const top: [number, T] = [this.keys[0], this.values[0]];
    const lastKey = this.keys.pop()!;
    const lastValue = this.values.pop()!;
    if (this.keys.length > 0) {
      this.keys[0] = lastKey;
      this.values[0] = lastValue;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.keys.length && this.keys[l] < this.keys[m]) m = l;
        if (r < this.keys.length && this.keys[r] < this.keys[m]) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }

  private swap(a: number, b: number): void {
    [this.keys[a], this.keys[b]] = [this.keys[b], this.keys[a]];
    [this.values[a], this.values[b]] = [this.values[b], this.values[a]];
  }
}
