/**
 * Live batches to a browser over MQTT-over-WebSocket, and stale detection: a silent device turns
 * `stale` in the batch and raises a `stale` alarm; its next reading brings it back.
 */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic, liveTopic, validateLiveBatch, type LiveBatch } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { browserClient, deviceClient, login, publish, record, removeDir, startTestService, tempDataDir, waitFor, waitForAlarm } from './helpers';

let svc: Service;
let dataDir: string;
let device: MqttClient;
let browser: MqttClient;
let token: string;
let seen: ReturnType<typeof record>;

beforeAll(async () => {
  dataDir = tempDataDir();
  svc = await startTestService(dataDir);
  device = await deviceClient(svc);
  token = await login(svc, 'traffic');
  browser = await browserClient(svc, token); // WebSocket at /mqtt on the HTTP port
  seen = record(browser);
  await browser.subscribeAsync('citytwin/v1/live/+');
});

afterAll(async () => {
  device?.end(true);
  browser?.end(true);
  await svc?.close();
  removeDir(dataDir);
});

/** Every live batch received so far for a scene, validated with the contract. */
function batches(scene: string): LiveBatch[] {
  return seen
    .filter((m) => m.topic === liveTopic(scene as 'roads'))
    .map((m) => {
      const r = validateLiveBatch(JSON.parse(m.text));
      if (!r.ok) throw new Error(`invalid live batch: ${m.text}`);
      return r.value;
    });
}

describe('live batches', () => {
  it('folds many readings into few messages, carrying the latest values per device', async () => {
    const t = Date.now() - 2000;
    const topic = deviceTopic('roads', 't-det-1', 'telemetry');
    for (let i = 0; i < 40; i++) {
      device.publish(topic, JSON.stringify({ ts: t + i * 10, values: { speed_kmh: 60 + i, flow_vph: 1000 } }));
    }
    await publish(device, deviceTopic('roads', 't-wx-1', 'telemetry'), { ts: t, values: { visibility_m: 900, road_temp_c: 4, precip_mmh: 0 } });
    const last = await waitFor('the last reading in a live batch', () =>
      batches('roads').find((b) => b.readings.some(([id, , v]) => id === 't-det-1' && v.speed_kmh === 99)),
    );
    const reading = last.readings.find(([id]) => id === 't-det-1')!;
    expect(reading[1]).toBe(t + 390);
    expect(reading[2]).toEqual({ speed_kmh: 99, flow_vph: 1000 });
    // 40 readings of one device never take 40 messages: at most one per 50 ms window.
    const carrying = batches('roads').filter((b) => b.readings.some(([id]) => id === 't-det-1'));
    expect(carrying.length).toBeLessThan(40);
    expect(batches('roads').every((b) => b.ts > 0 && Array.isArray(b.status))).toBe(true);
    expect(batches('roads').some((b) => b.readings.some(([id]) => id === 't-wx-1'))).toBe(true);
  });

  it('reports a device offline from its status message (the Last Will) and online again', async () => {
    await publish(device, deviceTopic('roads', 't-op-1', 'status'), { online: false, ts: Date.now() }, { retain: true });
    await waitFor('offline', () => batches('roads').some((b) => b.status.some(([id, s]) => id === 't-op-1' && s === 'offline')));
    await publish(device, deviceTopic('roads', 't-op-1', 'status'), { online: true, ts: Date.now() }, { retain: true });
    await waitFor('online', () => batches('roads').some((b) => b.status.some(([id, s]) => id === 't-op-1' && s === 'online')));
  });
});

describe('stale detection', () => {
  it('marks a device stale after 3 × its interval of silence, raises a stale alarm, and recovers', async () => {
    // t-gas-fast reports every 0.5 s: stale after 1.5 s without telemetry.
    const topic = deviceTopic('confined', 't-gas-fast', 'telemetry');
    const statuses = () =>
      batches('confined').flatMap((b) => b.status.filter(([id]) => id === 't-gas-fast').map(([, s]) => s));
    await publish(device, topic, { ts: Date.now(), values: { o2_pct: 20.9, h2s_ppm: 0 } });
    await waitFor('online', () => statuses().at(-1) === 'online');
    await waitFor('stale', () => statuses().at(-1) === 'stale', 5000);
    const alarm = await waitForAlarm(svc, token, 't-gas-fast', 'stale');
    expect(alarm).toMatchObject({ scene: 'confined', severity: 'minor', state: 'active_unack', threshold: 1.5 });

    await publish(device, topic, { ts: Date.now(), values: { o2_pct: 20.9, h2s_ppm: 0 } });
    await waitFor('online again', () => statuses().at(-1) === 'online');
    await waitForAlarm(svc, token, 't-gas-fast', 'stale', (a) => a.id === alarm.id && a.state === 'cleared_unack');
  });
});
