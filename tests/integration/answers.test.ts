/**
 * What the real service answers matches the contract schemas the browser checks answers against:
 * every answer a panel reads, live and at a past instant, on the generated demo registry with a
 * space occupied, a release in the park, and a jam and an incident on the roads. A schema that
 * drifted from the service would otherwise only show as an error in the app.
 */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { generate } from '../../scripts/gen-data';
import {
  alarmEventListSchema,
  checkAnswer,
  deviceListSchema,
  deviceTopic,
  healthSchema,
  incidentListSchema,
  loginSchema,
  networkViewSchema,
  parkSummarySchema,
  replaySnapshotSchema,
  routeSchema,
  segmentListSchema,
  siteListSchema,
  spaceListSchema,
  spaceSummarySchema,
  surelyDevice,
  surelyParkSummary,
  surelySegment,
  surelySite,
  telemetrySchema,
  weatherListSchema,
  zoneCollectionSchema,
} from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { api, deviceClient, login, publish, removeDir, startWithRegistry, tempDataDir, waitFor, waitForAlarm } from './helpers';

let svc: Service;
let dataDir: string;
let device: MqttClient;
let token: string;
/** A past instant with every scene's data in place. */
let at = 0;

const CLEAN = { o2_pct: 20.9, h2s_ppm: 0.2, co_ppm: 1, nh3_ppm: 1, lel_pct: 0 };

beforeAll(async () => {
  dataDir = tempDataDir();
  svc = await startWithRegistry(dataDir, generate().registry);
  device = await deviceClient(svc);
  token = await login(svc, 'admin');
  const now = Date.now();
  // Confined: air at three levels, a passing test, a permit and a worker inside.
  for (const level of ['upper', 'middle', 'lower']) await publish(device, deviceTopic('confined', `kq-p1-s1-gas-${level}`, 'telemetry'), { ts: now - 5000, values: CLEAN });
  const event = (dt: number, body: Record<string, unknown>) => publish(device, deviceTopic('confined', 'kq-p1-s1-access', 'event'), { ts: now - 5000 + dt, spaceId: 'kq-p1-s1', ...body });
  await event(1, { type: 'gas.test', levels: { upper: CLEAN, middle: CLEAN, lower: CLEAN } });
  await event(2, { type: 'permit.open', permitId: 'P-1', workers: ['W1'], attendant: 'A1', maxPersons: 2 });
  await event(3, { type: 'entry', personId: 'W1' });
  // Park: wind and a chlorine release over level 2, with a tank reading.
  await publish(device, deviceTopic('park', 'sy-wind', 'telemetry'), { ts: now - 4000, values: { wind_speed_ms: 3, wind_dir_deg: 0 } });
  await publish(device, deviceTopic('park', 'sy-bs3-gas', 'telemetry'), { ts: now - 4000, values: { cl2_ppm: 1.2, nh3_ppm: 0.5, h2s_ppm: 0.1, voc_ppm: 2 } });
  // Roads: a jam and a crash on G60.
  await publish(device, deviceTopic('roads', 'zj-det-g60-s04', 'telemetry'), { ts: now - 3000, values: { speed_kmh: 9, flow_vph: 300, occupancy_pct: 80 } });
  await publish(device, deviceTopic('roads', 'zj-det-g60-s01', 'telemetry'), { ts: now - 3000, values: { speed_kmh: 90, flow_vph: 1500, occupancy_pct: 10 } });
  await publish(device, deviceTopic('roads', 'zj-ops', 'event'), {
    ts: now - 3000,
    type: 'incident',
    incidentId: 'i-1',
    kind: 'crash',
    segmentId: 'zj-g60-s04',
    lonDeg: 120.215,
    latDeg: 29.782,
    state: 'open',
  });
  await waitForAlarm(svc, token, 'sy-bs3-gas', 'cl2_ppm_high', () => true, 10_000);
  await waitFor('the worker inside', async () => (await api(svc, '/api/spaces/kq-p1-s1', { token })).body?.inside?.length === 1, 10_000);
  at = Date.now() - 500;
});

afterAll(async () => {
  device?.end(true);
  await svc?.close();
  removeDir(dataDir);
});

/** GETs `path` (as the admin) and checks the answer against `schema`; the reason when it does not match. */
async function answerOf(path: string, schema: z.ZodType): Promise<string> {
  const res = await api(svc, path, { token });
  expect(res.status, `${path}: ${JSON.stringify(res.body).slice(0, 200)}`).toBe(200);
  const checked = checkAnswer(schema, res.body);
  return checked.ok ? 'ok' : `${path}: ${checked.reason}`;
}

describe('the service answers as the contract schemas say', () => {
  it.each([
    ['/api/devices', deviceListSchema],
    ['/api/sites', siteListSchema],
    ['/api/spaces', spaceListSchema],
    ['/api/spaces/kq-p1-s1', spaceSummarySchema],
    ['/api/zones', zoneCollectionSchema],
    ['/api/park/summary', parkSummarySchema],
    ['/api/segments', segmentListSchema],
    ['/api/network?hours=6', networkViewSchema],
    ['/api/incidents', incidentListSchema],
    ['/api/weather', weatherListSchema],
    ['/api/route?from=120.17,29.87&to=120.24,29.716', routeSchema],
    ['/api/telemetry/kq-p1-s1-gas-lower?quantity=h2s_ppm', telemetrySchema],
  ] as const)('%s, live and at a past instant', async (path, schema) => {
    expect(await answerOf(path, schema)).toBe('ok');
    if (path.startsWith('/api/devices') || path.startsWith('/api/sites') || path.startsWith('/api/telemetry')) return;
    expect(await answerOf(`${path}${path.includes('?') ? '&' : '?'}at=${at}`, schema)).toBe('ok');
  });

  it('answers devices and sites the quick hand check takes as they are, without zod walking a city', async () => {
    const devices = (await api(svc, '/api/devices', { token })).body as unknown[];
    const sites = (await api(svc, '/api/sites', { token })).body as unknown[];
    expect(devices.length).toBeGreaterThan(0);
    expect(sites.length).toBeGreaterThan(0);
    expect(devices.filter((d) => !surelyDevice(d))).toEqual([]);
    expect(sites.filter((s) => !surelySite(s))).toEqual([]);
  });

  it('answers segments (a jam, an incident) and the park summary (a release) the hand checks take as they are, live and at a past instant', async () => {
    for (const q of ['', `?at=${at}`]) {
      const segments = (await api(svc, `/api/segments${q}`, { token })).body as unknown[];
      expect(segments.length).toBeGreaterThan(0);
      expect(segments.filter((s) => !surelySegment(s))).toEqual([]);
      expect(surelyParkSummary((await api(svc, `/api/park/summary${q}`, { token })).body)).toBe(true);
    }
  });

  it('answers health, login, a replay snapshot and an alarm’s transitions as the schemas say', async () => {
    expect(await answerOf('/api/health', healthSchema)).toBe('ok');
    const loginRes = await api(svc, '/api/login', { body: { username: 'traffic', password: svc.config.demoPassword } });
    expect(checkAnswer(loginSchema, loginRes.body)).toMatchObject({ ok: true });
    expect(await answerOf(`/api/replay?at=${at}`, replaySnapshotSchema)).toBe('ok');
    const alarms = (await api(svc, '/api/alarms?state=open', { token })).body as { id: string }[];
    expect(alarms.length).toBeGreaterThan(0);
    expect(await answerOf(`/api/alarms/${alarms[0].id}/events`, alarmEventListSchema)).toBe('ok');
  });
});
