/**
 * Attack: disconnect somebody else by connecting with their MQTT client id (MQTT lets a new
 * CONNECT take over an id). A client id belongs to the identity whose session holds it: another
 * identity is refused (CONNACK 2, "identifier rejected") and the holder stays connected. `web-`
 * ids are the browsers'. The same identity may still take its own id over (a reconnect after a
 * dropped link), and devices keep any other id, e.g. mosquitto_pub's random ones.
 */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_MQTT_USERNAME, DEVICE_MQTT_USERNAME } from '../../../src/contracts';
import type { Service } from '../../../src/server/app';
import { DEVICE_PASSWORD, api, closed, connect, login, removeDir, startTestService, tempDataDir } from '../helpers';

let svc: Service;
let dir: string;
let admin: string;
const clients: MqttClient[] = [];

beforeAll(async () => {
  dir = tempDataDir();
  svc = await startTestService(dir);
  admin = await login(svc, 'admin');
});

afterAll(async () => {
  for (const c of clients) c.end(true);
  await svc?.close();
  removeDir(dir);
});

const keep = (c: MqttClient) => (clients.push(c), c);

async function issue(deviceId: string) {
  return (await api(svc, `/api/devices/${deviceId}/credentials`, { token: admin, body: {} })).body as { username: string; password: string };
}

describe('client ids belong to their identity', () => {
  it("refuses a browser login that reuses a device's client id, and the device stays connected", async () => {
    const device = keep(await connect(svc.mqttUrl, { ...(await issue('t-gas-lower')), clientId: 'pit-gas-7' }));
    const token = await login(svc, 'inspector');
    await expect(connect(svc.wsUrl!, { username: BROWSER_MQTT_USERNAME, password: token, clientId: 'pit-gas-7' })).rejects.toMatchObject({ code: 2 });
    await expect(connect(svc.mqttUrl, { username: BROWSER_MQTT_USERNAME, password: token, clientId: 'pit-gas-7' })).rejects.toMatchObject({ code: 2 });
    expect(device.connected).toBe(true);
    // Still really connected: the broker answers it.
    await expect(device.subscribeAsync('citytwin/v1/confined/t-gas-lower/status')).resolves.toBeTruthy();
  });

  it("refuses another device's credentials and the shared account on a held id", async () => {
    keep(await connect(svc.mqttUrl, { ...(await issue('t-tank-1')), clientId: 'tank-1' }));
    await expect(connect(svc.mqttUrl, { ...(await issue('t-det-1')), clientId: 'tank-1' })).rejects.toMatchObject({ code: 2 });
    await expect(connect(svc.mqttUrl, { username: DEVICE_MQTT_USERNAME, password: DEVICE_PASSWORD, clientId: 'tank-1' })).rejects.toMatchObject({ code: 2 });
  });

  it("refuses a device on a browser's id, and any non-browser on a web- id", async () => {
    const token = await login(svc, 'traffic');
    const browser = keep(await connect(svc.wsUrl!, { username: BROWSER_MQTT_USERNAME, password: token, clientId: 'web-console-1' }));
    await expect(connect(svc.mqttUrl, { username: DEVICE_MQTT_USERNAME, password: DEVICE_PASSWORD, clientId: 'web-console-1' })).rejects.toMatchObject({ code: 2 });
    await expect(connect(svc.mqttUrl, { username: DEVICE_MQTT_USERNAME, password: DEVICE_PASSWORD, clientId: 'web-unused' })).rejects.toMatchObject({ code: 2 });
    // Another user is another identity too.
    const other = await login(svc, 'park_manager');
    await expect(connect(svc.wsUrl!, { username: BROWSER_MQTT_USERNAME, password: other, clientId: 'web-console-1' })).rejects.toMatchObject({ code: 2 });
    expect(browser.connected).toBe(true);
  });

  it('lets the same identity take its own id over (a reconnect whose old link is not yet noticed dead)', async () => {
    const creds = await issue('t-wx-1');
    const first = keep(await connect(svc.mqttUrl, { ...creds, clientId: 'wx-station' }));
    const gone = closed(first);
    const second = keep(await connect(svc.mqttUrl, { ...creds, clientId: 'wx-station' }));
    await gone;
    expect(second.connected).toBe(true);
  });

  it('keeps random and empty client ids working for devices, as mosquitto_pub uses them', async () => {
    const a = keep(await connect(svc.mqttUrl, { username: DEVICE_MQTT_USERNAME, password: DEVICE_PASSWORD, clientId: 'mosqpub|1234-host' }));
    const b = keep(await connect(svc.mqttUrl, { username: DEVICE_MQTT_USERNAME, password: DEVICE_PASSWORD, clientId: '', clean: true }));
    expect(a.connected && b.connected).toBe(true);
  });

  it('frees an id once its holder disconnects cleanly', async () => {
    const c = await connect(svc.mqttUrl, { username: DEVICE_MQTT_USERNAME, password: DEVICE_PASSWORD, clientId: 'handover' });
    await c.endAsync();
    const token = await login(svc, 'admin');
    keep(await connect(svc.wsUrl!, { username: BROWSER_MQTT_USERNAME, password: token, clientId: 'handover' }));
  });
});
