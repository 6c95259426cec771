/**
 * Helpers for the integration tests: the real service (../fixture/service.ts) on the small fixture
 * registry, MQTT clients with the contract's credentials, and polling waits (tests wait on state,
 * never on fixed sleeps).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { BROWSER_MQTT_USERNAME, DEVICE_MQTT_USERNAME, type Registry, type Role } from '../../src/contracts';
import type { Service, ServiceOptions } from '../../src/server/app';
import { DEVICE_PASSWORD, api, login, removeDir, startTestService as startService, tempDataDir } from '../fixture/service';
import { waitFor } from '../fixture/wait';

export { DEMO_PASSWORD, DEVICE_PASSWORD, api, login, removeDir, tempDataDir, type ApiAnswer } from '../fixture/service';
export { waitFor } from '../fixture/wait';

export const FIXTURE_REGISTRY = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/registry.json');

/** The service on the fixture registry, live batches every 50 ms, no built app; `env` overrides. */
export function startTestService(dataDir: string, env: Record<string, string> = {}, options: ServiceOptions = {}): Promise<Service> {
  return startService(dataDir, { REGISTRY: FIXTURE_REGISTRY, STATIC_DIR: join(dataDir, 'no-dist'), LIVE_BATCH_MS: '50', ...env }, options);
}

/** Starts the real service on `registry` (e.g. the generated demo one) instead of the small fixture. */
export async function startWithRegistry(dataDir: string, registry: Registry, env: Record<string, string> = {}): Promise<Service> {
  const registryPath = join(dataDir, 'registry.json');
  writeFileSync(registryPath, JSON.stringify(registry));
  return startTestService(dataDir, { REGISTRY: registryPath, ...env });
}

/** What a suite runs against: its service, that service's data directory and, when asked, a device and a user. */
export interface SuiteService {
  readonly svc: Service;
  readonly dataDir: string;
  /** Connected with the shared device account (`device: true`). */
  readonly device: MqttClient;
  /** The Bearer token of the `login` user. */
  readonly token: string;
  /** Stops the service (as a crash would not: cleanly) and starts it again on the same data, with a new device and token. */
  restart(): Promise<void>;
}

/**
 * The real service of a suite, started before its tests and stopped after them (`each`: a fresh
 * one, on an empty database, for every test): on the fixture registry or `registry`, with `env`,
 * a device client (`device`) and the token of a user (`login`). Tests read it as `suite.svc` etc.
 */
export function serviceSuite(opts: { registry?: Registry; env?: Record<string, string>; device?: boolean; login?: Role; each?: boolean } = {}): SuiteService {
  let svc: Service | undefined;
  let dataDir: string | undefined;
  let device: MqttClient | undefined;
  let token: string | undefined;
  const need = <T>(what: string, v: T | undefined): T => {
    if (v === undefined) throw new Error(`serviceSuite: no ${what} (not started, or not asked for)`);
    return v;
  };
  const up = async (): Promise<void> => {
    svc = opts.registry ? await startWithRegistry(dataDir!, opts.registry, opts.env) : await startTestService(dataDir!, opts.env);
    if (opts.device) device = await deviceClient(svc);
    if (opts.login) token = await login(svc, opts.login);
  };
  const down = async (): Promise<void> => {
    device?.end(true);
    await svc?.close();
    device = svc = token = undefined;
  };
  const start = async (): Promise<void> => {
    dataDir = tempDataDir();
    await up();
  };
  const stop = async (): Promise<void> => {
    await down();
    if (dataDir) removeDir(dataDir);
    dataDir = undefined;
  };
  (opts.each ? beforeEach : beforeAll)(start);
  (opts.each ? afterEach : afterAll)(stop);
  return {
    get svc() {
      return need('service', svc);
    },
    get dataDir() {
      return need('data directory', dataDir);
    },
    get device() {
      return need('device client', device);
    },
    get token() {
      return need('token', token);
    },
    restart: async () => {
      await down();
      await up();
    },
  };
}

/** A refused connect may never settle in mqtt.js (a CONNACK refusal can be lost as the socket closes): bound it. */
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

/** Whether the device's reading of `quantity` at `ts` is stored (for waitFor: true, or null while not). */
export async function readingStored(svc: Service, token: string, deviceId: string, ts: number, quantity = 'o2_pct'): Promise<true | null> {
  const r = await api<{ points?: unknown[] }>(svc, `/api/telemetry/${deviceId}?quantity=${quantity}&from=${ts}&to=${ts}`, { token });
  return r.body.points?.length === 1 ? true : null;
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
