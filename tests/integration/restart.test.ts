/** A restart on the same DATA_DIR keeps history and open alarms, republished retained. */
import { afterAll, describe, expect, it } from 'vitest';
import { alarmTopic, deviceTopic, parseAlarmRecord } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { api, browserClient, deviceClient, login, publish, record, removeDir, startTestService, tempDataDir, waitFor, waitForAlarm } from './helpers';

const dataDir = tempDataDir();
let svc: Service | undefined;

afterAll(async () => {
  await svc?.close();
  removeDir(dataDir);
});

describe('service restart', () => {
  it('reloads open alarms, republishes them retained, and keeps the engine tracking them', async () => {
    svc = await startTestService(dataDir);
    let device = await deviceClient(svc);
    const t = Date.now();
    await publish(device, deviceTopic('confined', 't-gas-lower', 'telemetry'), { ts: t, values: { h2s_ppm: 30, o2_pct: 17 } });
    await publish(device, deviceTopic('roads', 't-det-1', 'telemetry'), { ts: t, values: { speed_kmh: 18 } });
    let token = await login(svc, 'inspector');
    const h2s = await waitForAlarm(svc, token, 't-gas-lower', 'h2s_ppm_high');
    const o2 = await waitForAlarm(svc, token, 't-gas-lower', 'o2_pct_low');
    expect(o2.severity).toBe('critical');
    // A device that fell silent before the restart (0.5 s interval: stale after 1.5 s).
    await publish(device, deviceTopic('confined', 't-gas-fast', 'telemetry'), { ts: Date.now(), values: { o2_pct: 20.9 } });
    const stale = await waitForAlarm(svc, token, 't-gas-fast', 'stale');
    const acked = await api(svc, `/api/alarms/${o2.id}/ack`, { token, body: { comment: 'seen' } });
    expect(acked.status).toBe(200);
    device.end(true);
    await svc.close();

    svc = await startTestService(dataDir);
    token = await login(svc, 'inspector'); // tokens live in memory: log in again
    const open = await api(svc, '/api/alarms?scene=confined', { token });
    expect(open.body.find((a: any) => a.id === h2s.id)).toMatchObject({ state: 'active_unack', severity: 'critical' });
    expect(open.body.find((a: any) => a.id === o2.id)).toMatchObject({ state: 'active_ack', ackedBy: 'inspector' });

    const browser = await browserClient(svc, token);
    const seen = record(browser);
    await browser.subscribeAsync('citytwin/v1/alarms/#');
    const msg = await waitFor('the republished alarm', () => seen.find((m) => m.topic === alarmTopic(h2s.id)));
    expect(msg.retain).toBe(true);
    expect(parseAlarmRecord(JSON.parse(msg.text))?.id).toBe(h2s.id);

    // History and the live road state survived.
    const hist = await api(svc, `/api/telemetry/t-gas-lower?quantity=h2s_ppm&from=${t}&to=${t}`, { token });
    expect(hist.body.points).toEqual([[t, 30]]);
    const segs = await api(svc, '/api/segments', { token });
    expect(segs.body.find((s: any) => s.id === 't-seg')).toMatchObject({ speedKmh: 18, level: 5 });

    // The engine still owns the restored alarms: clean air clears them (the acked one closes).
    device = await deviceClient(svc);
    await publish(device, deviceTopic('confined', 't-gas-fast', 'telemetry'), { ts: Date.now(), values: { o2_pct: 20.9 } });
    await waitForAlarm(svc, token, 't-gas-fast', 'stale', (a) => a.id === stale.id && a.state === 'cleared_unack');
    await publish(device, deviceTopic('confined', 't-gas-lower', 'telemetry'), { ts: Date.now(), values: { h2s_ppm: 0.1, o2_pct: 20.9 } });
    await waitForAlarm(svc, token, 't-gas-lower', 'h2s_ppm_high', (a) => a.id === h2s.id && a.state === 'cleared_unack');
    await waitForAlarm(svc, token, 't-gas-lower', 'o2_pct_low', (a) => a.id === o2.id && a.state === 'closed');
    await waitFor('the closed alarm removed from the retained set', () =>
      seen.find((m) => m.topic === alarmTopic(o2.id) && m.text === ''),
    );
    device.end(true);
    browser.end(true);

    // A new subscriber gets the open alarm retained, and not the closed one.
    const late = await browserClient(svc, token, true);
    const lateSeen = record(late);
    await late.subscribeAsync('citytwin/v1/alarms/#');
    await waitFor('the still-open alarm', () => lateSeen.find((m) => m.topic === alarmTopic(h2s.id)));
    expect(lateSeen.filter((m) => m.topic === alarmTopic(o2.id))).toEqual([]);
    late.end(true);
  });
});
