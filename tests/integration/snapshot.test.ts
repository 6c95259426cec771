/**
 * GET /api/live: a browser that connects late sees each device's latest values and status at once,
 * in the shape of a live batch, rather than "no data" until the device next reports.
 */
import { describe, expect, it } from 'vitest';
import { deviceTopic, validateLiveBatch } from '../../src/contracts';
import { api, login, publish, serviceSuite, waitFor } from './helpers';

const suite = serviceSuite({ device: true, login: 'traffic' });

describe('live snapshot', () => {
  it('answers 401 without a token', async () => {
    expect((await api(suite.svc, '/api/live')).status).toBe(401);
  });

  it('holds the latest merged values per device, filtered by scene', async () => {
    const t = Date.now() - 1000;
    await publish(suite.device, deviceTopic('roads', 't-det-1', 'telemetry'), { ts: t, values: { speed_kmh: 71, flow_vph: 900 } });
    await publish(suite.device, deviceTopic('roads', 't-det-1', 'telemetry'), { ts: t + 10, values: { speed_kmh: 64 } });
    await publish(suite.device, deviceTopic('park', 't-tank-1', 'telemetry'), { ts: t, values: { level_pct: 40, pressure_kpa: 10, temp_c: 21 } });
    const roads = await waitFor('the detector in the snapshot', async () => {
      const r = await api(suite.svc, '/api/live?scene=roads', { token: suite.token });
      const det = (r.body.readings as [string, number, Record<string, number>][]).find(([id]) => id === 't-det-1');
      return det?.[2].speed_kmh === 64 ? r.body : null;
    });
    const checked = validateLiveBatch(roads);
    expect(checked.ok).toBe(true);
    expect(roads.readings.find(([id]: [string]) => id === 't-det-1')).toEqual(['t-det-1', t + 10, { speed_kmh: 64, flow_vph: 900 }]);
    expect(roads.status).toContainEqual(['t-det-1', 'online']);
    expect(roads.readings.some(([id]: [string]) => id === 't-tank-1')).toBe(false);
    const all = (await api(suite.svc, '/api/live', { token: suite.token })).body;
    expect(all.readings.some(([id]: [string]) => id === 't-tank-1')).toBe(true);
  });

  it('refuses an unknown scene with a clear 400', async () => {
    const r = await api(suite.svc, '/api/live?scene=harbour', { token: suite.token });
    expect(r.status).toBe(400);
    expect(r.body.error).toBeTruthy();
  });
});
