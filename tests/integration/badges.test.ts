/**
 * People in confined spaces, as badges: one badge inside two spaces at once is flagged (a lent badge
 * or a missed exit makes the rescue head count wrong), named from the roster, and clears with the
 * exit that settles it; a person inside longer than the space's limit raises `overstay` until their
 * exit. Real service on the generated demo registry (two plants, their spaces and the badge roster),
 * one space given a limit of its own.
 */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../scripts/gen-data';
import { badgesInTwoPlaces } from '../../src/domain';
import type { Service } from '../../src/server/app';
import { api, deviceClient, login, publish, removeDir, startWithRegistry, tempDataDir, waitForAlarm } from './helpers';

const { registry } = generate();
/** A space with a limit of its own (45 min) beside the site default (MAX_INSIDE_MIN). */
const SHORT = 'kq-p2-s2';
registry.sites = registry.sites.map((x) => (x.id === SHORT ? { ...x, props: { ...x.props, maxInsideMin: 45 } } : x));
const MIN = 60_000;
let dataDir: string;
let svc: Service;
let device: MqttClient;
let last = 0;
const ts = () => (last = Math.max(Date.now(), last + 1));
/** An event stamped `agoMs` in the past (devices may send late), for time inside without waiting for it. */
const past = (agoMs: number) => Date.now() - agoMs;
const access = (spaceId: string, body: Record<string, unknown>) => publish(device, `citytwin/v1/confined/${spaceId}-access/event`, { ts: ts(), spaceId, ...body });

beforeAll(async () => {
  dataDir = tempDataDir();
  svc = await startWithRegistry(dataDir, registry, { MAX_INSIDE_MIN: '90' });
  device = await deviceClient(svc);
});

afterAll(async () => {
  device?.end(true);
  await svc?.close();
  removeDir(dataDir);
});

describe('a badge inside two spaces at once', () => {
  it('raises badge_twice with the person and both spaces named, and clears on the exit that settles it', async () => {
    const token = await login(svc, 'inspector');
    await access('kq-p1-s1', { type: 'entry', personId: 'W0611' });
    await access('kq-p2-s1', { type: 'entry', personId: 'W0611' });
    const a = await waitForAlarm(svc, token, 'kq-p1-s1-access', 'badge_twice', (x) => x.state === 'active_unack');
    expect(a).toMatchObject({ scene: 'confined', siteId: 'kq-p1-s1', severity: 'major', detail: { code: 'badge_twice', params: { personId: 'W0611', spaceIds: ['kq-p1-s1', 'kq-p2-s1'] } } });
    expect(a.messageZh).toMatch(/^王军的工牌同时在.+和.+内$/);
    expect(a.messageZh).not.toMatch(/kq-/);
    await access('kq-p2-s1', { type: 'exit', personId: 'W0611' });
    await waitForAlarm(svc, token, 'kq-p1-s1-access', 'badge_twice', (x) => x.id === a.id && x.state === 'cleared_unack');
  });
});

describe('time inside and its limit', () => {
  it('raises overstay per person past the space\'s limit (its own, else the site default), named, and clears on their exit', async () => {
    const token = await login(svc, 'inspector');
    // 50 min inside a 45-min space, 80 and 95 min inside a space under the 90-min default.
    await access(SHORT, { type: 'entry', personId: 'W0417', ts: past(50 * MIN) });
    await access('kq-p1-s3', { type: 'entry', personId: 'W0523', ts: past(80 * MIN) });
    await access('kq-p1-s3', { type: 'entry', personId: 'A0132', ts: past(95 * MIN) });
    const a = await waitForAlarm(svc, token, `${SHORT}-access`, 'overstay', (x) => x.state === 'active_unack');
    expect(a).toMatchObject({ scene: 'confined', siteId: SHORT, severity: 'major', threshold: 45, detail: { code: 'overstay', params: { personId: 'W0417', limitMin: 45 } } });
    expect(a.value).toBeGreaterThanOrEqual(50);
    expect(a.messageZh).toMatch(/^张伟已在内 5\d 分钟（限 45 分钟）$/);
    const b = await waitForAlarm(svc, token, 'kq-p1-s3-access', 'overstay', (x) => x.state === 'active_unack');
    expect(b.detail.params).toMatchObject({ personId: 'A0132', limitMin: 90 });
    // Only the one past the limit: 80 min of 90 is no alarm.
    const s3 = (await api(svc, '/api/alarms?scene=confined&state=open', { token })).body.filter((x: any) => x.rule === 'overstay' && x.siteId === 'kq-p1-s3');
    expect(s3).toHaveLength(1);
    // The space answers its limit, so the app can show who is close to it.
    expect((await api(svc, `/api/spaces/${SHORT}`, { token })).body).toMatchObject({ inside: ['W0417'], maxInsideMin: 45 });
    expect((await api(svc, '/api/spaces/kq-p1-s3', { token })).body.maxInsideMin).toBe(90);
    await access(SHORT, { type: 'exit', personId: 'W0417' });
    await waitForAlarm(svc, token, `${SHORT}-access`, 'overstay', (x) => x.id === a.id && x.state === 'cleared_unack');
  });
});

describe('badgesInTwoPlaces', () => {
  it.each([
    { what: 'nobody twice', spaces: { a: ['p1'], b: ['p2'] }, twice: {} },
    { what: 'p1 in a then b', spaces: { b: ['p1'], a: ['p1', 'p2'] }, twice: { p1: ['a', 'b'] } },
    { what: 'p1 in three spaces', spaces: { a: ['p1'], b: ['p1'], c: ['p1'] }, twice: { p1: ['a', 'b', 'c'] } },
  ])('$what', ({ spaces, twice }) => {
    // Entered in the order of the space ids, one second apart.
    const states = Object.entries(spaces).map(([id, inside]) => [id, { inside, enteredAt: Object.fromEntries(inside.map((p: string) => [p, id.charCodeAt(0) * 1000])) }] as [string, { inside: string[]; enteredAt: Record<string, number> }]);
    expect(Object.fromEntries(badgesInTwoPlaces(states))).toEqual(twice);
  });
});
