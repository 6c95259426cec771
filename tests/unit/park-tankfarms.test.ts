import { beforeAll, describe, expect, it } from 'vitest';
import { ifcGlobalId } from '../../scripts/models/gltf';
import { buildTankFarms, type TankFarmModel } from '../../scripts/models/tankfarms';
import { generate } from '../../scripts/gen-data';

/** The JSON chunk of a GLB (glTF 2.0 binary: 12-byte header, then chunk length, type, data). */
function glbJson(glb: ArrayBuffer): any {
  const dv = new DataView(glb);
  expect(dv.getUint32(0, true)).toBe(0x46546c67); // 'glTF'
  expect(dv.getUint32(4, true)).toBe(2);
  expect(dv.getUint32(8, true)).toBe(glb.byteLength);
  expect(dv.getUint32(16, true)).toBe(0x4e4f534a); // 'JSON'
  return JSON.parse(new TextDecoder().decode(new Uint8Array(glb, 20, dv.getUint32(12, true))));
}

describe('buildTankFarms', () => {
  const { registry } = generate();
  let models: TankFarmModel[];
  beforeAll(async () => {
    models = await buildTankFarms(registry);
  });

  it('builds one GLB per tank farm, anchored in the middle of its dike', () => {
    expect(models.map((m) => [m.id, m.file, m.siteId])).toEqual([
      ['sy-tf1', 'sy-tf1.glb', 'sy-tf1'],
      ['sy-tf2', 'sy-tf2.glb', 'sy-tf2'],
    ]);
    for (const m of models) {
      const farm = registry.sites.find((s) => s.id === m.id)!;
      const ring = (farm.geometry as { coordinates: number[][][] }).coordinates[0];
      expect(m.lonDeg).toBeGreaterThan(Math.min(...ring.map((c) => c[0])));
      expect(m.lonDeg).toBeLessThan(Math.max(...ring.map((c) => c[0])));
      expect(m.latDeg).toBeGreaterThan(Math.min(...ring.map((c) => c[1])));
      expect(m.latDeg).toBeLessThan(Math.max(...ring.map((c) => c[1])));
      expect([m.heightM, m.headingDeg]).toEqual([0, 0]);
      expect(m.glb.byteLength).toBeGreaterThan(10_000);
    }
  });

  it('has one mesh per tank, with its identity in extras', () => {
    for (const m of models) {
      const json = glbJson(m.glb);
      const tanks = registry.sites.filter((s) => s.kind === 'tank' && s.parentId === m.id);
      const nodes = json.nodes.filter((n: any) => n.extras?.ifcType === 'IfcTank');
      expect(nodes.map((n: any) => n.extras.tankId).sort()).toEqual(tanks.map((t) => t.id).sort());
      for (const n of nodes) {
        const tank = tanks.find((t) => t.id === n.extras.tankId)!;
        expect(n.mesh).toBeTypeOf('number');
        expect(n.extras).toMatchObject({ name: tank.name, siteId: tank.id, farmId: m.id, deviceId: `${tank.id}-sensor`, tankType: tank.props?.tankType });
        expect(n.extras.globalId).toMatch(/^[0-9A-Za-z_$]{22}$/);
        expect(n.extras.globalId).toBe(ifcGlobalId(tank.id));
      }
      // Dike, pipe rack and pipes besides the tanks, under one root.
      const kinds = json.nodes.map((n: any) => n.extras?.ifcType);
      expect(kinds).toEqual(expect.arrayContaining(['IfcSite', 'IfcWall', 'IfcMember', 'IfcPipeSegment']));
    }
  });

  it('puts each tank where the registry has it: x east, z south of the anchor', () => {
    const m = models[0];
    const json = glbJson(m.glb);
    const t1 = json.nodes.find((n: any) => n.extras?.tankId === 'sy-tf1-t1');
    const site = registry.sites.find((s) => s.id === 'sy-tf1-t1')!;
    const [lon, lat] = site.geometry.coordinates as number[];
    const [x, , z] = (t1.translation ?? (t1.matrix as number[]).slice(12, 15)) as number[];
    expect(x).toBeCloseTo((lon - m.lonDeg) * 111_320 * Math.cos((m.latDeg * Math.PI) / 180), 0);
    expect(z).toBeCloseTo(-(lat - m.latDeg) * 111_320, 0);
  });

  it('gives stable, distinct GlobalIds', () => {
    expect(ifcGlobalId('sy-tf1-t1')).toBe(ifcGlobalId('sy-tf1-t1'));
    const ids = registry.sites.filter((s) => s.kind === 'tank').map((t) => ifcGlobalId(t.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
