/**
 * The road scene replayed from the service: `?at=` on segments, network, incidents, weather and
 * route answers as things stood then, rebuilt from SQLite — on the real service with the generated
 * Zhuji network. Readings and events carry their own ts, so a recorded half hour is published at
 * once (beforeAll): free flow, then a crash on one G60 segment with its speeds collapsing, then the
 * crash cleared and speeds back; fog at one station meanwhile. Each test only reads.
 */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../scripts/gen-data';
import { deviceTopic } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { api, deviceClient, login, publish, removeDir, startWithRegistry, tempDataDir, waitFor, waitForAlarm } from './helpers';

const MIN = 60_000;
const registry = generate().registry;
const detectors = registry.devices.filter((d) => d.kind === 'traffic_detector');
const CRASH_SEGMENT = 'zj-g60-s03';
const FOG_STATION = 'zj-wx-zy';
/** Its detector falls silent for 3 min of the recording. */
const SILENT_SEGMENT = 'zj-g60-n05';
/** Through the crash segment: G60 north end to Zhuji centre (as in roads.test.ts). */
const ROUTE = 'from=120.17,29.87&to=120.24,29.716';

// The recorded stretch, in ms before the start of the test (T0): readings every 30 s.
const T0 = Math.floor(Date.now() / 1000) * 1000;
const START = T0 - 30 * MIN;
const JAM_FROM = T0 - 20 * MIN;
const CLEARED = T0 - 10 * MIN;
/** 7 min into the jam: the 5-min smoothing window holds jam readings only. */
const IN_JAM = T0 - 13 * MIN;
/** 7 min after the crash was cleared. */
const AFTER = T0 - 3 * MIN;
const BEFORE = T0 - 25 * MIN;
const SILENT_FROM = T0 - 9 * MIN;
const SILENT_TO = T0 - 6 * MIN;

let svc: Service;
let dataDir: string;
let device: MqttClient;
let token: string;

beforeAll(async () => {
  dataDir = tempDataDir();
  svc = await startWithRegistry(dataDir, registry);
  device = await deviceClient(svc);
  token = await login(svc, 'traffic');
  await record();
  // Fog on the other station in real time (alarms are stamped when they are raised).
  await publish(device, deviceTopic('roads', 'zj-wx-g60', 'telemetry'), { ts: Date.now(), values: { visibility_m: 150 } });
  await waitForAlarm(svc, token, 'zj-wx-g60', 'fog', () => true, 10_000);
});

afterAll(async () => {
  device?.end(true);
  await svc?.close();
  removeDir(dataDir);
});

const get = async (path: string) => {
  const r = await api(svc, path, { token });
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};
const segmentsAt = async (at: number): Promise<any[]> => get(`/api/segments?at=${at}`);
const incidentsAt = async (at: number): Promise<any[]> => get(`/api/incidents?at=${at}`);
const stationAt = async (at: number, id: string) => ((await get(`/api/weather?at=${at}`)) as any[]).find((w) => w.deviceId === id);
const liveView = async () => ({
  segments: ((await get('/api/segments')) as any[]).map((s) => [s.id, s.level, s.smoothedSpeedKmh, s.incidentIds]),
  incidents: await get('/api/incidents'),
  alarms: await get('/api/alarms?state=all'),
});
const incidentEvent = (ts: number, state: 'open' | 'cleared') =>
  publish(device, deviceTopic('roads', 'zj-ops', 'event'), {
    ts,
    type: 'incident',
    incidentId: 'rr-crash-1',
    kind: 'crash',
    segmentId: CRASH_SEGMENT,
    lonDeg: 120.2,
    latDeg: 29.79,
    state,
  });

/** Half an hour: free flow, a crash with a jam on its segment, cleared, free again. */
async function record(): Promise<void> {
  // The detectors report side by side (one device each: no order between them to keep).
  await Promise.all(detectors.map(async (d) => {
    // One batch per detector; speeds wobble by 1 km/h so no detector counts as stuck.
    const batch = [];
    for (let k = 0, ts = START; ts <= T0; k++, ts += 30_000) {
      const jammed = d.siteId === CRASH_SEGMENT && ts >= JAM_FROM && ts < CLEARED;
      if (d.siteId === SILENT_SEGMENT && ts > SILENT_FROM && ts < SILENT_TO) continue;
      batch.push({ ts, values: { speed_kmh: (jammed ? 9 : 90) + (k % 3), flow_vph: jammed ? 300 : 1500, occupancy_pct: jammed ? 80 : 10 } });
    }
    await publish(device, deviceTopic('roads', d.id, 'telemetry'), batch);
  }));
  for (const id of ['zj-wx-zy', 'zj-wx-g60']) {
    const batch = [];
    for (let ts = START; ts <= T0; ts += MIN) {
      const fog = id === FOG_STATION && ts >= T0 - 16 * MIN && ts <= T0 - 12 * MIN;
      batch.push({ ts, values: { visibility_m: fog ? 80 : 5000, road_temp_c: 8, precip_mmh: 0 } });
    }
    await publish(device, deviceTopic('roads', id, 'telemetry'), batch);
  }
  await incidentEvent(JAM_FROM + 30_000, 'open');
  await incidentEvent(CLEARED, 'cleared');
  await waitFor('the recorded jam in SQLite', async () => (await segmentsAt(IN_JAM)).find((s) => s.id === CRASH_SEGMENT)?.level === 5);
  await waitFor('the crash cleared live', async () => ((await get('/api/incidents')) as any[]).some((i) => i.state === 'cleared'));
}

describe('the road scene at a past instant', () => {
  it('inside the jam: its segment severe with the crash on it, the rest free, the crash open', async () => {
    const segs = await segmentsAt(IN_JAM);
    const crash = segs.find((s) => s.id === CRASH_SEGMENT);
    // Smoothed over 5 min of 9–11 km/h: ≤ 20 km/h on an expressway is severe (GB/T 33171).
    expect(crash).toMatchObject({ level: 5, health: 'ok', incidentIds: ['rr-crash-1'], closed: false });
    expect(crash.smoothedSpeedKmh).toBeGreaterThanOrEqual(9);
    expect(crash.smoothedSpeedKmh).toBeLessThanOrEqual(11);
    expect(crash.updatedAt).toBeLessThanOrEqual(IN_JAM);
    const others = segs.filter((s) => s.id !== CRASH_SEGMENT);
    expect(others).toHaveLength(65);
    expect(others.filter((s) => s.level !== 1 || s.health !== 'ok').map((s) => s.id)).toEqual([]);

    const incidents = await incidentsAt(IN_JAM);
    expect(incidents).toEqual([
      expect.objectContaining({ incidentId: 'rr-crash-1', state: 'open', segmentId: CRASH_SEGMENT, openedAt: JAM_FROM + 30_000, clearedAt: null }),
    ]);
    expect(await incidentsAt(BEFORE)).toEqual([]);
    expect((await segmentsAt(BEFORE)).find((s) => s.id === CRASH_SEGMENT)).toMatchObject({ level: 1, incidentIds: [] });
  });

  it('after: the segment free again and the crash listed as cleared', async () => {
    const crash = (await segmentsAt(AFTER)).find((s) => s.id === CRASH_SEGMENT);
    expect(crash).toMatchObject({ level: 1, health: 'ok', incidentIds: [] });
    expect(crash.smoothedSpeedKmh).toBeGreaterThan(85);
    expect(await incidentsAt(AFTER)).toEqual([expect.objectContaining({ incidentId: 'rr-crash-1', state: 'cleared', clearedAt: CLEARED })]);
    expect(await get(`/api/incidents?at=${AFTER}&state=open`)).toEqual([]);
  });

  it('judges detector health at the instant: silent before the recording, so unknown, never free', async () => {
    const segs = await segmentsAt(START - 1000);
    expect(segs.every((s) => s.level === null && s.health === 'nodata')).toBe(true);
    // 2.5 min after its last reading a detector (30 s interval) is stale; once it reports again, ok.
    const silent = await segmentsAt(SILENT_TO - 30_000);
    expect(silent.find((s) => s.id === SILENT_SEGMENT)).toMatchObject({ health: 'stale', level: null, speedKmh: null });
    expect(silent.filter((s) => s.level === null).map((s) => s.id)).toEqual([SILENT_SEGMENT]);
    expect((await segmentsAt(AFTER)).find((s) => s.id === SILENT_SEGMENT)).toMatchObject({ health: 'ok', level: 1 });
  });

  it('weather at an instant with low visibility gives its fog band; its alarms as open then', async () => {
    expect(await stationAt(IN_JAM, FOG_STATION)).toMatchObject({
      visibilityM: 80,
      fog: { belowM: 100, limitKmh: 40, exit: false, severity: 'major' },
      health: 'ok',
      alarmIds: [],
    });
    expect(await stationAt(AFTER, FOG_STATION)).toMatchObject({ visibilityM: 5000, fog: null });

    const alarm = (await get('/api/alarms?state=open')).find((a: any) => a.deviceId === 'zj-wx-g60' && a.rule === 'fog');
    // Before the fog's on-delay had passed: the band already, no alarm yet; from its raise on, the alarm.
    expect(await stationAt(alarm.raisedAt - 1, 'zj-wx-g60')).toMatchObject({ fog: { belowM: 200 }, alarmIds: [] });
    expect(await stationAt(alarm.raisedAt, 'zj-wx-g60')).toMatchObject({ fog: { belowM: 200 }, alarmIds: [alarm.id] });
  });

  it('network at an instant: the index and lengths of the segments then, the history up to it', async () => {
    const segs = await segmentsAt(IN_JAM);
    const crash = segs.find((s) => s.id === CRASH_SEGMENT);
    const total = segs.reduce((a, s) => a + s.lengthM, 0);
    const net = await get(`/api/network?at=${IN_JAM}&hours=6`);
    expect(net.ts).toBe(IN_JAM);
    expect(net.lengthIndex).toBeCloseTo(1 + (4 * crash.lengthM) / total, 2);
    // One severe expressway segment holds the index at mild jam, however free the rest is.
    expect(net).toMatchObject({ index: 3, floorSegmentId: CRASH_SEGMENT });
    expect(net.lengthByLevelM).toMatchObject({ 5: crash.lengthM, 1: total - crash.lengthM, unknown: 0 });
    expect((await get(`/api/network?at=${AFTER}`)).index).toBe(1);

    // The service samples the live index once a minute; a sample belongs to an instant's history from its minute on.
    const firstSample = (await waitFor('a live index sample', async () => (await get('/api/network?hours=1')).history[0]))[0];
    expect(net.history.every(([t]: [number]) => t <= IN_JAM)).toBe(true);
    const upTo = (await get(`/api/network?at=${firstSample}&hours=1`)).history;
    expect(upTo.at(-1)[0]).toBe(firstSample);
    expect((await get(`/api/network?at=${firstSample - 1}&hours=1`)).history.map(([t]: [number]) => t)).not.toContain(firstSample);
  });

  it('routes on the speeds of the instant: round the jam while it lasted, through the segment after', async () => {
    const inJam = await get(`/api/route?${ROUTE}&at=${IN_JAM}`);
    const after = await get(`/api/route?${ROUTE}&at=${AFTER}`);
    expect(inJam.segmentIds).not.toContain(CRASH_SEGMENT);
    expect(after.segmentIds).toContain(CRASH_SEGMENT);
    expect(inJam.travelTimeS).toBeGreaterThan(after.travelTimeS);
  });

  it('refuses an instant in the future on every road route', async () => {
    const future = Date.now() + 10 * MIN;
    for (const path of ['/api/segments', '/api/network', '/api/incidents', '/api/weather', `/api/route?${ROUTE}`]) {
      const r = await api(svc, `${path}${path.includes('?') ? '&' : '?'}at=${future}`, { token });
      expect(r.status, path).toBe(400);
      expect(r.body.message).toMatch(/in the future/);
    }
  });

  it('leaves the live answers as they were, and raises or changes no alarm', async () => {
    const live = await liveView();
    for (const at of [BEFORE, IN_JAM, AFTER]) {
      for (const path of ['/api/segments', '/api/network', '/api/incidents', '/api/weather', `/api/route?${ROUTE}`]) {
        await get(`${path}${path.includes('?') ? '&' : '?'}at=${at}`);
      }
    }
    const now = await liveView();
    expect(now).toEqual(live);
    // Live: every detector's latest reading is free flow and the crash is cleared.
    expect(now.segments.find(([id]) => id === CRASH_SEGMENT)).toEqual([CRASH_SEGMENT, 1, expect.any(Number), []]);
    expect(now.incidents).toEqual([expect.objectContaining({ incidentId: 'rr-crash-1', state: 'cleared' })]);
  });
});
