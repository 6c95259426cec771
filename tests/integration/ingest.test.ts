/**
 * Device telemetry through the real service: thresholds raise alarms (stored, retained on MQTT),
 * bad input is rejected and counted without stopping the stream, history comes back as published.
 */
import { describe, expect, it } from 'vitest';
import { alarmTopic, deviceTopic, parseAlarmRecord } from '../../src/contracts';
import { ON_DELAY_MS } from '../../src/server/alarms';
import { api, browserClient, closed, deviceClient, login, publish, record, serviceSuite, waitFor, waitForAlarm } from './helpers';

const suite = serviceSuite({ device: true, login: 'admin' });

const gas = (values: Record<string, number>, ts = Date.now()) => ({ ts, values: { o2_pct: 20.9, ...values } });

describe('threshold alarms', () => {
  it('raises a critical alarm at once when H₂S crosses 14 ppm, visible over HTTP and retained on MQTT', async () => {
    await publish(suite.device, deviceTopic('confined', 't-gas-lower', 'telemetry'), gas({ h2s_ppm: 0.3 }, Date.now() - 1000));
    await publish(suite.device, deviceTopic('confined', 't-gas-lower', 'telemetry'), gas({ h2s_ppm: 18.5 }));
    const alarm = await waitForAlarm(suite.svc, suite.token, 't-gas-lower', 'h2s_ppm_high');
    expect(alarm).toMatchObject({
      scene: 'confined',
      siteId: 't-pit',
      deviceId: 't-gas-lower',
      rule: 'h2s_ppm_high',
      severity: 'critical',
      state: 'active_unack',
      value: 18.5,
      threshold: 14,
    });

    // A browser that subscribes later still gets it: the record is retained.
    const browser = await browserClient(suite.svc, suite.token, true);
    const seen = record(browser);
    await browser.subscribeAsync('citytwin/v1/alarms/#', { qos: 1 });
    const msg = await waitFor('the retained alarm', () => seen.find((m) => m.topic === alarmTopic(alarm.id)));
    expect(msg.retain).toBe(true);
    expect(parseAlarmRecord(JSON.parse(msg.text))).toMatchObject({ id: alarm.id, severity: 'critical' });
    browser.end(true);
  });

  it('waits for the on-delay of a major alarm, then escalates the same alarm to critical and clears past the deadband', async () => {
    const topic = deviceTopic('confined', 't-gas-upper', 'telemetry');
    const sent = Date.now();
    await publish(suite.device, topic, gas({ co_ppm: 20 }));
    // Major has a 2 s on-delay: the standing value raises it once the delay has passed, not before.
    const major = await waitForAlarm(suite.svc, suite.token, 't-gas-upper', 'co_ppm_high');
    expect(major.severity).toBe('major');
    expect(major.raisedAt - sent).toBeGreaterThanOrEqual(ON_DELAY_MS.major);

    await publish(suite.device, topic, gas({ co_ppm: 40 }));
    const critical = await waitForAlarm(suite.svc, suite.token, 't-gas-upper', 'co_ppm_high', (a) => a.severity === 'critical');
    expect(critical.id).toBe(major.id);

    // 16.5 ppm is under the 17 ppm limit but within its 1 ppm deadband: still in alarm.
    await publish(suite.device, topic, gas({ co_ppm: 16.5 }));
    await waitForAlarm(suite.svc, suite.token, 't-gas-upper', 'co_ppm_high', (a) => a.severity === 'major');
    await publish(suite.device, topic, gas({ co_ppm: 3 }));
    const cleared = await waitForAlarm(suite.svc, suite.token, 't-gas-upper', 'co_ppm_high', (a) => a.state === 'cleared_unack');
    expect(cleared.id).toBe(major.id);
    expect(cleared.clearedAt).toBeGreaterThan(0);
  });

  it('raises a fog alarm for a road weather station', async () => {
    await publish(suite.device, deviceTopic('roads', 't-wx-1', 'telemetry'), { ts: Date.now(), values: { visibility_m: 35 } });
    const fog = await waitForAlarm(suite.svc, suite.token, 't-wx-1', 'fog');
    expect(fog).toMatchObject({ scene: 'roads', severity: 'critical', threshold: 50 });
  });

  it('opens and clears an incident alarm from a road operator event', async () => {
    const incident = { type: 'incident', incidentId: 'inc-7', kind: 'crash', segmentId: 't-seg', lonDeg: 120.19, latDeg: 29.84 };
    await publish(suite.device, deviceTopic('roads', 't-op-1', 'event'), { ts: Date.now(), ...incident, state: 'open' });
    const alarm = await waitForAlarm(suite.svc, suite.token, 't-op-1', 'incident');
    expect(alarm).toMatchObject({ scene: 'roads', siteId: 't-seg', severity: 'major', state: 'active_unack' });
    await publish(suite.device, deviceTopic('roads', 't-op-1', 'event'), { ts: Date.now() + 1, ...incident, state: 'cleared' });
    await waitForAlarm(suite.svc, suite.token, 't-op-1', 'incident', (a) => a.id === alarm.id && a.state === 'cleared_unack');
  });
});

describe('bad input', () => {
  it('rejects and counts malformed payloads while a good one still lands', async () => {
    const before = (await api(suite.svc, '/api/health')).body.messages;
    const topic = deviceTopic('park', 't-tank-1', 'telemetry');
    await publish(suite.device, topic, 'not json {');
    await publish(suite.device, topic, { values: { level_pct: 50 } }); // no ts
    await publish(suite.device, topic, { ts: Date.now() + 3_600_000, values: { level_pct: 50 } }); // an hour ahead
    await publish(suite.device, topic, { ts: Date.now(), values: { h2s_ppm: 1 } }); // not a quantity of this device
    await publish(suite.device, topic, '{"ts": 1764300000000, "values": {"level_pct": NaN}}'); // not JSON either
    await publish(suite.device, topic, { ts: Date.now(), values: { level_pct: 'high' } });
    const goodTs = Date.now();
    await publish(suite.device, topic, { ts: goodTs, values: { level_pct: 42.5, temp_c: 21 } });

    const health = await waitFor('counters', async () => {
      const h = (await api(suite.svc, '/api/health')).body;
      return h.messages.accepted > before.accepted && h;
    });
    const delta = (r: string) => (health.messages.rejected[r] ?? 0) - (before.rejected[r] ?? 0);
    expect(delta('not_json')).toBe(2);
    expect(delta('missing_ts')).toBe(1);
    expect(delta('future_ts')).toBe(1);
    expect(delta('unknown_quantity')).toBe(1);
    expect(delta('bad_value')).toBe(1);
    expect(health).toMatchObject({ status: 'ok', broker: { mode: 'embedded', connected: true }, db: { ok: true } });

    const hist = await api(suite.svc, `/api/telemetry/t-tank-1?quantity=level_pct&from=${goodTs - 1}`, { token: suite.token });
    expect(hist.body.points).toEqual([[goodTs, 42.5]]);
    expect(suite.device.connected).toBe(true);
  });

  it('refuses a publish for an unknown device: counted, and that connection is closed', async () => {
    const before = (await api(suite.svc, '/api/health')).body.messages.rejected.unknown_device ?? 0;
    const rogue = await deviceClient(suite.svc);
    const gone = closed(rogue);
    rogue.publish(deviceTopic('confined', 'no-such-device', 'telemetry'), JSON.stringify(gas({ h2s_ppm: 1 })));
    await gone;
    await waitFor('unknown_device counted', async () => (await api(suite.svc, '/api/health')).body.messages.rejected.unknown_device > before);
    rogue.end(true);
  });

  it('refuses a device publishing under another scene or outside device topics', async () => {
    const rogue = await deviceClient(suite.svc);
    const gone = closed(rogue);
    rogue.publish(deviceTopic('roads', 't-gas-lower', 'telemetry'), JSON.stringify(gas({ h2s_ppm: 1 })));
    await gone;
    rogue.end(true);
    const h = (await api(suite.svc, '/api/health')).body.messages.rejected;
    expect(h.unknown_device).toBeGreaterThan(0);
  });

  it('publishes Prometheus metrics with reject reasons and open alarms, to logged-in users only', async () => {
    expect((await api<string>(suite.svc, '/metrics')).status).toBe(401);
    expect((await api<string>(suite.svc, '/metrics', { token: 'not-a-token' })).status).toBe(401);
    await publish(suite.device, deviceTopic('confined', 't-gas-fast', 'telemetry'), 'not json {');
    await publish(suite.device, deviceTopic('confined', 't-gas-fast', 'telemetry'), gas({ h2s_ppm: 30 }));
    await waitForAlarm(suite.svc, suite.token, 't-gas-fast', 'h2s_ppm_high');
    const m = await api<string>(suite.svc, '/metrics', { token: suite.token });
    expect(m.status).toBe(200);
    expect(m.body).toMatch(/citytwin_messages_rejected_total\{reason="not_json"\} [1-9]/);
    expect(m.body).toMatch(/citytwin_alarms_open\{scene="confined",severity="critical"\} [1-9]/);
    expect(m.body).toMatch(/citytwin_messages_accepted_total\{channel="telemetry"\} [1-9]/);
  });
});

describe('history', () => {
  it('returns what was published, oldest first, with duplicates applied once', async () => {
    const t0 = Date.now() - 60_000;
    const topic = deviceTopic('confined', 't-gas-lower', 'telemetry');
    const batch = Array.from({ length: 20 }, (_, i) => ({ ts: t0 + i * 1000, values: { o2_pct: 20 + i / 10, h2s_ppm: i === 7 ? 9.9 : 0.1 } }));
    await publish(suite.device, topic, batch);
    await publish(suite.device, topic, batch[5]); // a duplicate
    const r = await api(suite.svc, `/api/telemetry/t-gas-lower?quantity=h2s_ppm&from=${t0}&to=${t0 + 19_000}`, { token: suite.token });
    expect(r.status).toBe(200);
    expect(r.body.deviceId).toBe('t-gas-lower');
    expect(r.body.points).toHaveLength(20);
    expect(r.body.points[7]).toEqual([t0 + 7000, 9.9]);
    // ISO-8601 bounds work too.
    const iso = await api(suite.svc, `/api/telemetry/t-gas-lower?quantity=o2_pct&from=${new Date(t0).toISOString()}&to=${new Date(t0 + 2000).toISOString()}`, { token: suite.token });
    expect(iso.body.points).toEqual([
      [t0, 20],
      [t0 + 1000, 20.1],
      [t0 + 2000, 20.2],
    ]);
  });

  it('keeps a spike when downsampling a long series to at most maxPoints', async () => {
    const t0 = Date.now() - 3_600_000;
    const batch = Array.from({ length: 3000 }, (_, i) => ({ ts: t0 + i * 1000, values: { h2s_ppm: i === 1234 ? 55 : 0.2 } }));
    await publish(suite.device, deviceTopic('confined', 't-gas-upper', 'telemetry'), batch);
    const r = await api(suite.svc, `/api/telemetry/t-gas-upper?quantity=h2s_ppm&from=${t0}&to=${t0 + 3_000_000}&maxPoints=200`, { token: suite.token });
    expect(r.body.points.length).toBeLessThanOrEqual(200);
    expect(r.body.points.length).toBeGreaterThan(50);
    expect(r.body.points).toContainEqual([t0 + 1234_000, 55]);
  });

  it('answers 404 for an unknown device and 400 for a quantity it does not report', async () => {
    expect((await api(suite.svc, '/api/telemetry/nope?quantity=h2s_ppm', { token: suite.token })).status).toBe(404);
    const bad = await api(suite.svc, '/api/telemetry/t-gas-lower?quantity=speed_kmh', { token: suite.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('bad_request');
    expect(bad.body.message).toMatch(/speed_kmh/);
  });
});

describe('live state', () => {
  it('keeps the newest reading live when an older one arrives, and colours the segment from it', async () => {
    const topic = deviceTopic('roads', 't-det-1', 'telemetry');
    const t = Date.now();
    await publish(suite.device, topic, { ts: t, values: { speed_kmh: 42, flow_vph: 1800, occupancy_pct: 20 } });
    await publish(suite.device, topic, { ts: t - 5000, values: { speed_kmh: 12, flow_vph: 300, occupancy_pct: 80 } });
    const segs = await waitFor('segment speed', async () => {
      const r = await api(suite.svc, '/api/segments', { token: suite.token });
      return r.body.find((s: any) => s.id === 't-seg' && s.speedKmh !== null) && r.body;
    });
    // The contract's fields (the road API adds more: tests/integration/roads.test.ts). An
    // expressway at 42 of its 100 km/h free flow (42 %) is moderately congested (the highway criterion).
    expect(segs.find((s: any) => s.id === 't-seg')).toMatchObject({ id: 't-seg', class: 'expressway', speedKmh: 42, level: 4 });
    expect(segs.find((s: any) => s.id === 't-seg2')).toMatchObject({ id: 't-seg2', class: 'arterial', speedKmh: null, level: null });
    // The older reading is still history.
    const hist = await api(suite.svc, `/api/telemetry/t-det-1?quantity=speed_kmh&from=${t - 5000}&to=${t}`, { token: suite.token });
    expect(hist.body.points).toEqual([
      [t - 5000, 12],
      [t, 42],
    ]);
  });
});
