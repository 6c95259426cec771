/**
 * Helpers for the integration tests: the real service in-process on free ports with a temporary
 * DATA_DIR (or, in the PostgreSQL project, a database of its own) and the small fixture registry, MQTT clients with the contract's credentials, and
 * polling waits (tests wait on state, never on fixed sleeps).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { BROWSER_MQTT_USERNAME, DEVICE_MQTT_USERNAME, type Registry, type Role } from '../../src/contracts';
import { startService, type Service, type ServiceOptions } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import { databaseEnv } from '../fixture/database';

export const FIXTURE_REGISTRY = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/registry.json');
export const DEMO_PASSWORD = 'test-demo-pw';
export const DEVICE_PASSWORD = 'test-device-pw';

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'citytwin-it-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Starts the real service on free ports; `env` overrides the test defaults; `options` e.g. a clock. */
export async function startTestService(dataDir: string, env: Record<string, string> = {}, options: ServiceOptions = {}): Promise<Service> {
  const database = await databaseEnv(dataDir);
  const cfg = loadConfig({
    ...database,
    PORT: '0',
    MQTT_PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    REGISTRY: FIXTURE_REGISTRY,
    STATIC_DIR: join(dataDir, 'no-dist'),
    CITYTWIN_DEMO_PASSWORD: DEMO_PASSWORD,
    CITYTWIN_DEVICE_PASSWORD: DEVICE_PASSWORD,
    LIVE_BATCH_MS: '50',
    SIMULATE: '0',
    ...env,
  });
  return startService(cfg, options);
}

/** Starts the real service on `registry` (e.g. the generated demo one) instead of the small fixture. */
export async function startWithRegistry(dataDir: string, registry: Registry, env: Record<string, string> = {}): Promise<Service> {
  const registryPath = join(dataDir, 'registry.json');
  writeFileSync(registryPath, JSON.stringify(registry));
  return startTestService(dataDir, { REGISTRY: registryPath, ...env });
}

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the HTTP API; JSON in, JSON (or text) out. */
export async function api<T = any>(
  svc: Service,
  path: string,
  opts: { token?: string; method?: string; body?: unknown } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(svc.url + path, {
    method: opts.method ?? (opts.body !== undefined ? 'POST' : 'GET'),
    headers,
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Prometheus text and the like stay strings.
  }
  return { status: res.status, body, headers: res.headers };
}

export async function login(svc: Service, user: Role): Promise<string> {
  const r = await api<{ token: string }>(svc, '/api/login', { body: { username: user, password: DEMO_PASSWORD } });
  if (r.status !== 200) throw new Error(`login ${user}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}

/** mqtt.js may never settle a refused connect over the merged-frame stream (PLATFORM.md): bound it. */
export async function connect(url: string, opts: IClientOptions): Promise<MqttClient> {
  const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts });
  try {
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('connect timed out')), 5000);
      client.once('connect', () => (clearTimeout(timer), ok()));
      client.once('error', (err) => (clearTimeout(timer), fail(err)));
      client.once('close', () => (clearTimeout(timer), fail(new Error('closed before CONNACK'))));
    });
  } catch (err) {
    client.end(true);
    throw err;
  }
  return client;
}

export function deviceClient(svc: Service, password = DEVICE_PASSWORD): Promise<MqttClient> {
  return connect(svc.mqttUrl, { username: DEVICE_MQTT_USERNAME, password });
}

/** A browser-like client: the login token as password, over WebSocket unless `tcp`. */
export function browserClient(svc: Service, token: string, tcp = false): Promise<MqttClient> {
  return connect(tcp ? svc.mqttUrl : svc.wsUrl!, { username: BROWSER_MQTT_USERNAME, password: token });
}

/** Polls `probe` until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 5000, everyMs = 25): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Records every message a client receives, decoded as text. */
export function record(client: MqttClient): { topic: string; text: string; retain: boolean }[] {
  const seen: { topic: string; text: string; retain: boolean }[] = [];
  client.on('message', (topic, payload, packet) => seen.push({ topic, text: payload.toString('utf8'), retain: packet.retain }));
  return seen;
}

export async function publish(client: MqttClient, topic: string, payload: unknown, opts: { retain?: boolean } = {}): Promise<void> {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  await client.publishAsync(topic, text, { qos: 1, retain: opts.retain ?? false });
}

/** Open alarms of a device (and rule), via the API. */
export async function alarmsOf(svc: Service, token: string, deviceId: string, rule?: string, state = 'open'): Promise<any[]> {
  const r = await api<any[]>(svc, `/api/alarms?state=${state}`, { token });
  return r.body.filter((a) => a.deviceId === deviceId && (!rule || a.rule === rule));
}

/** Resolves when a client's connection closes (e.g. after a refused publish). */
export function closed(client: MqttClient, timeoutMs = 5000): Promise<void> {
  return new Promise((ok, fail) => {
    if (!client.connected) return ok();
    const timer = setTimeout(() => fail(new Error('connection stayed open')), timeoutMs);
    client.once('close', () => (clearTimeout(timer), ok()));
  });
}

/** Waits for an alarm of a device and rule (any state) that satisfies `pred`. */
export function waitForAlarm(
  svc: Service,
  token: string,
  deviceId: string,
  rule: string,
  pred: (a: any) => boolean = () => true,
  timeoutMs = 5000,
): Promise<any> {
  return waitFor(`${rule} alarm of ${deviceId}`, async () => (await alarmsOf(svc, token, deviceId, rule, 'all')).find(pred), timeoutMs);
}
