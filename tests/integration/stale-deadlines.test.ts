/**
 * Staleness by deadline: the service queues when each device would turn stale and its 1 s check
 * looks only at the deadlines due. A device heard again before its first deadline must not go
 * stale when that deadline comes up (it is queued again), and must go stale 3 intervals after its
 * last reading, on the service's (injected) clock.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { deviceTopic } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { alarmsOf, deviceClient, login, publish, readingStored, removeDir, startTestService, tempDataDir, waitFor, waitForAlarm } from './helpers';

const dataDir = tempDataDir();
let svc: Service | undefined;
/** The service's clock: moved by the test, never by waiting. */
let clock = Date.now();
const now = () => clock;

/** Whether the device's O₂ reading at `ts` is stored (it was heard). */
const stored = (deviceId: string, ts: number, token: string) => readingStored(svc!, token, deviceId, ts);

afterAll(async () => {
  await svc?.close();
  removeDir(dataDir);
});

describe('staleness by deadline', () => {
  it('a device heard again before its first deadline stays fresh past it, and goes stale 3 intervals after its last reading', async () => {
    svc = await startTestService(dataDir, {}, { now });
    const device = await deviceClient(svc);
    const token = await login(svc, 'inspector');
    const t0 = clock;
    const read = async (deviceId: string) => {
      await publish(device, deviceTopic('confined', deviceId, 'telemetry'), { ts: clock, values: { o2_pct: 20.9, h2s_ppm: 0.1 } });
      await waitFor(`${deviceId} heard`, () => stored(deviceId, clock, token));
    };
    // t-gas-upper reports every 5 s: its first deadline is 15 s after this reading.
    await read('t-gas-upper');
    clock = t0 + 10_000;
    await read('t-gas-upper');
    // A witness with a 0.5 s interval: once it is stale, the check has run at the clock past the first deadline.
    await read('t-gas-fast');
    clock = t0 + 16_000;
    await waitForAlarm(svc, token, 't-gas-fast', 'stale');
    expect(await alarmsOf(svc, token, 't-gas-upper', 'stale', 'all')).toEqual([]);

    // 15 s after the last reading, not the first.
    clock = t0 + 25_001;
    const stale = await waitForAlarm(svc, token, 't-gas-upper', 'stale');
    expect(stale.raisedAt).toBeGreaterThan(t0 + 25_000);

    // Heard again: it clears, and its new deadline is queued (it goes stale again when silent again).
    await read('t-gas-upper');
    await waitForAlarm(svc, token, 't-gas-upper', 'stale', (a) => a.id === stale.id && a.state === 'cleared_unack');
    const heard = clock;
    clock += 15_001;
    const again = await waitForAlarm(svc, token, 't-gas-upper', 'stale', (a) => a.state === 'active_unack');
    expect(again.updatedAt).toBeGreaterThan(heard + 15_000);
    device.end(true);
  });
});
