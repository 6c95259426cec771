import { describe, expect, it } from 'vitest';
import type { Device, Site } from '../../src/contracts';
import { NO_FILTER, firstLonLat, kindsIn, registryRows } from '../../src/state/registryRows';

const site = (id: string, over: Partial<Site> = {}): Site => ({
  id,
  scene: 'confined',
  kind: 'space',
  name: `Space ${id}`,
  nameZh: `有限空间${id}`,
  parentId: 'plant-1',
  geometry: { type: 'Polygon', coordinates: [[[120.7, 30.21], [120.701, 30.21], [120.701, 30.211], [120.7, 30.21]]] },
  ...over,
});
const device = (id: string, over: Partial<Device> = {}): Device => ({
  id,
  scene: 'confined',
  siteId: 's1',
  kind: 'gas_detector',
  name: `Detector ${id}`,
  nameZh: `气体探测器${id}`,
  position: [120.7005, 30.2105, 0],
  quantities: ['h2s_ppm'],
  intervalS: 5,
  ...over,
});

const sites = new Map([site('s1', { nameZh: '污水池' }), site('plant-1', { kind: 'plant', parentId: null }), site('tk-1', { scene: 'park', kind: 'tank', geometry: { type: 'Point', coordinates: [120.85, 30.2] } })].map((s) => [s.id, s]));
const devices = new Map([device('d-low'), device('d-up'), device('w1', { scene: 'park', kind: 'wind', siteId: 'tk-1' })].map((d) => [d.id, d]));
const ids = (f: Partial<typeof NO_FILTER>) => registryRows(sites, devices, { ...NO_FILTER, ...f }).map((r) => r.id);

describe('registryRows', () => {
  it.each([
    { what: 'everything: sites then devices, each by id', f: {}, want: ['plant-1', 's1', 'tk-1', 'd-low', 'd-up', 'w1'] },
    { what: 'one scene', f: { scene: 'park' as const }, want: ['tk-1', 'w1'] },
    { what: 'devices only', f: { type: 'device' as const }, want: ['d-low', 'd-up', 'w1'] },
    { what: 'one kind', f: { kind: 'plant' }, want: ['plant-1'] },
    { what: 'a Chinese name: the site and the devices in it', f: { query: '污水' }, want: ['s1', 'd-low', 'd-up'] },
    { what: 'devices by their site’s Chinese name', f: { query: '污水池', type: 'device' as const }, want: ['d-low', 'd-up'] },
    { what: 'every word must match', f: { query: 'detector up' }, want: ['d-up'] },
    { what: 'case does not matter', f: { query: 'D-LOW' }, want: ['d-low'] },
    { what: 'nothing matches', f: { query: 'zzz' }, want: [] },
  ])('$what', ({ f, want }) => {
    expect(ids(f)).toEqual(want);
  });

  it('keeps a position for every row: a device’s, a site’s first vertex or point', () => {
    const rows = registryRows(sites, devices, NO_FILTER);
    expect(rows.find((r) => r.id === 'tk-1')?.lonLat).toEqual([120.85, 30.2]);
    expect(rows.find((r) => r.id === 's1')?.lonLat).toEqual([120.7, 30.21]);
    expect(rows.find((r) => r.id === 'd-low')?.lonLat).toEqual([120.7005, 30.2105]);
    expect(firstLonLat({ type: 'MultiPolygon', coordinates: [[[[1, 2], [3, 4], [1, 2]]]] })).toEqual([1, 2]);
  });

  it('lists the kinds of a scene for the filter', () => {
    expect(kindsIn(sites, devices, 'park', 'all')).toEqual(['tank', 'wind']);
    expect(kindsIn(sites, devices, 'confined', 'site')).toEqual(['plant', 'space']);
  });

  it('finds devices among 20,000 by part of their id', () => {
    const many = new Map(Array.from({ length: 20_000 }, (_, i) => device(`dev-${i}`)).map((d) => [d.id, d]));
    const rows = registryRows(sites, many, { ...NO_FILTER, query: 'dev-1999' });
    expect(rows.map((r) => r.id)).toEqual(['dev-1999', 'dev-19990', 'dev-19991', 'dev-19992', 'dev-19993', 'dev-19994', 'dev-19995', 'dev-19996', 'dev-19997', 'dev-19998', 'dev-19999']);
  });
});
