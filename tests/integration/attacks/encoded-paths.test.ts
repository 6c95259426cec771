/**
 * Attack: reach the API without a token through another spelling of a path. Every route the
 * service registers is tried, every way a path can be written (percent-encoded letters, double
 * encoding, double slashes, dot segments, trailing slash, encoded slash, case, `;` parameters,
 * absolute-form request lines…), with requests written byte for byte on a socket so that no
 * client library tidies the path first. Nothing may answer with data: only 401, 404 or 400.
 */
import { connect as tcpConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../../src/server/app';
import { DEVICE_PASSWORD, api, removeDir, startTestService, tempDataDir } from '../helpers';

let svc: Service;
let dir: string;

beforeAll(async () => {
  dir = tempDataDir();
  svc = await startTestService(dir);
});

afterAll(async () => {
  await svc?.close();
  removeDir(dir);
});

/** One HTTP/1.1 request written as-is; answers the status and the body text. */
function raw(method: string, target: string, body?: string): Promise<{ status: number; text: string; head: string }> {
  return new Promise((resolve, reject) => {
    const sock = tcpConnect(svc.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const headers = [`${method} ${target} HTTP/1.1`, `Host: 127.0.0.1:${svc.port}`, 'Connection: close'];
    if (body !== undefined) headers.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
    // write, not end: a half-closed socket may be dropped before a streamed file is sent.
    sock.on('connect', () => sock.write(headers.join('\r\n') + '\r\n\r\n' + (body ?? '')));
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', reject);
    sock.on('close', () => {
      const all = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = all.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), text: rest.join('\r\n\r\n'), head });
    });
  });
}

/** Every way we could think of to write `path` so that a router might still land on it. */
function spellings(path: string): string[] {
  const segs = path.split('/').slice(1);
  const encodeFirst = (s: string) => (/[a-z]/i.test(s[0]) ? `%${s.charCodeAt(0).toString(16)}${s.slice(1)}` : s);
  const encodeAll = (s: string) => [...s].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('');
  const join = (parts: string[]) => '/' + parts.join('/');
  const out = [
    path,
    join(segs.map(encodeFirst)),
    join([encodeFirst(segs[0]), ...segs.slice(1)]),
    join(segs.map(encodeAll)),
    join([segs[0].replace(/^a/, '%2561'), ...segs.slice(1)]), // double-encoded
    '/' + path,
    path.replace('/api/', '/api//'),
    path + '/',
    path + '//',
    path.replace('/api/', '/api/./'),
    path.replace('/api/', '/api/%2e/'),
    '/x/..' + path,
    '/x/%2e%2e' + path,
    '/api/health/..' + path.slice(4),
    '/api/login/../' + path.slice(5),
    path + '/.',
    path.replace('/api/', '/api%2F'),
    path.replace('/api/', '/api%2f'),
    path.replace('/api/', '/api%5C'),
    path.toUpperCase(),
    path.replace('/api/', '/API/'),
    path.replace('/api/', '/Api/'),
    path + ';x=1',
    path.replace('/api/', '/api;v=1/'),
    path + '%00',
    path + '%09',
    path + '%20',
    path + '.json',
    path + '?x=/api/health',
    path + '#frag',
    `http://127.0.0.1:${svc.port}${path}`,
    `http://127.0.0.1:${svc.port}/%61${path.slice(2)}`,
  ];
  return [...new Set(out)];
}

/** Strings that would only appear in an answer that leaked data of the fixture registry or the API. */
const LEAKS = ['t-gas-lower', 't-plant', 'FeatureCollection', '"points"', '"readings"', '"token"', 'inspector'];

/** A path for a route pattern: parameters filled with a plausible value. */
const concrete = (url: string) => url.replace(/:(\w+)/g, (_m, name: string) => (name === 'deviceId' || name === 'id' ? 't-gas-lower' : 'admin'));

describe('every route, every spelling, no token', () => {
  it('answers no protected route with data, however its path is written', async () => {
    const open = new Set(['POST /api/login', 'GET /api/health', 'HEAD /api/health', 'GET /metrics', 'HEAD /metrics']);
    const routes = svc.routes.filter((r) => r.url !== '/*' && !open.has(`${r.method} ${r.url}`));
    expect(routes.length).toBeGreaterThan(25);
    const leaks: string[] = [];
    let tried = 0;
    for (const r of routes) {
      const body = r.method === 'POST' || r.method === 'PATCH' || r.method === 'PUT' ? '{}' : undefined;
      for (const target of spellings(concrete(r.url))) {
        const res = await raw(r.method, target, body);
        tried++;
        const leaked = LEAKS.find((l) => res.text.includes(l));
        if (![400, 401, 404].includes(res.status) || leaked) leaks.push(`${r.method} ${target} → ${res.status}${leaked ? ` (${leaked})` : ''}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(tried).toBeGreaterThan(routes.length * 25);
  });

  it('still serves the same routes to a logged-in user (the test would catch a route that answers nothing)', async () => {
    const login = await api(svc, '/api/login', { body: { username: 'admin', password: 'test-demo-pw' } });
    const token = login.body.token as string;
    const res = await fetch(`${svc.url}/%61pi/devices`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('t-gas-lower');
  });

  it('serves the registry file under no spelling at all, with or without a token', async () => {
    const paths = [
      '/data/registry.json',
      '/data/%72egistry.json',
      '/data//registry.json',
      '/data/./registry.json',
      '/x/../data/registry.json',
      '/data%2Fregistry.json',
      '/data/registry.json%00',
      '/data/REGISTRY.json',
      '/data/registry.json/',
      '/data/%2572egistry.json',
      '/%64ata/registry.json',
    ];
    for (const p of paths) {
      const res = await raw('GET', p);
      expect(res.status, p).not.toBe(200);
      expect(res.text, p).not.toContain('"devices"');
    }
    // The base-map layers stay public: the app draws them before anyone logs in.
    expect((await raw('GET', '/data/layers/roads.geojson')).status).toBe(200);
  });

  it('refuses /metrics without a login or the scraper token, spelled any way', async () => {
    for (const p of ['/metrics', '/%6detrics', '//metrics', '/metrics/', '/METRICS']) {
      const res = await raw('GET', p);
      expect(res.status, p).not.toBe(200);
      expect(res.text, p).not.toContain('citytwin_');
    }
  });

  it('says nothing secret in /api/health: no path, no broker URL, no password', async () => {
    const res = await raw('GET', '/api/health');
    expect(res.status).toBe(200);
    // The engine's name is no secret; its file's name would be a path.
    for (const secret of [dir, DEVICE_PASSWORD, 'test-demo-pw', '.sqlite', 'mqtt://']) expect(res.text).not.toContain(secret);
    expect(JSON.parse(res.text)).toMatchObject({ status: 'ok', db: { ok: true }, broker: { mode: 'embedded', connected: true } });
  });

  it('sends the security headers on pages, files, API answers and errors', async () => {
    for (const p of ['/api/health', '/api/devices', '/data/layers/roads.geojson', '/nothing-here.js']) {
      const res = await raw('GET', p);
      const head = res.head.toLowerCase();
      expect(head, p).toContain("content-security-policy: default-src 'self'");
      expect(head, p).toContain("frame-ancestors 'none'");
      expect(head, p).toContain('x-content-type-options: nosniff');
      expect(head, p).toContain('x-frame-options: deny');
      expect(head, p).toContain('referrer-policy: no-referrer');
    }
  });
});
