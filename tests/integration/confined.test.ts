/**
 * Confined-space entry rules in the real service: permit, gas test and entry from the access
 * terminal, H₂S on the lower detector → evacuate; entry without a permit → evacuate; a permit on a
 * failed test → permit alarm; /api/spaces follows; the state survives a restart. Each test starts
 * a service of its own on an empty database, with the detectors reporting clean air.
 */
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviceTopic, type Values } from '../../src/contracts';
import type { SpaceSummary } from '../../src/domain';
import type { Service } from '../../src/server/app';
import { alarmsOf, api, deviceClient, login, publish, removeDir, startTestService, tempDataDir, waitFor, waitForAlarm } from './helpers';

let dataDir: string;
let svc: Service;
let device: MqttClient;
let token: string;
let feeder: NodeJS.Timeout | undefined;

const CLEAN: Values = { o2_pct: 20.9, h2s_ppm: 0.3, co_ppm: 1, nh3_ppm: 1, lel_pct: 0 };
/** What each detector of t-pit reports, every 250 ms (t-gas-fast reports every 0.5 s: stale after 1.5 s). */
const air: Record<string, Values> = { 't-gas-upper': { ...CLEAN }, 't-gas-fast': { ...CLEAN }, 't-gas-lower': { ...CLEAN } };

let lastTs = 0;
/** Distinct event times: the service applies one event per device, ts and type. */
const ts = () => (lastTs = Math.max(Date.now(), lastTs + 1));
const event = (body: Record<string, unknown>) => publish(device, deviceTopic('confined', 't-access', 'event'), { ts: ts(), ...body });
const gasTest = (lower: Values = CLEAN) => event({ type: 'gas.test', spaceId: 't-pit', levels: { upper: CLEAN, middle: CLEAN, lower } });
const permitOpen = (permitId: string) => event({ type: 'permit.open', permitId, spaceId: 't-pit', workers: ['w1', 'w2'], attendant: 'a1', maxPersons: 2 });
const entry = (personId: string) => event({ type: 'entry', spaceId: 't-pit', personId });
const exit = (personId: string) => event({ type: 'exit', spaceId: 't-pit', personId });

async function space(): Promise<SpaceSummary> {
  const r = await api<SpaceSummary[]>(svc, '/api/spaces', { token });
  expect(r.status).toBe(200);
  return r.body.find((s) => s.id === 't-pit')!;
}
const openEvacuate = async () => (await alarmsOf(svc, token, 't-access', 'evacuate')).filter((a) => a.state.startsWith('active'));

function startFeeder(): void {
  const tick = () => {
    for (const [id, values] of Object.entries(air)) void publish(device, deviceTopic('confined', id, 'telemetry'), { ts: Date.now(), values }).catch(() => {});
  };
  tick();
  feeder = setInterval(tick, 250);
}

beforeEach(async () => {
  for (const id of Object.keys(air)) air[id] = { ...CLEAN };
  dataDir = tempDataDir();
  svc = await startTestService(dataDir);
  device = await deviceClient(svc);
  token = await login(svc, 'inspector');
  startFeeder();
});

afterEach(async () => {
  clearInterval(feeder);
  device?.end(true);
  await svc?.close();
  removeDir(dataDir);
});

describe('confined-space entry rules in the service', () => {
  it('needs a token for /api/spaces', async () => {
    expect((await api(svc, '/api/spaces')).status).toBe(401);
    expect((await api(svc, '/api/spaces/nope', { token })).status).toBe(404);
  });

  it('a proper work session raises nothing; H₂S critical in the lower layer raises evacuate, which suspends the permit', async () => {
    await gasTest();
    await permitOpen('P-1');
    await entry('w1');
    await entry('w2');
    const s1 = await waitFor('two inside', async () => ((await space()).inside.length === 2 ? space() : null));
    expect(s1).toMatchObject({ status: 'occupied', attendant: 'a1', accessId: 't-access', reasons: [], permitIssue: null, worstSeverity: null });
    expect(s1.permit).toMatchObject({ permitId: 'P-1', workers: ['w1', 'w2'], maxPersons: 2, suspended: false });
    expect(s1.lastGasTest).toMatchObject({ pass: true, failures: [] });
    expect(s1.detectors.map((d) => d.level)).toEqual(['upper', 'middle', 'lower']);
    expect(await openEvacuate()).toEqual([]);

    air['t-gas-lower'] = { ...CLEAN, h2s_ppm: 18 };
    const evac = await waitForAlarm(svc, token, 't-access', 'evacuate');
    expect(evac).toMatchObject({ scene: 'confined', siteId: 't-pit', severity: 'critical', state: 'active_unack', value: 2 });
    expect(evac.message).toMatch(/^evacuate: 2 inside \(w1, w2\): lower detector: h2s_ppm 18 ≥ 14 \(critical\)/);
    // Ids stay ids in the detail; the Chinese sentence names the people from the roster, with units.
    expect(evac.detail).toMatchObject({ code: 'evacuate_people', params: { inside: 2, persons: ['w1', 'w2'], allowed: 2 } });
    expect(evac.messageZh).toMatch(/^内有 2 人（张伟、李强），允许 2 人：下部检测仪：硫化氢 18 ppm ≥ 14 ppm（严重）/);
    const h2s = (await alarmsOf(svc, token, 't-gas-lower', 'h2s_ppm_high'))[0];
    expect(h2s).toMatchObject({ detail: { code: 'threshold', params: { quantity: 'h2s_ppm', dir: 'high', value: 18 } }, messageZh: '硫化氢 18 ppm ≥ 14 ppm' });
    expect((await api(svc, '/api/persons', { token })).body).toContainEqual({ id: 'w1', name: 'Zhang Wei', nameZh: '张伟', role: 'worker' });
    const s2 = await space();
    expect(s2).toMatchObject({ status: 'evacuate', worstSeverity: 'critical' });
    expect(s2.permit).toMatchObject({ suspended: true, suspendReason: expect.stringMatching(/^evacuate: lower detector/) });
    expect(s2.alarmIds).toContain(evac.id);

    // Clean air again, people still inside: the suspended permit keeps the alarm until they are out.
    air['t-gas-lower'] = { ...CLEAN };
    await waitFor('the H₂S alarm cleared', async () => (await alarmsOf(svc, token, 't-gas-lower', 'h2s_ppm_high')).every((a) => !a.state.startsWith('active')));
    expect((await space()).reasons).toEqual([expect.stringMatching(/permit P-1 suspended/)]);
    expect(await openEvacuate()).toHaveLength(1);
    await exit('w1');
    await exit('w2');
    await waitForAlarm(svc, token, 't-access', 'evacuate', (a) => a.id === evac.id && a.state === 'cleared_unack');
    // Only the owner of the scene acknowledges.
    const traffic = await login(svc, 'traffic');
    expect((await api(svc, `/api/alarms/${evac.id}/ack`, { token: traffic, body: {} })).status).toBe(403);
    expect((await api(svc, `/api/alarms/${evac.id}/ack`, { token, body: {} })).body.state).toBe('closed');
    // A passing re-test lifts the suspension; closing the permit leaves the space idle.
    await gasTest();
    await waitFor('permit reinstated', async () => (await space()).permit?.suspended === false);
    await event({ type: 'permit.close', permitId: 'P-1' });
    await waitFor('idle', async () => (await space()).status === 'idle');
  });

  it('an entry without a permit raises evacuate at once, and clears on exit', async () => {
    await entry('x9');
    const evac = await waitForAlarm(svc, token, 't-access', 'evacuate', (a) => a.state === 'active_unack');
    expect(evac.message).toBe('evacuate: 1 inside (x9): no open permit');
    expect((await space()).status).toBe('evacuate');
    await exit('x9');
    await waitForAlarm(svc, token, 't-access', 'evacuate', (a) => a.id === evac.id && a.state === 'cleared_unack');
    await api(svc, `/api/alarms/${evac.id}/ack`, { token, body: {} });
  });

  it('a permit opened on a failed gas test raises a major permit alarm, cleared by a passing re-test', async () => {
    await gasTest({ ...CLEAN, h2s_ppm: 9 });
    await permitOpen('P-2');
    const alarm = await waitForAlarm(svc, token, 't-access', 'permit', (a) => a.state === 'active_unack');
    expect(alarm).toMatchObject({ severity: 'major', siteId: 't-pit' });
    expect(alarm.message).toBe('permit P-2: gas test failed: lower h2s_ppm 9 (allowed < 7)');
    expect(alarm.messageZh).toBe('作业票 P-2：气体检测不合格：下部硫化氢 9 ppm（允许 < 7 ppm）');
    const s = await space();
    expect(s).toMatchObject({ status: 'alarm', worstSeverity: 'major', permitIssue: alarm.message });
    expect(s.permit?.suspended).toBe(true);
    await gasTest();
    await waitForAlarm(svc, token, 't-access', 'permit', (a) => a.id === alarm.id && a.state === 'cleared_unack');
    expect(await space()).toMatchObject({ status: 'permit', permitIssue: null });
  });

  it('a silent detector with people inside is an evacuate alarm', async () => {
    await gasTest();
    await permitOpen('P-3');
    await entry('w1');
    await waitFor('w1 inside', async () => (await space()).status === 'occupied');
    const fast = air['t-gas-fast'];
    delete air['t-gas-fast'];
    const evac = await waitForAlarm(svc, token, 't-access', 'evacuate', (a) => a.state === 'active_unack');
    expect(evac.message).toMatch(/middle detector silent for more than 1\.5 s/);
    expect(evac.messageZh).toMatch(/^内有 1 人（张伟）.*中部检测仪超过 1.5 秒无数据/);
    air['t-gas-fast'] = fast;
    await exit('w1');
    await waitForAlarm(svc, token, 't-access', 'evacuate', (a) => a.id === evac.id && a.state === 'cleared_unack');
  });

  it('rebuilds the entry state from the stored events after a restart', async () => {
    await gasTest();
    await permitOpen('P-2');
    await entry('w2');
    await waitFor('w2 inside', async () => (await space()).inside.includes('w2'));
    const before = await space();
    clearInterval(feeder);
    device.end(true);
    await svc.close();

    svc = await startTestService(dataDir);
    device = await deviceClient(svc);
    token = await login(svc, 'inspector');
    startFeeder();
    const after = await space();
    expect(after.inside).toEqual(['w2']);
    expect(after.permit).toMatchObject({ permitId: 'P-2', workers: ['w1', 'w2'] });
    expect(after.lastGasTest?.ts).toBe(before.lastGasTest?.ts);
    await exit('w2');
    await event({ type: 'permit.close', permitId: 'P-2' });
    await waitFor('idle after restart', async () => (await space()).status === 'idle');
  });
});
