/**
 * Contract v1.1 payloads of the life-safety rules: `ventilation`, `attendant.on` / `attendant.off`,
 * `permit.open` with `validUntil` — and v1 payloads still accepted as they were.
 */
import { describe, expect, it } from 'vitest';
import { ALARM_RULES, CHAIN_STEPS, NOT_SHELVABLE, validateEvent } from '../../src/contracts';

const NOW = 1_764_300_000_000;
const titled = <T extends { what: string }>(rows: T[]): [string, T][] => rows.map((r) => [r.what, r]);

describe('v1.1 event payloads', () => {
  const EVENTS: Record<string, { valid: Record<string, unknown>; required: string[] }> = {
    ventilation: { valid: { spaceId: 'kq-p1-s1', state: 'on' }, required: ['spaceId', 'state'] },
    'attendant.on': { valid: { spaceId: 'kq-p1-s1', personId: 'A0132' }, required: ['spaceId', 'personId'] },
    'attendant.off': { valid: { spaceId: 'kq-p1-s1', personId: 'A0132' }, required: ['spaceId', 'personId'] },
    'permit.open': {
      valid: { permitId: 'P-1', spaceId: 'kq-p1-s1', workers: ['W1'], attendant: 'A0132', maxPersons: 1, validUntil: NOW + 8 * 3600_000 },
      required: ['permitId', 'spaceId', 'workers', 'attendant', 'maxPersons'],
    },
  };
  const types = Object.keys(EVENTS);

  it.each(types)('accepts a complete %s event as it is', (type) => {
    expect(validateEvent({ ts: NOW, type, ...EVENTS[type].valid }, NOW)).toEqual({ ok: true, value: { ts: NOW, type, ...EVENTS[type].valid } });
  });

  it.each(types.flatMap((type) => EVENTS[type].required.map((field) => ({ type, field }))))('rejects a $type event without $field', ({ type, field }) => {
    const event: Record<string, unknown> = { ts: NOW, type, ...EVENTS[type].valid };
    delete event[field];
    expect(validateEvent(event, NOW)).toMatchObject({ ok: false, reject: { reason: 'bad_schema' } });
  });

  it.each(titled([
    { what: 'ventilation in an unknown state', type: 'ventilation', patch: { state: 'half' } },
    { what: 'ventilation with a boolean state', type: 'ventilation', patch: { state: true } },
    { what: 'attendant.on with an empty person id', type: 'attendant.on', patch: { personId: '' } },
    { what: 'attendant.off with a numeric person id', type: 'attendant.off', patch: { personId: 7 } },
    { what: 'permit.open with validUntil as an ISO string', type: 'permit.open', patch: { validUntil: '2025-11-28T18:00:00+08:00' } },
    { what: 'permit.open with a fractional validUntil', type: 'permit.open', patch: { validUntil: 1.5 } },
    { what: 'permit.open with a negative validUntil', type: 'permit.open', patch: { validUntil: -1 } },
  ]))('rejects %s as bad_schema', (_what, { type, patch }) => {
    expect(validateEvent({ ts: NOW, type, ...EVENTS[type].valid, ...patch }, NOW)).toMatchObject({ ok: false, reject: { reason: 'bad_schema' } });
  });

  it('keeps accepting a v1 permit.open without validUntil', () => {
    const { validUntil: _v, ...v1 } = EVENTS['permit.open'].valid;
    expect(validateEvent({ ts: NOW, type: 'permit.open', ...v1 }, NOW).ok).toBe(true);
  });
});

describe('v1.1 names', () => {
  it('names the new rules, the shelving error and the chain steps', () => {
    expect(ALARM_RULES).toEqual(expect.arrayContaining(['evacuate', 'permit', 'attendant', 'o2_enrichment', 'geofence', 'fog', 'ice']));
    expect(NOT_SHELVABLE).toBe('not_shelvable');
    expect(CHAIN_STEPS).toEqual(['ventilate', 'test', 'permit', 'attendant', 'entry']);
  });
});
