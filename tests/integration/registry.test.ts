/**
 * Registry management against the real service: sites and devices created, changed and retired by
 * an admin, each change a new version heard by browsers on the retained registry topic and in force
 * at once (a new device publishes right away); retiring keeps history; threshold overrides with
 * their source, tighter freely, looser only by an admin with a reason. Import and export are in
 * registry-import.test.ts.
 */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY_TOPIC, deviceTopic } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { alarmsOf, api, browserClient, connect, deviceClient, login, publish, record, removeDir, startTestService, tempDataDir, waitFor, waitForAlarm } from './helpers';

let svc: Service;
let dir: string;
let admin: string;
let inspector: string;
let browser: MqttClient;
let heard: ReturnType<typeof record>;
let shared: MqttClient;

const version = async () => (await api(svc, '/api/registry/version', { token: admin })).body.version as number;
const lastHeard = () => {
  const m = heard.filter((x) => x.topic === REGISTRY_TOPIC).at(-1);
  return m ? (JSON.parse(m.text).version as number) : null;
};

const newSpace = { id: 'r-pit', scene: 'confined', kind: 'space', name: 'Dye pit 2', nameZh: '染料池2', parentId: 't-plant', geometry: { type: 'Point', coordinates: [120.7003, 30.2103] } };
const newDetector = {
  id: 'r-gas-1',
  scene: 'confined',
  siteId: 'r-pit',
  kind: 'gas_detector',
  name: 'Dye pit 2 gas lower',
  nameZh: '染料池2下部气体',
  position: [120.7003, 30.2103, -2],
  quantities: ['o2_pct', 'h2s_ppm'],
  intervalS: 5,
  level: 'lower',
};

beforeAll(async () => {
  dir = tempDataDir();
  svc = await startTestService(dir);
  [admin, inspector] = await Promise.all([login(svc, 'admin'), login(svc, 'inspector')]);
  browser = await browserClient(svc, inspector);
  heard = record(browser);
  await browser.subscribeAsync(REGISTRY_TOPIC, { qos: 1 });
  shared = await deviceClient(svc);
});

afterAll(async () => {
  browser?.end(true);
  shared?.end(true);
  await svc?.close();
  removeDir(dir);
});

describe('registry changes', () => {
  it('seeds the registry on first start and announces its version retained', async () => {
    const v = await version();
    expect(v).toBeGreaterThanOrEqual(1);
    await waitFor('the retained registry version', () => lastHeard() === v);
    expect(heard.find((m) => m.topic === REGISTRY_TOPIC)!.retain).toBe(true);
    const devices = (await api(svc, '/api/devices', { token: admin })).body.map((d: any) => d.id);
    expect(devices).toContain('t-gas-lower');
  });

  it('creates a site and a device, each a new version that browsers hear, and audits both', async () => {
    const v0 = await version();
    const site = await api(svc, '/api/sites', { token: admin, body: newSpace });
    expect(site.status).toBe(201);
    expect(site.body.version).toBe(v0 + 1);
    expect(site.body.site).toMatchObject({ id: 'r-pit', parentId: 't-plant', kind: 'space' });
    const dev = await api(svc, '/api/devices', { token: admin, body: newDetector });
    expect(dev.status).toBe(201);
    expect(dev.body.version).toBe(v0 + 2);
    await waitFor('version heard by the browser', () => lastHeard() === v0 + 2);
    const listed = (await api(svc, '/api/devices?scene=confined', { token: inspector })).body;
    expect(listed.find((d: any) => d.id === 'r-gas-1')).toMatchObject({ siteId: 'r-pit', level: 'lower' });
    // The inspector's space list has the new space with its detector.
    const space = await api(svc, '/api/spaces/r-pit', { token: inspector });
    expect(space.status).toBe(200);
    const audit = (await api(svc, '/api/audit?action=config.', { token: admin })).body;
    expect(audit.map((e: any) => [e.action, e.target])).toEqual(expect.arrayContaining([['config.site.create', 'r-pit'], ['config.device.create', 'r-gas-1']]));
  });

  it('refuses a duplicate id (409), a device on an unknown site and a wrong scene (400, by field)', async () => {
    expect((await api(svc, '/api/devices', { token: admin, body: newDetector })).status).toBe(409);
    const orphan = await api(svc, '/api/devices', { token: admin, body: { ...newDetector, id: 'r-orphan', siteId: 'nowhere' } });
    expect(orphan.status).toBe(400);
    expect(orphan.body.errors[0]).toMatchObject({ field: 'siteId' });
    const scene = await api(svc, '/api/devices', { token: admin, body: { ...newDetector, id: 'r-wrong', scene: 'roads' } });
    expect(scene.status).toBe(400);
    expect(scene.body.errors[0].field).toBe('scene');
    const badQ = await api(svc, '/api/devices', { token: admin, body: { ...newDetector, id: 'r-badq', quantities: ['h2s_ppb'] } });
    expect(badQ.status).toBe(400);
    expect((await api(svc, '/api/devices', { token: admin })).body.map((d: any) => d.id)).not.toContain('r-orphan');
  });

  it('lets a new device publish at once with its own credentials, and stores its reading', async () => {
    const creds = await api(svc, '/api/devices/r-gas-1/credentials', { token: admin, body: {} });
    expect(creds.status).toBe(201);
    const own = await connect(svc.mqttUrl, { username: creds.body.username, password: creds.body.password });
    try {
      const ts = Date.now();
      await publish(own, deviceTopic('confined', 'r-gas-1', 'telemetry'), { ts, values: { o2_pct: 20.8, h2s_ppm: 0.4 } });
      const stored = await waitFor(
        'the new device reading stored',
        async () => {
          const r = await api(svc, `/api/telemetry/r-gas-1?quantity=h2s_ppm&from=${ts - 1}`, { token: inspector });
          return r.body.points?.length ? r.body.points : null;
        },
        1000,
      );
      expect(stored[0]).toEqual([ts, 0.4]);
    } finally {
      own.end(true);
    }
  });

  it('changes a device (PATCH) in place: new name, same history, next version', async () => {
    const v0 = await version();
    const r = await api(svc, '/api/devices/r-gas-1', { token: admin, method: 'PATCH', body: { name: 'Dye pit 2 gas (low)' } });
    expect(r.status).toBe(200);
    expect(r.body.device).toMatchObject({ id: 'r-gas-1', name: 'Dye pit 2 gas (low)', siteId: 'r-pit' });
    expect(r.body.version).toBe(v0 + 1);
    const bad = await api(svc, '/api/devices/r-gas-1', { token: admin, method: 'PATCH', body: { intervalS: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('intervalS');
    expect(await version()).toBe(v0 + 1);
  });

  it('retires a device: gone from the live registry, refused on MQTT, its history still readable', async () => {
    const busySite = await api(svc, '/api/sites/r-pit', { token: admin, method: 'DELETE' });
    expect(busySite.status).toBe(409);
    const r = await api(svc, '/api/devices/r-gas-1', { token: admin, method: 'DELETE' });
    expect(r.status).toBe(200);
    expect((await api(svc, '/api/devices', { token: admin })).body.map((d: any) => d.id)).not.toContain('r-gas-1');
    expect((await api(svc, '/api/devices?retired=1', { token: admin })).body.map((d: any) => d.id)).toContain('r-gas-1');
    const history = await api(svc, '/api/telemetry/r-gas-1?quantity=h2s_ppm&from=0', { token: inspector });
    expect(history.status, JSON.stringify(history.body)).toBe(200);
    expect(history.body.points.length).toBe(1);
    const before = (await api(svc, '/api/health')).body.messages.rejected.unknown_device ?? 0;
    // The broker drops a connection that publishes for an unknown device: a client of its own.
    const rogue = await deviceClient(svc);
    try {
      rogue.publish(deviceTopic('confined', 'r-gas-1', 'telemetry'), JSON.stringify({ ts: Date.now(), values: { h2s_ppm: 1 } }));
      await waitFor('the retired device refused', async () => ((await api(svc, '/api/health')).body.messages.rejected.unknown_device ?? 0) > before);
    } finally {
      rogue.end(true);
    }
    // Now the site is empty and may go too; creating the device again brings it back.
    expect((await api(svc, '/api/sites/r-pit', { token: admin, method: 'DELETE' })).status).toBe(200);
    expect((await api(svc, '/api/spaces/r-pit', { token: inspector })).status).toBe(404);
  });

  it('lets only an admin change the registry (403 for others, 401 without a token)', async () => {
    const traffic = await login(svc, 'traffic');
    for (const [method, path, body] of [
      ['POST', '/api/sites', { ...newSpace, id: 'r-x' }],
      ['PATCH', '/api/devices/t-gas-lower', { name: 'x' }],
      ['DELETE', '/api/devices/t-gas-lower', undefined],
      ['POST', '/api/registry/import', {}],
      ['GET', '/api/registry/export', undefined],
    ] as const) {
      expect((await api(svc, path, { token: inspector, method, body })).status, `${method} ${path}`).toBe(403);
      expect((await api(svc, path, { token: traffic, method, body })).status, `${method} ${path}`).toBe(403);
      expect((await api(svc, path, { method, body })).status, `${method} ${path}`).toBe(401);
    }
    expect((await api(svc, '/api/devices', { token: admin })).body.find((d: any) => d.id === 't-gas-lower').name).not.toBe('x');
  });
});

describe('retiring with open alarms', () => {
  it('closes the open alarms of a retired device at once, with the reason in history and audit; it raises nothing more and its readings are refused', async () => {
    // A clock of its own, so silence can be made to last without waiting for it.
    let skewMs = 0;
    const rDir = tempDataDir();
    const rs = await startTestService(rDir, {}, { now: () => Date.now() + skewMs });
    const clients: MqttClient[] = [];
    try {
      const token = await login(rs, 'admin');
      const seen = record(await browserClient(rs, token).then((c) => (clients.push(c), c)));
      await clients[0].subscribeAsync('citytwin/v1/alarms/#', { qos: 1 });
      const gw = await deviceClient(rs);
      clients.push(gw);
      // A new space with two detectors, added as an admin would; one will be retired.
      expect((await api(rs, '/api/sites', { token, body: { ...newSpace, id: 'rt-pit' } })).status).toBe(201);
      for (const id of ['rt-gas-1', 'rt-gas-2']) expect((await api(rs, '/api/devices', { token, body: { ...newDetector, id, siteId: 'rt-pit' } })).status).toBe(201);
      const ts = Date.now();
      await publish(gw, deviceTopic('confined', 'rt-gas-2', 'telemetry'), { ts, values: { o2_pct: 20.9, h2s_ppm: 0.1 } });
      // H₂S over the critical level raises at once; a low O₂ (major) waits out its on-delay.
      await publish(gw, deviceTopic('confined', 'rt-gas-1', 'telemetry'), { ts, values: { o2_pct: 20.9, h2s_ppm: 20 } });
      const alarm = await waitForAlarm(rs, token, 'rt-gas-1', 'h2s_ppm_high', (a) => a.state === 'active_unack');
      await waitFor('the alarm retained for browsers', () => seen.some((m) => m.topic === `citytwin/v1/alarms/${alarm.id}` && m.text !== ''));
      await publish(gw, deviceTopic('confined', 'rt-gas-1', 'telemetry'), { ts: ts + 1, values: { o2_pct: 19, h2s_ppm: 20 } });

      const r = await api(rs, '/api/devices/rt-gas-1', { token, method: 'DELETE' });
      expect(r.status).toBe(200);
      expect(r.body.closedAlarms).toEqual([alarm.id]);
      expect(await alarmsOf(rs, token, 'rt-gas-1')).toEqual([]);
      const closed = (await alarmsOf(rs, token, 'rt-gas-1', 'h2s_ppm_high', 'all'))[0];
      expect(closed).toMatchObject({ id: alarm.id, state: 'closed' });
      await waitFor('the retained alarm removed for browsers', () => seen.some((m) => m.topic === `citytwin/v1/alarms/${alarm.id}` && m.text === ''));
      // Its history says why, and who.
      const steps = (await api(rs, `/api/alarms/${alarm.id}/events`, { token })).body.map((e: any) => [e.action, e.user]);
      expect(steps).toEqual([
        ['raised', null],
        ['device_retired', 'admin'],
        ['closed', null],
      ]);
      const audit = (await api(rs, '/api/audit?action=alarm.close', { token })).body;
      expect(audit.map((e: any) => [e.target, e.user, e.detail])).toEqual([[alarm.id, 'admin', { reason: 'device_retired', deviceId: 'rt-gas-1' }]]);

      // It keeps publishing: refused as an unknown device, counted, neither stored nor alarmed.
      const before = (await api(rs, '/api/health')).body.messages.rejected.unknown_device ?? 0;
      const rogue = await deviceClient(rs);
      clients.push(rogue);
      rogue.publish(deviceTopic('confined', 'rt-gas-1', 'telemetry'), JSON.stringify({ ts: ts + 2, values: { o2_pct: 15, h2s_ppm: 50 } }));
      await waitFor('the retired device refused', async () => ((await api(rs, '/api/health')).body.messages.rejected.unknown_device ?? 0) > before);
      const points = (await api(rs, `/api/telemetry/rt-gas-1?quantity=h2s_ppm&from=${ts - 1}&to=${ts + 100}`, { token })).body.points;
      expect(points).toEqual([
        [ts, 20],
        [ts + 1, 20],
      ]);

      // A minute of silence: the detector still in service goes stale; the retired one raises nothing (nor its pending O₂).
      skewMs = 60_000;
      await waitForAlarm(rs, token, 'rt-gas-2', 'stale');
      expect(await alarmsOf(rs, token, 'rt-gas-1', undefined, 'all')).toHaveLength(1);
    } finally {
      for (const c of clients) c.end(true);
      await rs.close();
      removeDir(rDir);
    }
  });

  it('closes the open alarms placed on a retired site (an incident on a road segment)', async () => {
    const gw = await deviceClient(svc);
    try {
      await publish(gw, deviceTopic('roads', 't-op-1', 'event'), { ts: Date.now(), type: 'incident', incidentId: 'rt-crash', kind: 'crash', segmentId: 't-seg2', lonDeg: 120.21, latDeg: 29.76, state: 'open' });
      const alarm = await waitForAlarm(svc, admin, 't-op-1', 'incident', (a) => a.siteId === 't-seg2' && a.state !== 'closed');
      const r = await api(svc, '/api/sites/t-seg2', { token: admin, method: 'DELETE' });
      expect(r.status).toBe(200);
      expect(r.body.closedAlarms).toEqual([alarm.id]);
      expect((await alarmsOf(svc, admin, 't-op-1', 'incident')).filter((a) => a.siteId === 't-seg2')).toEqual([]);
      const steps = (await api(svc, `/api/alarms/${alarm.id}/events`, { token: admin })).body.map((e: any) => e.action);
      expect(steps).toEqual(['raised', 'site_retired', 'closed']);
      expect((await api(svc, '/api/audit?action=alarm.close', { token: admin })).body[0]).toMatchObject({ target: alarm.id, detail: { reason: 'site_retired', siteId: 't-seg2' } });
    } finally {
      gw.end(true);
    }
  });
});

describe('threshold overrides', () => {
  it('shows each limit with its source: the standard clause before any override', async () => {
    const r = await api(svc, '/api/thresholds/t-gas-lower', { token: inspector });
    expect(r.status).toBe(200);
    const h2s = r.body.thresholds.find((t: any) => t.quantity === 'h2s_ppm' && t.limit === 'high');
    expect(h2s).toMatchObject({ value: 7, standard: 7, severity: 'major', source: { kind: 'standard' } });
    expect(h2s.source.clause).toMatch(/GB 30871/);
  });

  it('lets the scene owner tighten a detector, and the rules alarm at the new level at once', async () => {
    const r = await api(svc, '/api/thresholds/t-gas-lower', { token: inspector, method: 'PUT', body: { h2s_ppm: { major: 5 } } });
    expect(r.status).toBe(200);
    const t = (await api(svc, '/api/thresholds/t-gas-lower', { token: inspector })).body.thresholds.find((x: any) => x.quantity === 'h2s_ppm' && x.limit === 'high');
    expect(t).toMatchObject({ value: 5, standard: 7, source: { kind: 'device', setBy: 'inspector' } });
    // The app reads the limits in force from the device itself.
    const dev = (await api(svc, '/api/devices', { token: inspector })).body.find((d: any) => d.id === 't-gas-lower');
    expect(dev.limits.h2s_ppm.high).toBe(5);
    await publish(shared, deviceTopic('confined', 't-gas-lower', 'telemetry'), { ts: Date.now() - 500, values: { o2_pct: 20.9, h2s_ppm: 5.5 } });
    await publish(shared, deviceTopic('confined', 't-gas-lower', 'telemetry'), { ts: Date.now(), values: { o2_pct: 20.9, h2s_ppm: 5.6 } });
    const alarm = await waitForAlarm(svc, admin, 't-gas-lower', 'h2s_ppm_high');
    expect(alarm).toMatchObject({ severity: 'major', threshold: 5 });
  });

  it('refuses a looser limit without a reason (400 reason_required), from a non-admin (403), and takes it from an admin with one', async () => {
    const looser = { co_ppm: { major: 25 } };
    const noReason = await api(svc, '/api/thresholds/t-gas-upper', { token: admin, method: 'PUT', body: looser });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error).toBe('reason_required');
    const owner = await api(svc, '/api/thresholds/t-gas-upper', { token: inspector, method: 'PUT', body: { ...looser, reason: 'calibrated' } });
    expect(owner.status).toBe(403);
    const traffic = await api(svc, '/api/thresholds/t-gas-upper', { token: await login(svc, 'traffic'), method: 'PUT', body: { co_ppm: { major: 10 } } });
    expect(traffic.status).toBe(403);
    const ok = await api(svc, '/api/thresholds/t-gas-upper', { token: admin, method: 'PUT', body: { ...looser, reason: 'cross-sensitive to H₂ in this pit; 2026 survey' } });
    expect(ok.status).toBe(200);
    const t = (await api(svc, '/api/thresholds/t-gas-upper', { token: inspector })).body.thresholds.find((x: any) => x.quantity === 'co_ppm' && x.limit === 'high');
    expect(t).toMatchObject({ value: 25, standard: 17, source: { kind: 'device', reason: 'cross-sensitive to H₂ in this pit; 2026 survey', setBy: 'admin' } });
    const audit = (await api(svc, '/api/audit?action=config.thresholds', { token: admin })).body;
    expect(audit[0]).toMatchObject({ target: 't-gas-upper', detail: { reason: 'cross-sensitive to H₂ in this pit; 2026 survey' } });
  });

  it('applies a site override to the devices below it, a device override winning over it', async () => {
    expect((await api(svc, '/api/thresholds/t-pit', { token: inspector, method: 'PUT', body: { h2s_ppm: { major: 6, critical: 12 } } })).status).toBe(200);
    const fast = (await api(svc, '/api/thresholds/t-gas-fast', { token: inspector })).body.thresholds.filter((x: any) => x.quantity === 'h2s_ppm');
    expect(fast.map((x: any) => [x.limit, x.value, x.source.kind])).toEqual([
      ['high', 6, 'site'],
      ['highHigh', 12, 'site'],
    ]);
    const lower = (await api(svc, '/api/thresholds/t-gas-lower', { token: inspector })).body.thresholds.find((x: any) => x.quantity === 'h2s_ppm' && x.limit === 'high');
    expect(lower).toMatchObject({ value: 5, source: { kind: 'device' } });
    const bad = await api(svc, '/api/thresholds/t-pit', { token: inspector, method: 'PUT', body: { h2s_ppm: { major: 9, critical: 8 } } });
    expect(bad.status).toBe(400);
    expect((await api(svc, '/api/thresholds/t-pit', { token: inspector, method: 'PUT', body: { h2s_ppb: { major: 1 } } })).status).toBe(400);
  });
});

describe('after a restart', () => {
  it('keeps the managed registry, its version and its overrides; the registry file no longer replaces it', async () => {
    const v = await version();
    const site = await api(svc, '/api/sites', { token: admin, body: { ...newSpace, id: 'r-kept' } });
    expect(site.status).toBe(201);
    browser.end(true);
    shared.end(true);
    await svc.close();
    svc = await startTestService(dir);
    admin = await login(svc, 'admin');
    expect(await version()).toBe(v + 1);
    expect((await api(svc, '/api/sites', { token: admin })).body.map((s: any) => s.id)).toContain('r-kept');
    expect((await api(svc, '/api/devices?retired=1', { token: admin })).body.map((d: any) => d.id)).toContain('r-gas-1');
    const t = (await api(svc, '/api/thresholds/t-gas-lower', { token: admin })).body.thresholds.find((x: any) => x.quantity === 'h2s_ppm' && x.limit === 'high');
    expect(t).toMatchObject({ value: 5, source: { kind: 'device' } });
  });
});
