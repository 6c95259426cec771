/**
 * Plausibility and time bounds: every quantity has a physical range, a `ts` before 2000 or beyond
 * what a date holds is `bad_ts`, and one bad item never takes the good items of its batch with it.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_DATE_MS,
  MIN_TS_MS,
  QUANTITIES,
  QUANTITY_RANGES,
  REJECT_REASONS,
  checkTs,
  validateEvent,
  validateTelemetry,
  type Quantity,
} from '../../src/contracts';

const NOW = 1_764_300_000_000;

describe('physical ranges', () => {
  it('gives every quantity a range with min below max', () => {
    for (const q of Object.keys(QUANTITIES) as Quantity[]) {
      const [min, max] = QUANTITY_RANGES[q];
      expect(min, q).toBeLessThan(max);
    }
  });

  it.each([
    { q: 'o2_pct', min: 0, max: 100 },
    { q: 'h2s_ppm', min: 0, max: 10_000 },
    { q: 'speed_kmh', min: 0, max: 300 },
  ] as const)('holds the contract range of $q: $min–$max', ({ q, min, max }) => {
    expect(QUANTITY_RANGES[q]).toEqual([min, max]);
  });

  it.each<{ what: string; values: Record<string, number> }>([
    { what: 'H₂S of 1e308', values: { h2s_ppm: 1e308 } },
    { what: 'H₂S of 10,000.1 ppm', values: { h2s_ppm: 10_000.1 } },
    { what: 'a negative O₂', values: { o2_pct: -0.1 } },
    { what: 'O₂ over 100 %', values: { o2_pct: 100.5 } },
    { what: 'a speed of 301 km/h', values: { speed_kmh: 301 } },
    { what: 'a tank 5,000 °C hot', values: { temp_c: 5000 } },
    { what: 'a good O₂ beside an implausible H₂S', values: { o2_pct: 20.9, h2s_ppm: -5 } },
  ])('rejects $what as out_of_range', ({ values }) => {
    const r = validateTelemetry({ ts: NOW, values }, NOW);
    expect(r.accepted).toEqual([]);
    expect(r.rejects.map((x) => x.reason)).toEqual(['out_of_range']);
    expect(r.rejects[0].detail).not.toMatch(/Infinity/);
  });

  it.each<{ q: Quantity; v: number }>([
    { q: 'o2_pct', v: 0 },
    { q: 'o2_pct', v: 100 },
    { q: 'h2s_ppm', v: 10_000 },
    { q: 'pressure_kpa', v: -101.325 },
    { q: 'road_temp_c', v: -12 },
  ])('accepts $q = $v at or within its bounds', ({ q, v }) => {
    expect(validateTelemetry({ ts: NOW, values: { [q]: v } }, NOW).accepted).toHaveLength(1);
  });

  it('counts out_of_range and retained among the reasons', () => {
    expect(REJECT_REASONS).toContain('out_of_range');
    expect(REJECT_REASONS).toContain('retained');
  });

  it('rejects a gas test reading an implausible level, and an incident off the globe', () => {
    const gas = validateEvent(
      { ts: NOW, type: 'gas.test', spaceId: 's', levels: { upper: { o2_pct: 20.9 }, middle: { o2_pct: 20.9 }, lower: { h2s_ppm: 1e308 } } },
      NOW,
    );
    expect(gas).toMatchObject({ ok: false, reject: { reason: 'out_of_range' } });
    const incident = validateEvent(
      { ts: NOW, type: 'incident', incidentId: 'i', kind: 'crash', segmentId: 's', lonDeg: 1e308, latDeg: 29.8, state: 'open' },
      NOW,
    );
    expect(incident).toMatchObject({ ok: false, reject: { reason: 'out_of_range' } });
  });
});

describe('time bounds', () => {
  it.each([
    { what: 'ts 1e20 (past what a Date holds)', ts: 1e20 },
    { what: 'the largest double', ts: Number.MAX_VALUE },
    { what: 'one ms past the last Date', ts: MAX_DATE_MS + 1 },
    { what: '1999-12-31T23:59:59.999Z', ts: MIN_TS_MS - 1 },
    { what: 'epoch 1 (1970)', ts: 1 },
    { what: 'an ISO date in 1999', ts: '1999-06-01T00:00:00Z' },
  ])('rejects $what as bad_ts without throwing', ({ ts }) => {
    expect(() => checkTs(ts, NOW)).not.toThrow();
    expect(checkTs(ts, NOW)).toMatchObject({ ok: false, reject: { reason: 'bad_ts' } });
  });

  it('accepts 2000-01-01T00:00:00Z itself', () => {
    expect(checkTs(MIN_TS_MS, MIN_TS_MS)).toEqual({ ok: true, value: MIN_TS_MS });
  });

  it('keeps the valid items of a batch that holds ts 1e20, 1e308 values and a year-1970 ts', () => {
    const batch = [
      { ts: NOW - 2000, values: { h2s_ppm: 0.4 } },
      { ts: 1e20, values: { h2s_ppm: 0.5 } },
      { ts: NOW - 1000, values: { h2s_ppm: 1e308 } },
      { ts: 5, values: { h2s_ppm: 0.6 } },
      { ts: NOW, values: { o2_pct: 20.8 } },
    ];
    const r = validateTelemetry(batch, NOW);
    expect(r.accepted).toEqual([
      { ts: NOW - 2000, values: { h2s_ppm: 0.4 } },
      { ts: NOW, values: { o2_pct: 20.8 } },
    ]);
    expect(r.rejects.map((x) => x.reason)).toEqual(['bad_ts', 'out_of_range', 'bad_ts']);
  });
});
