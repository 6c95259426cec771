/** The built app is served with an SPA fallback; public/ fills in /data/ before a build. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/app';
import { removeDir, startTestService, tempDataDir } from './helpers';

const dir = tempDataDir();
let svc: Service;

beforeAll(async () => {
  const dist = join(dir, 'dist');
  const pub = join(dir, 'public');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  mkdirSync(join(pub, 'data'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>CityTwin</title>');
  writeFileSync(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(pub, 'data', 'layer.geojson'), '{"type":"FeatureCollection","features":[]}');
  svc = await startTestService(join(dir, 'db'), { STATIC_DIR: dist }, { publicDir: pub });
});

afterAll(async () => {
  await svc?.close();
  removeDir(dir);
});

const get = (path: string) => fetch(svc.url + path);

describe('static app', () => {
  it('serves the app, its assets and public data without a token', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>CityTwin</title>');
    expect((await get('/assets/app-1234.js')).status).toBe(200);
    const layer = await get('/data/layer.geojson');
    expect(layer.status).toBe(200);
    expect(await layer.json()).toEqual({ type: 'FeatureCollection', features: [] });
  });

  it('falls back to index.html for client-side routes, but not for the API or missing files', async () => {
    const page = await get('/scene/roads');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const missingApi = await get('/api/nothing-here');
    expect(missingApi.status).toBe(401); // the API needs a token before anything else
    const missingFile = await get('/assets/missing.js');
    expect(missingFile.status).toBe(404);
    expect(await missingFile.json()).toMatchObject({ error: 'not_found' });
  });
});
