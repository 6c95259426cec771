import { describe, expect, it } from 'vitest';
import {
  checkTs,
  decodeJson,
  isOpen,
  isUnacked,
  parseAlarmRecord,
  REJECT_REASONS,
  roleOwnsScene,
  validateEvent,
  validateLiveBatch,
  validateStatus,
  validateTelemetry,
  type AlarmRecord,
  type AlarmState,
  type Reject,
  type RejectReason,
  type Role,
  type Scene,
} from '../../src/contracts';

/** Table rows titled in full by their `what` (vitest cuts `$field` titles at 40 characters). */
const titled = <T extends { what: string }>(rows: T[]): [string, T][] => rows.map((r) => [r.what, r]);

/** The example `ts` of the contract's telemetry payload, used as "now" throughout. */
const NOW = 1_764_300_000_000;
const MIN = 60_000;
/** The contract: "over 256 KiB" and "more than 5 minutes in the future". */
const KIB_256 = 256 * 1024;
const FIVE_MIN = 5 * MIN;

const utf8 = (s: string) => new TextEncoder().encode(s);
const reasons = (rejects: Reject[]): RejectReason[] => rejects.map((r) => r.reason);

/** A JSON document of exactly `bytes` UTF-8 bytes: an object whose `pad` string fills the rest. */
function jsonOfBytes(bytes: number): string {
  const head = `{"ts":${NOW},"values":{"h2s_ppm":0.4},"pad":"`;
  const tail = '"}';
  return head + 'x'.repeat(bytes - head.length - tail.length) + tail;
}

describe('REJECT_REASONS', () => {
  it.each(['too_large', 'not_json', 'missing_ts', 'future_ts', 'bad_value', 'unknown_quantity', 'unknown_device'])(
    'counts rejects of kind %s under their own reason',
    (reason) => {
      expect(REJECT_REASONS).toContain(reason);
    },
  );
});

describe('decodeJson', () => {
  it.each([
    ['exactly 256 KiB', KIB_256],
    ['one byte under 256 KiB', KIB_256 - 1],
  ])('decodes a binary payload of %s', (_what, bytes) => {
    const payload = utf8(jsonOfBytes(bytes));
    expect(payload.byteLength).toBe(bytes);
    expect(decodeJson(payload)).toMatchObject({ ok: true, value: { ts: NOW, values: { h2s_ppm: 0.4 } } });
  });

  it.each([
    ['one byte over 256 KiB', KIB_256 + 1],
    ['a megabyte', 1024 * 1024],
  ])('rejects a binary payload of %s as too_large', (_what, bytes) => {
    const payload = utf8(jsonOfBytes(bytes));
    expect(payload.byteLength).toBe(bytes);
    expect(decodeJson(payload)).toMatchObject({ ok: false, reject: { reason: 'too_large' } });
  });

  it('rejects a string payload over 256 KiB as too_large', () => {
    expect(decodeJson(jsonOfBytes(KIB_256 + 1))).toMatchObject({ ok: false, reject: { reason: 'too_large' } });
  });

  it('measures a string payload in UTF-8 bytes, as it travels: 140,000 × "é" is 280 KB and too_large', () => {
    // 'é' is one UTF-16 code unit but two UTF-8 bytes; the contract's limit is 256 KiB of payload.
    const text = `{"ts":${NOW},"values":{},"note":"${'é'.repeat(140_000)}"}`;
    expect(utf8(text).byteLength).toBeGreaterThan(KIB_256);
    expect(decodeJson(text)).toMatchObject({ ok: false, reject: { reason: 'too_large' } });
  });

  it.each([
    ['plain text', 'h2s high'],
    ['a truncated object', '{"ts":1764300000000,"values":{'],
    ['an empty payload', ''],
    ['NaN, which JSON has no word for', '{"values":{"h2s_ppm":NaN}}'],
    ['single quotes', "{'ts':1}"],
  ])('rejects %s as not_json', (_what, text) => {
    expect(decodeJson(text)).toMatchObject({ ok: false, reject: { reason: 'not_json' } });
    expect(decodeJson(utf8(text))).toMatchObject({ ok: false, reject: { reason: 'not_json' } });
  });

  it('decodes UTF-8 bytes and strings to the same value', () => {
    const text = '{"ts":1764300000000,"values":{"h2s_ppm":0.4},"note":"硫化氢"}';
    const expected = { ts: NOW, values: { h2s_ppm: 0.4 }, note: '硫化氢' };
    expect(decodeJson(text)).toEqual({ ok: true, value: expected });
    expect(decodeJson(utf8(text))).toEqual({ ok: true, value: expected });
  });
});

describe('checkTs', () => {
  it.each([
    { what: 'epoch ms now', ts: NOW, ms: NOW },
    { what: 'epoch ms a day ago', ts: NOW - 24 * 60 * MIN, ms: NOW - 24 * 60 * MIN },
    { what: 'epoch ms just under 5 min ahead', ts: NOW + FIVE_MIN - 1, ms: NOW + FIVE_MIN - 1 },
    { what: 'epoch ms exactly 5 min ahead', ts: NOW + FIVE_MIN, ms: NOW + FIVE_MIN },
    { what: 'ISO-8601 in UTC', ts: '2025-11-28T03:20:00Z', ms: Date.UTC(2025, 10, 28, 3, 20) },
    { what: 'ISO-8601 with milliseconds', ts: '2025-11-28T03:20:00.250Z', ms: Date.UTC(2025, 10, 28, 3, 20, 0, 250) },
    { what: 'ISO-8601 in China time (+08:00)', ts: '2025-11-28T11:20:00+08:00', ms: Date.UTC(2025, 10, 28, 3, 20) },
  ])('accepts $what', ({ ts, ms }) => {
    expect(checkTs(ts, NOW)).toEqual({ ok: true, value: ms });
  });

  it.each([
    { what: 'a ts 5 min + 1 ms in the future', ts: NOW + FIVE_MIN + 1, reason: 'future_ts' },
    { what: 'a ts an hour in the future', ts: NOW + 60 * MIN, reason: 'future_ts' },
    { what: 'an ISO-8601 ts 6 minutes in the future', ts: new Date(NOW + 6 * MIN).toISOString(), reason: 'future_ts' },
    { what: 'a missing ts', ts: undefined, reason: 'missing_ts' },
    { what: 'a null ts', ts: null, reason: 'missing_ts' },
    { what: 'a ts that is a word', ts: 'yesterday', reason: 'bad_ts' },
    { what: 'epoch ms written as a string', ts: '1764300000000', reason: 'bad_ts' },
    { what: 'an ISO-8601 ts with month 13', ts: '2025-13-01T00:00:00Z', reason: 'bad_ts' },
    { what: 'a negative epoch', ts: -1, reason: 'bad_ts' },
    { what: 'epoch 0', ts: 0, reason: 'bad_ts' },
    { what: 'NaN', ts: Number.NaN, reason: 'bad_ts' },
    { what: 'Infinity', ts: Number.POSITIVE_INFINITY, reason: 'bad_ts' },
    { what: 'a boolean', ts: true, reason: 'bad_ts' },
    { what: 'an object', ts: { ms: NOW }, reason: 'bad_ts' },
  ])('rejects $what as $reason', ({ ts, reason }) => {
    expect(checkTs(ts, NOW)).toMatchObject({ ok: false, reject: { reason } });
  });
});

describe('validateTelemetry', () => {
  const good = { ts: NOW, values: { h2s_ppm: 0.4, o2_pct: 20.9 } };

  it("accepts the contract's example payload", () => {
    expect(validateTelemetry(good, NOW)).toEqual({ accepted: [{ ts: NOW, values: { h2s_ppm: 0.4, o2_pct: 20.9 } }], rejects: [] });
  });

  it('accepts an ISO-8601 ts and normalises it to epoch ms', () => {
    const r = validateTelemetry({ ts: '2025-11-28T03:20:00Z', values: { co_ppm: 2 } }, NOW);
    expect(r.rejects).toEqual([]);
    expect(r.accepted).toEqual([{ ts: Date.UTC(2025, 10, 28, 3, 20), values: { co_ppm: 2 } }]);
  });

  it.each([
    ['a ts just under 5 minutes in the future', NOW + FIVE_MIN - 1],
    ['a ts exactly 5 minutes in the future', NOW + FIVE_MIN],
  ])('accepts %s', (_what, ts) => {
    expect(validateTelemetry({ ts, values: { h2s_ppm: 1 } }, NOW)).toEqual({ accepted: [{ ts, values: { h2s_ppm: 1 } }], rejects: [] });
  });

  it.each([
    ['a ts 1 ms more than 5 minutes in the future', NOW + FIVE_MIN + 1, 'future_ts'],
    ['a ts that is not a time', 'soon', 'bad_ts'],
  ])('rejects %s as %s', (_what, ts, reason) => {
    const r = validateTelemetry({ ts, values: { h2s_ppm: 1 } }, NOW);
    expect(r.accepted).toEqual([]);
    expect(reasons(r.rejects)).toEqual([reason]);
  });

  it.each<{ what: string; item: unknown; reason: RejectReason }>([
    { what: 'without ts', item: { values: { h2s_ppm: 1 } }, reason: 'missing_ts' },
    { what: 'with a NaN value', item: { ts: NOW, values: { h2s_ppm: Number.NaN } }, reason: 'bad_value' },
    { what: 'with an Infinity value', item: { ts: NOW, values: { h2s_ppm: Number.POSITIVE_INFINITY } }, reason: 'bad_value' },
    { what: 'with a -Infinity value', item: { ts: NOW, values: { o2_pct: Number.NEGATIVE_INFINITY } }, reason: 'bad_value' },
    { what: 'with a numeric string value', item: { ts: NOW, values: { h2s_ppm: '0.4' } }, reason: 'bad_value' },
    { what: 'with a null value', item: { ts: NOW, values: { h2s_ppm: null } }, reason: 'bad_value' },
    { what: 'with a boolean value', item: { ts: NOW, values: { h2s_ppm: true } }, reason: 'bad_value' },
    { what: 'with one good and one bad value', item: { ts: NOW, values: { o2_pct: 20.9, h2s_ppm: 'high' } }, reason: 'bad_value' },
    { what: 'with a quantity without its unit', item: { ts: NOW, values: { h2s: 1 } }, reason: 'unknown_quantity' },
    { what: 'with a quantity in the wrong case', item: { ts: NOW, values: { H2S_ppm: 1 } }, reason: 'unknown_quantity' },
    { what: 'with a made-up quantity', item: { ts: NOW, values: { radon_bq: 1 } }, reason: 'unknown_quantity' },
    { what: 'with "constructor" as a quantity', item: { ts: NOW, values: { constructor: 1 } }, reason: 'unknown_quantity' },
    { what: 'without values', item: { ts: NOW }, reason: 'bad_schema' },
    { what: 'with empty values', item: { ts: NOW, values: {} }, reason: 'bad_schema' },
    { what: 'with values as an array', item: { ts: NOW, values: [0.4] }, reason: 'bad_schema' },
    { what: 'with values as a number', item: { ts: NOW, values: 0.4 }, reason: 'bad_schema' },
    { what: 'that is a number', item: 42, reason: 'bad_schema' },
    { what: 'that is a string', item: 'h2s_ppm=0.4', reason: 'bad_schema' },
    { what: 'that is null', item: null, reason: 'bad_schema' },
    { what: 'with a fractional seq', item: { ts: NOW, seq: 1.5, values: { h2s_ppm: 1 } }, reason: 'bad_schema' },
    { what: 'with seq as a string', item: { ts: NOW, seq: '7', values: { h2s_ppm: 1 } }, reason: 'bad_schema' },
  ])('rejects a message $what as $reason and accepts nothing from it', ({ item, reason }) => {
    const r = validateTelemetry(item, NOW);
    expect(r.accepted).toEqual([]);
    expect(reasons(r.rejects)).toEqual([reason]);
  });

  // JSON.parse makes "__proto__" an ordinary own key; it is a quantity name like any unknown one.
  it.each([
    { what: 'alone', json: `{"ts":${NOW},"values":{"__proto__":1}}` },
    { what: 'beside a good h2s_ppm', json: `{"ts":${NOW},"values":{"__proto__":1,"h2s_ppm":0.4}}` },
  ])('rejects a message with the quantity "__proto__" $what as unknown_quantity', ({ json }) => {
    const r = validateTelemetry(JSON.parse(json), NOW);
    expect(r.accepted).toEqual([]);
    expect(reasons(r.rejects)).toEqual(['unknown_quantity']);
  });

  it.each(titled([
    { what: 'keeps an integer seq', seq: 7, expected: 7 },
    { what: 'keeps seq 0', seq: 0, expected: 0 },
    { what: 'leaves seq out when the device sends none', seq: undefined, expected: undefined },
  ]))('%s', (_what, { seq, expected }) => {
    const item = seq === undefined ? { ts: NOW, values: { h2s_ppm: 1 } } : { ts: NOW, seq, values: { h2s_ppm: 1 } };
    const [t] = validateTelemetry(item, NOW).accepted;
    expect(t.seq).toBe(expected);
    expect('seq' in t).toBe(expected !== undefined);
  });

  it('with the quantities a device reports, accepts those', () => {
    const r = validateTelemetry({ ts: NOW, values: { o2_pct: 20.9 } }, NOW, ['o2_pct', 'lel_pct']);
    expect(r).toEqual({ accepted: [{ ts: NOW, values: { o2_pct: 20.9 } }], rejects: [] });
  });

  it('with the quantities a device reports, rejects a contract quantity it does not report as unknown_quantity', () => {
    const r = validateTelemetry({ ts: NOW, values: { h2s_ppm: 1 } }, NOW, ['o2_pct', 'lel_pct']);
    expect(r.accepted).toEqual([]);
    expect(reasons(r.rejects)).toEqual(['unknown_quantity']);
  });

  it('keeps the good items of a batch with good and bad ones, and counts each bad one by reason', () => {
    const batch = [
      { ts: NOW - 2000, seq: 1, values: { h2s_ppm: 0.4 } },
      { ts: NOW - 1000, values: { h2s_ppm: Number.NaN } },
      { values: { h2s_ppm: 0.5 } },
      { ts: '2025-11-28T03:19:59Z', seq: 3, values: { o2_pct: 20.8 } },
      { ts: NOW + 10 * MIN, values: { h2s_ppm: 0.6 } },
      { ts: NOW, values: { h2s: 0.6 } },
      'junk',
    ];
    const r = validateTelemetry(batch, NOW);
    expect(r.accepted).toEqual([
      { ts: NOW - 2000, seq: 1, values: { h2s_ppm: 0.4 } },
      { ts: Date.UTC(2025, 10, 28, 3, 19, 59), seq: 3, values: { o2_pct: 20.8 } },
    ]);
    expect(reasons(r.rejects)).toEqual(['bad_value', 'missing_ts', 'future_ts', 'unknown_quantity', 'bad_schema']);
  });

  it('accepts a whole batch of good items in order', () => {
    const batch = [1, 2, 3].map((i) => ({ ts: NOW - (3 - i) * 1000, seq: i, values: { co_ppm: i } }));
    const r = validateTelemetry(batch, NOW);
    expect(r.rejects).toEqual([]);
    expect(r.accepted.map((t) => t.seq)).toEqual([1, 2, 3]);
  });

  it('rejects an empty batch as bad_schema', () => {
    expect(validateTelemetry([], NOW)).toEqual({ accepted: [], rejects: [expect.objectContaining({ reason: 'bad_schema' })] });
  });
});

describe('validateEvent', () => {
  /** One valid example of each event type of docs/contract.md "Events", with its required fields. */
  const EVENTS: Record<string, { valid: Record<string, unknown>; required: string[] }> = {
    'permit.open': {
      valid: { permitId: 'KQ-P-001', spaceId: 'kq-p1-pit1', workers: ['W-17', 'W-18'], attendant: 'A-03', maxPersons: 2 },
      required: ['permitId', 'spaceId', 'workers', 'attendant', 'maxPersons'],
    },
    'permit.close': { valid: { permitId: 'KQ-P-001' }, required: ['permitId'] },
    'gas.test': {
      valid: {
        spaceId: 'kq-p1-pit1',
        levels: {
          upper: { o2_pct: 20.9, h2s_ppm: 0 },
          middle: { o2_pct: 20.8, h2s_ppm: 0.5 },
          lower: { o2_pct: 20.6, h2s_ppm: 2.1 },
        },
      },
      required: ['spaceId', 'levels'],
    },
    entry: { valid: { spaceId: 'kq-p1-pit1', personId: 'W-17' }, required: ['spaceId', 'personId'] },
    exit: { valid: { spaceId: 'kq-p1-pit1', personId: 'W-17' }, required: ['spaceId', 'personId'] },
    incident: {
      valid: { incidentId: 'INC-9', kind: 'crash', segmentId: 'g60-s12', lonDeg: 120.2, latDeg: 29.8, state: 'open' },
      required: ['incidentId', 'kind', 'segmentId', 'lonDeg', 'latDeg', 'state'],
    },
  };
  const types = Object.keys(EVENTS);
  const missing = types.flatMap((type) => EVENTS[type].required.map((field) => ({ type, field })));

  it.each(types)('accepts a complete %s event', (type) => {
    const r = validateEvent({ ts: NOW, type, ...EVENTS[type].valid }, NOW);
    expect(r).toEqual({ ok: true, value: { ts: NOW, type, ...EVENTS[type].valid } });
  });

  it.each(missing)('rejects a $type event without $field as bad_schema', ({ type, field }) => {
    const event: Record<string, unknown> = { ts: NOW, type, ...EVENTS[type].valid };
    delete event[field];
    expect(validateEvent(event, NOW)).toMatchObject({ ok: false, reject: { reason: 'bad_schema' } });
  });

  it.each(titled([
    { what: 'permit.open with 0 persons allowed', type: 'permit.open', patch: { maxPersons: 0 } },
    { what: 'permit.open with a fractional head count', type: 'permit.open', patch: { maxPersons: 1.5 } },
    { what: 'permit.open with workers as one string', type: 'permit.open', patch: { workers: 'W-17' } },
    { what: 'permit.open with an empty attendant id', type: 'permit.open', patch: { attendant: '' } },
    { what: 'gas.test without the lower level', type: 'gas.test', patch: { levels: { upper: { o2_pct: 20.9 }, middle: { o2_pct: 20.9 } } } },
    {
      what: 'gas.test with a reading that is a string',
      type: 'gas.test',
      patch: { levels: { upper: { o2_pct: '20.9' }, middle: { o2_pct: 20.9 }, lower: { o2_pct: 20.9 } } },
    },
    { what: 'incident of an unknown kind', type: 'incident', patch: { kind: 'flood' } },
    { what: 'incident in an unknown state', type: 'incident', patch: { state: 'closed' } },
    { what: 'incident with a longitude as a string', type: 'incident', patch: { lonDeg: '120.2' } },
    { what: 'entry with a numeric person id', type: 'entry', patch: { personId: 17 } },
  ]))('rejects %s as bad_schema', (_what, { type, patch }) => {
    const r = validateEvent({ ts: NOW, type, ...EVENTS[type].valid, ...patch }, NOW);
    expect(r).toMatchObject({ ok: false, reject: { reason: 'bad_schema' } });
  });

  it.each(['crash', 'roadworks', 'closure'])('accepts an incident of kind %s', (kind) => {
    expect(validateEvent({ ts: NOW, type: 'incident', ...EVENTS.incident.valid, kind }, NOW).ok).toBe(true);
  });

  it.each(['open', 'cleared'])('accepts an incident in state %s', (state) => {
    expect(validateEvent({ ts: NOW, type: 'incident', ...EVENTS.incident.valid, state }, NOW).ok).toBe(true);
  });

  it('accepts an event type it does not know as a generic event with its fields', () => {
    const r = validateEvent({ ts: NOW, type: 'door.open', doorId: 'N-2', by: 'W-17' }, NOW);
    expect(r).toEqual({ ok: true, value: { ts: NOW, type: 'door.open', doorId: 'N-2', by: 'W-17' } });
  });

  it('normalises an ISO-8601 event ts to epoch ms', () => {
    const r = validateEvent({ ts: '2025-11-28T11:20:00+08:00', type: 'permit.close', permitId: 'P' }, NOW);
    expect(r).toEqual({ ok: true, value: { ts: Date.UTC(2025, 10, 28, 3, 20), type: 'permit.close', permitId: 'P' } });
  });

  it.each([
    { what: 'an event without ts', event: { type: 'entry', ...EVENTS.entry.valid }, reason: 'missing_ts' },
    { what: 'an event 6 minutes in the future', event: { ts: NOW + 6 * MIN, type: 'exit', ...EVENTS.exit.valid }, reason: 'future_ts' },
    { what: 'an event with a ts that is not a time', event: { ts: 'noon', type: 'exit', ...EVENTS.exit.valid }, reason: 'bad_ts' },
    { what: 'an event without type', event: { ts: NOW, ...EVENTS.entry.valid }, reason: 'bad_schema' },
    { what: 'an event with an empty type', event: { ts: NOW, type: '' }, reason: 'bad_schema' },
    { what: 'an event with a numeric type', event: { ts: NOW, type: 3 }, reason: 'bad_schema' },
    { what: 'an event with a 65-character type', event: { ts: NOW, type: 'x'.repeat(65) }, reason: 'bad_schema' },
    { what: 'an array', event: [{ ts: NOW, type: 'entry', ...EVENTS.entry.valid }], reason: 'bad_schema' },
    { what: 'null', event: null, reason: 'bad_schema' },
    { what: 'a string', event: 'entry', reason: 'bad_schema' },
  ])('rejects $what as $reason', ({ event, reason }) => {
    expect(validateEvent(event, NOW)).toMatchObject({ ok: false, reject: { reason } });
  });
});

describe('validateStatus', () => {
  it.each([
    { what: 'online with epoch ms', status: { online: true, ts: NOW }, expected: { online: true, ts: NOW } },
    { what: 'offline (a Last Will) with ISO-8601', status: { online: false, ts: '2025-11-28T03:20:00Z' }, expected: { online: false, ts: Date.UTC(2025, 10, 28, 3, 20) } },
  ])('accepts $what', ({ status, expected }) => {
    expect(validateStatus(status, NOW)).toEqual({ ok: true, value: expected });
  });

  it.each([
    { what: 'online as a string', status: { online: 'yes', ts: NOW }, reason: 'bad_schema' },
    { what: 'online as 1', status: { online: 1, ts: NOW }, reason: 'bad_schema' },
    { what: 'no online', status: { ts: NOW }, reason: 'bad_schema' },
    { what: 'no ts', status: { online: true }, reason: 'missing_ts' },
    { what: 'a ts 6 minutes ahead', status: { online: true, ts: NOW + 6 * MIN }, reason: 'future_ts' },
    { what: 'a ts that is not a time', status: { online: true, ts: 'now' }, reason: 'bad_ts' },
  ])('rejects a status with $what as $reason', ({ status, reason }) => {
    expect(validateStatus(status, NOW)).toMatchObject({ ok: false, reject: { reason } });
  });
});

describe('validateLiveBatch', () => {
  const batch = {
    ts: NOW,
    readings: [
      ['kq-gd-1', NOW - 100, { h2s_ppm: 0.4 }],
      ['kq-gd-2', NOW - 50, { o2_pct: 20.9, lel_pct: 0 }],
    ],
    status: [
      ['kq-gd-3', 'stale'],
      ['kq-gd-4', 'online'],
      ['kq-gd-5', 'offline'],
    ],
  };

  it('accepts a batch of readings and each device status', () => {
    expect(validateLiveBatch(batch)).toEqual({ ok: true, value: batch });
  });

  it('accepts an empty batch (nothing changed)', () => {
    expect(validateLiveBatch({ ts: NOW, readings: [], status: [] }).ok).toBe(true);
  });

  it.each(titled([
    { what: 'a status that is not stale/online/offline', patch: { status: [['kq-gd-3', 'unknown']] } },
    { what: 'a reading value that is a string', patch: { readings: [['kq-gd-1', NOW, { h2s_ppm: '0.4' }]] } },
    { what: 'a reading without its ts', patch: { readings: [['kq-gd-1', { h2s_ppm: 0.4 }]] } },
    { what: 'no readings', patch: { readings: undefined } },
    { what: 'an ISO ts (the service always sends epoch ms)', patch: { ts: '2025-11-28T03:20:00Z' } },
  ]))('rejects a batch with %s as bad_schema', (_what, { patch }) => {
    expect(validateLiveBatch({ ...batch, ...patch })).toMatchObject({ ok: false, reject: { reason: 'bad_schema' } });
  });
});

describe('alarm record', () => {
  /** The contract's example record. */
  const example: AlarmRecord = {
    id: 'kq-gd-1-h2s_ppm_high-1',
    scene: 'confined',
    siteId: 'kq-p1-pit1',
    deviceId: 'kq-gd-1',
    rule: 'h2s_ppm_high',
    severity: 'critical',
    state: 'active_unack',
    message: 'h2s_ppm 12.3 ≥ 7.2',
    value: 12.3,
    threshold: 7.2,
    raisedAt: NOW,
    updatedAt: NOW + 5000,
    clearedAt: null,
    ackedAt: null,
    ackedBy: null,
  };

  it("parses the contract's example record", () => {
    expect(parseAlarmRecord(example)).toEqual(example);
  });

  it('parses a shelved record with its shelve fields', () => {
    const shelved = { ...example, state: 'shelved', shelvedUntil: NOW + 30 * MIN, shelveReason: 'sensor maintenance', active: true };
    expect(parseAlarmRecord(shelved)).toEqual(shelved);
  });

  it.each([
    { what: 'an unknown state', patch: { state: 'acknowledged' } },
    { what: 'an unknown severity', patch: { severity: 'high' } },
    { what: 'an unknown scene', patch: { scene: 'city' } },
    { what: 'an empty id', patch: { id: '' } },
    { what: 'raisedAt as a string', patch: { raisedAt: '2025-11-28T03:20:00Z' } },
    { what: 'value as a string', patch: { value: '12.3' } },
  ])('returns null for a record with $what', ({ patch }) => {
    expect(parseAlarmRecord({ ...example, ...patch })).toBeNull();
  });

  it.each(['id', 'scene', 'rule', 'severity', 'state', 'raisedAt', 'clearedAt', 'ackedBy'])(
    'returns null for a record without %s',
    (field) => {
      const record: Record<string, unknown> = { ...example };
      delete record[field];
      expect(parseAlarmRecord(record)).toBeNull();
    },
  );

  it.each([null, 'alarm', [], 42])('returns null for %j', (json) => {
    expect(parseAlarmRecord(json)).toBeNull();
  });

  it.each<{ state: AlarmState; open: boolean; unacked: boolean }>([
    { state: 'active_unack', open: true, unacked: true },
    { state: 'active_ack', open: true, unacked: false },
    { state: 'cleared_unack', open: true, unacked: true },
    { state: 'shelved', open: true, unacked: false },
    { state: 'closed', open: false, unacked: false },
  ])('an alarm in $state is open: $open, needs an ack: $unacked', ({ state, open, unacked }) => {
    expect(isOpen({ state })).toBe(open);
    expect(isUnacked({ state })).toBe(unacked);
  });
});

describe('roleOwnsScene', () => {
  const table: { role: Role; scene: Scene; owns: boolean }[] = [
    { role: 'inspector', scene: 'confined', owns: true },
    { role: 'inspector', scene: 'park', owns: false },
    { role: 'inspector', scene: 'roads', owns: false },
    { role: 'park_manager', scene: 'confined', owns: false },
    { role: 'park_manager', scene: 'park', owns: true },
    { role: 'park_manager', scene: 'roads', owns: false },
    { role: 'traffic', scene: 'confined', owns: false },
    { role: 'traffic', scene: 'park', owns: false },
    { role: 'traffic', scene: 'roads', owns: true },
    { role: 'admin', scene: 'confined', owns: true },
    { role: 'admin', scene: 'park', owns: true },
    { role: 'admin', scene: 'roads', owns: true },
  ];

  it.each(table)('$role owns $scene: $owns', ({ role, scene, owns }) => {
    expect(roleOwnsScene(role, scene)).toBe(owns);
  });
});
