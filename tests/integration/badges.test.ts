/**
 * One badge inside two confined spaces at once is flagged (a lent badge or a missed exit makes the
 * rescue head count wrong), named from the roster, and clears with the exit that settles it. Real
 * service on the generated demo registry (two plants, their spaces and the badge roster).
 */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../scripts/gen-data';
import { badgesInTwoPlaces } from '../../src/domain';
import type { Service } from '../../src/server/app';
import { deviceClient, login, publish, removeDir, startWithRegistry, tempDataDir, waitForAlarm } from './helpers';

const { registry } = generate();
let dataDir: string;
let svc: Service;
let device: MqttClient;
let last = 0;
const ts = () => (last = Math.max(Date.now(), last + 1));
const access = (spaceId: string, body: Record<string, unknown>) => publish(device, `citytwin/v1/confined/${spaceId}-access/event`, { ts: ts(), spaceId, ...body });

beforeAll(async () => {
  dataDir = tempDataDir();
  svc = await startWithRegistry(dataDir, registry);
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
