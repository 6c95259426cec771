import { describe, expect, it } from 'vitest';
import { generate } from '../../scripts/gen-data';
import type { Site } from '../../src/contracts';
import { DEFAULT_FREE_FLOW_KMH, buildRoadGraph, nearestNode, nearestSegments, routeNodes } from '../../src/domain';

const line = (id: string, coordinates: [number, number][], props: Site['props'] = {}): Site => ({
  id,
  scene: 'roads',
  kind: 'segment',
  name: id,
  nameZh: id,
  parentId: null,
  geometry: { type: 'LineString', coordinates },
  props,
});

describe('buildRoadGraph', () => {
  it('makes one directed edge per segment, with nodes at fromNode / toNode', () => {
    const g = buildRoadGraph([
      line('ab', [[120, 30], [120.01, 30]], { fromNode: 'A', toNode: 'B', lengthM: 1000, freeFlowKmh: 80, roadClass: 'expressway' }),
      line('ba', [[120.01, 30], [120, 30]], { fromNode: 'B', toNode: 'A', lengthM: 1000, freeFlowKmh: 80, roadClass: 'expressway' }),
    ]);
    expect([...g.nodes.keys()]).toEqual(['A', 'B']);
    expect(g.edgeById.get('ab')).toMatchObject({ from: 'A', to: 'B', lengthM: 1000, freeFlowKmh: 80, roadClass: 'expressway' });
    expect(g.nodes.get('A')!.out.map((i) => g.edges[i].segmentId)).toEqual(['ab']);
  });

  it('joins segments without node ids at shared end points, and fills in length and free flow', () => {
    const g = buildRoadGraph([
      line('s1', [[120, 30], [120.01, 30]], { roadClass: 'secondary' }),
      line('s2', [[120.01, 30], [120.02, 30]]),
    ]);
    expect(g.nodes.size).toBe(3);
    expect(g.edgeById.get('s1')!.to).toBe(g.edgeById.get('s2')!.from);
    // 0.01° of longitude at 30° N ≈ 963 m.
    expect(g.edgeById.get('s1')!.lengthM).toBeCloseTo(963, -1);
    expect(g.edgeById.get('s1')!.freeFlowKmh).toBe(DEFAULT_FREE_FLOW_KMH.secondary);
    expect(g.edgeById.get('s2')!.roadClass).toBeNull();
    expect(routeNodes(g, g.edgeById.get('s1')!.from, g.edgeById.get('s2')!.to)?.segmentIds).toEqual(['s1', 's2']);
  });

  it('ignores sites that are not segments with a line', () => {
    const point: Site = { ...line('p', [[120, 30], [120.1, 30]]), kind: 'station', geometry: { type: 'Point', coordinates: [120, 30] } };
    expect(buildRoadGraph([point]).edges).toEqual([]);
  });
});

describe('nearest node and segment', () => {
  const g = buildRoadGraph([
    line('ab', [[120, 30], [120.01, 30]], { fromNode: 'A', toNode: 'B' }),
    line('ba', [[120.01, 30], [120, 30]], { fromNode: 'B', toNode: 'A' }),
    line('bc', [[120.01, 30], [120.01, 30.01]], { fromNode: 'B', toNode: 'C' }),
  ]);

  it('finds the nearest node and its distance', () => {
    const n = nearestNode(g, [120.0095, 30.0003])!;
    expect(n.node.id).toBe('B');
    expect(n.distanceM).toBeGreaterThan(30);
    expect(n.distanceM).toBeLessThan(80);
  });

  it('snaps a point onto both directions of a road, with how far along each it lies', () => {
    const snaps = nearestSegments(g, [120.0025, 30.0002]);
    expect(snaps.map((s) => s.edge.segmentId).sort()).toEqual(['ab', 'ba']);
    const ab = snaps.find((s) => s.edge.segmentId === 'ab')!;
    const ba = snaps.find((s) => s.edge.segmentId === 'ba')!;
    expect(ab.fraction).toBeCloseTo(0.25, 2);
    expect(ba.fraction).toBeCloseTo(0.75, 2);
    expect(ab.distanceM).toBeCloseTo(22, 0); // 0.0002° of latitude ≈ 22 m
  });

  it('does not snap to excluded segments', () => {
    const snaps = nearestSegments(g, [120.0025, 30.0002], 1, new Set(['ab', 'ba']));
    expect(snaps.map((s) => s.edge.segmentId)).toEqual(['bc']);
  });
});

describe('the demo network', () => {
  const segments = generate().registry.sites.filter((s) => s.kind === 'segment');
  const g = buildRoadGraph(segments);

  it('has every segment as an edge between named nodes', () => {
    expect(g.edges.length).toBe(segments.length);
    expect([...g.nodes.keys()].every((id) => id.startsWith('zj-nd-'))).toBe(true);
  });

  it('is strongly connected: every node reaches every other', () => {
    const ids = [...g.nodes.keys()];
    for (const to of ids) expect(routeNodes(g, ids[0], to), `to ${to}`).not.toBeNull();
    for (const from of ids) expect(routeNodes(g, from, ids[0]), `from ${from}`).not.toBeNull();
  });
});
