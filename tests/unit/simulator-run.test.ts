import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device, Registry } from '../../src/contracts';
import { startSimulator } from '../../src/simulator/run';
import { waitFor } from '../fixture/wait';

// The runner against a real in-process broker that checks device credentials.
const dev = (id: string, kind: Device['kind'], quantities: Device['quantities']): Device => ({
  id, scene: 'park', siteId: 'sy-s', kind, name: id, nameZh: '设备', position: [120.85, 30.2, 0], quantities, intervalS: 1,
});
const registry: Registry = {
  version: 1,
  sites: [{ id: 'sy-s', scene: 'park', kind: 'station', name: 's', nameZh: '站', parentId: null, geometry: { type: 'Point', coordinates: [120.85, 30.2] } }],
  devices: [dev('sy-wind-1', 'wind', ['wind_speed_ms', 'wind_dir_deg']), dev('sy-gate-1', 'access', [])],
};

let broker: Aedes;
let server: Server;
let url: string;
const logins: string[] = [];

beforeAll(async () => {
  broker = await Aedes.createBroker({
    authenticate: (_client, username, password, done) => {
      logins.push(`${username}:${password?.toString()}`);
      done(null, username === 'device' && password?.toString() === 'secret');
    },
  });
  server = createServer(broker.handle);
  server.listen(0);
  await once(server, 'listening');
  url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  await new Promise<void>((done) => broker.close(() => done()));
});

describe('simulator runner', () => {
  it('connects as a device, publishes statuses and telemetry, and marks devices offline on stop', async () => {
    const logs: string[] = [];
    const sim = await startSimulator({ url, registry, password: 'secret', speed: 4, log: (m) => logs.push(m), demo: false });
    const watcher = await mqtt.connectAsync(url, { username: 'device', password: 'secret' });
    const got: { topic: string; payload: string; retain: boolean }[] = [];
    watcher.on('message', (topic, payload, packet) => got.push({ topic, payload: payload.toString(), retain: packet.retain }));
    await watcher.subscribeAsync('citytwin/v1/#');
    const statuses = () => got.filter((m) => m.topic.endsWith('/status'));
    const telemetry = () => got.filter((m) => m.topic === 'citytwin/v1/park/sy-wind-1/telemetry');
    // 1 s interval at ×4: a reading every 250 ms.
    await waitFor('both statuses and three readings', () => statuses().length >= 2 && telemetry().length >= 3);
    expect(logins).toContain('device:secret');
    expect(statuses().map((m) => m.topic).sort()).toEqual(['citytwin/v1/park/sy-gate-1/status', 'citytwin/v1/park/sy-wind-1/status']);
    expect(statuses().every((m) => m.retain && JSON.parse(m.payload).online === true)).toBe(true);
    expect(Object.keys(JSON.parse(telemetry()[0].payload).values)).toEqual(['wind_speed_ms', 'wind_dir_deg']);

    got.length = 0;
    await sim.stop();
    await waitFor('a status from each device', () => statuses().length >= 2);
    expect(statuses().map((m) => JSON.parse(m.payload).online)).toEqual([false, false]);
    expect(logs.some((m) => m.startsWith('connected'))).toBe(true);
    await watcher.endAsync();
  });

  it('keeps retrying without throwing when the broker refuses its credentials', async () => {
    const logs: string[] = [];
    const sim = await startSimulator({ url, registry, password: 'wrong', log: (m) => logs.push(m), demo: false });
    await waitFor('a broker error logged', () => logs.some((m) => /broker error/.test(m)));
    await sim.stop();
  });
});

describe('simulator runner, broker slow to accept', () => {
  it("sends a scenario's first events even when the connection takes several ticks", async () => {
    const { generate } = await import('../../scripts/gen-data');
    const demo = generate().registry;
    // A broker that takes 500 ms (five ticks) to accept the simulator's login.
    const slow = await Aedes.createBroker({
      authenticate: (_client, username, _password, done) => {
        if (username === 'watcher') done(null, true);
        else setTimeout(() => done(null, true), 500);
      },
    });
    const srv = createServer(slow.handle);
    srv.listen(0);
    await once(srv, 'listening');
    const slowUrl = `mqtt://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    const watcher = await mqtt.connectAsync(slowUrl, { username: 'watcher', password: 'x' });
    const events: string[] = [];
    watcher.on('message', (_topic, payload) => events.push(payload.toString()));
    await watcher.subscribeAsync('citytwin/v1/confined/kq-p1-s2-access/event');
    const sim = await startSimulator({ url: slowUrl, registry: demo, password: 'x', scenario: 'fan-stop', demo: false, log: () => {} });
    try {
      // fan-stop switches the fan on at its first instant, before the gas test ten minutes later.
      const first = await waitFor('the first event', () => events[0]);
      expect(JSON.parse(first)).toMatchObject({ type: 'ventilation', state: 'on', spaceId: 'kq-p1-s2' });
    } finally {
      await sim.stop();
      await watcher.endAsync();
      srv.close();
      await new Promise<void>((done) => slow.close(() => done()));
    }
  });
});
