/**
 * The built app is served with an SPA fallback; public/ fills in /data/ before a build. Hashed
 * assets go out precompressed (the build's own step) and cached for good; API answers are
 * compressed when the client asks, and tagged so that an unchanged one is not sent again.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceListSchema } from '../../src/contracts';
import { fetchAnswer } from '../../src/live/api';
import { compressAnswers } from '../../src/server/api/compress';
import type { Service } from '../../src/server/app';
import { precompressDir } from '../../scripts/build/precompress';
import { login, removeDir, startTestService, tempDataDir } from './helpers';

const dir = tempDataDir();
const HASHED_JS = Array.from({ length: 400 }, (_, i) => `export const v${i} = 'city twin asset line ${i}';`).join('\n');
let svc: Service;

beforeAll(async () => {
  const dist = join(dir, 'dist');
  const pub = join(dir, 'public');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  mkdirSync(join(pub, 'data'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), `<!doctype html><title>CityTwin</title><script type="module" src="/assets/index-BLLAjRk_.js"></script>${'<!-- -->'.repeat(200)}`);
  writeFileSync(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'index-BLLAjRk_.js'), HASHED_JS);
  precompressDir(dist);
  writeFileSync(join(pub, 'data', 'layer.geojson'), '{"type":"FeatureCollection","features":[]}');
  // A deployment's own model in the build's models/ beside the repo's public/models.
  mkdirSync(join(dist, 'models'), { recursive: true });
  mkdirSync(join(pub, 'models'), { recursive: true });
  writeFileSync(join(dist, 'models', 'index.json'), '["plant","imported"]');
  writeFileSync(join(pub, 'models', 'index.json'), '["plant"]');
  writeFileSync(join(pub, 'models', 'plant.glb'), 'glTF');
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

  it("serves the build's copy of a public folder's file first, and public/ for what the build lacks", async () => {
    expect(await (await get('/models/index.json')).json()).toEqual(['plant', 'imported']);
    const glb = await get('/models/plant.glb');
    expect(glb.status).toBe(200);
    expect(await glb.text()).toBe('glTF');
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

  it('sends a hashed asset as brotli (or gzip) by Accept-Encoding, cached immutably; index.html is revalidated', async () => {
    for (const [accept, encoding] of [['br, gzip', 'br'], ['gzip', 'gzip'], ['identity', null]] as const) {
      const res = await fetch(svc.url + '/assets/index-BLLAjRk_.js', { headers: { 'accept-encoding': accept } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe(encoding);
      expect(res.headers.get('content-type')).toMatch(/javascript/);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(await res.text()).toBe(HASHED_JS);
    }
    for (const path of ['/', '/index.html', '/scene/park']) {
      const page = await fetch(svc.url + path, { headers: { 'accept-encoding': 'br' } });
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(await page.text()).toContain('<title>CityTwin</title>');
      // The page's security headers survive the compressed answer.
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    }
    // A file without a hash in its name may change under it: not immutable.
    expect((await get('/assets/app-1234.js')).headers.get('cache-control')).not.toContain('immutable');
  });

  it('compresses API answers when asked, and only then', async () => {
    const token = await login(svc, 'inspector');
    const ask = (encoding: string) => fetch(svc.url + '/api/devices', { headers: { authorization: `Bearer ${token}`, 'accept-encoding': encoding } });
    const plain = await ask('identity');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-encoding')).toBeNull();
    const plainBody = await plain.json();
    expect(plainBody.length).toBeGreaterThan(0);
    for (const encoding of ['br', 'gzip']) {
      const res = await ask(encoding);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe(encoding);
      expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
      // Still never cached, still under the security headers.
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.json()).toEqual(plainBody);
    }
    // An error answer is still a plain JSON error.
    const refused = await fetch(svc.url + '/api/devices', { headers: { 'accept-encoding': 'br' } });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('answers an unchanged API answer with an empty 304, compressed or not, and a changed one in full', async () => {
    const token = await login(svc, 'inspector');
    const ask = (path: string, headers: Record<string, string> = {}) => fetch(svc.url + path, { headers: { authorization: `Bearer ${token}`, ...headers } });
    const first = await ask('/api/devices');
    const tag = first.headers.get('etag');
    expect(tag).toMatch(/^W\/"[\w-]+"$/);
    const body = await first.json();
    for (const encoding of ['br', 'gzip', 'identity']) {
      const again = await ask('/api/devices', { 'if-none-match': tag!, 'accept-encoding': encoding });
      expect(again.status).toBe(304);
      expect(again.headers.get('content-encoding')).toBeNull();
      expect(await again.text()).toBe('');
    }
    // Another tag (another answer, another session's answer): the whole answer, as before.
    const other = await ask('/api/devices', { 'if-none-match': 'W/"something-else"', 'accept-encoding': 'br' });
    expect(other.status).toBe(200);
    expect(other.headers.get('etag')).toBe(tag);
    expect(await other.json()).toEqual(body);
    // Small answers are not worth a hash; nor is a refusal tagged.
    expect((await ask('/api/registry/version')).headers.get('etag')).toBeNull();
    expect((await fetch(svc.url + '/api/devices', { headers: { 'if-none-match': tag! } })).status).toBe(401);
    // The page's client hands an unchanged answer back as the object it checked before; another session reads its own.
    const held = await fetchAnswer(svc.url + '/api/devices', deviceListSchema, { token });
    expect(await fetchAnswer(svc.url + '/api/devices', deviceListSchema, { token })).toBe(held);
    const mine = await fetchAnswer(svc.url + '/api/devices', deviceListSchema, { token: await login(svc, 'inspector') });
    expect(mine).not.toBe(held);
    expect(mine).toEqual(held);

    const app = Fastify();
    await compressAnswers(app);
    let rows = Array.from({ length: 100 }, (_, i) => ({ id: `space-${i}`, status: 'ok' }));
    app.get('/api/spaces', async () => rows);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const a = await fetch(`${url}/api/spaces`);
      const tagA = a.headers.get('etag')!;
      expect((await fetch(`${url}/api/spaces`, { headers: { 'if-none-match': tagA } })).status).toBe(304);
      rows = rows.map((r, i) => (i === 7 ? { ...r, status: 'alarm' } : r));
      const b = await fetch(`${url}/api/spaces`, { headers: { 'if-none-match': tagA, 'accept-encoding': 'gzip' } });
      expect(b.status).toBe(200);
      expect(b.headers.get('etag')).not.toBe(tagA);
      expect(((await b.json()) as { status: string }[])[7].status).toBe('alarm');
    } finally {
      await app.close();
    }
  });

  it('makes a registry answer once per registry version: a change is in the next answer, under a new tag', async () => {
    const [admin, token] = await Promise.all([login(svc, 'admin'), login(svc, 'inspector')]);
    const ask = (tag?: string) => fetch(svc.url + '/api/devices', { headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'br', ...(tag ? { 'if-none-match': tag } : {}) } });
    const post = (path: string, body: unknown) => fetch(svc.url + path, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const first = await ask();
    const tag = first.headers.get('etag')!;
    expect(tag).toMatch(/^W\//);
    const ids = ((await first.json()) as { id: string }[]).map((d) => d.id);
    expect((await ask(tag)).status).toBe(304);
    const pit = { id: 'c-pit', scene: 'confined', kind: 'space', name: 'Pit C', nameZh: '丙池', parentId: 't-plant', geometry: { type: 'Point', coordinates: [120.7003, 30.2103] } };
    expect((await post('/api/sites', pit)).status).toBe(201);
    const gas = { id: 'c-gas', scene: 'confined', siteId: 'c-pit', kind: 'gas_detector', name: 'Pit C gas', nameZh: '丙池气体', position: [120.7003, 30.2103, -2], quantities: ['o2_pct', 'h2s_ppm'], intervalS: 5, level: 'lower' };
    expect((await post('/api/devices', gas)).status).toBe(201);
    const after = await ask(tag);
    expect(after.status).toBe(200);
    expect(after.headers.get('content-encoding')).toBe('br');
    expect(after.headers.get('etag')).not.toBe(tag);
    expect(((await after.json()) as { id: string }[]).map((d) => d.id)).toEqual([...ids, 'c-gas']);
  });
});
