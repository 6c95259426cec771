import { describe, expect, it } from 'vitest';
import type { Device, Quantity, Severity, Values } from '../../src/contracts';
import { quantityState } from '../../src/view';
import { DEADBAND, DEFAULT_LIMITS, deviceConditions, deviceSeverity, limitsFor, thresholdConditions, worstSeverity, type Condition } from '../../src/domain';

/** Table rows titled in full by their `what` (vitest cuts `$field` titles at 40 characters). */
const titled = <T extends { what: string }>(rows: T[]): [string, T][] => rows.map((r) => [r.what, r]);

const gasDetector: Pick<Device, 'kind' | 'limits'> = { kind: 'gas_detector' };

/** The one condition of a rule, or undefined. */
const find = (conds: Condition[], rule: string) => conds.find((c) => c.rule === rule);
const severityOf = (conds: Condition[], rule: string): Severity | null => find(conds, rule)?.severity ?? null;

/**
 * Confined-space atmosphere (GB 30871-2022 §6.4, GBZ 2.1-2019, GB/T 50493-2019):
 * both sides of every alarm boundary of the table, for a confined-space gas detector.
 */
describe('confined-space gas detector defaults', () => {
  it.each<{ q: Quantity; v: number; rule: string; severity: Severity | null }>([
    // O₂: level 1 < 19.5 or > 23.5 % vol, level 2 < 18 %.
    { q: 'o2_pct', v: 20.9, rule: 'o2_pct_low', severity: null },
    { q: 'o2_pct', v: 19.5, rule: 'o2_pct_low', severity: null },
    { q: 'o2_pct', v: 19.4, rule: 'o2_pct_low', severity: 'major' },
    { q: 'o2_pct', v: 18.1, rule: 'o2_pct_low', severity: 'major' },
    { q: 'o2_pct', v: 18, rule: 'o2_pct_low', severity: 'major' },
    { q: 'o2_pct', v: 17.9, rule: 'o2_pct_low', severity: 'critical' },
    { q: 'o2_pct', v: 10, rule: 'o2_pct_low', severity: 'critical' },
    { q: 'o2_pct', v: 23.5, rule: 'o2_pct_high', severity: null },
    { q: 'o2_pct', v: 23.6, rule: 'o2_pct_high', severity: 'major' },
    { q: 'o2_pct', v: 30, rule: 'o2_pct_high', severity: 'major' },
    // H₂S: level 1 ≥ 7 ppm, level 2 ≥ 14 ppm.
    { q: 'h2s_ppm', v: 0, rule: 'h2s_ppm_high', severity: null },
    { q: 'h2s_ppm', v: 6.9, rule: 'h2s_ppm_high', severity: null },
    { q: 'h2s_ppm', v: 7, rule: 'h2s_ppm_high', severity: 'major' },
    { q: 'h2s_ppm', v: 13.9, rule: 'h2s_ppm_high', severity: 'major' },
    { q: 'h2s_ppm', v: 14, rule: 'h2s_ppm_high', severity: 'critical' },
    // CO: level 1 ≥ 17 ppm, level 2 ≥ 35 ppm.
    { q: 'co_ppm', v: 16.9, rule: 'co_ppm_high', severity: null },
    { q: 'co_ppm', v: 17, rule: 'co_ppm_high', severity: 'major' },
    { q: 'co_ppm', v: 34.9, rule: 'co_ppm_high', severity: 'major' },
    { q: 'co_ppm', v: 35, rule: 'co_ppm_high', severity: 'critical' },
    // NH₃: level 1 ≥ 28 ppm, level 2 ≥ 57 ppm.
    { q: 'nh3_ppm', v: 27.9, rule: 'nh3_ppm_high', severity: null },
    { q: 'nh3_ppm', v: 28, rule: 'nh3_ppm_high', severity: 'major' },
    { q: 'nh3_ppm', v: 56.9, rule: 'nh3_ppm_high', severity: 'major' },
    { q: 'nh3_ppm', v: 57, rule: 'nh3_ppm_high', severity: 'critical' },
    // Combustible: level 1 ≥ 25 % LEL, level 2 ≥ 50 % LEL (10 % LEL is the entry limit, not an alarm).
    { q: 'lel_pct', v: 10, rule: 'lel_pct_high', severity: null },
    { q: 'lel_pct', v: 24.9, rule: 'lel_pct_high', severity: null },
    { q: 'lel_pct', v: 25, rule: 'lel_pct_high', severity: 'major' },
    { q: 'lel_pct', v: 49.9, rule: 'lel_pct_high', severity: 'major' },
    { q: 'lel_pct', v: 50, rule: 'lel_pct_high', severity: 'critical' },
  ])('$q at $v: $rule is $severity', ({ q, v, rule, severity }) => {
    const conds = deviceConditions(gasDetector, { [q]: v });
    expect(severityOf(conds, rule)).toBe(severity);
    // Nothing else fires for that one value.
    expect(conds.filter((c) => c.rule !== rule)).toEqual([]);
  });

  it.each([
    { what: 'H₂S at 7.4 ppm', values: { h2s_ppm: 7.4 }, rule: 'h2s_ppm_high', threshold: 7 },
    { what: 'H₂S at 20 ppm', values: { h2s_ppm: 20 }, rule: 'h2s_ppm_high', threshold: 14 },
    { what: 'O₂ at 19 %', values: { o2_pct: 19 }, rule: 'o2_pct_low', threshold: 19.5 },
    { what: 'O₂ at 16 %', values: { o2_pct: 16 }, rule: 'o2_pct_low', threshold: 18 },
  ])('$what reports its value and the threshold it crossed', ({ values, rule, threshold }) => {
    const c = find(deviceConditions(gasDetector, values), rule);
    expect(c).toMatchObject({ rule, value: Object.values(values)[0], threshold });
    expect(c?.message).toContain(rule.replace(/_(high|low)$/, ''));
  });

  it('gives each quantity its own condition when several are in alarm at once', () => {
    const conds = deviceConditions(gasDetector, { o2_pct: 17, h2s_ppm: 15, co_ppm: 20, nh3_ppm: 1, lel_pct: 0 });
    expect(conds.map((c) => [c.rule, c.severity]).sort()).toEqual([
      ['co_ppm_high', 'major'],
      ['h2s_ppm_high', 'critical'],
      ['o2_pct_low', 'critical'],
    ]);
  });

  it('raises nothing for clean air', () => {
    expect(deviceConditions(gasDetector, { o2_pct: 20.9, h2s_ppm: 0, co_ppm: 0, nh3_ppm: 0, lel_pct: 0 })).toEqual([]);
  });

  it('raises nothing for a quantity the kind has no limit for, or no values at all', () => {
    expect(deviceConditions(gasDetector, { temp_c: 90 })).toEqual([]);
    expect(deviceConditions(gasDetector, {})).toEqual([]);
    expect(deviceConditions({ kind: 'wind' }, { wind_speed_ms: 40 })).toEqual([]);
  });
});

describe('per-device limits override the defaults of the kind', () => {
  const tank: Pick<Device, 'kind' | 'limits'> = { kind: 'tank_sensor', limits: { level_pct: { high: 80, highHigh: 90 } } };
  const tankDefaults = DEFAULT_LIMITS.tank_sensor!;

  it.each<{ v: number; rule: string; severity: Severity | null }>([
    { v: 79.9, rule: 'level_pct_high', severity: null },
    { v: 80, rule: 'level_pct_high', severity: 'major' },
    { v: 89.9, rule: 'level_pct_high', severity: 'major' },
    { v: 90, rule: 'level_pct_high', severity: 'critical' },
  ])("a tank with its own high 80 / high-high 90: level $v % → $severity", ({ v, rule, severity }) => {
    expect(severityOf(deviceConditions(tank, { level_pct: v }), rule)).toBe(severity);
  });

  it('keeps the defaults of the parts it does not override (the low level, other quantities)', () => {
    const limits = limitsFor(tank);
    expect(limits.level_pct).toEqual({ ...tankDefaults.level_pct, high: 80, highHigh: 90 });
    expect(limits.temp_c).toEqual(tankDefaults.temp_c);
    expect(limits.pressure_kpa).toEqual(tankDefaults.pressure_kpa);
  });

  it('does not change the defaults other tanks use', () => {
    const before = structuredClone(DEFAULT_LIMITS);
    limitsFor(tank);
    expect(DEFAULT_LIMITS).toEqual(before);
    expect(limitsFor({ kind: 'tank_sensor' }).level_pct).toEqual(tankDefaults.level_pct);
  });

  it.each(titled<{ what: string; device: Pick<Device, 'kind' | 'limits'>; values: Values; rule: string; severity: Severity | null; threshold?: number }>([
    { what: 'a pit detector with its own H₂S high of 5 ppm alarms at 5', device: { kind: 'gas_detector', limits: { h2s_ppm: { high: 5 } } }, values: { h2s_ppm: 5 }, rule: 'h2s_ppm_high', severity: 'major', threshold: 5 },
    { what: 'a pit detector with its own H₂S high of 5 ppm does not alarm at 4.9', device: { kind: 'gas_detector', limits: { h2s_ppm: { high: 5 } } }, values: { h2s_ppm: 4.9 }, rule: 'h2s_ppm_high', severity: null },
    { what: 'a pit detector with its own H₂S high of 5 ppm keeps the default level 2 at 14 ppm', device: { kind: 'gas_detector', limits: { h2s_ppm: { high: 5 } } }, values: { h2s_ppm: 14 }, rule: 'h2s_ppm_high', severity: 'critical', threshold: 14 },
    { what: 'a kind without defaults alarms on its own limits', device: { kind: 'wind', limits: { wind_speed_ms: { highHigh: 20 } } }, values: { wind_speed_ms: 21 }, rule: 'wind_speed_ms_high', severity: 'critical', threshold: 20 },
    { what: 'a tank with its own low-low level alarms critical below it', device: { kind: 'tank_sensor', limits: { level_pct: { lowLow: 2 } } }, values: { level_pct: 1 }, rule: 'level_pct_low', severity: 'critical', threshold: 2 },
  ]))('%s', (_what, { device, values, rule, severity, threshold }) => {
    const c = find(deviceConditions(device, values), rule);
    expect(c?.severity ?? null).toBe(severity);
    if (threshold !== undefined) expect(c?.threshold).toBe(threshold);
  });
});

describe('deadband: an active alarm clears only past the deadband, so a wobbling value does not chatter', () => {
  const limits = limitsFor(gasDetector);
  const h2sBand = DEADBAND.h2s_ppm!;
  const o2Band = DEADBAND.o2_pct!;

  it('has a positive deadband for every confined-space gas', () => {
    for (const q of ['o2_pct', 'h2s_ppm', 'co_ppm', 'nh3_ppm', 'lel_pct'] as const) expect(DEADBAND[q]).toBeGreaterThan(0);
  });

  it.each(titled([
    { what: 'H₂S just under 7 ppm, inside the deadband, while the alarm is active: stays', v: 7 - h2sBand + 0.01, active: true, holds: true },
    { what: 'H₂S just under 7 ppm while no alarm is active: does not raise', v: 7 - h2sBand + 0.01, active: false, holds: false },
    { what: 'H₂S at 6.9 ppm while active: stays', v: 6.9, active: true, holds: true },
    { what: 'H₂S past the deadband while active: clears', v: 7 - h2sBand - 0.01, active: true, holds: false },
    { what: 'H₂S at 0 while active: clears', v: 0, active: true, holds: false },
  ]))('%s', (_what, { v, active, holds }) => {
    const conds = thresholdConditions({ h2s_ppm: v }, limits, new Set(active ? ['h2s_ppm_high'] : []));
    expect(find(conds, 'h2s_ppm_high') !== undefined).toBe(holds);
  });

  it.each(titled([
    { what: 'O₂ just above 19.5 %, inside the deadband, while the low alarm is active: stays', v: 19.5 + o2Band - 0.01, active: true, holds: true },
    { what: 'O₂ just above 19.5 % while no alarm is active: does not raise', v: 19.5 + o2Band - 0.01, active: false, holds: false },
    { what: 'O₂ past the deadband while active: clears', v: 19.5 + o2Band + 0.01, active: true, holds: false },
  ]))('%s', (_what, { v, active, holds }) => {
    const conds = thresholdConditions({ o2_pct: v }, limits, new Set(active ? ['o2_pct_low'] : []));
    expect(find(conds, 'o2_pct_low') !== undefined).toBe(holds);
  });

  it.each(titled([
    { what: 'O₂ just under 23.5 % while the high alarm is active: stays', v: 23.5 - o2Band + 0.01, active: true, holds: true },
    { what: 'O₂ exactly 23.5 % while no alarm is active: does not raise', v: 23.5, active: false, holds: false },
    { what: 'O₂ past the deadband under 23.5 % while active: clears', v: 23.5 - o2Band - 0.01, active: true, holds: false },
  ]))('%s', (_what, { v, active, holds }) => {
    const conds = thresholdConditions({ o2_pct: v }, limits, new Set(active ? ['o2_pct_high'] : []));
    expect(find(conds, 'o2_pct_high') !== undefined).toBe(holds);
  });

  it('severity follows the value: a critical H₂S alarm that drops to 13.9 ppm is major, not cleared', () => {
    const conds = thresholdConditions({ h2s_ppm: 13.9 }, limits, new Set(['h2s_ppm_high']));
    expect(severityOf(conds, 'h2s_ppm_high')).toBe('major');
  });

  it('the deadband keeps an active alarm at level 1, it does not hold level 2 (O₂ back at 18.1 % is major)', () => {
    const conds = thresholdConditions({ o2_pct: 18.1 }, limits, new Set(['o2_pct_low']));
    expect(severityOf(conds, 'o2_pct_low')).toBe('major');
  });

  it.each(titled<{ what: string; q: Quantity; rule: string; series: number[]; expected: boolean[] }>([
    {
      what: 'H₂S wobbling around 7 ppm raises once and stays until it falls past the deadband',
      q: 'h2s_ppm',
      rule: 'h2s_ppm_high',
      series: [6.8, 7.0, 6.9, 7.1, 6.8, 6.95, 7.05, 6.6, 5.0, 6.9, 7.0],
      expected: [false, true, true, true, true, true, true, true, false, false, true],
    },
    {
      what: 'O₂ wobbling around 19.5 % raises once and stays until it rises past the deadband',
      q: 'o2_pct',
      rule: 'o2_pct_low',
      series: [19.6, 19.4, 19.55, 19.45, 19.6, 19.9, 19.6, 19.4],
      expected: [false, true, true, true, true, false, false, true],
    },
  ]))('%s', (_what, { q, rule, series, expected }) => {
    // Feed each result back as the set of active rules, as the alarm engine does.
    let active = new Set<string>();
    const seen = series.map((v) => {
      const conds = thresholdConditions({ [q]: v }, limits, active);
      active = new Set(conds.map((c) => c.rule));
      return active.has(rule);
    });
    expect(seen).toEqual(expected);
    // Count raises (false → true edges): a chattering alarm would raise on every crossing.
    const raises = seen.filter((on, i) => on && !(seen[i - 1] ?? false)).length;
    expect(raises).toBe(2);
  });
});

/**
 * The browser colours by deviceSeverity (no condition objects): it must judge exactly as the worst
 * of deviceConditions, on both sides of every limit of every kind, with a device's own limits too.
 */
describe('deviceSeverity judges as the worst of deviceConditions', () => {
  const kinds = Object.keys(DEFAULT_LIMITS) as Device['kind'][];
  const devices: Pick<Device, 'kind' | 'limits'>[] = [
    ...kinds.map((kind) => ({ kind })),
    { kind: 'weather' },
    { kind: 'gas_detector', limits: { h2s_ppm: { high: 5 }, co_ppm: { highHigh: 50 } } },
  ];
  it.each(devices.map((d) => [d.limits ? `${d.kind} with own limits` : d.kind, d] as const))('%s', (_, device) => {
    const limits = limitsFor(device);
    let judged = 0;
    for (const [q, l] of Object.entries(limits) as [Quantity, NonNullable<(typeof limits)[Quantity]>][]) {
      for (const t of [l.lowLow, l.low, l.high, l.highHigh]) {
        if (t === undefined) continue;
        for (const v of [t - 0.01, t, t + 0.01]) {
          const values: Values = { [q]: v };
          const worst = deviceConditions(device, values).reduce<Severity | null>((w, c) => worstSeverity(w, c.severity), null);
          expect(deviceSeverity(device, values), `${q} = ${v}`).toBe(worst);
          // One cell of a panel (a space row's gas grid, the device card) is judged the same way.
          const one = thresholdConditions(values, { [q]: l }).reduce<Severity | null>((w, c) => worstSeverity(w, c.severity), null);
          expect(quantityState(q, v, l), `${q} = ${v}`).toBe(one ?? 'normal');
          judged++;
        }
      }
    }
    // Weather: fog and ice come from their own rules, not limits.
    for (const values of [{ visibility_m: 80 }, { visibility_m: 5000 }, { road_temp_c: -2, precip_mmh: 1 }, { road_temp_c: 5, precip_mmh: 0 }] as Values[]) {
      const worst = deviceConditions(device, values).reduce<Severity | null>((w, c) => worstSeverity(w, c.severity), null);
      expect(deviceSeverity(device, values)).toBe(worst);
    }
    if (device.kind !== 'weather') expect(judged).toBeGreaterThan(0);
  });
});
