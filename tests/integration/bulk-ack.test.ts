/**
 * Acknowledging several alarms at once (POST /api/alarms/ack): each alarm is checked against the
 * caller's role as if acknowledged alone, refusals are listed by id and take nothing else with them,
 * and the acknowledgements are audited. Real service, broker and SQLite file; the test publishes.
 */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { api, deviceClient, login, publish, removeDir, startTestService, tempDataDir, waitForAlarm } from './helpers';

let dataDir: string;
let svc: Service;
let device: MqttClient;
let inspector: string;

const H2S_CRITICAL = { o2_pct: 20.9, h2s_ppm: 30, co_ppm: 1, nh3_ppm: 1, lel_pct: 0 };

beforeAll(async () => {
  dataDir = tempDataDir();
  svc = await startTestService(dataDir);
  device = await deviceClient(svc);
  inspector = await login(svc, 'inspector');
});

afterAll(async () => {
  device?.end(true);
  await svc?.close();
  removeDir(dataDir);
});

describe('POST /api/alarms/ack', () => {
  it('acknowledges what the caller owns and lists what it refused, with why', async () => {
    const ts = Date.now();
    await publish(device, deviceTopic('confined', 't-gas-lower', 'telemetry'), { ts, values: H2S_CRITICAL });
    await publish(device, deviceTopic('confined', 't-gas-upper', 'telemetry'), { ts, values: H2S_CRITICAL });
    await publish(device, deviceTopic('roads', 't-op-1', 'event'), { ts, type: 'incident', incidentId: 'bulk-1', kind: 'crash', segmentId: 't-seg', lonDeg: 120.2, latDeg: 29.7, state: 'open' });
    const lower = await waitForAlarm(svc, inspector, 't-gas-lower', 'h2s_ppm_high', (a) => a.state === 'active_unack');
    const upper = await waitForAlarm(svc, inspector, 't-gas-upper', 'h2s_ppm_high', (a) => a.state === 'active_unack');
    const crash = await waitForAlarm(svc, inspector, 't-op-1', 'incident', (a) => a.state === 'active_unack');

    // A traffic controller does not own the confined scene: refused one by one, nothing acknowledged.
    const traffic = await login(svc, 'traffic');
    const wrong = await api(svc, '/api/alarms/ack', { token: traffic, body: { ids: [lower.id, upper.id] } });
    expect(wrong.status).toBe(200);
    expect(wrong.body).toEqual({
      acked: 0,
      refused: [
        { id: lower.id, error: 'forbidden', message: expect.any(String) },
        { id: upper.id, error: 'forbidden', message: expect.any(String) },
      ],
    });

    // The inspector: both confined alarms, not the road incident, not an id that does not exist.
    const r = await api(svc, '/api/alarms/ack', { token: inspector, body: { ids: [lower.id, upper.id, crash.id, 'no-such-alarm', lower.id], comment: 'after the restart' } });
    expect(r.status).toBe(200);
    expect(r.body.acked).toBe(2);
    expect(r.body.refused).toEqual([
      { id: crash.id, error: 'forbidden', message: expect.any(String) },
      { id: 'no-such-alarm', error: 'not_found', message: expect.any(String) },
    ]);
    const after = (await api(svc, '/api/alarms?state=open', { token: inspector })).body as { id: string; state: string; ackedBy: string | null }[];
    expect(after.find((a) => a.id === lower.id)).toMatchObject({ state: 'active_ack', ackedBy: 'inspector' });
    expect(after.find((a) => a.id === upper.id)).toMatchObject({ state: 'active_ack', ackedBy: 'inspector' });
    expect(after.find((a) => a.id === crash.id)).toMatchObject({ state: 'active_unack' });

    // Acknowledging again is a refusal per alarm, not an error of the request.
    const again = await api(svc, '/api/alarms/ack', { token: inspector, body: { ids: [lower.id] } });
    expect(again.body).toEqual({ acked: 0, refused: [{ id: lower.id, error: 'invalid_transition', message: expect.any(String) }] });

    // The acknowledgement is audited with its ids and comment.
    const admin = await login(svc, 'admin');
    const audit = (await api(svc, '/api/audit?action=alarm.ack', { token: admin })).body as { user: string; detail: { ids?: string[]; comment?: string } | null }[];
    expect(audit).toContainEqual(expect.objectContaining({ user: 'inspector', detail: { ids: [lower.id, upper.id, crash.id, 'no-such-alarm', lower.id], comment: 'after the restart' } }));
  });

  it('answers 400 to a body that is not a list of ids, and 401 without a token', async () => {
    for (const body of [{}, { ids: [] }, { ids: 'a1' }, { ids: [''] }, { ids: Array.from({ length: 501 }, (_, i) => `a${i}`) }, { ids: ['a1'], comment: 'x'.repeat(501) }]) {
      const r = await api(svc, '/api/alarms/ack', { token: inspector, body });
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(r.body.error).toBe('bad_request');
    }
    expect((await api(svc, '/api/alarms/ack', { body: { ids: ['a1'] } })).status).toBe(401);
  });
});
