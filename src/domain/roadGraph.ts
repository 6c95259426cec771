/**
 * The road network as a directed graph, derived from the registry's segment sites: one edge per
 * directed segment, nodes at its `fromNode` / `toNode` (interchanges, junctions, cut points).
 * Segments without node ids (a hand-made registry) get nodes at their end points, so segments
 * that share an end point still connect.
 */
import { distance, length, lineString, nearestPointOnLine, point } from '@turf/turf';
import type { RoadClass, Site } from '../contracts';
import { SegmentIndex } from './segmentIndex';

export type LonLat = [lonDeg: number, latDeg: number];

/**
 * Free-flow speed by class for a segment without `freeFlowKmh`, km/h: the usual posted limits
 * (expressway 100–120, highway 80–100, urban expressway 60–100, national road 60–80, town road
 * 40–50) less a margin.
 */
export const DEFAULT_FREE_FLOW_KMH: Record<RoadClass, number> = { expressway: 100, highway: 80, urban_expressway: 70, arterial: 60, secondary: 45 };

export interface RoadEdge {
  segmentId: string;
  from: string;
  to: string;
  lengthM: number;
  freeFlowKmh: number;
  roadClass: RoadClass | null;
  /** The segment's polyline in driving order. */
  coordinates: LonLat[];
}

export interface RoadNode {
  id: string;
  lonDeg: number;
  latDeg: number;
  /** Indices into `RoadGraph.edges` of the segments leaving this node. */
  out: number[];
}

export interface RoadGraph {
  nodes: Map<string, RoadNode>;
  edges: RoadEdge[];
  edgeById: Map<string, RoadEdge>;
}

const ROAD_CLASSES: readonly string[] = Object.keys(DEFAULT_FREE_FLOW_KMH);

/** A node id for an end point when the registry names none: ~0.1 m grid, so shared ends match. */
const pointNode = ([lon, lat]: LonLat): string => `pt:${lon.toFixed(6)},${lat.toFixed(6)}`;

/** Builds the graph from sites; anything that is not a segment with a LineString is ignored. */
export function buildRoadGraph(sites: readonly Site[]): RoadGraph {
  const graph: RoadGraph = { nodes: new Map(), edges: [], edgeById: new Map() };
  const nodeAt = (id: string, at: LonLat): RoadNode => {
    let n = graph.nodes.get(id);
    if (!n) {
      n = { id, lonDeg: at[0], latDeg: at[1], out: [] };
      graph.nodes.set(id, n);
    }
    return n;
  };
  for (const s of sites) {
    if (s.kind !== 'segment' || s.geometry.type !== 'LineString' || s.geometry.coordinates.length < 2) continue;
    const coordinates = s.geometry.coordinates.map(([lon, lat]) => [lon, lat] as LonLat);
    const first = coordinates[0];
    const last = coordinates[coordinates.length - 1];
    const p = s.props ?? {};
    const roadClass = typeof p.roadClass === 'string' && ROAD_CLASSES.includes(p.roadClass) ? p.roadClass : null;
    const lengthM = positive(p.lengthM) ?? length(lineString(coordinates), { units: 'meters' });
    const freeFlowKmh = positive(p.freeFlowKmh) ?? DEFAULT_FREE_FLOW_KMH[roadClass ?? 'arterial'];
    const from = nodeAt(typeof p.fromNode === 'string' ? p.fromNode : pointNode(first), first);
    const to = nodeAt(typeof p.toNode === 'string' ? p.toNode : pointNode(last), last);
    const edge: RoadEdge = { segmentId: s.id, from: from.id, to: to.id, lengthM, freeFlowKmh, roadClass, coordinates };
    from.out.push(graph.edges.length);
    graph.edges.push(edge);
    graph.edgeById.set(s.id, edge);
  }
  return graph;
}

const positive = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);

/** The node nearest to a point, with its distance in metres; null for an empty graph. */
export function nearestNode(graph: RoadGraph, at: LonLat): { node: RoadNode; distanceM: number } | null {
  let best: { node: RoadNode; distanceM: number } | null = null;
  for (const node of graph.nodes.values()) {
    const d = distance(point(at), point([node.lonDeg, node.latDeg]), { units: 'meters' });
    if (!best || d < best.distanceM) best = { node, distanceM: d };
  }
  return best;
}

/** Where a point meets a segment: the closest point on it and how far along it lies. */
export interface SegmentSnap {
  edge: RoadEdge;
  /** Distance from the point to the segment, m. */
  distanceM: number;
  /** 0 at the segment's start, 1 at its end (by length along the line). */
  fraction: number;
  at: LonLat;
}

/**
 * The segments nearest to a point. The two directions of a road share one polyline, so every
 * segment within `toleranceM` of the nearest one is returned (both directions), nearest first.
 * @param exclude segments not to snap to (closed ones).
 */
export function nearestSegments(
  graph: RoadGraph,
  at: LonLat,
  toleranceM = 1,
  exclude: ReadonlySet<string> = new Set(),
): SegmentSnap[] {
  // Candidates from the index: the nearest open edge, and every edge that may be within the
  // tolerance of it once turf measures exactly (the index's planar metres are within 0.5 %).
  const index = edgeIndex(graph);
  const first = index.nearest(at, Infinity, (i) => !exclude.has(graph.edges[i].segmentId));
  if (!first) return [];
  const reach = first.distanceM * 1.01 + toleranceM + 2;
  const snaps: SegmentSnap[] = [];
  for (const { id } of index.within(at, reach)) {
    const edge = graph.edges[id];
    if (exclude.has(edge.segmentId)) continue;
    const line = lineString(edge.coordinates);
    const p = nearestPointOnLine(line, point(at), { units: 'meters' });
    const total = length(line, { units: 'meters' });
    const fraction = total > 0 ? Math.min(1, Math.max(0, p.properties.location / total)) : 0;
    snaps.push({ edge, distanceM: p.properties.dist, fraction, at: p.geometry.coordinates as LonLat });
  }
  if (snaps.length === 0) return [];
  const min = Math.min(...snaps.map((s) => s.distanceM));
  return snaps.filter((s) => s.distanceM <= min + toleranceM).sort((a, b) => a.distanceM - b.distanceM);
}

/** The edges of a graph indexed by their place in `edges`, built on first use (a graph never changes). */
const edgeIndexes = new WeakMap<RoadGraph, SegmentIndex<number>>();
function edgeIndex(graph: RoadGraph): SegmentIndex<number> {
  let index = edgeIndexes.get(graph);
  if (!index) edgeIndexes.set(graph, (index = new SegmentIndex(graph.edges.map((e, i) => ({ id: i, coordinates: e.coordinates })))));
  return index;
}
