/**
 * Registry import and export against the real service: a 10,000-row CSV, a file with mixed errors
 * (400, each by line and field, in the caller's language, nothing changed), a dry run that changes
 * nothing, a file that is not UTF-8, CSV and GeoJSON round-trips, and an empty twin (DEMO=0) that a
 * CSV import turns into one space with three detectors reporting.
 */
import { describe, expect, it } from 'vitest';
import { deviceTopic, REGISTRY_CSV_COLUMNS } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { api, connect, login, publish, removeDir, serviceSuite, startTestService, tempDataDir, waitFor } from './helpers';

const suite = serviceSuite({ login: 'admin' });

const HEADER = REGISTRY_CSV_COLUMNS.join(',');

/** Posts a file to the import as the admin; `lang` sets Accept-Language. */
async function importFile(s: Service, token: string, body: string | Buffer, opts: { type?: string; query?: string; lang?: string } = {}) {
  const res = await fetch(`${s.url}/api/registry/import${opts.query ?? ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': opts.type ?? 'text/csv', 'accept-language': opts.lang ?? 'en' },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function exportFile(s: Service, token: string, format: 'csv' | 'geojson'): Promise<string> {
  const res = await fetch(`${s.url}/api/registry/export?format=${format}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  // As bytes: fetch's text() would drop the BOM the export starts with.
  return Buffer.from(await res.arrayBuffer()).toString('utf8');
}

const version = async () => (await api(suite.svc, '/api/registry/version', { token: suite.token })).body.version as number;
const deviceIds = async () => (await api(suite.svc, '/api/devices', { token: suite.token })).body.map((d: any) => d.id) as string[];


describe('registry import', () => {
  it('imports 10,000 rows in one go (a road network of detectors) and answers the counts', async () => {
    const rows = [HEADER, 'big-seg,roads,,segment,Big segment,大路段,120.24,29.71,,,,'];
    for (let i = 1; i < 10_000; i++) rows.push(`big-det-${i},roads,big-seg,traffic_detector,Detector ${i},检测器${i},${(120.2 + i * 1e-5).toFixed(5)},29.71,0,speed_kmh|flow_vph|occupancy_pct,60,`);
    const v0 = await version();
    const started = performance.now();
    const r = await importFile(suite.svc, suite.token, rows.join('\r\n'));
    const ms = performance.now() - started;
    console.log(`registry import: 10,000 CSV rows in ${ms.toFixed(0)} ms`);
    expect(r.status, JSON.stringify(r.body.errors?.slice(0, 3))).toBe(200);
    expect(r.body).toMatchObject({ created: 10_000, updated: 0, errors: [], version: v0 + 1 });
    const roads = (await api(suite.svc, '/api/devices?scene=roads', { token: suite.token })).body;
    expect(roads.filter((d: any) => d.siteId === 'big-seg')).toHaveLength(9_999);
  });

  it('refuses a file with mixed errors as a whole (400), naming every line and field in one answer, and changes nothing', async () => {
    const v0 = await version();
    const file = [
      HEADER,
      'mx-ok,confined,t-pit,gas_detector,Fine,好,120.7,30.21,-1,o2_pct|h2s_ppm,5,lower', // line 2: fine on its own
      'mx-scene,factory,t-pit,gas_detector,Bad scene,坏,120.7,30.21,-1,o2_pct,5,', // line 3
      'mx-q,confined,t-pit,gas_detector,Bad quantity,坏,120.7,30.21,-1,o2_pct|h2s_ppb,5,', // line 4
      'mx-lon,confined,t-pit,gas_detector,Bad lon,坏,east,30.21,-1,o2_pct,5,', // line 5
      '"mx-site",confined,nowhere,gas_detector,"Unknown, site",坏,120.7,30.21,-1,o2_pct,5,', // line 6 (quoted fields)
      'mx-ok,confined,t-pit,gas_detector,Twice,坏,120.7,30.21,-1,o2_pct,5,', // line 7: duplicate of line 2
      'mx-cols,confined,t-pit', // line 8
      'mx-both,confined,nowhere-2,gas_detector,Both,坏,120.7,30.21,-1,o2_pct|h2s_ppb,5,', // line 9: its own error and an unknown site
      'mx-pit,confined,t-plant,space,Bad pit,坏,east,30.21,,,,', // line 10: a new site with an error of its own
      'mx-in-pit,confined,mx-pit,gas_detector,In the bad pit,坏,120.7,30.21,-1,o2_pct,5,', // line 11: on the site of line 10 (its error is line 10's)
      'mx-sub,confined,nowhere-3,space,Orphan pit,坏,120.7,30.21,,,,', // line 12: a site under an unknown parent
    ].join('\n');
    const expected = [
      [3, 'scene'],
      [4, 'quantities'],
      [5, 'lonDeg'],
      [6, 'siteId'],
      [7, 'id'],
      [8, 'row'],
      [9, 'quantities'],
      [9, 'siteId'],
      [10, 'lonDeg'],
      [12, 'siteId'],
    ];
    // The dry run and the import answer the same, complete list: nothing is left for a second round.
    for (const query of ['?dryRun=1', '']) {
      const r = await importFile(suite.svc, suite.token, file, { query });
      expect(r.status, query).toBe(400);
      expect(r.body.created).toBe(0);
      expect(r.body.errors.map((e: any) => [e.line, e.field]), query).toEqual(expected);
      expect(r.body.errors.find((e: any) => e.line === 4).message).toMatch(/h2s_ppb/);
      expect(r.body.errors.find((e: any) => e.line === 6).message).toBe('no site "nowhere"');
      expect(r.body.errors.find((e: any) => e.line === 9 && e.field === 'siteId').message).toBe('no site "nowhere-2"');
    }
    expect(await version()).toBe(v0);
    expect(await deviceIds()).not.toContain('mx-ok');
    // The same list in Chinese for a Chinese caller, line for line.
    const zhAll = await importFile(suite.svc, suite.token, file, { lang: 'zh-CN,zh;q=0.9' });
    expect(zhAll.body.errors.map((e: any) => [e.line, e.field])).toEqual(expected);
    expect(zhAll.body.errors.find((e: any) => e.line === 6).message).toBe('没有站点“nowhere”');
    expect(zhAll.body.errors.find((e: any) => e.line === 12).message).toBe('没有站点“nowhere-3”');
    // GeoJSON: a feature with a bad quantity on an unknown site gets both errors at once.
    const gj = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [120.7, 30.21, -1] }, properties: { id: 'gj-both', scene: 'confined', siteId: 'nowhere-4', kind: 'gas_detector', name: 'x', nameZh: 'x', quantities: ['h2s_ppb'], intervalS: 5 } }],
    };
    const gjr = await importFile(suite.svc, suite.token, JSON.stringify(gj), { type: 'application/json', query: '?dryRun=1' });
    expect(gjr.status).toBe(400);
    expect(gjr.body.errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(['siteId']));
    expect(gjr.body.errors.length).toBeGreaterThanOrEqual(2);
    expect(await deviceIds()).not.toContain('mx-ok');
    // In Chinese for a Chinese caller.
    const zh = await importFile(suite.svc, suite.token, [HEADER, file.split('\n')[3]].join('\n'), { lang: 'zh-CN,zh;q=0.9' });
    expect(zh.body.errors[0].message).toBe('未知测量量“h2s_ppb”');
    // The schema's own wording too: a longitude past 180 is told in Chinese, not in the validator's English.
    const far = 'mx-far,confined,t-pit,gas_detector,Far,远,200,30.21,-1,o2_pct,5,';
    const zhFar = await importFile(suite.svc, suite.token, [HEADER, far].join('\n'), { lang: 'zh-CN,zh;q=0.9' });
    expect(zhFar.status).toBe(400);
    expect(zhFar.body.errors[0]).toMatchObject({ line: 2, field: 'lonDeg' });
    expect(zhFar.body.errors[0].message).toMatch(/180/);
    expect(zhFar.body.errors[0].message).not.toMatch(/[A-Za-z]{4,}/);
    expect(await deviceIds()).not.toContain('mx-ok');
  });

  it('refuses a wrong header, a file that is not UTF-8, and an unclosed quote', async () => {
    const header = await importFile(suite.svc, suite.token, 'id,scene,site\nx,confined,t-pit\n');
    expect(header.status).toBe(400);
    expect(header.body.errors[0]).toMatchObject({ line: 1, field: 'header' });
    // "检测器" in GBK, as a Chinese spreadsheet saves "CSV" by default.
    const gbk = Buffer.concat([Buffer.from(`${HEADER}\ngbk-1,confined,t-pit,gas_detector,`), Buffer.from([0xbc, 0xec, 0xb2, 0xe2, 0xc6, 0xf7]), Buffer.from(',x,120.7,30.21,0,o2_pct,5,\n')]);
    const enc = await importFile(suite.svc, suite.token, gbk);
    expect(enc.status).toBe(400);
    expect(enc.body.errors[0].message).toMatch(/UTF-8/);
    const quote = await importFile(suite.svc, suite.token, `${HEADER}\nq-1,confined,t-pit,gas_detector,"open,x,120.7,30.21,0,o2_pct,5,\n`);
    expect(quote.status).toBe(400);
    expect(quote.body.errors[0]).toMatchObject({ line: 2, field: 'file' });
  });

  it('checks and counts on a dry run without changing anything', async () => {
    const v0 = await version();
    const file = [HEADER, 'dry-1,confined,t-pit,gas_detector,Dry,干,120.7,30.21,-1,o2_pct|h2s_ppm,5,middle', 't-gas-lower,confined,t-pit,gas_detector,Renamed,改名,120.7001,30.2101,-3.5,o2_pct|h2s_ppm|co_ppm|nh3_ppm|lel_pct,5,lower'].join('\n');
    const r = await importFile(suite.svc, suite.token, file, { query: '?dryRun=1' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ created: 1, updated: 1, errors: [], dryRun: true, version: v0 });
    expect(await version()).toBe(v0);
    expect(await deviceIds()).not.toContain('dry-1');
    expect((await api(suite.svc, '/api/devices', { token: suite.token })).body.find((d: any) => d.id === 't-gas-lower').name).not.toBe('Renamed');
  });

  it('round-trips: an exported CSV imports as updates of everything, and exports again the same', async () => {
    const first = await exportFile(suite.svc, suite.token, 'csv');
    expect(first.split('\r\n')[0]).toBe(`\uFEFF${HEADER}`);
    const r = await importFile(suite.svc, suite.token, first);
    expect(r.status, JSON.stringify(r.body.errors?.slice(0, 3))).toBe(200);
    expect(r.body.created).toBe(0);
    expect(r.body.updated).toBe(first.trim().split('\r\n').length - 1);
    expect(await exportFile(suite.svc, suite.token, 'csv')).toBe(first);
  });

  it('round-trips GeoJSON with outlines and every attribute', async () => {
    const first = await exportFile(suite.svc, suite.token, 'geojson');
    const fc = JSON.parse(first);
    expect(fc.features.find((f: any) => f.id === 't-seg').geometry.type).toBe('LineString');
    const r = await importFile(suite.svc, suite.token, first, { type: 'application/geo+json' });
    expect(r.status, JSON.stringify(r.body.errors?.slice(0, 3))).toBe(200);
    expect(r.body.created).toBe(0);
    expect(await exportFile(suite.svc, suite.token, 'geojson')).toBe(first);
    // A new fenced lot by GeoJSON: an outline the CSV columns cannot carry.
    const lot = { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[120.85, 30.2], [120.851, 30.2], [120.851, 30.201], [120.85, 30.2]]] }, properties: { id: 'gj-lot', scene: 'park', kind: 'lot', name: 'Lot B', nameZh: '停车场B' } };
    const add = await importFile(suite.svc, suite.token, JSON.stringify({ type: 'FeatureCollection', features: [lot] }), { type: 'application/json' });
    expect(add.status, JSON.stringify(add.body)).toBe(200);
    expect((await api(suite.svc, '/api/sites?scene=park', { token: suite.token })).body.find((s: any) => s.id === 'gj-lot').geometry.type).toBe('Polygon');
  });
});

describe('an empty twin (DEMO=0)', () => {
  it('starts with no sites or devices, and a CSV import makes one space with three detectors reporting', async () => {
    const emptyDir = tempDataDir();
    const empty = await startTestService(emptyDir, { DEMO: '0', REGISTRY: '' });
    try {
      const token = await login(empty, 'admin');
      expect((await api(empty, '/api/devices', { token })).body).toEqual([]);
      expect((await api(empty, '/api/sites', { token })).body).toEqual([]);
      const csv = [
        HEADER,
        'my-plant,confined,,plant,My dye plant,我的印染厂,120.701,30.211,,,,',
        'my-pit,confined,my-plant,space,Sewage pit 1,污水池1,120.7012,30.2112,,,,',
        ...(['upper', 'middle', 'lower'] as const).map((l, i) => `my-gas-${l},confined,my-pit,gas_detector,Pit 1 ${l},污水池1${['上', '中', '下'][i]}部,120.7012,30.2112,${-1 - i},o2_pct|h2s_ppm|co_ppm|nh3_ppm|lel_pct,5,${l}`),
      ].join('\n');
      const r = await importFile(empty, token, csv);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ created: 5, updated: 0 });
      for (const l of ['upper', 'middle', 'lower']) {
        const creds = await api(empty, `/api/devices/my-gas-${l}/credentials`, { token, body: {} });
        const c = await connect(empty.mqttUrl, { username: creds.body.username, password: creds.body.password });
        await publish(c, deviceTopic('confined', `my-gas-${l}`, 'telemetry'), { ts: Date.now(), values: { o2_pct: 20.9, h2s_ppm: 0.2 } });
        c.end(true);
      }
      // The inspector's space shows its three detectors online, upper to lower.
      const space = await waitFor('the three detectors online in the space', async () => {
        const sp = (await api(empty, '/api/spaces/my-pit', { token })).body;
        return sp.detectors?.every((d: any) => d.status === 'online') ? sp : null;
      });
      expect(space.detectors.map((d: any) => [d.id, d.level])).toEqual([
        ['my-gas-upper', 'upper'],
        ['my-gas-middle', 'middle'],
        ['my-gas-lower', 'lower'],
      ]);
      const stored = await api(empty, '/api/telemetry/my-gas-lower?quantity=h2s_ppm&from=1', { token });
      expect(stored.body.points).toHaveLength(1);
    } finally {
      await empty.close();
      removeDir(emptyDir);
    }
  });
});
