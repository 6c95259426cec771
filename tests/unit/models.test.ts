/**
 * BIM models: the generated plant GLBs put every confined space at its registry position
 * with its metadata in `extras`; the manifest places each model; a sample IFC made with web-ifc
 * imports into a GLB with the same metadata and is registered so that build-models keeps it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Box3, type Mesh, Mesh as ThreeMesh, MeshStandardMaterial, type Object3D, Scene } from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../scripts/gen-data';
import { toXY } from '../../scripts/data/geo';
import type { Feature } from '../../scripts/data/util';
import { buildModels } from '../../scripts/build-models';
import { importIfc, parseImportArgs } from '../../scripts/import-ifc';
import { SAMPLE_ELEMENTS, makeSampleIfc } from '../../scripts/make-sample-ifc';
import { anchorOf } from '../../scripts/models/anchor';
import { exportGlb, ifcGlobalId, readGlbJson } from '../../scripts/models/gltf';
import type { ModelEntry } from '../../scripts/models/manifest';
import { spaceForm } from '../../scripts/models/plant';
import { block, place } from '../../scripts/models/shapes';

const { registry, layers } = generate();
const buildings = layers.buildings.features as Feature[];
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'citytwin-models-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Parses a GLB with three's own loader, as the space view will. */
function load(path: string): Promise<Object3D> {
  const buf = readFileSync(path);
  return new Promise((ok, fail) =>
    new GLTFLoader().parse(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), '', (g) => ok(g.scene), fail),
  );
}
const meshes = (root: Object3D): Mesh[] => {
  const out: Mesh[] = [];
  root.traverse((o) => (o as Mesh).isMesh && out.push(o as Mesh));
  return out;
};
const manifest = (dir: string, file = 'index.json') => JSON.parse(readFileSync(join(dir, file), 'utf8')) as ModelEntry[];

describe('IFC-like GlobalIds', () => {
  it('are 22 characters of the IFC alphabet, stable per key, different across keys', () => {
    const id = ifcGlobalId('kq-p1-s1/shell');
    expect(id).toMatch(/^[0-3][0-9A-Za-z_$]{21}$/);
    expect(ifcGlobalId('kq-p1-s1/shell')).toBe(id);
    expect(ifcGlobalId('kq-p1-s2/shell')).not.toBe(id);
  });
});

describe('space forms', () => {
  it.each([
    ['sewage pit', 'open-basin'],
    ['dye-chemical pit', 'open-basin'],
    ['sludge tank', 'round-tank'],
    ['sump', 'covered-sump'],
    ['underground duct', 'covered-duct'],
  ])('%s is built as %s', (type, form) => expect(spaceForm(type)).toBe(form));
});

describe('build-models: the demo plants', () => {
  const out = tmp();
  let entries: ModelEntry[] = [];
  beforeAll(async () => {
    entries = await buildModels({ registry, buildings, outDir: out, tankFarms: null });
  });
  const plants = registry.sites.filter((s) => s.kind === 'plant');

  it('writes one GLB per plant and a manifest that places it at the plant anchor', () => {
    expect(entries.map((e) => e.id)).toEqual(plants.map((p) => p.id));
    expect(manifest(out)).toEqual(entries);
    for (const p of plants) {
      const [lonDeg, latDeg] = anchorOf(p.geometry);
      expect(entries.find((e) => e.id === p.id)).toEqual({
        id: p.id, file: `${p.id}.glb`, siteId: p.id, lonDeg, latDeg, heightM: 0, headingDeg: 0,
        upAxis: 'Y', forwardAxis: 'X', elements: `${p.id}.elements.json`, source: 'generated',
      });
    }
    expect(entries[0]).toMatchObject({ lonDeg: 120.689, latDeg: 30.2135 });
  });

  it('gives every mesh its element metadata, with unique GlobalIds as node names', async () => {
    const all = meshes(await load(join(out, 'kq-p1.glb')));
    const ids = all.map((m) => m.userData.globalId as string);
    expect(new Set(ids).size).toBe(all.length);
    for (const m of all) {
      expect(m.name).toBe(m.userData.globalId);
      expect(m.userData.globalId).toMatch(/^[0-3][0-9A-Za-z_$]{21}$/);
      expect(['IfcWall', 'IfcBuilding', 'IfcRoof', 'IfcTank', 'IfcDistributionChamberElement', 'IfcSlab', 'IfcDuctSegment']).toContain(m.userData.ifcType);
      expect(m.userData.name).toEqual(expect.any(String));
    }
    const types = (t: string) => all.filter((m) => m.userData.ifcType === t).length;
    expect(types('IfcBuilding')).toBe(5);
    expect(types('IfcRoof')).toBe(5);
    expect(types('IfcWall')).toBe(1);
    // The sidecar index has exactly the nodes, by name.
    const index = JSON.parse(readFileSync(join(out, 'kq-p1.elements.json'), 'utf8')) as Record<string, { spaceId?: string }>;
    expect(Object.keys(index).sort()).toEqual([...ids].sort());
  });

  it('puts each confined space at its registry position, going down its depth', async () => {
    const all = meshes(await load(join(out, 'kq-p1.glb')));
    const anchor = anchorOf(plants[0].geometry);
    const spaces = registry.sites.filter((s) => s.kind === 'space' && s.parentId === 'kq-p1');
    expect(spaces.length).toBe(5);
    for (const s of spaces) {
      const parts = all.filter((m) => m.userData.spaceId === s.id);
      const shell = parts.find((m) => m.userData.ifcType !== 'IfcSlab')!;
      expect(shell, s.id).toBeDefined();
      const box = new Box3().setFromObject(shell);
      const ring = (s.geometry as { coordinates: number[][][] }).coordinates[0];
      const [e, n] = toXY(anchor, [(ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2]);
      // x east, y up, z south.
      expect((box.min.x + box.max.x) / 2, s.id).toBeCloseTo(e, 0);
      expect(-(box.min.z + box.max.z) / 2, s.id).toBeCloseTo(n, 0);
      expect(box.min.y, s.id).toBeCloseTo(-(s.props!.depthM as number) - 0.4, 5);
      const covered = parts.some((m) => m.userData.ifcType === 'IfcSlab');
      expect(covered, s.id).toBe(/sump|duct/.test(String(s.props!.spaceType)));
      expect(box.max.y, s.id).toBeCloseTo(covered ? 0 : 0.5, 5);
    }
  });

  it('is deterministic: a second build writes the same bytes', async () => {
    const again = tmp();
    await buildModels({ registry, buildings, outDir: again, tankFarms: null });
    for (const f of ['kq-p1.glb', 'kq-p2.glb', 'kq-p3.glb', 'kq-p3.elements.json', 'index.json']) {
      expect(readFileSync(join(again, f)).equals(readFileSync(join(out, f))), f).toBe(true);
    }
  });

  it('adds tank farms to the manifest: placed as their builder says, or at their site', async () => {
    const dir = tmp();
    const tiny = async (userData: Record<string, unknown> = {}) => {
      const scene = new Scene();
      const m = new ThreeMesh(place(block(2, 2, 0, 2), { cx: 0, cy: 0, angleRad: 0 }), new MeshStandardMaterial());
      m.name = 'tank';
      m.userData = { globalId: ifcGlobalId('t'), ifcType: 'IfcTank', name: 'tank' };
      scene.add(m);
      scene.userData = userData;
      return exportGlb(scene);
    };
    const farms = async () => [
      { file: 'sy-tf1.glb', glb: await tiny(), siteId: 'sy-tf1', lonDeg: 120.87, latDeg: 30.17, heightM: 0, headingDeg: 10 },
      { file: 'sy-tf2.glb', glb: await tiny() },
    ];
    const list = await buildModels({ registry, buildings: [], outDir: dir, tankFarms: farms });
    const [lonDeg, latDeg] = anchorOf(registry.sites.find((s) => s.id === 'sy-tf2')!.geometry);
    expect(list.filter((e) => e.source === 'tankfarm')).toEqual([
      expect.objectContaining({ id: 'sy-tf1', file: 'sy-tf1.glb', siteId: 'sy-tf1', lonDeg: 120.87, latDeg: 30.17, headingDeg: 10 }),
      expect.objectContaining({ id: 'sy-tf2', siteId: 'sy-tf2', lonDeg, latDeg, headingDeg: 0, elements: 'sy-tf2.elements.json' }),
    ]);
    expect(readGlbJson(readFileSync(join(dir, 'sy-tf2.glb'))).nodes?.[0].extras).toMatchObject({ ifcType: 'IfcTank' });
  });
});

describe('import:ifc', () => {
  const dir = tmp();
  const ifcPath = join(dir, 'sample-pit.ifc');
  const out = join(dir, 'models');
  let r: Awaited<ReturnType<typeof importIfc>>;
  beforeAll(async () => {
    writeFileSync(ifcPath, await makeSampleIfc());
    r = await importIfc({ ifcPath, lonDeg: 120.6895, latDeg: 30.2131, headingDeg: 15, outDir: out, registry, spaces: { [SAMPLE_ELEMENTS['Sample sewage pit'][1]]: 'kq-p1-s1' } });
  });

  it('converts the sample IFC into a GLB with GlobalId, IFC type and Name per element', async () => {
    expect(r).toMatchObject({ id: 'sample-pit', file: 'sample-pit.glb', count: 4, source: 'imported' });
    const all = meshes(await load(join(out, 'sample-pit.glb')));
    expect(all).toHaveLength(4);
    for (const [name, [ifcType, globalId]] of Object.entries(SAMPLE_ELEMENTS)) {
      const m = all.find((x) => x.userData.name === name)!;
      expect(m.userData, name).toMatchObject({ globalId, ifcType, name });
      expect(m.name).toBe(globalId);
    }
    // The pit: 6 × 4 m, from 3 m below ground to 0.5 m above, IFC +Y (north) → glTF −Z.
    const pit = all.find((m) => m.userData.ifcType === 'IfcTank')!;
    expect(pit.userData).toMatchObject({ spaceId: 'kq-p1-s1', tag: 'pit-1' });
    const box = new Box3().setFromObject(pit);
    expect(box.min.toArray().map((v) => Math.round(v * 100) / 100)).toEqual([-3, -3, -2]);
    expect(box.max.toArray().map((v) => Math.round(v * 100) / 100)).toEqual([3, 0.5, 2]);
    const north = new Box3().setFromObject(all.find((m) => m.userData.name === 'Pump house wall north')!);
    expect(north.max.z).toBeCloseTo(-2.76, 2);
  });

  it('registers the model in index.json and imported.json, and build-models keeps it', async () => {
    const entry = { id: 'sample-pit', file: 'sample-pit.glb', siteId: null, lonDeg: 120.6895, latDeg: 30.2131, heightM: 0, headingDeg: 15, upAxis: 'Y', forwardAxis: 'X', elements: 'sample-pit.elements.json', source: 'imported' };
    expect(manifest(out)).toEqual([entry]);
    expect(manifest(out, 'imported.json')).toEqual([entry]);
    const rebuilt = await buildModels({ registry, buildings, outDir: out, tankFarms: null });
    expect(rebuilt.map((e) => e.id)).toEqual(['kq-p1', 'kq-p2', 'kq-p3', 'sample-pit']);
    expect(manifest(out).find((e) => e.id === 'sample-pit')).toEqual(entry);
  });

  it('an import under a plant id replaces that plant\'s generated model', async () => {
    const own = join(tmp(), 'models'); // a manifest of its own: the test above reads the shared one
    await importIfc({ ifcPath, lonDeg: 120.689, latDeg: 30.2135, id: 'kq-p2', outDir: own, registry });
    const list = await buildModels({ registry, buildings, outDir: own, tankFarms: null });
    expect(list.find((e) => e.id === 'kq-p2')).toMatchObject({ source: 'imported', siteId: 'kq-p2', file: 'kq-p2.glb' });
    expect(meshes(await load(join(own, 'kq-p2.glb')))).toHaveLength(4);
  });

  it.each([
    [['a.ifc', '--at', '120.7,30.2'], { lonDeg: 120.7, latDeg: 30.2, headingDeg: 0 }],
    [['a.ifc', '--at', '120.7,30.2,-30', '--id', 'kq-p9', '--space', 'X=kq-p1-s1'], { headingDeg: -30, id: 'kq-p9', spaces: { X: 'kq-p1-s1' } }],
  ])('reads %j', (argv, expected) => expect(parseImportArgs(argv)).toMatchObject(expected));

  it.each([[['a.ifc']], [['a.ifc', '--at', '120.7']], [['a.ifc', '--at', '200,30']], [['--at', '120,30']], [['a.ifc', '--at', '1,2', '--space', 'X']]])('refuses %j', (argv) => {
    expect(() => parseImportArgs(argv)).toThrow();
  });
});
