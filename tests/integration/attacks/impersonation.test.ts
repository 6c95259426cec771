/**
 * Attack: speak for another device or another site. Each device has its own credentials (issued by
 * an admin, shown once), a gateway speaks for the devices of its sites only, an access terminal of
 * one plant cannot open a permit in another plant's space, and nobody retains telemetry. Every
 * refusal is counted; nothing of it reaches the twin.
 */
import { readFileSync } from 'node:fs';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic, type Registry } from '../../../src/contracts';
import type { Service } from '../../../src/server/app';
import {
  FIXTURE_REGISTRY,
  api,
  closed,
  connect,
  deviceClient,
  login,
  publish,
  removeDir,
  startWithRegistry,
  tempDataDir,
  waitFor,
} from '../helpers';

let svc: Service;
let dir: string;
let admin: string;
const clients: MqttClient[] = [];

/** The fixture plus a second plant with its own pit, gas detector and access terminal. */
function twoPlants(): Registry {
  const r = JSON.parse(readFileSync(FIXTURE_REGISTRY, 'utf8')) as Registry;
  const pit = r.sites.find((s) => s.id === 't-pit')!;
  const gas = r.devices.find((d) => d.id === 't-gas-lower')!;
  const access = r.devices.find((d) => d.id === 't-access')!;
  r.sites.push({ ...r.sites.find((s) => s.id === 't-plant')!, id: 't-plant2', name: 'Second plant' });
  r.sites.push({ ...pit, id: 't-pit2', parentId: 't-plant2', name: 'Second pit' });
  r.devices.push({ ...gas, id: 't-gas2', siteId: 't-pit2' }, { ...access, id: 't-access2', siteId: 't-pit2' });
  return r;
}

beforeAll(async () => {
  dir = tempDataDir();
  svc = await startWithRegistry(dir, twoPlants());
  admin = await login(svc, 'admin');
});

afterAll(async () => {
  for (const c of clients) c.end(true);
  await svc?.close();
  removeDir(dir);
});

async function issue(deviceId: string): Promise<{ username: string; password: string }> {
  const r = await api(svc, `/api/devices/${deviceId}/credentials`, { token: admin, body: {} });
  expect(r.status).toBe(201);
  return r.body;
}

async function as(creds: { username: string; password: string }): Promise<MqttClient> {
  const c = await connect(svc.mqttUrl, creds);
  clients.push(c);
  return c;
}

const rejected = async (reason: string): Promise<number> => (await api(svc, '/api/health')).body.messages.rejected[reason] ?? 0;
const points = async (deviceId: string, quantity: string) =>
  (await api(svc, `/api/telemetry/${deviceId}?quantity=${quantity}`, { token: admin })).body.points as unknown[];

describe('device credentials', () => {
  it('are issued by an admin only, once, for a registered device, and listed without the secret', async () => {
    const inspector = await login(svc, 'inspector');
    expect((await api(svc, '/api/devices/t-gas-lower/credentials', { body: {} })).status).toBe(401);
    expect((await api(svc, '/api/devices/t-gas-lower/credentials', { token: inspector, body: {} })).status).toBe(403);
    expect((await api(svc, '/api/devices/no-such/credentials', { token: admin, body: {} })).status).toBe(404);
    const creds = await issue('t-gas-lower');
    expect(creds.username).toBe('t-gas-lower');
    expect(creds.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const list = await api(svc, '/api/credentials', { token: admin });
    expect(list.body).toEqual([expect.objectContaining({ username: 't-gas-lower', kind: 'device', issuedBy: 'admin' })]);
    expect(JSON.stringify(list.body)).not.toContain(creds.password);
    expect((await api(svc, '/api/credentials', { token: inspector })).status).toBe(403);
  });

  it("lets a device publish its own readings and closes it when it speaks for another device", async () => {
    const own = await as(await issue('t-gas-lower'));
    await publish(own, deviceTopic('confined', 't-gas-lower', 'telemetry'), { ts: Date.now() - 5000, values: { o2_pct: 20.9 } });
    await waitFor('its own reading', async () => (await points('t-gas-lower', 'o2_pct')).length === 1);
    const before = await rejected('forbidden');
    const gone = closed(own);
    own.publish(deviceTopic('confined', 't-gas2', 'telemetry'), JSON.stringify({ ts: Date.now(), values: { h2s_ppm: 30 } }));
    await gone;
    expect(await rejected('forbidden')).toBe(before + 1);
    expect(await points('t-gas2', 'h2s_ppm')).toEqual([]);
  });

  it('lets a device subscribe to its own topics only: no alarms, no live batches, no other device', async () => {
    const own = await as(await issue('t-gas-lower'));
    await expect(own.subscribeAsync('citytwin/v1/confined/t-gas-lower/status')).resolves.toBeTruthy();
    for (const filter of ['citytwin/v1/alarms/#', 'citytwin/v1/live/confined', 'citytwin/v1/confined/t-gas2/telemetry', 'citytwin/v1/confined/+/telemetry', '#']) {
      await expect(own.subscribeAsync(filter), filter).rejects.toThrow(/Subscribe error/);
    }
    expect(own.connected).toBe(true);
  });

  it('rotates on a new issue: the old secret is refused and its connection closed', async () => {
    const first = await issue('t-tank-1');
    const c = await as(first);
    const gone = closed(c);
    const second = await issue('t-tank-1');
    await gone;
    await expect(connect(svc.mqttUrl, first)).rejects.toMatchObject({ code: 4 });
    const fresh = await as(second);
    expect(fresh.connected).toBe(true);
  });

  it('refuses retained telemetry and events (counted as retained), and accepts a retained status', async () => {
    const c = await as(await issue('t-det-1'));
    await publish(c, deviceTopic('roads', 't-det-1', 'status'), { online: true, ts: Date.now() }, { retain: true });
    const before = await rejected('retained');
    const gone = closed(c);
    c.publish(deviceTopic('roads', 't-det-1', 'telemetry'), JSON.stringify({ ts: Date.now(), values: { speed_kmh: 3 } }), { retain: true, qos: 1 });
    await gone;
    expect(await rejected('retained')).toBe(before + 1);
    expect(await points('t-det-1', 'speed_kmh')).toEqual([]);
  });
});

describe('gateways', () => {
  it('are created by an admin for known sites, under a name no device or reserved account holds', async () => {
    expect((await api(svc, '/api/gateways', { token: admin, body: { id: 't-gas2', siteIds: ['t-plant'] } })).status).toBe(409);
    expect((await api(svc, '/api/gateways', { token: admin, body: { id: 'device', siteIds: ['t-plant'] } })).status).toBe(409);
    expect((await api(svc, '/api/gateways', { token: admin, body: { id: 'gw-x', siteIds: ['nowhere'] } })).status).toBe(400);
    expect((await api(svc, '/api/gateways', { token: admin, body: { id: 'gw-x', siteIds: [] } })).status).toBe(400);
    const inspector = await login(svc, 'inspector');
    expect((await api(svc, '/api/gateways', { token: inspector, body: { id: 'gw-x', siteIds: ['t-plant'] } })).status).toBe(403);
  });

  it('publish for the devices below their sites and are closed when they speak for another plant', async () => {
    const r = await api(svc, '/api/gateways', { token: admin, body: { id: 'gw-plant1', siteIds: ['t-plant'] } });
    expect(r.status).toBe(201);
    expect(r.body.username).toBe('gw-plant1');
    const gw = await as(r.body);
    await publish(gw, deviceTopic('confined', 't-gas-upper', 'telemetry'), { ts: Date.now() - 5000, values: { co_ppm: 1 } });
    await waitFor('the gateway reading', async () => (await points('t-gas-upper', 'co_ppm')).length === 1);
    const gone = closed(gw);
    gw.publish(deviceTopic('confined', 't-gas2', 'telemetry'), JSON.stringify({ ts: Date.now(), values: { co_ppm: 99 } }));
    await gone;
    expect(await points('t-gas2', 'co_ppm')).toEqual([]);
  });
});

describe('an access terminal of one plant', () => {
  it("cannot open a permit or report entries in another plant's space, even through the shared account", async () => {
    const terminal = await as(await issue('t-access'));
    const shared = await deviceClient(svc);
    clients.push(shared);
    const before = await rejected('forbidden');
    const permit = { type: 'permit.open', permitId: 'P-evil', spaceId: 't-pit2', workers: ['W-1'], attendant: 'A-1', maxPersons: 1 };
    await publish(terminal, deviceTopic('confined', 't-access', 'event'), { ts: Date.now(), ...permit });
    await publish(shared, deviceTopic('confined', 't-access', 'event'), { ts: Date.now() + 1, type: 'entry', spaceId: 't-pit2', personId: 'W-9' });
    await waitFor('both refusals counted', async () => (await rejected('forbidden')) === before + 2);
    const space = await api(svc, '/api/spaces/t-pit2', { token: admin });
    expect(space.status).toBe(200);
    expect(space.body.permit ?? null).toBeNull();
    expect(space.body.inside).toEqual([]);
    // Its own space still works.
    await publish(terminal, deviceTopic('confined', 't-access', 'event'), { ts: Date.now() + 2, ...permit, permitId: 'P-own', spaceId: 't-pit' });
    await waitFor('the permit in its own space', async () => (await api(svc, '/api/spaces/t-pit', { token: admin })).body.permit?.permitId === 'P-own');
  });
});
