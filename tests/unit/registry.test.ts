import { describe, expect, it } from 'vitest';
import { generate } from '../../scripts/gen-data';
import { isQuantity, SCENES, type Device, type Geometry, type Scene, type Site } from '../../src/contracts';

const g = generate();
const { sites, devices } = g.registry;
const byId = new Map(sites.map((s) => [s.id, s]));
const sitesOf = (scene: Scene, kind: Site['kind']): Site[] => sites.filter((s) => s.scene === scene && s.kind === kind);
const devicesOf = (kind: Device['kind']): Device[] => devices.filter((d) => d.kind === kind);
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Demo places, as [west, south, east, north]. */
const BOXES: Record<Scene, [number, number, number, number]> = {
  confined: [120.66, 30.19, 120.74, 30.24], // Keqiao dyeing cluster ≈ 120.70, 30.21
  park: [120.8, 30.12, 120.93, 30.27], // Shangyu Hangzhou Bay park north block
  roads: [120.05, 29.4, 120.4, 29.9], // Zhuji network round 120.240, 29.716
};

function positions(geom: Geometry): number[][] {
  switch (geom.type) {
    case 'Point':
      return [geom.coordinates];
    case 'LineString':
      return geom.coordinates;
    case 'Polygon':
      return geom.coordinates.flat();
    case 'MultiPolygon':
      return geom.coordinates.flat(2);
  }
}

const inBox = (scene: Scene, [lon, lat]: number[]): boolean => {
  const [w, s, e, n] = BOXES[scene];
  return lon >= w && lon <= e && lat >= s && lat <= n;
};

describe('demo registry: confined spaces (Keqiao)', () => {
  const plants = sitesOf('confined', 'plant');

  it('has at least 3 plants with at least 4 spaces each', () => {
    expect(plants.length).toBeGreaterThanOrEqual(3);
    for (const p of plants) {
      expect(sitesOf('confined', 'space').filter((s) => s.parentId === p.id).length).toBeGreaterThanOrEqual(4);
      expect(p.props?.people).toBeGreaterThan(0);
    }
  });

  it('gives every space exactly one upper, middle and lower gas detector, deeper going down, and an access terminal', () => {
    for (const space of sitesOf('confined', 'space')) {
      const gas = devices.filter((d) => d.siteId === space.id && d.kind === 'gas_detector');
      expect(gas.map((d) => d.level).sort(), space.id).toEqual(['lower', 'middle', 'upper']);
      const h = Object.fromEntries(gas.map((d) => [d.level, d.position[2]]));
      expect(h.upper).toBeGreaterThan(h.middle);
      expect(h.middle).toBeGreaterThan(h.lower);
      expect(h.lower).toBeGreaterThan(-(space.props?.depthM as number));
      for (const d of gas) {
        expect(d.quantities).toEqual(['o2_pct', 'h2s_ppm', 'co_ppm', 'nh3_ppm', 'lel_pct']);
        expect(d.intervalS).toBe(5);
      }
      const access = devices.filter((d) => d.siteId === space.id && d.kind === 'access');
      expect(access).toHaveLength(1);
      expect(access[0].quantities).toEqual([]);
      expect(space.props?.depthM).toBeGreaterThanOrEqual(2);
      expect(space.props?.depthM).toBeLessThanOrEqual(6);
      expect(byId.get(space.parentId!)?.kind).toBe('plant');
    }
  });
});

describe('demo registry: chemical park (Shangyu)', () => {
  it('has at least 12 enterprises with a realistic mix of risk levels', () => {
    const ents = sitesOf('park', 'enterprise');
    expect(ents.length).toBeGreaterThanOrEqual(12);
    const count = (r: string): number => ents.filter((e) => e.props?.riskLevel === r).length;
    expect(count('red')).toBeGreaterThanOrEqual(1);
    expect(count('red')).toBeLessThanOrEqual(2);
    expect(count('orange')).toBeGreaterThanOrEqual(2);
    expect(count('yellow') + count('blue')).toBeGreaterThan(count('red') + count('orange'));
    for (const e of ents) {
      expect(['red', 'orange', 'yellow', 'blue']).toContain(e.props?.riskLevel);
      expect(e.props?.people).toBeGreaterThan(0);
      expect(e.props?.buildingHeightM).toBeGreaterThan(0);
    }
  });

  it('has 2 tank farms of an enterprise, each with 6+ tanks, a tank sensor per tank and 2 dike gas detectors', () => {
    const farms = sitesOf('park', 'tankfarm');
    expect(farms).toHaveLength(2);
    for (const f of farms) {
      expect(byId.get(f.parentId!)?.kind).toBe('enterprise');
      const tanks = sitesOf('park', 'tank').filter((t) => t.parentId === f.id);
      expect(tanks.length).toBeGreaterThanOrEqual(6);
      for (const t of tanks) {
        const sensors = devices.filter((d) => d.siteId === t.id && d.kind === 'tank_sensor');
        expect(sensors).toHaveLength(1);
        expect(sensors[0].limits?.pressure_kpa?.high).toBeGreaterThan(0);
        expect(['vertical', 'sphere']).toContain(t.props?.tankType);
      }
      expect(devices.filter((d) => d.siteId === f.id && d.kind === 'dike_gas')).toHaveLength(2);
    }
  });

  it.each([
    ['boundary_gas', 6, 6],
    ['wind', 1, 1],
    ['truck', 5, 5],
  ] as const)('has %s devices (%i to %i)', (kind, min, max) => {
    const n = devicesOf(kind).length;
    expect(n).toBeGreaterThanOrEqual(min);
    expect(n).toBeLessThanOrEqual(max);
  });

  it('has 3–4 gates and a hazmat lot', () => {
    expect(sitesOf('park', 'gate').length).toBeGreaterThanOrEqual(3);
    expect(sitesOf('park', 'gate').length).toBeLessThanOrEqual(4);
    expect(sitesOf('park', 'lot')).toHaveLength(1);
  });

  it('has park roads with one permitted hazmat route', () => {
    const f = g.layers['park-roads'].features;
    expect(f.filter((x) => x.properties.kind === 'park_road').length).toBeGreaterThan(10);
    expect(f.filter((x) => x.properties.kind === 'hazmat_route')).toHaveLength(1);
  });
});

describe('demo registry: roads (Zhuji)', () => {
  const segs = sitesOf('roads', 'segment');

  it('has at least 40 directed segments, each with a detector, a valid class and graph nodes', () => {
    expect(segs.length).toBeGreaterThanOrEqual(40);
    for (const s of segs) {
      expect(['expressway', 'arterial', 'secondary']).toContain(s.props?.roadClass);
      expect(s.geometry.type).toBe('LineString');
      expect(s.props?.lengthM).toBeGreaterThan(0);
      expect(s.props?.fromNode).not.toBe(s.props?.toNode);
      const det = devices.filter((d) => d.siteId === s.id && d.kind === 'traffic_detector');
      expect(det, s.id).toHaveLength(1);
    }
  });

  it('splits expressways into segments of at most 6 km and joins roads at shared nodes', () => {
    for (const s of segs.filter((x) => x.props?.roadClass === 'expressway')) {
      expect(s.props?.lengthM as number).toBeLessThanOrEqual(6100);
    }
    const from = new Set(segs.map((s) => s.props?.fromNode));
    // every segment end can be driven on from (a directed graph without dead ends but the road ends)
    const deadEnds = segs.filter((s) => !from.has(s.props?.toNode)).length;
    expect(deadEnds).toBe(0);
    const roadsAtHub = new Set(segs.filter((s) => s.props?.fromNode === 'zj-nd-hub').map((s) => s.props?.roadKey));
    expect(roadsAtHub.size).toBe(2);
  });

  it('has 2 weather devices, a road operator and 2 bridges', () => {
    expect(devicesOf('weather')).toHaveLength(2);
    expect(devicesOf('road_operator')).toHaveLength(1);
    expect(sitesOf('roads', 'bridge')).toHaveLength(2);
  });
});

describe('demo registry: integrity', () => {
  it('has version 1 and three area sites, one per scene', () => {
    expect(g.registry.version).toBe(1);
    for (const scene of SCENES) expect(sitesOf(scene, 'area')).toHaveLength(1);
  });

  it('has unique ids matching the id pattern', () => {
    const ids = [...sites.map((s) => s.id), ...devices.map((d) => d.id)];
    expect(new Set(devices.map((d) => d.id)).size).toBe(devices.length);
    expect(new Set(sites.map((s) => s.id)).size).toBe(sites.length);
    for (const id of ids) expect(id).toMatch(ID);
  });

  it('links every device to an existing site of its scene, and every parent exists', () => {
    for (const d of devices) expect(byId.get(d.siteId)?.scene, d.id).toBe(d.scene);
    for (const s of sites) if (s.parentId !== null) expect(byId.get(s.parentId)?.scene, s.id).toBe(s.scene);
  });

  it('names everything in English and Chinese', () => {
    for (const x of [...sites, ...devices]) {
      expect(x.name.length).toBeGreaterThan(0);
      expect(x.nameZh).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('uses only quantities of the contract, and sensible reporting intervals', () => {
    for (const d of devices) {
      for (const q of d.quantities) expect(isQuantity(q), `${d.id} ${q}`).toBe(true);
      for (const q of Object.keys(d.limits ?? {})) expect(isQuantity(q)).toBe(true);
      expect(d.intervalS).toBeGreaterThan(0);
    }
  });

  it('places every site and device inside its demo place', () => {
    for (const s of sites) for (const p of positions(s.geometry)) expect(inBox(s.scene, p), `${s.id} ${p}`).toBe(true);
    for (const d of devices) {
      expect(d.position).toHaveLength(3);
      expect(inBox(d.scene, d.position), `${d.id} ${d.position}`).toBe(true);
    }
  });

  it('closes polygon rings', () => {
    const all: Geometry[] = [...sites.map((s) => s.geometry), ...Object.values(g.layers).flatMap((l) => l.features.map((f) => f.geometry as Geometry))];
    for (const geom of all) {
      const rings = geom.type === 'Polygon' ? geom.coordinates : geom.type === 'MultiPolygon' ? geom.coordinates.flat() : [];
      for (const r of rings) {
        expect(r.length).toBeGreaterThanOrEqual(4);
        expect(r[r.length - 1]).toEqual(r[0]);
      }
    }
  });

  it('keeps the base layers named, kinded and small', () => {
    for (const [name, layer] of Object.entries(g.layers)) {
      expect(layer.features.length, name).toBeGreaterThan(0);
      for (const f of layer.features) {
        expect(typeof f.properties.kind).toBe('string');
        expect(typeof f.properties.name).toBe('string');
        expect(typeof f.properties.nameZh).toBe('string');
      }
    }
    expect(g.layers.districts.features).toHaveLength(6);
    expect(g.layers.buildings.features.length).toBeLessThanOrEqual(1500);
    expect(JSON.stringify(g.layers.buildings).length).toBeLessThan(1.5e6);
    for (const f of g.layers.buildings.features) expect(f.properties.heightM).toBeGreaterThan(0);
  });

  it('is deterministic', () => {
    expect(generate()).toEqual(g);
  });
});
