/**
 * MQTT_URL: the service joins an external broker instead of embedding one, takes the device
 * stream through the shared subscription and publishes alarms and live batches there.
 * The external broker here is a bare aedes, which has no shared subscriptions: it maps
 * `$share/{group}/{filter}` to `{filter}`, which is what a cluster does for a single member.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alarmTopic, deviceTopic } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { SHARED_DEVICE_SUBSCRIPTION } from '../../src/server/bus';
import { api, connect, login, publish, record, removeDir, startTestService, tempDataDir, waitForAlarm, waitFor } from './helpers';

let broker: Aedes;
let tcp: Server;
let brokerUrl: string;
let svc: Service;
const dataDir = tempDataDir();
const subscribed: string[] = [];

beforeAll(async () => {
  broker = await Aedes.createBroker({
    authorizeSubscribe(_client, sub, cb) {
      subscribed.push(sub.topic);
      cb(null, { ...sub, topic: sub.topic.replace(/^\$share\/[^/]+\//, '') });
    },
  });
  tcp = createServer((s) => broker.handle(s));
  await new Promise<void>((ok) => tcp.listen(0, '127.0.0.1', ok));
  brokerUrl = `mqtt://127.0.0.1:${(tcp.address() as AddressInfo).port}`;
  svc = await startTestService(dataDir, { MQTT_URL: brokerUrl });
});

afterAll(async () => {
  await svc?.close();
  await new Promise<void>((ok) => broker.close(() => ok()));
  await new Promise<void>((ok) => tcp.close(() => ok()));
  removeDir(dataDir);
});

describe('external broker (MQTT_URL)', () => {
  it('takes its share of the device stream and raises alarms on that broker', async () => {
    expect(svc.mqttPort).toBeNull();
    expect(svc.wsUrl).toBeNull();
    expect(subscribed).toContain(SHARED_DEVICE_SUBSCRIPTION);
    const health = (await api(svc, '/api/health')).body;
    expect(health.broker).toMatchObject({ mode: 'external', connected: true });

    const device = await connect(brokerUrl, {});
    const watcher = await connect(brokerUrl, {});
    const seen = record(watcher);
    await watcher.subscribeAsync('citytwin/v1/#');
    await publish(device, deviceTopic('park', 't-tank-1', 'telemetry'), { ts: Date.now(), values: { level_pct: 97 } });
    await publish(device, deviceTopic('park', 'ghost', 'telemetry'), { ts: Date.now(), values: { level_pct: 1 } });

    const token = await login(svc, 'park_manager');
    const alarm = await waitForAlarm(svc, token, 't-tank-1', 'level_pct_high');
    expect(alarm.severity).toBe('critical');
    await waitFor('the alarm on the external broker', () => seen.find((m) => m.topic === alarmTopic(alarm.id)));
    await waitFor('a live batch on the external broker', () => seen.find((m) => m.topic === 'citytwin/v1/live/park'));
    // Here nobody refuses the unknown device at the door: ingest counts it.
    await waitFor('unknown_device counted', async () => (await api(svc, '/api/health')).body.messages.rejected.unknown_device === 1);
    device.end(true);
    watcher.end(true);
  });

  it('connects with its own account (MQTT_USERNAME / MQTT_PASSWORD), and says so when the broker refuses it', async () => {
    const logins: string[] = [];
    const guarded = await Aedes.createBroker({
      authenticate(_client, username, password, done) {
        logins.push(`${username}:${password?.toString()}`);
        const ok = username === 'citytwin-svc' && password?.toString() === 'broker-secret';
        done(ok ? null : Object.assign(new Error('bad username or password'), { returnCode: 4 as const }), ok);
      },
    });
    const server = createServer((s) => guarded.handle(s));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = tempDataDir();
    try {
      const own = await startTestService(dir, { MQTT_URL: url, MQTT_USERNAME: 'citytwin-svc', MQTT_PASSWORD: 'broker-secret' });
      expect((await api(own, '/api/health')).body.broker).toMatchObject({ mode: 'external', connected: true });
      await own.close();
      await expect(startTestService(dir, { MQTT_URL: url, MQTT_USERNAME: 'citytwin-svc', MQTT_PASSWORD: 'wrong' })).rejects.toThrow(
        /broker mqtt:\/\/127\.0\.0\.1:\d+: .*(Bad username or password|Not authorized)/i,
      );
      expect(logins).toEqual(['citytwin-svc:broker-secret', 'citytwin-svc:wrong']);
    } finally {
      await new Promise<void>((ok) => guarded.close(() => ok()));
      await new Promise<void>((ok) => server.close(() => ok()));
      removeDir(dir);
    }
  });

  it('fails to start with a clear error when the broker cannot be reached', async () => {
    const dir = tempDataDir();
    await expect(startTestService(dir, { MQTT_URL: 'mqtt://127.0.0.1:1' })).rejects.toThrow(/broker mqtt:\/\/127\.0\.0\.1:1/);
    removeDir(dir);
  });
});
