/**
 * The chain ventilate → test → permit → attendant → entry on the real service with an injected
 * clock: the fan and its purge time, the fan stopping with people inside, a new gas test after a
 * break, a permit's validUntil, the attendant off post or going in, O₂ enrichment — each raised as
 * an alarm of the space's terminal and shown step by step in /api/spaces. And a terminal of one
 * plant may not close another plant's permit (two device identities over MQTT).
 */
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviceTopic, type Registry, type Values } from '../../src/contracts';
import type { SpaceSummary } from '../../src/domain';
import type { Service } from '../../src/server/app';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_REGISTRY, alarmsOf, api, connect, deviceClient, login, publish, removeDir, startTestService, tempDataDir, waitFor, waitForAlarm } from './helpers';

const T0 = Date.now();
let clock = T0;
let dataDir: string;
let svc: Service;
let device: MqttClient;
let token: string;

const CLEAN: Values = { o2_pct: 20.9, h2s_ppm: 0.3, co_ppm: 1, nh3_ppm: 1, lel_pct: 0 };
const MIN = 60_000;

/** The fixture registry and a second plant with a space and a terminal of its own. */
function registry(): Registry {
  const r = JSON.parse(readFileSync(FIXTURE_REGISTRY, 'utf8')) as Registry;
  const plant = r.sites.find((s) => s.id === 't-plant')!;
  const pit = r.sites.find((s) => s.id === 't-pit')!;
  const access = r.devices.find((d) => d.id === 't-access')!;
  r.sites.push({ ...plant, id: 't-plant2', name: 'Second plant' }, { ...pit, id: 't-pit2', parentId: 't-plant2', name: 'Second pit' });
  r.devices.push({ ...access, id: 't-access2', siteId: 't-pit2', name: 'Second terminal' });
  return r;
}

/** Moves the clock and has every detector of t-pit report `values` then (so none goes silent). */
async function at(ms: number, values: Values = CLEAN): Promise<void> {
  clock = ms;
  for (const id of ['t-gas-upper', 't-gas-fast', 't-gas-lower']) await publish(device, deviceTopic('confined', id, 'telemetry'), { ts: clock, values });
}
let bump = 0;
/** An event of t-pit's terminal now (a distinct ts each: the service applies one per device, ts and type). */
const event = (body: Record<string, unknown>, from = device, deviceId = 't-access') =>
  publish(from, deviceTopic('confined', deviceId, 'event'), { ts: clock + (bump = (bump + 1) % 500), spaceId: 't-pit', ...body });
const fan = (state: 'on' | 'off') => event({ type: 'ventilation', state });
const gasTest = () => event({ type: 'gas.test', levels: { upper: CLEAN, middle: CLEAN, lower: CLEAN } });
const permitOpen = (extra: Record<string, unknown> = {}) =>
  event({ type: 'permit.open', permitId: 'P-1', workers: ['w1', 'w2'], attendant: 'a1', maxPersons: 2, ...extra });
const post = (on: boolean, personId = 'a1') => event({ type: on ? 'attendant.on' : 'attendant.off', personId });
const entry = (personId = 'w1') => event({ type: 'entry', personId });
const exit = (personId = 'w1') => event({ type: 'exit', personId });

async function space(id = 't-pit'): Promise<SpaceSummary> {
  return (await api<SpaceSummary[]>(svc, '/api/spaces', { token })).body.find((s) => s.id === id)!;
}
const chainOf = async () => Object.fromEntries((await space()).chain!.map((c) => [c.step, c.status]));
const active = (rule: string) => waitForAlarm(svc, token, 't-access', rule, (a) => a.active !== false && a.state.startsWith('active'));
const openRule = async (rule: string) => (await alarmsOf(svc, token, 't-access', rule)).filter((a) => a.active !== false);

/** Fan on for the whole purge, a passing test, a permit, the attendant at the opening, one worker in. */
async function properEntry(): Promise<void> {
  await at(T0);
  await fan('on');
  await at(T0 + 11 * MIN);
  await gasTest();
  await permitOpen();
  await post(true);
  await entry();
  await waitFor('w1 inside', async () => (await space()).inside.includes('w1'));
}

beforeEach(async () => {
  clock = T0;
  dataDir = tempDataDir();
  const path = join(dataDir, 'registry.json');
  writeFileSync(path, JSON.stringify(registry()));
  svc = await startTestService(dataDir, { REGISTRY: path }, { now: () => clock, logger: false });
  device = await deviceClient(svc);
  token = await login(svc, 'inspector');
});

afterEach(async () => {
  device?.end(true);
  await svc?.close();
  removeDir(dataDir);
});

describe('ventilate, test, enter', () => {
  it('shows every step green after a proper entry, and raises nothing', async () => {
    await properEntry();
    const s = await space();
    expect(s.chain!.map((c) => [c.step, c.status])).toEqual([
      ['ventilate', 'ok'],
      ['test', 'ok'],
      ['permit', 'ok'],
      ['attendant', 'ok'],
      ['entry', 'ok'],
    ]);
    expect(s.chain![0].at).toBe(T0 + 1);
    for (const rule of ['evacuate', 'permit', 'attendant', 'o2_enrichment']) expect(await openRule(rule)).toEqual([]);
  });

  it('raises permit for a gas test before the fan has purged the space, and the test step is red', async () => {
    await at(T0);
    await fan('on');
    await at(T0 + 4 * MIN);
    await gasTest();
    await permitOpen();
    await post(true);
    await entry();
    const a = await active('permit');
    expect(a).toMatchObject({ severity: 'major', siteId: 't-pit', detail: { code: 'permit_issues', params: { spaceId: 't-pit', permitId: 'P-1', reason: 'purge_too_short' } } });
    expect((await chainOf()).test).toBe('failed');
  });

  it('raises evacuate when the fan stops with people inside, and the ventilate step turns red', async () => {
    await properEntry();
    await at(T0 + 12 * MIN);
    await fan('off');
    const a = await active('evacuate');
    expect(a.severity).toBe('critical');
    expect(a.detail).toMatchObject({ code: 'evacuate_people', params: { spaceId: 't-pit', inside: 1, reason: 'ventilation_off' } });
    expect((await chainOf()).ventilate).toBe('failed');
  });

  it('needs a new gas test after the space was empty longer than the break limit', async () => {
    await properEntry();
    await at(T0 + 20 * MIN);
    await exit();
    await at(T0 + 82 * MIN); // 62 min empty
    await waitFor('the test step to ask for a re-test', async () => (await space()).chain!.find((c) => c.step === 'test')!.reason?.code === 'retest_required');
    await entry();
    const a = await active('permit');
    expect(a.detail.params.reason).toBe('retest_after_break');
  });

  it('raises permit for an entry after validUntil, and evacuate for people still inside when it lapses', async () => {
    await at(T0);
    await fan('on');
    await at(T0 + 11 * MIN);
    await gasTest();
    await permitOpen({ validUntil: T0 + 30 * MIN });
    await post(true);
    await entry();
    await at(T0 + 31 * MIN);
    const evac = await active('evacuate');
    expect(evac.detail.params.reason).toBe('permit_lapsed');
    expect((await chainOf()).permit).toBe('failed');
    await entry('w2');
    const p = await active('permit');
    expect(p.detail.params.reason).toBe('entered_after_expiry');
  });

  it('raises attendant (critical) when the attendant is off post over 60 s with people inside, and when the attendant goes in', async () => {
    await properEntry();
    await at(T0 + 12 * MIN);
    await post(false);
    await at(T0 + 12 * MIN + 30_000);
    expect(await openRule('attendant')).toEqual([]);
    await at(T0 + 12 * MIN + 61_000);
    const a = await active('attendant');
    expect(a).toMatchObject({ severity: 'critical', detail: { code: 'attendant_issues', params: { reason: 'attendant_off_post' } } });
    expect((await chainOf()).attendant).toBe('failed');
    // Back on post: clears. Then the attendant goes in: critical again.
    await post(true);
    await waitFor('the attendant alarm to clear', async () => (await openRule('attendant')).length === 0);
    await entry('a1');
    // Not acknowledged meanwhile: the same alarm returns (ISA-18.2), now for the attendant inside.
    await waitForAlarm(svc, token, 't-access', 'attendant', (x) => x.active !== false && x.detail?.params.reason === 'attendant_inside');
  });

  it('warns of O2 enrichment above 21 % with people inside', async () => {
    await properEntry();
    await at(T0 + 12 * MIN, { ...CLEAN, o2_pct: 22.5 });
    const a = await active('o2_enrichment');
    expect(a).toMatchObject({ severity: 'warning', value: 22.5, threshold: 21 });
  });
});

describe('permit.close is scoped to the terminal', () => {
  it("refuses a terminal of another plant closing this space's permit (two device identities)", async () => {
    const admin = await login(svc, 'admin');
    const creds = async (id: string) => (await api(svc, `/api/devices/${id}/credentials`, { token: admin, body: {} })).body as { username: string; password: string };
    const own = await creds('t-access');
    const other = await creds('t-access2');
    const ownClient = await connect(svc.mqttUrl, { username: own.username, password: own.password });
    const otherClient = await connect(svc.mqttUrl, { username: other.username, password: other.password });
    try {
      await at(T0);
      await event({ type: 'permit.open', permitId: 'P-9', workers: ['w1'], attendant: 'a1', maxPersons: 1 }, ownClient);
      await waitFor('the permit', async () => (await space()).permit?.permitId === 'P-9');
      const forbidden = async () => (await api(svc, '/api/health', { token: admin })).body.messages.rejected.forbidden ?? 0;
      const before = await forbidden();
      // No spaceId: the permit is found by its id, and it is not the second plant's to close.
      await publish(otherClient, deviceTopic('confined', 't-access2', 'event'), { ts: clock + 900, type: 'permit.close', permitId: 'P-9' });
      await waitFor('the refusal to be counted', async () => (await forbidden()) > before);
      expect((await space()).permit?.permitId).toBe('P-9');
      // Its own terminal closes it.
      await publish(ownClient, deviceTopic('confined', 't-access', 'event'), { ts: clock + 901, type: 'permit.close', permitId: 'P-9' });
      await waitFor('the permit to close', async () => (await space()).permit === null);
    } finally {
      ownClient.end(true);
      otherClient.end(true);
    }
  });
});
