/**
 * Who may do what: logins, the token on every API call, browsers that subscribe but never publish,
 * devices that publish only their own topics, and acks only by the role that owns the scene.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { alarmTopic, DEVICE_MQTT_USERNAME, deviceTopic } from '../../src/contracts';
import {
  alarmsOf,
  api,
  browserClient,
  closed,
  connect,
  DEMO_PASSWORD,
  deviceClient,
  login,
  publish,
  record,
  serviceSuite,
  waitFor,
  waitForAlarm,
} from './helpers';

const suite = serviceSuite({ device: true });

describe('HTTP login and tokens', () => {
  it('logs in each demo user with the role of its name', async () => {
    for (const user of ['inspector', 'park_manager', 'traffic', 'admin']) {
      const r = await api(suite.svc, '/api/login', { body: { username: user, password: DEMO_PASSWORD } });
      expect(r.status).toBe(200);
      expect(r.body.role).toBe(user);
      expect(r.body.token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    }
  });

  it('answers 401 for a wrong password or user, and 400 for a malformed body', async () => {
    expect((await api(suite.svc, '/api/login', { body: { username: 'admin', password: 'nope' } })).status).toBe(401);
    expect((await api(suite.svc, '/api/login', { body: { username: 'root', password: DEMO_PASSWORD } })).status).toBe(401);
    const bad = await api(suite.svc, '/api/login', { body: { username: 'admin' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'bad_request', message: 'password: password is required' });
  });

  it('serves nothing but health and login without a token', async () => {
    expect((await api(suite.svc, '/api/health')).status).toBe(200);
    for (const path of ['/api/devices', '/api/sites', '/api/segments', '/api/alarms', '/api/telemetry/t-det-1?quantity=speed_kmh']) {
      const r = await api(suite.svc, path);
      expect(r.status, path).toBe(401);
      expect(r.body.error).toBe('unauthorized');
    }
    expect((await api(suite.svc, '/api/devices', { token: 'forged-token' })).status).toBe(401);
  });

  it('lists devices and sites, filtered by scene', async () => {
    const token = await login(suite.svc, 'traffic');
    const devices = await api(suite.svc, '/api/devices?scene=roads', { token });
    expect(devices.body.map((d: any) => d.id).sort()).toEqual(['t-det-1', 't-op-1', 't-wx-1']);
    const all = await api(suite.svc, '/api/devices', { token });
    expect(all.body.find((d: any) => d.id === 't-gas-lower')).toMatchObject({ level: 'lower', intervalS: 5, siteId: 't-pit' });
    const sites = await api(suite.svc, '/api/sites?scene=confined', { token });
    expect(sites.body.map((s: any) => s.id)).toEqual(['t-plant', 't-pit']);
    expect((await api(suite.svc, '/api/sites?scene=moon', { token })).status).toBe(400);
    expect((await api(suite.svc, '/api/zones', { token })).body).toEqual({ type: 'FeatureCollection', features: [] });
    // Both ends on the fixture's two segments (t-seg then t-seg2, joined at 120.22,29.8).
    expect((await api(suite.svc, '/api/route?from=120.17,29.87&to=120.2,29.73', { token })).body.segmentIds).toEqual(['t-seg', 't-seg2']);
  });
});

describe('MQTT credentials', () => {
  it('refuses a wrong device password and a forged browser token (CONNACK 4), and no credentials (5)', async () => {
    await expect(connect(suite.svc.mqttUrl, { username: DEVICE_MQTT_USERNAME, password: 'wrong' })).rejects.toMatchObject({ code: 4 });
    await expect(connect(suite.svc.wsUrl!, { username: 'browser', password: 'forged' })).rejects.toMatchObject({ code: 4 });
    await expect(connect(suite.svc.mqttUrl, {})).rejects.toMatchObject({ code: 5 });
  });

  it('lets a browser subscribe to live and alarms but not to raw device topics', async () => {
    const browser = await browserClient(suite.svc, await login(suite.svc, 'inspector'));
    const granted = await browser.subscribeAsync(['citytwin/v1/live/confined', 'citytwin/v1/alarms/#']);
    expect(granted.map((g) => g.qos)).toEqual([0, 0]);
    // A refused filter is SUBACK 0x80 (mqtt.js rejects on it); the connection stays up.
    for (const filter of ['citytwin/v1/confined/+/telemetry', '#']) {
      await expect(browser.subscribeAsync(filter), filter).rejects.toThrow(/Subscribe error/);
    }
    expect(browser.connected).toBe(true);
    browser.end(true);
  });

  it('never lets a browser publish: the connection is closed and nothing is ingested', async () => {
    const before = (await api(suite.svc, '/api/health')).body.messages.accepted;
    const browser = await browserClient(suite.svc, await login(suite.svc, 'admin'));
    const gone = closed(browser);
    browser.publish(deviceTopic('park', 't-tank-1', 'telemetry'), JSON.stringify({ ts: Date.now(), values: { level_pct: 99 } }));
    await gone;
    // A device message sent afterwards is counted; the browser's never was.
    await publish(suite.device, deviceTopic('park', 't-tank-1', 'telemetry'), { ts: Date.now() - 10_000, values: { temp_c: 20 } });
    const after = await waitFor('the device message', async () => {
      const n = (await api(suite.svc, '/api/health')).body.messages.accepted;
      return n > before && n;
    });
    expect(after).toBe(before + 1);
    const token = await login(suite.svc, 'admin');
    const hist = await api(suite.svc, '/api/telemetry/t-tank-1?quantity=level_pct', { token });
    expect(hist.body.points).toEqual([]);
  });

  it('never lets a device publish an alarm', async () => {
    const rogue = await deviceClient(suite.svc);
    const gone = closed(rogue);
    rogue.publish(alarmTopic('fake-1'), JSON.stringify({ id: 'fake-1' }), { retain: true });
    await gone;
    rogue.end(true);
    const browser = await browserClient(suite.svc, await login(suite.svc, 'admin'), true);
    const seen = record(browser);
    await browser.subscribeAsync('citytwin/v1/alarms/fake-1');
    // Prove delivery works on this connection, then check the fake never arrived.
    await browser.subscribeAsync('citytwin/v1/live/confined');
    await publish(suite.device, deviceTopic('confined', 't-gas-lower', 'telemetry'), { ts: Date.now(), values: { h2s_ppm: 0.1 } });
    await waitFor('a live batch', () => seen.find((m) => m.topic === 'citytwin/v1/live/confined'));
    expect(seen.filter((m) => m.topic === alarmTopic('fake-1'))).toEqual([]);
    browser.end(true);
  });
});

describe('acknowledge and shelve', () => {
  /**
   * An alarm of its own for each test (device, quantity, value), so no test finds another's
   * acknowledged or shelved; major, not critical: a critical alarm cannot be shelved (and a major
   * one holds 2 s before it is raised, longer than t-gas-fast stays fresh without a reading).
   */
  const subjects: [string, 'lel_pct' | 'nh3_ppm', number][] = [
    ['t-gas-lower', 'lel_pct', 30],
    ['t-gas-upper', 'lel_pct', 30],
    ['t-gas-upper', 'nh3_ppm', 40],
    ['t-gas-lower', 'nh3_ppm', 40],
  ];
  let alarmId: string;
  let deviceId: string;

  beforeEach(async () => {
    const next = subjects.shift();
    if (!next) throw new Error('one alarm subject per test: add one to the list');
    const [id, quantity, value] = next;
    deviceId = id;
    await publish(suite.device, deviceTopic('confined', id, 'telemetry'), { ts: Date.now(), values: { [quantity]: value } });
    alarmId = (await waitForAlarm(suite.svc, await login(suite.svc, 'admin'), id, `${quantity}_high`)).id;
  });

  it('answers 401 without a token, 403 to a role that does not own the scene, 404 for an unknown alarm', async () => {
    expect((await api(suite.svc, `/api/alarms/${alarmId}/ack`, { body: {} })).status).toBe(401);
    const traffic = await login(suite.svc, 'traffic');
    const r = await api(suite.svc, `/api/alarms/${alarmId}/ack`, { token: traffic, body: { comment: 'not mine' } });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('forbidden');
    expect((await api(suite.svc, `/api/alarms/${alarmId}/shelve`, { token: traffic, body: { minutes: 5, reason: 'x' } })).status).toBe(403);
    expect((await api(suite.svc, '/api/alarms/no-such-alarm/ack', { token: traffic, body: {} })).status).toBe(404);
  });

  it('lets the inspector acknowledge (200, active_ack), and a second ack is an invalid transition (409)', async () => {
    const inspector = await login(suite.svc, 'inspector');
    const r = await api(suite.svc, `/api/alarms/${alarmId}/ack`, { token: inspector, body: { comment: 'crew out, ventilating' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: alarmId, state: 'active_ack', ackedBy: 'inspector' });
    expect(r.body.ackedAt).toBeGreaterThan(0);
    const again = await api(suite.svc, `/api/alarms/${alarmId}/ack`, { token: inspector, body: {} });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('invalid_transition');
    const listed = await api(suite.svc, '/api/alarms?scene=confined', { token: inspector });
    expect(listed.body.find((a: any) => a.id === alarmId).state).toBe('active_ack');
  });

  it('validates the shelve body and shelves with a reason and an expiry', async () => {
    const admin = await login(suite.svc, 'admin');
    const bad = await api(suite.svc, `/api/alarms/${alarmId}/shelve`, { token: admin, body: { minutes: 5 } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/reason/);
    const t = Date.now();
    const r = await api(suite.svc, `/api/alarms/${alarmId}/shelve`, { token: admin, body: { minutes: 30, reason: 'sensor maintenance' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: 'shelved', shelveReason: 'sensor maintenance', active: true });
    expect(r.body.shelvedUntil).toBeGreaterThanOrEqual(t + 30 * 60_000);
  });

  it('brings a shelved alarm back when its shelve expires', async () => {
    const admin = await login(suite.svc, 'admin');
    // 0.02 min = 1.2 s: the once-a-second check unshelves it as active_unack (it still holds).
    const r = await api(suite.svc, `/api/alarms/${alarmId}/shelve`, { token: admin, body: { minutes: 0.02, reason: 'test' } });
    expect(r.body.state).toBe('shelved');
    await waitFor('the shelve to expire', async () => (await alarmsOf(suite.svc, admin, deviceId, undefined, 'all')).some((x) => x.id === alarmId && x.state === 'active_unack'));
  });
});
