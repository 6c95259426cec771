/** Far-zoom aggregation: which mark a device counts under, and each mark's worst state and counts. */
import { describe, expect, it } from 'vitest';
import type { Site } from '../../src/contracts';
import { CLUSTER_CELL_DEG, ClusterCounts, clusterKeyOf } from '../../src/view';

const site = (id: string, kind: Site['kind'], parentId: string | null): Site => ({
  id, kind, parentId, scene: 'confined', name: id, nameZh: id, geometry: { type: 'Point', coordinates: [120.5, 30] },
});
const SITES = new Map(
  [
    site('keqiao', 'area', null),
    site('plant-1', 'plant', 'keqiao'),
    site('space-1', 'space', 'plant-1'),
    site('space-2', 'space', 'plant-1'),
    site('ent-1', 'enterprise', 'keqiao'),
    site('farm-1', 'tankfarm', 'ent-1'),
    site('tank-1', 'tank', 'farm-1'),
    site('seg-1', 'segment', 'keqiao'),
    site('seg-2', 'segment', 'keqiao'),
    site('loop-a', 'segment', 'loop-b'),
    site('loop-b', 'segment', 'loop-a'),
  ].map((s) => [s.id, s]),
);

describe('clusterKeyOf', () => {
  it.each([
    { what: 'a space counts under its plant', siteId: 'space-2', at: [120.51, 30.01], key: 'plant-1' },
    { what: 'the plant itself', siteId: 'plant-1', at: [120.51, 30.01], key: 'plant-1' },
    { what: 'a tank under its enterprise, two levels up', siteId: 'tank-1', at: [120.6, 30.1], key: 'ent-1' },
    { what: 'a segment straight off the area: the area\'s grid cell', siteId: 'seg-1', at: [120.51, 30.01], key: `keqiao@${Math.floor(120.51 / CLUSTER_CELL_DEG)},${Math.floor(30.01 / CLUSTER_CELL_DEG)}` },
    { what: 'a device on the area itself: its cell too', siteId: 'keqiao', at: [120.51, 30.01], key: `keqiao@${Math.floor(120.51 / CLUSTER_CELL_DEG)},${Math.floor(30.01 / CLUSTER_CELL_DEG)}` },
    { what: 'an unknown site: a cell of its own kind', siteId: 'nowhere', at: [120.51, 30.01], key: `?@${Math.floor(120.51 / CLUSTER_CELL_DEG)},${Math.floor(30.01 / CLUSTER_CELL_DEG)}` },
  ])('$what', ({ siteId, at, key }) => {
    expect(clusterKeyOf(SITES, siteId, at as [number, number])).toBe(key);
  });

  it('groups segments of one cell together and splits those of another', () => {
    const a = clusterKeyOf(SITES, 'seg-1', [120.501, 30.001]);
    expect(clusterKeyOf(SITES, 'seg-2', [120.502, 30.002])).toBe(a);
    expect(clusterKeyOf(SITES, 'seg-2', [120.502 + CLUSTER_CELL_DEG, 30.002])).not.toBe(a);
  });

  it('ends on a parent loop in a bad registry', () => {
    expect(typeof clusterKeyOf(SITES, 'loop-a', [120.5, 30])).toBe('string');
  });
});

describe('ClusterCounts', () => {
  it('shows the worst state of its devices and counts each state', () => {
    const c = new ClusterCounts();
    for (let i = 0; i < 40; i++) c.move('plant-1', null, 'nodata');
    for (let i = 0; i < 37; i++) c.move('plant-1', 'nodata', 'normal');
    c.move('plant-1', 'nodata', 'stale');
    expect(c.summary('plant-1')).toMatchObject({ total: 40, worst: 'stale', counts: { normal: 37, stale: 1, nodata: 2 } });
    // One device raises a major alarm: the whole plant reads major at far zoom.
    c.move('plant-1', 'normal', 'major');
    expect(c.summary('plant-1')).toMatchObject({ total: 40, worst: 'major', counts: { major: 1, normal: 36 } });
    // Then a critical one elsewhere in the plant, and the major clears.
    c.move('plant-1', 'normal', 'critical');
    c.move('plant-1', 'major', 'normal');
    expect(c.summary('plant-1')).toMatchObject({ total: 40, worst: 'critical', counts: { critical: 1, major: 0, normal: 36 } });
  });

  it('keeps clusters apart and says nothing of an empty one', () => {
    const c = new ClusterCounts();
    c.move('a', null, 'critical');
    c.move('b', null, 'normal');
    expect(c.summary('a').worst).toBe('critical');
    expect(c.summary('b').worst).toBe('normal');
    expect(c.summary('nothing')).toMatchObject({ total: 0, worst: null });
    expect([...c.keys()].sort()).toEqual(['a', 'b']);
  });
});
