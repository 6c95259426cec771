/**
 * Debian's Mosquitto as the external broker, configured by `npm run broker:mosquitto` and kept
 * current by the service (BROKER=mosquitto): credentials issued over HTTP reach the broker's
 * dynamic-security plugin, and the broker itself keeps each device to its own topics. An attacker
 * with one device's secret tries to publish as another device, to subscribe to everything, and to
 * connect with no password or an old one.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_MQTT_USERNAME, deviceTopic } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { startMosquitto, type MosquittoRun } from '../fixture/mosquitto';
import { DEVICE_PASSWORD, FIXTURE_REGISTRY, api, connect, login, removeDir, startTestService, tempDataDir, waitFor } from './helpers';

const SERVICE = { username: 'citytwin-service', password: 'service-account-secret' };
let broker: MosquittoRun;
let svc: Service;
let dir: string;
let admin: string;
const clients: MqttClient[] = [];

beforeAll(async () => {
  broker = await startMosquitto({
    write: (brokerDir, port) => {
      // The command as the README gives it.
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/broker-mosquitto.ts', '--dir', brokerDir, '--port', String(port), '--host', '127.0.0.1'], {
        env: { ...process.env, MQTT_USERNAME: SERVICE.username, MQTT_PASSWORD: SERVICE.password, REGISTRY: FIXTURE_REGISTRY, CITYTWIN_DEVICE_PASSWORD: DEVICE_PASSWORD },
        stdio: 'pipe',
      });
      return join(brokerDir, 'mosquitto.conf');
    },
  });
  dir = tempDataDir();
  svc = await startTestService(dir, { MQTT_URL: broker.url, MQTT_USERNAME: SERVICE.username, MQTT_PASSWORD: SERVICE.password, BROKER: 'mosquitto' });
  admin = await login(svc, 'admin');
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.end(true);
  await svc?.close();
  await broker?.stop();
  removeDir(dir);
});

async function issue(deviceId: string): Promise<{ username: string; password: string }> {
  const r = await api(svc, `/api/devices/${deviceId}/credentials`, { token: admin, body: {} });
  expect(r.status).toBe(201);
  return r.body;
}

/** Connects once the broker knows the credentials (they travel through its control topic). */
async function device(cred: { username: string; password: string }): Promise<MqttClient> {
  const c = await waitFor(`${cred.username} accepted by Mosquitto`, () => connect(broker.url, { ...cred, clientId: `${cred.username}-${clients.length}` }), 10_000, 200);
  clients.push(c);
  return c;
}

/** Whether the connection is refused (CONNACK 4 or 5). */
async function refused(opts: mqtt.IClientOptions): Promise<boolean> {
  return connect(broker.url, opts).then(
    (c) => (c.end(true), false),
    () => true,
  );
}

const stored = async (deviceId: string, ts: number): Promise<unknown[]> =>
  (await api(svc, `/api/telemetry/${deviceId}?quantity=o2_pct&from=${ts}&to=${ts}`, { token: admin })).body.points;

describe('Mosquitto with the dynamic-security plugin', () => {
  it('refuses connections without an account, and with a wrong password', async () => {
    expect(await refused({})).toBe(true);
    expect(await refused({ username: 't-gas-upper', password: 'guessed' })).toBe(true);
    expect(await refused({ username: SERVICE.username, password: 'not-it' })).toBe(true);
  });

  it('takes a device publishing with credentials issued over HTTP, for itself only', async () => {
    const upper = await device(await issue('t-gas-upper'));
    await issue('t-gas-lower');
    const ts = Date.now() - 60_000;
    // As another device of the same site, then a marker as itself: once the marker is stored, the forgery would have been too.
    await upper.publishAsync(deviceTopic('confined', 't-gas-lower', 'telemetry'), JSON.stringify({ ts, values: { o2_pct: 12.5 } }), { qos: 1 });
    await upper.publishAsync(deviceTopic('confined', 't-gas-upper', 'telemetry'), JSON.stringify({ ts, values: { o2_pct: 20.9 } }), { qos: 1 });
    await waitFor('its own reading stored', async () => (await stored('t-gas-upper', ts)).length === 1, 10_000);
    expect(await stored('t-gas-upper', ts)).toEqual([[ts, 20.9]]);
    expect(await stored('t-gas-lower', ts)).toEqual([]);
    // Subscribing to the whole tree (everyone's readings and alarms) is refused.
    // (SUBACK 0x80: mqtt.js rejects the subscribe.)
    await expect(upper.subscribeAsync('citytwin/v1/#', { qos: 1 })).rejects.toThrow(/Subscribe error/);
    expect(upper.connected).toBe(true);
  });

  it('rotating credentials closes the old connection at the broker, and the old secret stops working', async () => {
    const first = await issue('t-gas-fast');
    const old = await device(first);
    const closed = new Promise<void>((ok) => old.once('close', () => ok()));
    const second = await issue('t-gas-fast');
    await closed;
    expect(await refused({ ...first, reconnectPeriod: 0 })).toBe(true);
    const again = await device(second);
    expect(again.connected).toBe(true);
  });

  it('keeps the shared device account of the demo a gateway for every site', async () => {
    const shared = await device({ username: DEVICE_MQTT_USERNAME, password: DEVICE_PASSWORD });
    const ts = Date.now() - 30_000;
    await shared.publishAsync(deviceTopic('confined', 't-gas-lower', 'telemetry'), JSON.stringify({ ts, values: { o2_pct: 19.5 } }), { qos: 1 });
    await waitFor('the gateway reading stored', async () => (await stored('t-gas-lower', ts)).length === 1, 10_000);
  });
});

describe('registry changes reach Mosquitto', () => {
  const detector = (id: string) => ({ id, scene: 'confined', siteId: 't-pit', kind: 'gas_detector', name: id, nameZh: id, position: [120.7, 30.21, -1], quantities: ['o2_pct'], intervalS: 5, level: 'lower' });
  const unknownDevice = async (): Promise<number> => (await api(svc, '/api/health')).body.messages.rejected.unknown_device ?? 0;
  let tsN = Date.now() - 50_000;

  it('lets a device created through the admin API publish on its own topics, and shuts it out once retired', async () => {
    expect((await api(svc, '/api/devices', { token: admin, body: detector('mq-new') })).status).toBe(201);
    // Its credentials as the admin page issues them, from the device's row.
    const cred = await issue('mq-new');
    const own = await device(cred);
    const ts = (tsN += 10);
    await own.publishAsync(deviceTopic('confined', 'mq-new', 'telemetry'), JSON.stringify({ ts, values: { o2_pct: 20.7 } }), { qos: 1 });
    await waitFor('its reading stored', async () => (await stored('mq-new', ts)).length === 1, 10_000);
    const closed = new Promise<void>((ok) => own.once('close', () => ok()));
    expect((await api(svc, '/api/devices/mq-new', { token: admin, method: 'DELETE' })).status).toBe(200);
    // The broker closes its connection and no longer takes its secret.
    await closed;
    await waitFor('its secret refused', () => refused({ ...cred, reconnectPeriod: 0 }), 10_000, 200);
    // Through the demo's shared account (a gateway for every site) its readings reach the service, which refuses and counts them.
    const shared = await device({ username: DEVICE_MQTT_USERNAME, password: DEVICE_PASSWORD });
    const before = await unknownDevice();
    await shared.publishAsync(deviceTopic('confined', 'mq-new', 'telemetry'), JSON.stringify({ ts: (tsN += 10), values: { o2_pct: 20.7 } }), { qos: 1 });
    await waitFor('the retired device counted as unknown', async () => (await unknownDevice()) > before, 10_000);
    expect(await stored('mq-new', tsN)).toEqual([]);
    // Brought back by creating it again: the same secret works again.
    expect((await api(svc, '/api/devices', { token: admin, body: detector('mq-new') })).status).toBe(201);
    const back = await device(cred);
    expect(back.connected).toBe(true);
  });

  /** Publishes a reading of `id` through `c`, then a marker of a device in its scope: whether the reading was stored by the time the marker was. */
  async function passes(c: MqttClient, id: string): Promise<boolean> {
    const ts = (tsN += 10);
    await c.publishAsync(deviceTopic('confined', id, 'telemetry'), JSON.stringify({ ts, values: { o2_pct: 20.6 } }), { qos: 1 });
    const marker = (tsN += 10);
    await c.publishAsync(deviceTopic('confined', 't-gas-upper', 'telemetry'), JSON.stringify({ ts: marker, values: { o2_pct: 20.9 } }), { qos: 1 });
    await waitFor('the marker stored', async () => (await stored('t-gas-upper', marker)).length === 1, 5000);
    return (await stored(id, ts)).length === 1;
  }

  it("moves a site gateway's role with the registry: a device created under its site after it was issued, moved out and back, then retired", async () => {
    const gw = await api(svc, '/api/gateways', { token: admin, body: { id: 'mq-gw', siteIds: ['t-pit'] } });
    expect(gw.status).toBe(201);
    expect((await api(svc, '/api/devices', { token: admin, body: detector('mq-late') })).status).toBe(201);
    const gateway = await device(gw.body);
    // Role changes travel through the control topic: each step waits until the broker acts on it.
    await waitFor('the new device let through', () => passes(gateway, 'mq-late'), 15_000, 200);
    // Moved to the plant above the gateway's space: out of its scope, the broker drops its readings.
    expect((await api(svc, '/api/devices/mq-late', { token: admin, method: 'PATCH', body: { siteId: 't-plant' } })).status).toBe(200);
    await waitFor('the moved device dropped', async () => !(await passes(gateway, 'mq-late')), 15_000, 200);
    expect((await api(svc, '/api/devices/mq-late', { token: admin, method: 'PATCH', body: { siteId: 't-pit' } })).status).toBe(200);
    await waitFor('the device let through again', () => passes(gateway, 'mq-late'), 15_000, 200);
    // Retired: the broker drops its readings itself, the service hears nothing of it.
    expect((await api(svc, '/api/devices/mq-late', { token: admin, method: 'DELETE' })).status).toBe(200);
    await waitFor(
      'the retired device dropped by the broker',
      async () => {
        const before = await unknownDevice();
        return !(await passes(gateway, 'mq-late')) && (await unknownDevice()) === before;
      },
      15_000,
      200,
    );
    expect(gateway.connected).toBe(true);
  });
});
