/**
 * /metrics follows the rule that nothing but login, static assets and health is served without
 * credentials; a Prometheus scraper, which cannot log in, sends METRICS_TOKEN instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/app';
import { api, removeDir, startTestService, tempDataDir } from './helpers';

const SCRAPER_TOKEN = 'scraper-token-0123456789';
let svc: Service;
let dataDir: string;

beforeAll(async () => {
  dataDir = tempDataDir();
  svc = await startTestService(dataDir, { METRICS_TOKEN: SCRAPER_TOKEN });
});

afterAll(async () => {
  await svc?.close();
  removeDir(dataDir);
});

describe('/metrics for a scraper', () => {
  it.each([
    ['no token', undefined, 401],
    ['a wrong token', 'scraper-token-wrong-000000', 401],
    ['METRICS_TOKEN', SCRAPER_TOKEN, 200],
  ])('answers %s with %i', async (_what, token, status) => {
    const r = await api<string>(svc, '/metrics', { token });
    expect(r.status).toBe(status);
    if (status === 200) expect(r.body).toMatch(/citytwin_messages_accepted_total/);
  });

  it('does not accept METRICS_TOKEN for the API', async () => {
    expect((await api(svc, '/api/devices', { token: SCRAPER_TOKEN })).status).toBe(401);
  });
});
