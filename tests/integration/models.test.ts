/**
 * Models for one's own sites against the real service: an admin uploads a GLB and then an IFC for a
 * yard (the IFC converted by the import code in a child process), places and turns it, and removes
 * it. The file lands under DATA_DIR/models named by the site and its content, whatever name or path
 * the client sends; it is served behind the login; each change is a registry version with an audit
 * entry; the answer says how much of the footprint lies outside the yard's outline. Wrong formats,
 * oversized files, other roles and no login are refused before anything is stored.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BoxGeometry, Mesh, MeshStandardMaterial } from 'three';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_FILE_PATTERN } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { readGlbJson, exportGlb } from '../../scripts/models/gltf';
import { makeSampleIfc } from '../../scripts/make-sample-ifc';
import { api, login, removeDir, startTestService, tempDataDir } from './helpers';

let svc: Service;
let dir: string;
let admin: string;
let inspector: string;
let glb: Uint8Array;

const LAT = 30.215;
const LON = 120.705;
/** Degrees per metre at the yard (turf's sphere). */
const perM = { lon: 180 / Math.PI / (6_371_008.8 * Math.cos((LAT * Math.PI) / 180)), lat: 180 / Math.PI / 6_371_008.8 };
/** A 30 m × 30 m yard around (LON, LAT). */
const half = { lon: 15 * perM.lon, lat: 15 * perM.lat };
const yard = {
  id: 'm-yard',
  scene: 'confined',
  kind: 'plant',
  name: 'Wastewater yard',
  nameZh: '污水处理区',
  parentId: null,
  geometry: { type: 'Polygon', coordinates: [[[LON - half.lon, LAT - half.lat], [LON + half.lon, LAT - half.lat], [LON + half.lon, LAT + half.lat], [LON - half.lon, LAT + half.lat], [LON - half.lon, LAT - half.lat]]] },
};

const version = async () => (await api(svc, '/api/registry/version', { token: admin })).body.version as number;
const modelsDir = () => join(dir, 'models');
const storedFiles = () => (existsSync(modelsDir()) ? readdirSync(modelsDir()) : []);

/** PUT /api/sites/{id}/model with raw bytes. */
async function upload(siteId: string, bytes: Uint8Array, opts: { token?: string; name?: string; type?: string } = {}) {
  const q = opts.name === undefined ? '' : `?name=${encodeURIComponent(opts.name)}`;
  const headers: Record<string, string> = { 'content-type': opts.type ?? 'application/octet-stream' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(`${svc.url}/api/sites/${siteId}/model${q}`, { method: 'PUT', headers, body: new Uint8Array(bytes) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  dir = tempDataDir();
  // A small limit, so "too big" is a few hundred KB.
  svc = await startTestService(dir, { MODEL_MAX_MB: '0.25' });
  [admin, inspector] = await Promise.all([login(svc, 'admin'), login(svc, 'inspector')]);
  expect((await api(svc, '/api/sites', { token: admin, body: yard })).status).toBe(201);
  // A 20 m (east) × 5 m (up) × 10 m (north–south) box around its origin.
  glb = await exportGlb(new Mesh(new BoxGeometry(20, 5, 10), new MeshStandardMaterial()));
});

afterAll(async () => {
  await svc?.close();
  removeDir(dir);
});

describe('uploading a site model', () => {
  it('is refused without a login (401), for a non-admin (403), in a wrong format (400) and over the limit (413); nothing is stored', async () => {
    const v0 = await version();
    expect((await upload('m-yard', glb)).status).toBe(401);
    const other = await upload('m-yard', glb, { token: inspector });
    expect(other.status).toBe(403);
    // A PNG named like a model, and a text file: the bytes decide, not the name.
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(64).fill(0)]);
    const wrong = await upload('m-yard', png, { token: admin, name: 'plant.glb' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'unsupported_format' });
    expect((await upload('m-yard', new TextEncoder().encode('solid cube\nendsolid'), { token: admin, name: 'plant.ifc' })).status).toBe(400);
    // A GLB cut short.
    expect((await upload('m-yard', glb.subarray(0, glb.byteLength - 10), { token: admin })).body).toMatchObject({ error: 'invalid_model' });
    // IFC by its header, but nothing with geometry in it: the converter says so.
    const empty = new TextEncoder().encode("ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION((''),'2;1');\nFILE_NAME('','',(''),(''),'','','');\nFILE_SCHEMA(('IFC4'));\nENDSEC;\nDATA;\nENDSEC;\nEND-ISO-10303-21;\n");
    const noGeometry = await upload('m-yard', empty, { token: admin });
    expect(noGeometry.status).toBe(400);
    expect(noGeometry.body.error).toBe('invalid_model');

    const big = new Uint8Array(300 * 1024);
    big.set(glb);
    const tooBig = await upload('m-yard', big, { token: admin });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ error: 'too_large', message: expect.stringMatching(/over the 0\.25 MiB limit .*MODEL_MAX_MB/) });
    // The same without a Content-Length (chunked): stopped while it is read.
    const chunked = await fetch(`${svc.url}/api/sites/m-yard/model`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/octet-stream' },
      body: new ReadableStream({ start: (c) => (c.enqueue(big), c.enqueue(big), c.close()) }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect((await upload('no-such-site', glb, { token: admin })).status).toBe(404);
    expect(await version()).toBe(v0);
    expect(storedFiles()).toEqual([]);
  });

  it('stores a GLB under DATA_DIR/models by site and content hash, whatever path the client names; serves it behind the login; a new version, audited', async () => {
    const v0 = await version();
    const r = await upload('m-yard', glb, { token: admin, name: '../../../../etc/cron.d/evil.glb' });
    expect(r.status).toBe(201);
    const { model, check } = r.body;
    expect(model.file).toMatch(MODEL_FILE_PATTERN);
    expect(model.file.startsWith('m-yard-')).toBe(true);
    expect(model).toMatchObject({ format: 'glb', bytes: glb.byteLength, label: 'evil.glb', uploadedBy: 'admin', headingDeg: 0, scale: 1 });
    // Placed at the yard's centre: the 20 × 10 m footprint is inside the 30 × 30 m yard.
    expect(model.lonDeg).toBeCloseTo(LON, 6);
    expect(model.latDeg).toBeCloseTo(LAT, 6);
    expect(check.outsidePct).toBe(0);
    expect(check.footprintM2).toBeCloseTo(200, -1);
    expect(r.body.version).toBe(v0 + 1);
    expect(await version()).toBe(v0 + 1);

    expect(storedFiles()).toEqual([model.file]);
    expect(new Uint8Array(readFileSync(join(modelsDir(), model.file)))).toEqual(glb);
    expect(readdirSync(dir).some((f) => f.includes('evil') || f === 'etc')).toBe(false);

    const served = await fetch(`${svc.url}/api/models/${model.file}`, { headers: { authorization: `Bearer ${inspector}` } });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('model/gltf-binary');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(glb);
    expect((await fetch(`${svc.url}/api/models/${model.file}`)).status).toBe(401);
    for (const p of ['..%2F..%2Fcitytwin.db', '%2e%2e%2fcitytwin.db', 'm-yard-0000000000000000.glb']) {
      expect((await api(svc, `/api/models/${p}`, { token: admin })).status).toBe(404);
    }

    // Browsers reload the registry: the site carries its model.
    const site = (await api(svc, '/api/sites', { token: inspector })).body.find((s: any) => s.id === 'm-yard');
    expect(site.props.model).toMatchObject({ file: model.file, lonDeg: model.lonDeg });
    const audit = (await api(svc, '/api/audit?action=config.site.model', { token: admin })).body;
    expect(audit[0]).toMatchObject({ action: 'config.site.model.upload', target: 'm-yard', user: 'admin', detail: { format: 'glb', file: model.file, outsidePct: 0 } });
  });

  it('places, turns and scales it: the answer says how much of the footprint lies outside the outline', async () => {
    const v0 = await version();
    // 10 m east: the box spans 0…20 m east of the centre, the yard 15 m: a quarter is outside.
    const east = await api(svc, '/api/sites/m-yard/model', { token: admin, method: 'PATCH', body: { lonDeg: LON + 10 * perM.lon } });
    expect(east.status).toBe(200);
    expect(east.body.check.outsidePct).toBeCloseTo(25, 0);
    expect(east.body.version).toBe(v0 + 1);
    // Back to the centre, turned 90° and doubled: 20 m east–west × 40 m north–south in a 30 m square.
    const turned = await api(svc, '/api/sites/m-yard/model', { token: admin, method: 'PATCH', body: { lonDeg: LON, headingDeg: 90, scale: 2 } });
    expect(turned.body.model).toMatchObject({ headingDeg: 90, scale: 2 });
    expect(turned.body.check.outsidePct).toBeCloseTo(25, 0);
    expect(turned.body.check.footprintM2).toBeCloseTo(800, -1);
    expect((await api(svc, '/api/sites/m-yard/model', { token: inspector })).body.check.outsidePct).toBeCloseTo(25, 0);

    const bad = await api(svc, '/api/sites/m-yard/model', { token: admin, method: 'PATCH', body: { scale: 0, file: '../x.glb' } });
    expect(bad.status).toBe(400);
    expect((await api(svc, '/api/sites/m-yard/model', { token: inspector, method: 'PATCH', body: { headingDeg: 10 } })).status).toBe(403);
    expect(await version()).toBe(v0 + 2);
    const audit = (await api(svc, '/api/audit?action=config.site.model.place', { token: admin })).body;
    expect(audit[0].detail).toMatchObject({ headingDeg: 90, scale: 2, outsidePct: 25 });
  });

  it('keeps the model when the site itself is changed, and lets nobody set one through the site', async () => {
    const before = (await api(svc, '/api/sites/m-yard/model', { token: admin })).body.model;
    const r = await api(svc, '/api/sites/m-yard', { token: admin, method: 'PATCH', body: { name: 'Wastewater yard (east)', props: { people: 4 } } });
    expect(r.status).toBe(200);
    expect(r.body.site.props).toMatchObject({ people: 4, model: before });
    const forged = await api(svc, '/api/sites', { token: admin, body: { ...yard, id: 'm-forged', props: { model: { ...before, file: '../../etc/passwd' } } } });
    expect(forged.status).toBe(201);
    expect(forged.body.site.props?.model).toBeUndefined();
  });

  it('replaces it with an IFC converted by the import code, keeping the placement; the old file goes', async () => {
    const old = (await api(svc, '/api/sites/m-yard/model', { token: admin })).body.model;
    const r = await upload('m-yard', await makeSampleIfc(), { token: admin, name: 'C:\\plans\\pump house.ifc' });
    expect(r.status).toBe(200);
    const { model } = r.body;
    expect(model).toMatchObject({ format: 'ifc', label: 'pump house.ifc', headingDeg: 90, scale: 2 });
    // The sample: a 6 × 4 m pit at the origin and a pump house reaching 13 m east of it.
    expect(model.bounds.min[0]).toBeCloseTo(-3, 1);
    expect(model.bounds.max[0]).toBeCloseTo(13, 0);
    expect(model.bounds.min[2]).toBeCloseTo(-3, 1);
    expect(storedFiles()).toEqual([model.file]);
    expect(model.file).not.toBe(old.file);
    const served = await fetch(`${svc.url}/api/models/${model.file}`, { headers: { authorization: `Bearer ${inspector}` } });
    const names = (readGlbJson(new Uint8Array(await served.arrayBuffer())).nodes ?? []).map((n) => (n.extras as { name?: string } | undefined)?.name);
    expect(names).toEqual(expect.arrayContaining(['Sample sewage pit', 'Pump house wall east']));
  }, 60_000);

  it('removes it: the file goes, the site stays, a new version, audited', async () => {
    const v0 = await version();
    const r = await api(svc, '/api/sites/m-yard/model', { token: admin, method: 'DELETE' });
    expect(r.status).toBe(200);
    expect(r.body.version).toBe(v0 + 1);
    expect(storedFiles()).toEqual([]);
    expect((await api(svc, '/api/sites/m-yard/model', { token: admin })).status).toBe(404);
    expect((await api(svc, '/api/sites', { token: admin })).body.find((s: any) => s.id === 'm-yard').props?.model).toBeUndefined();
    expect((await api(svc, '/api/sites/m-yard/model', { token: admin, method: 'DELETE' })).status).toBe(404);
    const audit = (await api(svc, '/api/audit?action=config.site.model.delete', { token: admin })).body;
    expect(audit[0]).toMatchObject({ target: 'm-yard', user: 'admin' });
  });
});
