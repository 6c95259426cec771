import { describe, expect, it } from 'vitest';
import type { Quantity } from '../../src/contracts';
import { RISK_LEVELS, concentrationRatio, effectiveRisk, limitBand, limitsFor, stationLevel, thresholdConditions } from '../../src/domain';
import { generate } from '../../scripts/gen-data';

const { registry } = generate();
const device = (id: string) => registry.devices.find((d) => d.id === id)!;

describe('tank limits of the demo methanol tank sy-tf1-t1 (per-tank limits over the defaults)', () => {
  const tank = device('sy-tf1-t1-sensor');
  const limits = limitsFor(tank);

  it('has its own limits: level 85 / 90 / low 10 %, pressure 4.5 / 6 kPa, temperature 35 / 45 °C', () => {
    expect(limits).toEqual({
      level_pct: { high: 85, highHigh: 90, low: 10 },
      pressure_kpa: { high: 4.5, highHigh: 6 },
      temp_c: { high: 35, highHigh: 45 },
    });
  });

  it.each([
    // quantity, value, alarm severity (thresholdConditions), band
    ['level_pct', 84.9, null, 'normal'],
    ['level_pct', 85, 'major', 'high'],
    ['level_pct', 89.9, 'major', 'high'],
    ['level_pct', 90, 'critical', 'highHigh'],
    ['level_pct', 10, null, 'normal'],
    ['level_pct', 9.9, 'major', 'low'],
    ['pressure_kpa', 4.4, null, 'normal'],
    ['pressure_kpa', 4.5, 'major', 'high'],
    ['pressure_kpa', 5.9, 'major', 'high'],
    ['pressure_kpa', 6, 'critical', 'highHigh'],
    ['temp_c', 34.9, null, 'normal'],
    ['temp_c', 35, 'major', 'high'],
    ['temp_c', 44.9, 'major', 'high'],
    ['temp_c', 45, 'critical', 'highHigh'],
  ] as const)('%s = %f → alarm %s, band %s', (q, value, severity, band) => {
    const conds = thresholdConditions({ [q]: value }, limits);
    expect(conds[0]?.severity ?? null).toBe(severity);
    expect(limitBand(value, limits[q as Quantity])).toBe(band);
  });

  it('a dichloromethane tank alarms earlier (boils at 39.6 °C): 28 / 33 °C', () => {
    expect(limitsFor(device('sy-tf1-t6-sensor')).temp_c).toEqual({ high: 28, highHigh: 33 });
  });

  it('a liquefied-gas sphere leaves room for expansion: level 80 / 85 %', () => {
    expect(limitsFor(device('sy-tf2-t1-sensor')).level_pct).toMatchObject({ high: 80, highHigh: 85 });
  });
});

describe('boundary stations: level 1 at 100 % of the exposure limit, level 2 at 200 %', () => {
  const limits = limitsFor(device('sy-bs1-gas'));

  it.each([
    // Cl₂ MAC 1 mg/m³ ≈ 0.34 ppm; level 2 at 0.69 ppm
    [{ cl2_ppm: 0.01 }, 'cl2_ppm', 0, 0.03],
    [{ cl2_ppm: 0.339 }, 'cl2_ppm', 0, 1],
    [{ cl2_ppm: 0.34 }, 'cl2_ppm', 1, 1],
    [{ cl2_ppm: 0.689 }, 'cl2_ppm', 1, 2.03],
    [{ cl2_ppm: 0.69 }, 'cl2_ppm', 2, 2.03],
    [{ cl2_ppm: 0.85 }, 'cl2_ppm', 2, 2.5],
    // NH₃ 28 / 57 ppm
    [{ nh3_ppm: 27.9 }, 'nh3_ppm', 0, 1],
    [{ nh3_ppm: 28 }, 'nh3_ppm', 1, 1],
    [{ nh3_ppm: 57 }, 'nh3_ppm', 2, 2.04],
    // the worst gas wins: level first, then ratio
    [{ cl2_ppm: 0.5, nh3_ppm: 60, h2s_ppm: 1 }, 'nh3_ppm', 2, 2.14],
    [{ cl2_ppm: 0.6, nh3_ppm: 30 }, 'cl2_ppm', 1, 1.76],
  ] as const)('%o → %s level %i, ratio ≈ %f', (values, quantity, level, ratio) => {
    const r = stationLevel(values, limits)!;
    expect(r).toMatchObject({ quantity, level });
    expect(r.ratio).toBeCloseTo(ratio, 2);
  });

  it('level 2 agrees with the critical alarm of the same reading', () => {
    for (const v of [0.3, 0.34, 0.5, 0.69, 1.2]) {
      const critical = thresholdConditions({ cl2_ppm: v }, limits).some((c) => c.severity === 'critical');
      expect(stationLevel({ cl2_ppm: v }, limits)!.level === 2).toBe(critical);
    }
  });

  it('ratio = value / level-1 limit; NaN without a limit', () => {
    expect(concentrationRatio(0.85, { high: 0.34, highHigh: 0.69 })).toBeCloseTo(2.5, 6);
    expect(concentrationRatio(100, { highHigh: 100 })).toBe(2);
    expect(concentrationRatio(1, undefined)).toBeNaN();
  });
});

describe('enterprise risk levels (重大 / 较大 / 一般 / 低)', () => {
  it('has the four levels of the map, most severe first', () => {
    expect(RISK_LEVELS).toEqual(['red', 'orange', 'yellow', 'blue']);
  });

  it.each([
    ['blue', null, 'blue'],
    ['blue', 'warning', 'blue'],
    ['blue', 'minor', 'yellow'],
    ['yellow', 'major', 'orange'],
    ['blue', 'critical', 'red'],
    ['red', 'minor', 'red'], // never lowered by an alarm
  ] as const)('assessed %s with worst open alarm %s → drawn %s', (assessed, worst, drawn) => {
    expect(effectiveRisk(assessed, worst)).toBe(drawn);
  });

  it('every demo enterprise has a risk level and people', () => {
    const ents = registry.sites.filter((s) => s.kind === 'enterprise');
    expect(ents).toHaveLength(14);
    for (const e of ents) {
      expect(RISK_LEVELS).toContain(e.props?.riskLevel);
      expect(e.props?.people).toBeGreaterThan(0);
    }
  });
});
