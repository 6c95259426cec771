/**
 * The broker's decisions as tables: who may publish and subscribe where, which client ids an
 * identity may take, which events fall outside a device's site, and how the packet guard reads
 * MQTT framing (remaining length in 1–4 bytes, split anywhere across chunks).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../src/contracts';
import { PacketGuard, UnauthenticatedLimiter } from '../../src/server/brokerLimits';
import { clientIdRefusal, decidePublish, decideSubscribe, eventScopeRefusal, type MqttIdentity } from '../../src/server/mqttAccess';
import { RegistryIndex } from '../../src/server/registry';

const registry = new RegistryIndex(JSON.parse(readFileSync('tests/integration/fixtures/registry.json', 'utf8')) as Registry);

const user: MqttIdentity = { kind: 'user', key: 'user:inspector', username: 'inspector', role: 'inspector', tokenHash: 'h' };
const gas: MqttIdentity = { kind: 'device', key: 'device:t-gas-lower', deviceId: 't-gas-lower', secretHash: 'x' };
const plantGw: MqttIdentity = { kind: 'gateway', key: 'gateway:gw', id: 'gw', siteIds: ['t-plant'], secretHash: 'x' };
const shared: MqttIdentity = { kind: 'gateway', key: 'gateway:device', id: 'device', siteIds: 'all', secretHash: null };

describe('decidePublish', () => {
  it.each<{ who: MqttIdentity; topic: string; retain?: boolean; ok: boolean; reason?: string | null }>([
    { who: gas, topic: 'citytwin/v1/confined/t-gas-lower/telemetry', ok: true },
    { who: gas, topic: 'citytwin/v1/confined/t-gas-lower/status', retain: true, ok: true },
    { who: gas, topic: 'citytwin/v1/confined/t-gas-lower/telemetry', retain: true, ok: false, reason: 'retained' },
    { who: gas, topic: 'citytwin/v1/confined/t-gas-lower/event', retain: true, ok: false, reason: 'retained' },
    { who: gas, topic: 'citytwin/v1/confined/t-gas-upper/telemetry', ok: false, reason: 'forbidden' },
    { who: gas, topic: 'citytwin/v1/park/t-gas-lower/telemetry', ok: false, reason: 'unknown_device' },
    { who: gas, topic: 'citytwin/v1/alarms/fake', ok: false, reason: 'bad_topic' },
    { who: plantGw, topic: 'citytwin/v1/confined/t-access/event', ok: true },
    { who: plantGw, topic: 'citytwin/v1/park/t-tank-1/telemetry', ok: false, reason: 'forbidden' },
    { who: shared, topic: 'citytwin/v1/roads/t-det-1/telemetry', ok: true },
    { who: shared, topic: 'citytwin/v1/live/roads', ok: false, reason: 'bad_topic' },
    { who: user, topic: 'citytwin/v1/confined/t-gas-lower/telemetry', ok: false, reason: null },
  ])('$who.key → $topic (retain $retain): $ok', ({ who, topic, retain, ok, reason }) => {
    const d = decidePublish(who, topic, retain ?? false, registry);
    expect(d.ok).toBe(ok);
    if (!d.ok) expect(d.reason).toBe(reason);
  });
});

describe('decideSubscribe', () => {
  it.each<{ who: MqttIdentity; filter: string; ok: boolean }>([
    { who: user, filter: 'citytwin/v1/live/confined', ok: true },
    { who: user, filter: 'citytwin/v1/alarms/#', ok: true },
    { who: user, filter: 'citytwin/v1/notify/+', ok: true },
    { who: user, filter: 'citytwin/v1/confined/+/telemetry', ok: false },
    { who: user, filter: '#', ok: false },
    { who: gas, filter: 'citytwin/v1/confined/t-gas-lower/status', ok: true },
    { who: gas, filter: 'citytwin/v1/confined/t-gas-lower/#', ok: true },
    { who: gas, filter: 'citytwin/v1/confined/t-gas-upper/status', ok: false },
    { who: gas, filter: 'citytwin/v1/confined/+/status', ok: false },
    { who: gas, filter: 'citytwin/v1/alarms/#', ok: false },
    { who: gas, filter: 'citytwin/v1/#', ok: false },
    { who: plantGw, filter: 'citytwin/v1/confined/t-gas-upper/+', ok: true },
    { who: plantGw, filter: 'citytwin/v1/park/t-tank-1/status', ok: false },
    { who: shared, filter: 'citytwin/v1/+/+/+', ok: true },
    { who: shared, filter: 'citytwin/v1/alarms/#', ok: false },
    { who: shared, filter: 'citytwin/v1/live/confined', ok: false },
  ])('$who.key subscribes to $filter: $ok', ({ who, filter, ok }) => {
    expect(decideSubscribe(who, filter, registry)).toBe(ok);
  });
});

describe('clientIdRefusal', () => {
  it.each<{ what: string; who: MqttIdentity; id: string; holder?: string; refused: boolean }>([
    { what: 'a free id', who: gas, id: 'pit-gas', refused: false },
    { what: 'its own id again (a reconnect)', who: gas, id: 'pit-gas', holder: 'device:t-gas-lower', refused: false },
    { what: "another identity's id", who: user, id: 'pit-gas', holder: 'device:t-gas-lower', refused: true },
    { what: 'a web- id, for a browser', who: user, id: 'web-abc', refused: false },
    { what: 'a web- id, for a device', who: gas, id: 'web-abc', refused: true },
    { what: 'a web- id, for the shared account', who: shared, id: 'web-abc', refused: true },
    { what: "mosquitto_pub's random id", who: shared, id: 'mosq-Xy12ab', refused: false },
  ])('$what: refused $refused', ({ who, id, holder, refused }) => {
    expect(clientIdRefusal(who, id, holder) !== null).toBe(refused);
  });
});

describe('eventScopeRefusal', () => {
  const access = registry.devices.get('t-access')!;
  it.each([
    { what: 'its own space', spaceId: 't-pit', refused: false },
    { what: 'no spaceId', spaceId: undefined, refused: false },
    { what: 'another site', spaceId: 't-tank', refused: true },
    { what: 'an unknown space', spaceId: 'nowhere', refused: true },
  ])('an access terminal reporting for $what: refused $refused', ({ spaceId, refused }) => {
    expect(eventScopeRefusal(access, { type: 'entry', spaceId }, registry) !== null).toBe(refused);
  });
});

/** A fixed header: type byte and the remaining length in MQTT's variable-length encoding. */
function header(type: number, length: number): number[] {
  const out = [type << 4];
  let n = length;
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

describe('PacketGuard', () => {
  it.each([
    { what: 'a 0-length CONNECT', bytes: header(1, 0), ok: true },
    { what: 'a CONNECT of 127 bytes (1 length byte)', bytes: [...header(1, 127), ...new Array(127).fill(0)], ok: true },
    { what: 'a CONNECT of exactly the limit', bytes: header(1, 1000), ok: true },
    { what: 'a CONNECT of limit + 1', bytes: header(1, 1001), ok: false },
    { what: 'a 200 MB CONNECT (4 length bytes)', bytes: header(1, 200_000_000), ok: false },
    { what: 'a PUBLISH as the first packet', bytes: header(3, 10), ok: false },
    { what: 'a remaining length of 5 bytes', bytes: [0x10, 0xff, 0xff, 0xff, 0xff, 0x01], ok: false },
  ])('$what: accepted $ok', ({ bytes, ok }) => {
    expect(new PacketGuard(1000).feed(Uint8Array.from(bytes)) === null).toBe(ok);
  });

  it('follows packets split across chunks at every byte, and catches an oversized second packet', () => {
    const stream = Uint8Array.from([...header(1, 3), 1, 2, 3, ...header(3, 5), 1, 2, 3, 4, 5, ...header(3, 2000)]);
    for (let cut = 1; cut < stream.length; cut++) {
      const g = new PacketGuard(1000);
      const first = g.feed(stream.subarray(0, cut));
      const second = first ?? g.feed(stream.subarray(cut));
      expect(second, `cut at ${cut}`).toMatch(/over the limit/);
    }
  });
});

describe('UnauthenticatedLimiter', () => {
  it('admits up to the cap per address, and again after a release; other addresses count apart', () => {
    const lim = new UnauthenticatedLimiter(2);
    const a = {}, b = {}, c = {};
    expect(lim.admit(a, '10.0.0.1')).toBe(true);
    expect(lim.admit(b, '10.0.0.1')).toBe(true);
    expect(lim.admit(c, '10.0.0.1')).toBe(false);
    expect(lim.admit(c, '10.0.0.2')).toBe(true);
    lim.release(a);
    lim.release(a);
    expect(lim.count('10.0.0.1')).toBe(1);
    expect(lim.admit({}, '10.0.0.1')).toBe(true);
  });
});
