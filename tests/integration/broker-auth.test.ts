/**
 * The HTTP authentication and authorization a broker such as EMQX asks (BROKER_AUTH_TOKEN): called
 * as the broker calls it, with the same identities and topic rules as the embedded broker. An
 * attacker tries it without the broker's token, with a wrong secret, and as another device.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_MQTT_USERNAME } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { DEVICE_PASSWORD, api, login, removeDir, startTestService, tempDataDir } from './helpers';

const TOKEN = 'broker-calls-with-this-token';
const SERVICE = { username: 'citytwin-service', password: 'service-account-secret' };
let svc: Service;
let dir: string;
let admin: string;

beforeAll(async () => {
  dir = tempDataDir();
  // The embedded broker still runs (no MQTT_URL): the routes answer for a broker in front of it all the same.
  svc = await startTestService(dir, { BROKER_AUTH_TOKEN: TOKEN, MQTT_USERNAME: SERVICE.username, MQTT_PASSWORD: SERVICE.password });
  admin = await login(svc, 'admin');
});

afterAll(async () => {
  await svc?.close();
  removeDir(dir);
});

async function ask(path: '/broker/auth' | '/broker/acl', body: unknown, token: string | null = TOKEN): Promise<{ status: number; result?: string; super?: boolean }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch(svc.url + path, { method: 'POST', headers, body: JSON.stringify(body) });
  const j = (await r.json()) as { result?: string; is_superuser?: boolean };
  return { status: r.status, result: j.result, super: j.is_superuser };
}

describe('broker HTTP auth and ACL', () => {
  it('answers only the broker (its Bearer token)', async () => {
    expect((await ask('/broker/auth', { username: DEVICE_MQTT_USERNAME, password: DEVICE_PASSWORD }, null)).status).toBe(401);
    expect((await ask('/broker/auth', { username: DEVICE_MQTT_USERNAME, password: DEVICE_PASSWORD }, 'not-the-broker-token')).status).toBe(401);
    expect((await ask('/broker/acl', { username: DEVICE_MQTT_USERNAME, topic: 'citytwin/v1/#', action: 'subscribe' }, null)).status).toBe(401);
  });

  it('allows issued credentials, the shared gateway, a logged-in browser and the service; denies anything else', async () => {
    const cred = (await api(svc, '/api/devices/t-gas-upper/credentials', { token: admin, body: {} })).body as { username: string; password: string };
    expect(await ask('/broker/auth', cred)).toEqual({ status: 200, result: 'allow', super: false });
    expect((await ask('/broker/auth', { ...cred, password: 'guessed' })).result).toBe('deny');
    expect((await ask('/broker/auth', { username: 't-gas-lower', password: cred.password })).result).toBe('deny');
    expect((await ask('/broker/auth', { username: DEVICE_MQTT_USERNAME, password: DEVICE_PASSWORD })).result).toBe('allow');
    expect((await ask('/broker/auth', { username: 'browser', password: admin })).result).toBe('allow');
    expect((await ask('/broker/auth', { username: 'browser', password: 'a-made-up-token' })).result).toBe('deny');
    expect(await ask('/broker/auth', SERVICE)).toEqual({ status: 200, result: 'allow', super: true });
    expect((await ask('/broker/auth', { username: SERVICE.username, password: 'x' })).result).toBe('deny');
    expect((await ask('/broker/auth', { username: 12 })).result).toBe('deny');
  });

  it('keeps a device to its own topics and a browser to reading', async () => {
    await api(svc, '/api/devices/t-gas-lower/credentials', { token: admin, body: {} });
    const acl = async (username: string, topic: string, action: 'publish' | 'subscribe', retain = false) => (await ask('/broker/acl', { username, topic, action, retain })).result;
    expect(await acl('t-gas-lower', 'citytwin/v1/confined/t-gas-lower/telemetry', 'publish')).toBe('allow');
    expect(await acl('t-gas-lower', 'citytwin/v1/confined/t-gas-upper/telemetry', 'publish')).toBe('deny');
    expect(await acl('t-gas-lower', 'citytwin/v1/confined/t-gas-lower/telemetry', 'publish', true)).toBe('deny');
    expect(await acl('t-gas-lower', 'citytwin/v1/#', 'subscribe')).toBe('deny');
    expect(await acl('nobody', 'citytwin/v1/confined/t-gas-lower/telemetry', 'publish')).toBe('deny');
    expect(await acl('browser', 'citytwin/v1/live/confined', 'subscribe')).toBe('allow');
    expect(await acl('browser', 'citytwin/v1/confined/t-gas-lower/telemetry', 'publish')).toBe('deny');
    expect(await acl(DEVICE_MQTT_USERNAME, 'citytwin/v1/park/t-tank-1/telemetry', 'publish')).toBe('allow');
    expect(await acl(SERVICE.username, 'citytwin/v1/alarms/x', 'publish')).toBe('allow');
  });
});
