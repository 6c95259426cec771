/**
 * A service restart is not a device failure: silence counts from the later of the last reading and
 * the service's start. The real service is stopped and started again on the same DATA_DIR, its clock
 * (injected) moved past the stale limit of a detector that reported before the stop.
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

describe('restart grace for staleness', () => {
  it('a 20 s restart raises no stale alarm; a detector still silent 3 intervals after the start does', async () => {
    svc = await startTestService(dataDir, {}, { now });
    let device = await deviceClient(svc);
    let token = await login(svc, 'inspector');
    // t-gas-upper reports every 5 s: stale after 15 s of silence.
    await publish(device, deviceTopic('confined', 't-gas-upper', 'telemetry'), { ts: clock, values: { o2_pct: 20.9, h2s_ppm: 0.1 } });
    await waitFor('the reading stored', () => stored('t-gas-upper', clock, token));
    device.end(true);
    await svc.close();

    // Down for 20 s: longer than the detector's stale limit.
    clock += 20_000;
    const startedAt = clock;
    svc = await startTestService(dataDir, {}, { now });
    token = await login(svc, 'inspector');
    device = await deviceClient(svc);
    // A witness heard after the start (0.5 s interval): once it is stale, the stale check has run at this clock.
    await publish(device, deviceTopic('confined', 't-gas-fast', 'telemetry'), { ts: clock, values: { o2_pct: 20.9 } });
    await waitFor('the witness heard', () => stored('t-gas-fast', clock, token));
    clock = startedAt + 2_000;
    await waitForAlarm(svc, token, 't-gas-fast', 'stale');
    expect(await alarmsOf(svc, token, 't-gas-upper', 'stale', 'all')).toEqual([]);

    // Still silent 15 s after the start: now that is the device, not the restart.
    clock = startedAt + 15_001;
    const stale = await waitForAlarm(svc, token, 't-gas-upper', 'stale');
    expect(stale.raisedAt).toBeGreaterThan(startedAt + 15_000);
    device.end(true);
  });
});
