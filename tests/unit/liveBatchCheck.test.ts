/**
 * The browser's live-batch check is hand-written for speed; it must accept and refuse exactly what
 * the contract's schema does, batch by batch.
 */
import { describe, expect, it } from 'vitest';
import { liveBatchSchema, validateLiveBatch } from '../../src/contracts';

const NOW = 1_764_300_000_000;
const good = { ts: NOW, readings: [['a', NOW, { h2s_ppm: 0.4, o2_pct: 20.9 }]], status: [['b', 'stale']] };

const cases: [string, unknown][] = [
  ['a good batch', good],
  ['an empty batch', { ts: NOW, readings: [], status: [] }],
  ['a reading with no values', { ...good, readings: [['a', NOW, {}]] }],
  ['an extra top-level key', { ...good, seq: 3 }],
  ['null', null],
  ['an array', [good]],
  ['a string', 'batch'],
  ['no ts', { readings: [], status: [] }],
  ['a string ts', { ...good, ts: '1764300000000' }],
  ['an infinite ts', { ...good, ts: Infinity }],
  ['a NaN ts', { ...good, ts: NaN }],
  ['readings not an array', { ...good, readings: {} }],
  ['no status', { ts: NOW, readings: [] }],
  ['a reading of two parts', { ...good, readings: [['a', NOW]] }],
  ['a reading of four parts', { ...good, readings: [['a', NOW, {}, 1]] }],
  ['a numeric device id', { ...good, readings: [[1, NOW, {}]] }],
  ['a reading ts that is a string', { ...good, readings: [['a', String(NOW), {}]] }],
  ['values that are an array', { ...good, readings: [['a', NOW, [1]]] }],
  ['values that are null', { ...good, readings: [['a', NOW, null]] }],
  ['a value that is a string', { ...good, readings: [['a', NOW, { h2s_ppm: '0.4' }]] }],
  ['a value that is null', { ...good, readings: [['a', NOW, { h2s_ppm: null }]] }],
  ['an infinite value', { ...good, readings: [['a', NOW, { h2s_ppm: -Infinity }]] }],
  ['a reading that is an object', { ...good, readings: [{ id: 'a', ts: NOW, values: {} }] }],
  ['an unknown status', { ...good, status: [['b', 'asleep']] }],
  ['a status of three parts', { ...good, status: [['b', 'stale', 1]] }],
  ['a status with a numeric id', { ...good, status: [[2, 'online']] }],
  ['a status that is a string', { ...good, status: ['b:stale'] }],
];

describe('validateLiveBatch against the contract schema', () => {
  it.each(cases)('agrees on %s', (_what, input) => {
    const schema = liveBatchSchema.safeParse(input);
    const mine = validateLiveBatch(input);
    expect(mine.ok).toBe(schema.success);
    if (mine.ok && schema.success) expect(mine.value).toEqual(schema.data);
    if (!mine.ok) expect(mine.reject.reason).toBe('bad_schema');
  });

  it('refuses every mistake in a long batch, not only in its first reading', () => {
    const readings = Array.from({ length: 1000 }, (_, i) => [`d${i}`, NOW, { h2s_ppm: i }]);
    expect(validateLiveBatch({ ts: NOW, readings, status: [] }).ok).toBe(true);
    readings[999] = ['d999', NOW, { h2s_ppm: 'high' } as never];
    expect(validateLiveBatch({ ts: NOW, readings, status: [] }).ok).toBe(false);
  });
});
