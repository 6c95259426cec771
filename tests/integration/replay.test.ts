/**
 * Replay: GET /api/replay?at= gives every device's latest values at or before `at`, its status
 * then, and the alarms as they stood at `at`. The service runs on an injected clock, so each
 * transition gets an instant of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { api, deviceClient, login, publish, removeDir, startTestService, tempDataDir, waitFor, waitForAlarm } from './helpers';

const dataDir = tempDataDir();
let svc: Service | undefined;
/** The services' clock: moved by the tests. */
let clock = Date.now();

beforeAll(async () => {
  svc = await startTestService(dataDir, {}, { now: () => clock });
});

afterAll(async () => {
  await svc?.close();
  removeDir(dataDir);
});

describe('GET /api/replay', () => {
  it('answers the values, status and alarms as they stood at the cursor', async () => {
    const token = await login(svc!, 'inspector');
    const device = await deviceClient(svc!);
    const topic = deviceTopic('confined', 't-gas-lower', 'telemetry');
    const now = clock;
    // Readings with past timestamps: t1 < t2 < t3.
    const t1 = now - 30 * 60_000;
    const t2 = now - 20 * 60_000;
    const t3 = now - 10 * 60_000;
    await publish(device, topic, { ts: t1, values: { h2s_ppm: 1, o2_pct: 20.9 } });
    await publish(device, topic, { ts: t2, values: { h2s_ppm: 5 } });
    await publish(device, topic, { ts: t3, values: { h2s_ppm: 2, o2_pct: 20.5 } });
    await waitFor('readings stored', async () => (await api(svc!, `/api/replay?at=${t3}`, { token })).body.readings?.length > 0);

    const at = async (ms: number | string) => {
      const r = await api(svc!, `/api/replay?at=${ms}&scene=confined`, { token });
      expect(r.status).toBe(200);
      return r.body as { at: number; readings: [string, number, Record<string, number>][]; status: [string, string][]; alarms: any[] };
    };
    const reading = (b: Awaited<ReturnType<typeof at>>) => b.readings.find((r) => r[0] === 't-gas-lower');
    const status = (b: Awaited<ReturnType<typeof at>>) => b.status.find((r) => r[0] === 't-gas-lower')?.[1];

    expect(reading(await at(t1 - 1000))).toBeUndefined();
    expect(reading(await at(t1 + 1000))).toEqual(['t-gas-lower', t1, { h2s_ppm: 1, o2_pct: 20.9 }]);
    expect(status(await at(t1 + 1000))).toBe('online');
    // Each quantity its own latest: h2s from t2, o2 still from t1.
    expect(reading(await at(t2 + 1000))).toEqual(['t-gas-lower', t2, { h2s_ppm: 5, o2_pct: 20.9 }]);
    // intervalS 5: older than 15 s is stale.
    expect(status(await at(t2 + 60_000))).toBe('stale');
    const iso = await at(new Date(t3 + 1000).toISOString());
    expect(reading(iso)).toEqual(['t-gas-lower', t3, { h2s_ppm: 2, o2_pct: 20.5 }]);

    // An alarm raised (arrival time), acknowledged a second later, then cleared → closed.
    await publish(device, topic, { ts: clock, values: { h2s_ppm: 30 } });
    const raised = await waitForAlarm(svc!, token, 't-gas-lower', 'h2s_ppm_high');
    clock += 1000;
    expect((await api(svc!, `/api/alarms/${raised.id}/ack`, { token, body: {} })).status).toBe(200);
    clock += 1000;
    await publish(device, topic, { ts: clock, values: { h2s_ppm: 0.1 } });
    await waitForAlarm(svc!, token, 't-gas-lower', 'h2s_ppm_high', (a) => a.id === raised.id && a.state === 'closed');
    const events = (await api(svc!, `/api/alarms/${raised.id}/events`, { token })).body as { ts: number; action: string }[];
    const tsOf = (action: string) => events.find((e) => e.action === action)!.ts;
    const [tRaise, tAck, tClose] = [tsOf('raised'), tsOf('acknowledged'), tsOf('closed')];
    expect([tAck - tRaise, tClose - tAck]).toEqual([1000, 1000]);

    const alarmOf = (b: Awaited<ReturnType<typeof at>>) => b.alarms.find((a) => a.id === raised.id);
    expect(alarmOf(await at(tRaise - 1))).toBeUndefined();
    const open = alarmOf(await at(tRaise));
    expect(open).toMatchObject({ state: 'active_unack', severity: 'critical', ackedBy: null, ackedAt: null });
    expect(alarmOf(await at(tAck))).toMatchObject({ state: 'active_ack', ackedBy: 'inspector' });
    expect(alarmOf(await at(tClose))).toBeUndefined();
    // The live value at the alarm: 30 ppm.
    expect(reading(await at(tRaise))?.[2].h2s_ppm).toBe(30);
    // Another scene's filter leaves it out.
    expect((await api(svc!, `/api/replay?at=${tAck}&scene=park`, { token })).body.alarms.find((a: any) => a.id === raised.id)).toBeUndefined();
    await device.endAsync();
  });

  it('needs a token and a time', async () => {
    expect((await api(svc!, `/api/replay?at=${clock}`)).status).toBe(401);
    const token = await login(svc!, 'inspector');
    expect((await api(svc!, '/api/replay', { token })).status).toBe(400);
    expect((await api(svc!, '/api/replay?at=yesterday', { token })).status).toBe(400);
  });
});

describe('GET /api/replay: status and a worsening alarm as they stood', () => {
  const dir = tempDataDir();
  let s: Service | undefined;
  afterAll(async () => {
    await s?.close();
    removeDir(dir);
  });

  it('answers a device offline by its status message, and an alarm with the value it had then', async () => {
    s = await startTestService(dir, {}, { now: () => clock });
    const token = await login(s, 'inspector');
    const device = await deviceClient(s);
    const telemetry = deviceTopic('confined', 't-gas-lower', 'telemetry');
    const status = deviceTopic('confined', 't-gas-lower', 'status');
    const statusAt = async (ms: number) =>
      ((await api(s!, `/api/replay?at=${ms}&scene=confined`, { token })).body.status as [string, string][]).find((r) => r[0] === 't-gas-lower')?.[1];

    // A reading, then the device says it goes offline, then online again.
    const t0 = clock - 60_000;
    await publish(device, telemetry, { ts: t0, values: { h2s_ppm: 0.2, o2_pct: 20.9 } });
    await publish(device, status, { online: false, ts: t0 + 2000 });
    await publish(device, status, { online: true, ts: t0 + 4000 });
    await waitFor('status stored', async () => (await statusAt(t0 + 5000)) !== undefined);
    expect(await statusAt(t0 + 1000)).toBe('online');
    expect(await statusAt(t0 + 3000)).toBe('offline');
    expect(await statusAt(t0 + 5000)).toBe('online');
    // Online by its word, but silent for more than 3 × 5 s: stale.
    expect(await statusAt(t0 + 16_000)).toBe('stale');

    // Major (≥ 7 ppm, raised by the tick once its 2 s on-delay has passed), then worse: critical
    // (≥ 14 ppm) a second later. Replay shows each as it was.
    await publish(device, telemetry, { ts: clock, values: { h2s_ppm: 9 } });
    clock += 3000;
    const major = await waitForAlarm(s, token, 't-gas-lower', 'h2s_ppm_high');
    clock += 1000;
    await publish(device, telemetry, { ts: clock, values: { h2s_ppm: 20 } });
    await waitForAlarm(s, token, 't-gas-lower', 'h2s_ppm_high', (a) => a.id === major.id && a.severity === 'critical');
    const events = (await api(s, `/api/alarms/${major.id}/events`, { token })).body as { ts: number; action: string }[];
    const worsened = events[events.length - 1].ts;
    const alarmAt = async (ms: number) => ((await api(s!, `/api/replay?at=${ms}`, { token })).body.alarms as any[]).find((a) => a.id === major.id);
    const before = await alarmAt(worsened - 1);
    expect(before).toMatchObject({ severity: 'major', value: 9, threshold: 7 });
    expect(before.message).toContain('9');
    expect(await alarmAt(worsened)).toMatchObject({ severity: 'critical', value: 20, threshold: 14 });
    await device.endAsync();
  });
});
