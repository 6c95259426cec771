import { describe, expect, it } from 'vitest';
import type { Site } from '../../src/contracts';
import { MIN_SPEED_KMH, MinHeap, buildRoadGraph, edgeTimeS, routeNodes, routePoints, type RouteOptions } from '../../src/domain';

/**
 * A known graph, lengths 1,000 m each:
 *
 *        C                 A→B, B→D, B→A at 60 km/h: 60 s each
 *      /   \               A→C, C→D at 36 km/h: 100 s each
 *     A  →  B  →  D        nothing leaves D: D reaches nothing
 */
const at = { A: [120, 30], B: [120.01, 30], C: [120.01, 30.01], D: [120.02, 30] } as const;
type N = keyof typeof at;
const seg = (from: N, to: N, kmh: number): Site => ({
  id: `${from}${to}`,
  scene: 'roads',
  kind: 'segment',
  name: `${from}${to}`,
  nameZh: `${from}${to}`,
  parentId: null,
  geometry: { type: 'LineString', coordinates: [[...at[from]], [...at[to]]] },
  props: { fromNode: from, toNode: to, lengthM: 1000, freeFlowKmh: kmh, roadClass: 'arterial' },
});
const g = buildRoadGraph([seg('A', 'B', 60), seg('B', 'D', 60), seg('B', 'A', 60), seg('A', 'C', 36), seg('C', 'D', 36)]);

describe('routeNodes on a known graph', () => {
  it.each<{ what: string; from: string; to: string; opts: RouteOptions; ids: string[] | null; timeS?: number }>([
    { what: 'free flow takes the fast road', from: 'A', to: 'D', opts: {}, ids: ['AB', 'BD'], timeS: 120 },
    { what: 'a closure reroutes', from: 'A', to: 'D', opts: { closed: new Set(['BD']) }, ids: ['AC', 'CD'], timeS: 200 },
    { what: 'a jam reroutes (10 km/h on A→B: 360 s)', from: 'A', to: 'D', opts: { speedKmh: (id) => (id === 'AB' ? 10 : null) }, ids: ['AC', 'CD'], timeS: 200 },
    { what: 'a light slowdown does not (40 km/h: 90 s)', from: 'A', to: 'D', opts: { speedKmh: (id) => (id === 'AB' ? 40 : null) }, ids: ['AB', 'BD'], timeS: 150 },
    { what: 'one way only: D reaches nothing', from: 'D', to: 'A', opts: {}, ids: null },
    { what: 'every way closed', from: 'A', to: 'D', opts: { closed: new Set(['BD', 'CD']) }, ids: null },
    { what: 'an unknown node', from: 'A', to: 'Z', opts: {}, ids: null },
    { what: 'the same node: an empty route', from: 'B', to: 'B', opts: {}, ids: [], timeS: 0 },
  ])('$what', ({ from, to, opts, ids, timeS }) => {
    const r = routeNodes(g, from, to, opts);
    if (ids === null) return expect(r).toBeNull();
    expect(r!.segmentIds).toEqual(ids);
    expect(r!.travelTimeS).toBeCloseTo(timeS!, 1);
  });

  it('reports the free-flow time of the same path and its geometry', () => {
    const r = routeNodes(g, 'A', 'D', { speedKmh: (id) => (id === 'BD' ? 30 : null) })!;
    expect(r).toMatchObject({ segmentIds: ['AB', 'BD'], travelTimeS: 180, freeFlowTimeS: 120, lengthM: 2000 });
    expect(r.geometry).toEqual({ type: 'LineString', coordinates: [at.A, at.B, at.D] });
  });

  it.each<{ what: string; opts: RouteOptions; delayS: number }>([
    // A→B→D, free flow 60 km/h: 120 s. At 50 km/h each leg takes 72 s: 24 s slower than free flow.
    { what: 'segments driven below free flow but rated free add no delay', opts: { speedKmh: () => 50, levelOf: () => 1 }, delayS: 0 },
    { what: 'only the congested segment adds its lost time', opts: { speedKmh: () => 50, levelOf: (id) => (id === 'BD' ? 3 : 1) }, delayS: 12 },
    { what: 'an unknown level adds none (driven at free flow)', opts: { levelOf: () => null }, delayS: 0 },
    { what: 'a speed limit below free flow adds its time on a free segment', opts: { limitKmh: (id) => (id === 'AB' ? 30 : null), levelOf: () => 1 }, delayS: 60 },
    { what: 'without levels every leg counts', opts: { speedKmh: () => 50 }, delayS: 24 },
  ])('route delay agrees with the segments: $what', ({ opts, delayS }) => {
    expect(routeNodes(g, 'A', 'D', opts)!.delayS).toBeCloseTo(delayS, 1);
  });

  it('costs a standing queue at the minimum speed, not infinity', () => {
    expect(edgeTimeS(g.edgeById.get('AB')!, { speedKmh: () => 0 })).toBeCloseTo(1000 / (MIN_SPEED_KMH / 3.6), 6);
  });
});

describe('routePoints: points snapped onto the network', () => {
  it('starts part-way along a segment', () => {
    // Half way along A→B, then B→D: 30 + 60 s.
    const r = routePoints(g, [120.005, 30.0001], [120.02, 30])!;
    expect(r.segmentIds).toEqual(['AB', 'BD']);
    expect(r.travelTimeS).toBeCloseTo(90, 0);
    expect(r.geometry.coordinates[0][0]).toBeCloseTo(120.005, 4);
  });

  it('stays on one segment when both points are on it in driving order', () => {
    const r = routePoints(g, [120.0025, 30], [120.0075, 30])!;
    expect(r.segmentIds).toEqual(['AB']);
    expect(r.travelTimeS).toBeCloseTo(30, 0);
    expect(r.lengthM).toBeCloseTo(500, -1);
  });

  it('takes the other direction of the road to go back', () => {
    const r = routePoints(g, [120.0075, 30], [120.0025, 30])!;
    expect(r.segmentIds).toEqual(['BA']);
    expect(r.travelTimeS).toBeCloseTo(30, 0);
  });

  it('ends part-way along the last segment', () => {
    const r = routePoints(g, [120, 30], [120.015, 30.0001])!;
    expect(r.segmentIds).toEqual(['AB', 'BD']);
    expect(r.travelTimeS).toBeCloseTo(90, 0);
  });

  it('is null when the end cannot be reached', () => {
    expect(routePoints(g, [120.02, 30], [120, 30.0001], { closed: new Set(['BA']) })).toBeNull();
  });
});

describe('MinHeap', () => {
  it('pops keys in ascending order', () => {
    const h = new MinHeap<number>();
    const keys = [5, 3, 9, 1, 1, 8, 2, 7, 6, 4, 0];
    keys.forEach((k, i) => h.push(k, i));
    const out: number[] = [];
    while (h.size) out.push(h.pop()![0]);
    expect(out).toEqual([...keys].sort((a, b) => a - b));
    expect(h.pop()).toBeUndefined();
  });
});
