/**
 * Confined spaces at a past instant ("one time cursor"): `GET /api/spaces?at=` and
 * `/api/spaces/{id}?at=` rebuild the permit, the last gas test and who was inside from the stored
 * events, judge the detectors by their stored readings and alarms then, and raise nothing.
 *
 * The history is published with past `ts`: gas test and permit at t0, two workers in at t1, one
 * out at t2. Detector readings are stored around the instants asked about (a detector silent at
 * an instant with people inside is an evacuate reason then, as it would have been live).
 */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic, type Values } from '../../src/contracts';
import type { SpaceSummary } from '../../src/domain';
import type { Service } from '../../src/server/app';
import { api, deviceClient, login, publish, removeDir, startTestService, tempDataDir, waitFor, waitForAlarm } from './helpers';

const dataDir = tempDataDir();
const DETECTORS = ['t-gas-upper', 't-gas-fast', 't-gas-lower'];
const CLEAN: Values = { o2_pct: 20.9, h2s_ppm: 0.3, co_ppm: 1, nh3_ppm: 1, lel_pct: 0 };
const MIN = 60_000;
let svc: Service;
let device: MqttClient;
let token: string;
let feeder: NodeJS.Timeout | undefined;

const event = (ts: number, body: Record<string, unknown>) =>
  publish(device, deviceTopic('confined', 't-access', 'event'), { ts, spaceId: 't-pit', ...body });
/** Readings of every detector 3, 2 and 1 s before `atMs` (t-gas-fast, 0.5 s interval, is stale after 1.5 s). */
const readingsBefore = async (atMs: number) => {
  for (const id of DETECTORS) await publish(device, deviceTopic('confined', id, 'telemetry'), [3000, 2000, 1000].map((d) => ({ ts: atMs - d, values: CLEAN })));
};

async function spaceAt(at?: number | string): Promise<SpaceSummary> {
  const r = await api<SpaceSummary[]>(svc, `/api/spaces${at === undefined ? '' : `?at=${at}`}`, { token });
  expect(r.status).toBe(200);
  return r.body.find((s) => s.id === 't-pit')!;
}
const allAlarms = async () => (await api<{ id: string; state: string }[]>(svc, '/api/alarms?state=all', { token })).body.map((a) => `${a.id}:${a.state}`);

beforeAll(async () => {
  svc = await startTestService(dataDir);
  device = await deviceClient(svc);
  token = await login(svc, 'inspector');
  // Live air, so the live rules see monitored workers (and raise nothing of their own).
  const tick = () => {
    for (const id of DETECTORS) void publish(device, deviceTopic('confined', id, 'telemetry'), { ts: Date.now(), values: CLEAN }).catch(() => {});
  };
  tick();
  feeder = setInterval(tick, 250);
  await waitFor('live readings stored', async () => (await spaceAt(Date.now())).detectors.every((d) => d.status === 'online'));
});

afterAll(async () => {
  clearInterval(feeder);
  device?.end(true);
  await svc?.close();
  removeDir(dataDir);
});

describe('GET /api/spaces?at=', () => {
  const now = Date.now();
  const t0 = now - 20 * MIN;
  const t1 = now - 15 * MIN;
  const t2 = now - 10 * MIN;
  const between = t1 + 2 * MIN;
  const after = t2 + 2 * MIN;

  it('answers who was inside, the permit and the gas test as they stood at the instant; live is unchanged', async () => {
    await readingsBefore(between);
    await readingsBefore(after);
    await event(t0, { type: 'gas.test', levels: { upper: CLEAN, middle: CLEAN, lower: CLEAN } });
    await event(t0 + 1000, { type: 'permit.open', permitId: 'P-R1', workers: ['w1', 'w2'], attendant: 'a1', maxPersons: 2 });
    await event(t1, { type: 'entry', personId: 'w1' });
    await event(t1 + 1000, { type: 'entry', personId: 'w2' });
    await event(t2, { type: 'exit', personId: 'w1' });
    const live = await waitFor('w1 out live', async () => {
      const s = await spaceAt();
      return s.inside.length === 1 ? s : null;
    });
    expect(live).toMatchObject({ status: 'occupied', inside: ['w2'], attendant: 'a1', reasons: [] });
    const alarmsBefore = await allAlarms();

    // Before the gas test: nothing known of the space.
    expect(await spaceAt(t0 - MIN)).toMatchObject({ status: 'idle', permit: null, lastGasTest: null, inside: [], attendant: null, reasons: [] });

    // Between the entries and the exit: both inside under the permit, monitored.
    const mid = await spaceAt(between);
    expect(mid).toMatchObject({ status: 'occupied', inside: ['w1', 'w2'], enteredAt: { w1: t1, w2: t1 + 1000 }, attendant: 'a1', reasons: [], permitIssue: null });
    expect(mid.permit).toMatchObject({ permitId: 'P-R1', workers: ['w1', 'w2'], openedAt: t0 + 1000, firstEntryAt: t1, suspended: false });
    expect(mid.lastGasTest).toMatchObject({ ts: t0, pass: true });
    expect(mid.detectors.map((d) => d.status)).toEqual(['online', 'online', 'online']);
    // The same instant as ISO-8601, and the one-space route.
    expect(await spaceAt(new Date(between).toISOString())).toEqual(mid);
    const one = await api<SpaceSummary>(svc, `/api/spaces/t-pit?at=${between}`, { token });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(mid);

    // After the exit: one left inside.
    expect(await spaceAt(after)).toMatchObject({ status: 'occupied', inside: ['w2'], enteredAt: { w2: t1 + 1000 } });
    expect((await spaceAt(after)).permit?.permitId).toBe('P-R1');

    // The live answer is the present, whatever was asked of the past.
    expect(await spaceAt()).toEqual({ ...live, detectors: expect.any(Array) });

    // Just after the entries no detector reading was stored: unmonitored workers, evacuate then —
    // said in the answer, never raised as an alarm.
    const silent = await spaceAt(t1 + 1000 + 30_000);
    expect(silent.status).toBe('evacuate');
    expect(silent.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^middle detector silent/)]));
    expect(silent.permit?.suspended).toBe(true);
    expect(await allAlarms()).toEqual(alarmsBefore);
    expect(alarmsBefore).toEqual([]);
    expect((await spaceAt()).status).toBe('occupied');
  });

  it('refuses a future instant and a malformed one', async () => {
    const future = await api(svc, `/api/spaces?at=${Date.now() + 10 * MIN}`, { token });
    expect(future.status).toBe(400);
    expect(future.body.message).toMatch(/future/);
    expect((await api(svc, `/api/spaces/t-pit?at=${Date.now() + 10 * MIN}`, { token })).status).toBe(400);
    expect((await api(svc, '/api/spaces?at=yesterday', { token })).status).toBe(400);
    expect((await api(svc, `/api/spaces/nope?at=${now}`, { token })).status).toBe(404);
    expect((await api(svc, `/api/spaces?at=${now}`)).status).toBe(401);
  });

  it('brings a permit back suspended while its evacuate alarm was open', async () => {
    // The feeder's readings are stored up to now: an instant from here on has monitored detectors.
    // (The alarm is stamped with its arrival, which may share this millisecond: the instant before is asked.)
    const beforeX9 = Date.now() - 1;
    // x9 is on no permit: evacuate, which suspends P-R1; x9 leaves, w2 is still inside on the suspended permit.
    await event(beforeX9 + 2, { type: 'entry', personId: 'x9' });
    const evac = await waitForAlarm(svc, token, 't-access', 'evacuate', (a) => a.state === 'active_unack');
    const outAt = Date.now();
    await event(outAt, { type: 'exit', personId: 'x9' });
    await waitFor('x9 out live', async () => !(await spaceAt()).inside.includes('x9'));

    // Folding the events alone would give an unsuspended permit: the open alarm suspends it.
    const then = await spaceAt(outAt);
    expect(then).toMatchObject({ inside: ['w2'], status: 'evacuate', reasons: ['permit P-R1 suspended (evacuate alarm open at this instant)'] });
    expect(then.permit).toMatchObject({ permitId: 'P-R1', suspended: true });
    expect(then.alarmIds).toContain(evac.id);
    // Before x9 came in the same permit was in order.
    expect(await spaceAt(beforeX9)).toMatchObject({ inside: ['w2'], status: 'occupied', reasons: [] });
    expect((await spaceAt(beforeX9)).permit).toMatchObject({ permitId: 'P-R1', suspended: false });
  });
});
