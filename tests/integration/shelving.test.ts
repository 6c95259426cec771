/**
 * Shelving on the real service with an injected clock: a life-safety alarm is never shelved (409
 * `not_shelvable`: a critical alarm, any alarm of a confined space with a permit open), shelving
 * needs a reason (400), each listed alarm says whether it may be shelved now, a shelved alarm that
 * turns critical comes back unacknowledged and escalates, one whose space gets a permit comes back
 * at once, and one whose shelve ends with the condition still there is active_unack again.
 */
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviceTopic, type Values } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { api, browserClient, deviceClient, login, publish, record, removeDir, startTestService, tempDataDir, waitFor, waitForAlarm } from './helpers';

const AFTER_S = 60;
const T0 = Date.now();
let clock = T0;
let dataDir: string;
let svc: Service;
let device: MqttClient;
let token: string;

const reading = (id: string, values: Values) => publish(device, deviceTopic('confined', id, 'telemetry'), { ts: clock, values });
const shelve = (id: string, body: unknown) => api(svc, `/api/alarms/${id}/shelve`, { token, body });
const listed = async (id: string) => (await api<any[]>(svc, '/api/alarms?state=all', { token })).body.find((a) => a.id === id);

/** A major CO alarm (17–35 ppm) on the upper detector, past its on-delay. */
async function majorCo(): Promise<any> {
  await reading('t-gas-upper', { co_ppm: 20 });
  clock += 3000;
  await reading('t-gas-upper', { co_ppm: 20 });
  return waitForAlarm(svc, token, 't-gas-upper', 'co_ppm_high', (a) => a.state === 'active_unack');
}

beforeEach(async () => {
  clock = T0;
  dataDir = tempDataDir();
  svc = await startTestService(dataDir, { ESCALATE_AFTER_S: String(AFTER_S) }, { now: () => clock, logger: false });
  device = await deviceClient(svc);
  token = await login(svc, 'inspector');
});

afterEach(async () => {
  device?.end(true);
  await svc?.close();
  removeDir(dataDir);
});

describe('shelving life-safety alarms', () => {
  it('refuses a critical alarm with 409 not_shelvable and leaves it as it was; the list says why', async () => {
    await reading('t-gas-lower', { h2s_ppm: 30 });
    const a = await waitForAlarm(svc, token, 't-gas-lower', 'h2s_ppm_high');
    expect(a.severity).toBe('critical');
    expect(await listed(a.id)).toMatchObject({ shelvable: false, notShelvable: 'critical' });
    const r = await shelve(a.id, { minutes: 30, reason: 'nuisance' });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ error: 'not_shelvable', why: 'critical' });
    expect(await listed(a.id)).toMatchObject({ state: 'active_unack', shelvedUntil: null });
  });

  it('needs a reason (400), then shelves a major alarm; one that turns critical is back unacknowledged and escalates', async () => {
    const browser = await browserClient(svc, token);
    const seen = record(browser);
    await browser.subscribeAsync('citytwin/v1/notify/#');
    const a = await majorCo();
    expect(await listed(a.id)).toMatchObject({ severity: 'major', shelvable: true, notShelvable: null });
    for (const body of [{ minutes: 30 }, { minutes: 30, reason: '   ' }]) {
      const bad = await shelve(a.id, body);
      expect(bad.status).toBe(400);
      expect(bad.body.error).toBe('reason_required');
    }
    const ok = await shelve(a.id, { minutes: 60, reason: 'calibration gas on the upper head' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ state: 'shelved', shelveReason: 'calibration gas on the upper head' });

    // Worse while shelved: critical, active_unack again, and paged once the delay has run.
    clock += 1000;
    await reading('t-gas-upper', { co_ppm: 60 });
    await waitForAlarm(svc, token, 't-gas-upper', 'co_ppm_high', (x) => x.id === a.id && x.severity === 'critical' && x.state === 'active_unack');
    expect(seen.filter((m) => m.topic.startsWith('citytwin/v1/notify/'))).toEqual([]);
    clock = a.raisedAt + AFTER_S * 1000;
    await reading('t-gas-upper', { co_ppm: 60 });
    const msg = await waitFor('the escalation', () => seen.find((m) => m.topic === 'citytwin/v1/notify/confined'));
    expect(JSON.parse(msg.text).alarm).toMatchObject({ id: a.id, severity: 'critical', state: 'active_unack' });
    browser.end(true);
  });

  it('brings a shelved alarm back active_unack when its shelve ends with the condition still there', async () => {
    const a = await majorCo();
    expect((await shelve(a.id, { minutes: 5, reason: 'known drift' })).status).toBe(200);
    clock += 4 * 60_000;
    await reading('t-gas-upper', { co_ppm: 20 });
    expect((await listed(a.id)).state).toBe('shelved');
    clock += 60_000;
    await reading('t-gas-upper', { co_ppm: 20 });
    await waitForAlarm(svc, token, 't-gas-upper', 'co_ppm_high', (x) => x.id === a.id && x.state === 'active_unack' && x.shelvedUntil === null);
  });

  it('refuses any alarm of a space with a permit open, and unshelves one when a permit opens', async () => {
    const a = await majorCo();
    expect((await shelve(a.id, { minutes: 60, reason: 'known drift' })).status).toBe(200);
    await publish(device, deviceTopic('confined', 't-access', 'event'), {
      ts: clock,
      type: 'permit.open',
      permitId: 'P-1',
      spaceId: 't-pit',
      workers: ['w1'],
      attendant: 'a1',
      maxPersons: 1,
    });
    await waitForAlarm(svc, token, 't-gas-upper', 'co_ppm_high', (x) => x.id === a.id && x.state === 'active_unack');
    expect(await listed(a.id)).toMatchObject({ shelvable: false, notShelvable: 'permit_open' });
    const r = await shelve(a.id, { minutes: 60, reason: 'known drift' });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ error: 'not_shelvable', why: 'permit_open' });
  });
});
