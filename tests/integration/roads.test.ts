/**
 * The road scene through the real service on the generated demo network (Zhuji): detector speeds
 * become segment levels, a stuck detector makes its segment unknown, operators' incidents raise
 * alarms and a closure reroutes, weather stations raise fog and ice alarms naming their segments.
 * Each test starts a service of its own on an empty database and publishes what it needs.
 */
import { describe, expect, it } from 'vitest';
import { generate } from '../../scripts/gen-data';
import { deviceTopic } from '../../src/contracts';
import { weightedNetworkIndex } from '../../src/domain';
import { api, login, publish, serviceSuite, waitFor, waitForAlarm } from './helpers';

const registry = generate().registry;
const suite = serviceSuite({ registry, device: true, login: 'traffic', each: true });

const MIN = 60_000;
const traffic = (deviceId: string, ts: number, speedKmh: number) =>
  publish(suite.device, deviceTopic('roads', deviceId, 'telemetry'), { ts, values: { speed_kmh: speedKmh, flow_vph: 1200, occupancy_pct: 12 } });
const segments = async (): Promise<any[]> => (await api(suite.svc, '/api/segments', { token: suite.token })).body;
const segment = async (id: string) => (await segments()).find((s) => s.id === id);
/** Operator reports; each gets its own ts (the service applies one event per device, ts and type). */
let eventTs = Date.now() - 10_000;
const incident = (incidentId: string, kind: string, segmentId: string, state: 'open' | 'cleared') =>
  publish(suite.device, deviceTopic('roads', 'zj-ops', 'event'), {
    ts: (eventTs += 10),
    type: 'incident',
    incidentId,
    kind,
    segmentId,
    lonDeg: 120.215,
    latDeg: 29.782,
    state,
  });

/** G60 north end to Zhuji centre: down the G60 to the Zhuji interchange, then Jiyang Avenue east. */
const ROUTE = '/api/route?from=120.17,29.87&to=120.24,29.716';

/** The first G60 segment at 80 then 40 km/h a minute apart: smoothed 60 km/h, light congestion. */
async function congestG60(t: number): Promise<void> {
  await traffic('zj-det-g60-s01', t - MIN, 80);
  await traffic('zj-det-g60-s01', t, 40);
  await waitFor('the G60 segment state', async () => (await segment('zj-g60-s01'))?.speedKmh === 40);
}

describe('segments', () => {
  it('colours segments by their smoothed speed (expressways against free flow, urban roads by GB/T 33171) and adds what the road view needs', async () => {
    const t = Date.now();
    await traffic('zj-det-jy-w01', t, 17);
    await congestG60(t);
    const s01 = await segment('zj-g60-s01');
    // Latest 40 km/h, 5-min mean 60 km/h of a 105 km/h free flow (57 %): a mild jam on an
    // expressway (the urban table would have called it light congestion).
    expect(s01).toMatchObject({
      id: 'zj-g60-s01',
      class: 'expressway',
      speedKmh: 40,
      smoothedSpeedKmh: 60,
      level: 3,
      criterion: 'highway',
      control: null,
      health: 'ok',
      direction: 'southbound',
      lengthM: 4578,
      freeFlowKmh: 105,
      closed: false,
      incidentIds: [],
      updatedAt: t,
    });
    expect(s01.name).toMatch(/^G60/);
    expect(s01.nameZh).toMatch(/^G60/);
    expect(s01.usualSpeedKmh).toBeGreaterThan(50);
    expect(s01.usualSpeedKmh).toBeLessThanOrEqual(105);
    expect(await segment('zj-jy-w01')).toMatchObject({ class: 'arterial', speedKmh: 17, level: 4, health: 'ok', criterion: 'urban' });
    // Never heard: unknown, not free-flowing.
    expect(await segment('zj-g235-s01')).toMatchObject({ speedKmh: null, smoothedSpeedKmh: null, level: null, health: 'nodata' });
  });

  it('serves the network index now and its history, sampled each minute', async () => {
    await congestG60(Date.now());
    const net = await waitFor('a sample of the index', async () => {
      const r = await api(suite.svc, '/api/network?hours=1', { token: suite.token });
      return r.body.history.length > 0 && r.body;
    });
    const segs = await segments();
    const known = segs.filter((s) => s.level !== null);
    const expected = known.reduce((a, s) => a + s.level * s.lengthM, 0) / known.reduce((a, s) => a + s.lengthM, 0);
    expect(net.lengthIndex).toBeCloseTo(expected, 2);
    // The index weights length by road class (src/domain/networkIndex.ts).
    expect(net.index).toBeCloseTo(weightedNetworkIndex(segs).index!, 2);
    expect(net.sampleEveryS).toBe(60);
    expect(net.totalLengthM).toBe(segs.reduce((a, s) => a + s.lengthM, 0));
    expect(net.lengthByLevelM.unknown).toBeGreaterThan(net.lengthByLevelM[2]);
    expect(net.history[0][0] % MIN).toBe(0);
    expect((await api(suite.svc, '/api/network?hours=48', { token: suite.token })).status).toBe(400);
  });

  it('shows a stuck detector as unknown with a warning alarm, and takes it back when the value moves', async () => {
    const t = Date.now();
    for (const ago of [12, 6, 1]) await traffic('zj-det-g60-s05', t - ago * MIN, 57.3);
    const alarm = await waitForAlarm(suite.svc, suite.token, 'zj-det-g60-s05', 'stuck');
    expect(alarm).toMatchObject({ rule: 'stuck', severity: 'warning', siteId: 'zj-g60-s05', value: 11, threshold: 10 });
    expect(await segment('zj-g60-s05')).toMatchObject({ health: 'stuck', speedKmh: null, level: null });

    await traffic('zj-det-g60-s05', t, 57.9);
    await waitForAlarm(suite.svc, suite.token, 'zj-det-g60-s05', 'stuck', (a) => a.id === alarm.id && a.state === 'cleared_unack');
    expect(await segment('zj-g60-s05')).toMatchObject({ health: 'ok', speedKmh: 57.9 });
  });
});

describe('incidents and routes', () => {
  it('routes on live speeds: a plausible time, slower than free flow where the G60 is congested', async () => {
    await congestG60(Date.now());
    const r = await api(suite.svc, ROUTE, { token: suite.token });
    expect(r.status).toBe(200);
    const route = r.body;
    expect(route.segmentIds).toEqual(['zj-g60-s01', 'zj-g60-s02', 'zj-g60-s03', 'zj-g60-s04', 'zj-jy-e01', 'zj-jy-e02']);
    // ~21 km: ~14 min at free flow; the congested first segment (60 km/h smoothed) adds ~2 min.
    expect(route.lengthM).toBeGreaterThan(20_000);
    expect(route.lengthM).toBeLessThan(23_000);
    expect(route.freeFlowTimeS).toBeGreaterThan(780);
    expect(route.freeFlowTimeS).toBeLessThan(960);
    expect(route.travelTimeS).toBeGreaterThan(route.freeFlowTimeS + 100);
    // Only the congested first segment has live data: all the time lost is its delay.
    expect(route.delayS).toBeCloseTo(route.travelTimeS - route.freeFlowTimeS, 0);
    expect(route.travelTimeS).toBeLessThan(1800);
    expect(route.geometry.type).toBe('LineString');
    expect(route.geometry.coordinates[0]).toEqual([120.17, 29.87]);
  });

  it('raises the incident alarm, lists the incident, and reroutes round a closure until it is cleared', async () => {
    await incident('it-crash-1', 'crash', 'zj-g60-s03', 'open');
    const crash = await waitForAlarm(suite.svc, suite.token, 'zj-ops', 'incident', (a) => a.message.includes('it-crash-1'));
    expect(crash).toMatchObject({ scene: 'roads', siteId: 'zj-g60-s03', severity: 'major', state: 'active_unack' });
    // The traffic controller owns the roads scene: they acknowledge it.
    const ack = await api(suite.svc, `/api/alarms/${crash.id}/ack`, { token: suite.token, body: {} });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ state: 'active_ack', ackedBy: 'traffic' });
    const open = await api(suite.svc, '/api/incidents?state=open', { token: suite.token });
    expect(open.body).toContainEqual(
      expect.objectContaining({ incidentId: 'it-crash-1', kind: 'crash', state: 'open', segmentId: 'zj-g60-s03', deviceId: 'zj-ops', closesSegment: false }),
    );
    expect(await segment('zj-g60-s03')).toMatchObject({ incidentIds: ['it-crash-1'], closed: false });
    // A crash is not a closure: the route still uses the segment.
    expect((await api(suite.svc, ROUTE, { token: suite.token })).body.segmentIds).toContain('zj-g60-s03');

    await incident('it-closure-1', 'closure', 'zj-g60-s03', 'open');
    await waitForAlarm(suite.svc, suite.token, 'zj-ops', 'incident', (a) => a.message.includes('it-closure-1'));
    expect(await segment('zj-g60-s03')).toMatchObject({ closed: true });
    const detour = (await api(suite.svc, ROUTE, { token: suite.token })).body;
    expect(detour.segmentIds).not.toContain('zj-g60-s03');
    expect(detour.segmentIds).toContain('zj-zy-s01'); // east along the Zhuji–Yongjia expressway instead
    expect(detour.freeFlowTimeS).toBeGreaterThan(900);

    await incident('it-closure-1', 'closure', 'zj-g60-s03', 'cleared');
    await waitForAlarm(suite.svc, suite.token, 'zj-ops', 'incident', (a) => a.message.includes('it-closure-1') && a.state === 'cleared_unack');
    expect((await api(suite.svc, ROUTE, { token: suite.token })).body.segmentIds).toContain('zj-g60-s03');
    const all = (await api(suite.svc, '/api/incidents', { token: suite.token })).body;
    expect(all.find((i: any) => i.incidentId === 'it-closure-1')).toMatchObject({ state: 'cleared', closesSegment: false });
    expect(all.find((i: any) => i.incidentId === 'it-closure-1').clearedAt).toBeGreaterThan(0);
    expect((await api(suite.svc, '/api/incidents?state=open', { token: suite.token })).body.map((i: any) => i.incidentId)).not.toContain('it-closure-1');
  });

  it.each([
    ['/api/route?to=120.24,29.716', /from is required/],
    ['/api/route?from=120.17;29.87&to=120.24,29.716', /from must be lonDeg,latDeg/],
    ['/api/route?from=200,29.87&to=120.24,29.716', /-180 ≤ lon ≤ 180/],
  ])('answers 400 with a clear message for %s', async (path, message) => {
    const r = await api(suite.svc, path, { token: suite.token });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(message);
  });

  it('answers 404 when a point is far from any road', async () => {
    const r = await api(suite.svc, '/api/route?from=121.47,31.23&to=120.24,29.716', { token: suite.token });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ error: 'no_route' });
    expect(r.body.message).toMatch(/from is \d+(\.\d)? km from the nearest open road/);
  });
});

describe('weather', () => {
  const wx = (deviceId: string, values: Record<string, number>, ts = Date.now()) =>
    publish(suite.device, deviceTopic('roads', deviceId, 'telemetry'), { ts, values });
  const station = async (id: string) => (await api(suite.svc, '/api/weather', { token: suite.token })).body.find((s: any) => s.deviceId === id);

  it('raises fog by band on the station, naming its segments, escalating as visibility falls', async () => {
    const t = Date.now() - 3000;
    await wx('zj-wx-zy', { visibility_m: 150, road_temp_c: 8, precip_mmh: 0 }, t);
    const minor = await waitForAlarm(suite.svc, suite.token, 'zj-wx-zy', 'fog', () => true, 10_000); // minor: 5 s on-delay
    expect(minor).toMatchObject({ siteId: 'zj-met-zy', severity: 'minor', threshold: 200 });
    expect(minor.message).toMatch(/limit 60 km\/h; segments zj-zy-s03, zj-zy-s04/);

    await wx('zj-wx-zy', { visibility_m: 80 }, t + 1000);
    await waitForAlarm(suite.svc, suite.token, 'zj-wx-zy', 'fog', (a) => a.id === minor.id && a.severity === 'major');
    await wx('zj-wx-zy', { visibility_m: 40 }, t + 2000);
    const critical = await waitForAlarm(suite.svc, suite.token, 'zj-wx-zy', 'fog', (a) => a.id === minor.id && a.severity === 'critical');
    expect(critical.message).toMatch(/limit 20 km\/h, exit; segments/);

    const s = await station('zj-wx-zy');
    expect(s).toMatchObject({
      siteId: 'zj-met-zy',
      health: 'ok',
      visibilityM: 40,
      fog: { belowM: 50, limitKmh: 20, exit: true, severity: 'critical' },
      ice: false,
      alarmIds: [minor.id],
    });
    expect(s.segmentIds).toEqual(expect.arrayContaining(['zj-zy-s03', 'zj-zy-n04']));

    await wx('zj-wx-zy', { visibility_m: 6000 });
    await waitForAlarm(suite.svc, suite.token, 'zj-wx-zy', 'fog', (a) => a.id === minor.id && a.state === 'cleared_unack');
    expect((await station('zj-wx-zy')).fog).toBeNull();
  });

  it('raises ice on a freezing wet surface', async () => {
    await wx('zj-wx-g60', { visibility_m: 3000, road_temp_c: -1.5, precip_mmh: 0.6 });
    const ice = await waitForAlarm(suite.svc, suite.token, 'zj-wx-g60', 'ice');
    expect(ice).toMatchObject({ siteId: 'zj-met-g60', severity: 'major' });
    expect(ice.message).toMatch(/segments zj-g60-s05/);
    expect(await station('zj-wx-g60')).toMatchObject({ ice: true, fog: null, roadTempC: -1.5 });
  });

  it('gives each covered expressway segment its fog control with a Chinese sign, and routes keep to the limit', async () => {
    const geometryOf = (id: string) => registry.sites.find((x) => x.id === id)!.geometry as { coordinates: [number, number][] };
    const from = geometryOf('zj-g60-s05').coordinates[0];
    const to = geometryOf('zj-g60-s07').coordinates.at(-1)!;
    const path = `/api/route?from=${from.join(',')}&to=${to.join(',')}`;
    const clear = (await api(suite.svc, path, { token: suite.token })).body;
    expect(clear.segmentIds).toEqual(['zj-g60-s05', 'zj-g60-s06', 'zj-g60-s07']);

    await wx('zj-wx-g60', { visibility_m: 80, road_temp_c: 8, precip_mmh: 0 });
    const s = await waitFor('the fog control', async () => (await station('zj-wx-g60'))?.controls?.length > 0 && station('zj-wx-g60'));
    const control = { level: 'fog_100', speedLimitKmh: 40, spacingM: 50, action: 'limit', vmsText: '大雾 限速40 车距50米以上 开雾灯双闪' };
    expect(s.controls).toContainEqual({ segmentId: 'zj-g60-s06', control: expect.objectContaining(control) });
    expect(s.controls.map((c: any) => c.segmentId).sort()).toEqual([...s.segmentIds].sort());
    expect(await segment('zj-g60-s06')).toMatchObject({ control: expect.objectContaining(control), closed: false });
    expect((await segment('zj-g60-s01')).control).toBeNull();
    // The same road, driven at no more than 40 km/h.
    const fog = (await api(suite.svc, path, { token: suite.token })).body;
    expect(fog.segmentIds).toEqual(clear.segmentIds);
    expect(fog.travelTimeS).toBeGreaterThanOrEqual(Math.floor(fog.lengthM / (40 / 3.6)));
    expect(fog.travelTimeS).toBeGreaterThan(clear.travelTimeS * 2);

    // Ice closes the segments: no route along them.
    await wx('zj-wx-g60', { visibility_m: 3000, road_temp_c: -1.5, precip_mmh: 0.6 });
    await waitFor('the ice closure', async () => (await segment('zj-g60-s06'))?.control?.action === 'close');
    expect(await segment('zj-g60-s06')).toMatchObject({ closed: true, control: { level: 'ice', speedLimitKmh: null, vmsText: '路面结冰 道路封闭 请绕行' } });
    const iced = await api(suite.svc, path, { token: suite.token });
    if (iced.status === 200) expect(iced.body.segmentIds).not.toContain('zj-g60-s06');
    else expect(iced.status).toBe(404);
  });

  it('needs a token like every road route', async () => {
    for (const path of ['/api/network', '/api/incidents', '/api/weather', ROUTE]) expect((await api(suite.svc, path)).status, path).toBe(401);
  });
});

describe('after a restart', () => {
  it('keeps the open incidents (a closure still reroutes) and the index history', async () => {
    const before = await waitFor('a sample of the index', async () => {
      const h = (await api(suite.svc, '/api/network?hours=1', { token: suite.token })).body.history;
      return h.length > 0 && h;
    });
    await incident('it-crash-1', 'crash', 'zj-g60-s03', 'open');
    await incident('it-closure-1', 'closure', 'zj-g60-s03', 'open');
    await incident('it-closure-1', 'closure', 'zj-g60-s03', 'cleared');
    await incident('it-closure-2', 'closure', 'zj-g60-s03', 'open');
    await waitFor('the closure', async () => (await segment('zj-g60-s03'))?.closed);
    await suite.restart();
    const open = (await api(suite.svc, '/api/incidents?state=open', { token: suite.token })).body.map((i: any) => i.incidentId);
    expect(open).toEqual(expect.arrayContaining(['it-crash-1', 'it-closure-2']));
    expect(open).not.toContain('it-closure-1');
    expect((await api(suite.svc, ROUTE, { token: suite.token })).body.segmentIds).not.toContain('zj-g60-s03');
    const after = (await api(suite.svc, '/api/network?hours=1', { token: suite.token })).body.history;
    // The minute of the restart may be sampled again; every earlier minute comes back from SQLite.
    expect(before.length).toBeGreaterThan(0);
    expect(after.map(([t]: [number]) => t)).toEqual(expect.arrayContaining(before.map(([t]: [number]) => t)));
  });
});
