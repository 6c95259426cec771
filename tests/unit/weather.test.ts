import { describe, expect, it } from 'vitest';
import type { Values } from '../../src/contracts';
import { DEADBAND, deviceConditions, fogBand, SEVERITY_RANK, weatherConditions } from '../../src/domain';

/** Table rows titled in full by their `what` (vitest cuts `$field` titles at 40 characters). */
const titled = <T extends { what: string }>(rows: T[]): [string, T][] => rows.map((r) => [r.what, r]);

/**
 * Fog (道路交通安全法实施条例 Art. 81): visibility < 200 m limits expressways to
 * 60 km/h, < 100 m to 40, < 50 m to 20 and exit. Ice: road surface below 0 °C with precipitation.
 */
describe('fogBand', () => {
  it.each<{ visibilityM: number; limitKmh: number | null; exit: boolean }>([
    { visibilityM: 5000, limitKmh: null, exit: false },
    { visibilityM: 200, limitKmh: null, exit: false },
    { visibilityM: 199.9, limitKmh: 60, exit: false },
    { visibilityM: 100, limitKmh: 60, exit: false },
    { visibilityM: 99.9, limitKmh: 40, exit: false },
    { visibilityM: 50, limitKmh: 40, exit: false },
    { visibilityM: 49.9, limitKmh: 20, exit: true },
    { visibilityM: 10, limitKmh: 20, exit: true },
  ])('visibility $visibilityM m: limit $limitKmh km/h, exit $exit', ({ visibilityM, limitKmh, exit }) => {
    const band = fogBand(visibilityM);
    if (limitKmh === null) {
      expect(band).toBeNull();
    } else {
      expect(band).toMatchObject({ limitKmh });
      expect(band!.exit).toBe(exit);
    }
  });

  it('is more severe the thicker the fog', () => {
    const rank = (m: number) => SEVERITY_RANK[fogBand(m)!.severity];
    expect(rank(49)).toBeLessThan(rank(99));
    expect(rank(99)).toBeLessThan(rank(199));
  });
});

describe('weatherConditions: fog', () => {
  it.each([
    { visibilityM: 200, fog: false, threshold: null },
    { visibilityM: 199, fog: true, threshold: 200 },
    { visibilityM: 99, fog: true, threshold: 100 },
    { visibilityM: 49, fog: true, threshold: 50 },
  ])('visibility $visibilityM m → fog $fog (below $threshold m)', ({ visibilityM, fog, threshold }) => {
    const c = weatherConditions({ visibility_m: visibilityM }).find((x) => x.rule === 'fog');
    expect(c !== undefined).toBe(fog);
    if (c) expect(c).toMatchObject({ value: visibilityM, threshold });
  });

  it.each([
    { what: '49 m', visibilityM: 49, text: '20 km/h', exit: true },
    { what: '99 m', visibilityM: 99, text: '40 km/h', exit: false },
    { what: '199 m', visibilityM: 199, text: '60 km/h', exit: false },
  ])('the message for $what names the speed limit and whether to exit', ({ visibilityM, text, exit }) => {
    const [c] = weatherConditions({ visibility_m: visibilityM });
    expect(c.message).toContain(text);
    expect(c.message.includes('exit')).toBe(exit);
  });

  const band = DEADBAND.visibility_m!;
  it.each(titled([
    { what: 'an active fog alarm with visibility back just over 200 m, inside the deadband, stays', visibilityM: 200 + band - 1, active: true, fog: true },
    { what: 'the same visibility without an active alarm raises nothing', visibilityM: 200 + band - 1, active: false, fog: false },
    { what: 'an active fog alarm with visibility past the deadband clears', visibilityM: 200 + band + 1, active: true, fog: false },
  ]))('%s', (_what, { visibilityM, active, fog }) => {
    const conds = weatherConditions({ visibility_m: visibilityM }, new Set(active ? ['fog'] : []));
    expect(conds.some((c) => c.rule === 'fog')).toBe(fog);
  });
});

describe('weatherConditions: ice (road surface below 0 °C with precipitation)', () => {
  it.each<{ what: string; values: Values; ice: boolean }>([
    { what: '-0.1 °C with 0.5 mm/h', values: { road_temp_c: -0.1, precip_mmh: 0.5 }, ice: true },
    { what: '-5 °C with 0.1 mm/h', values: { road_temp_c: -5, precip_mmh: 0.1 }, ice: true },
    { what: 'exactly 0 °C with precipitation', values: { road_temp_c: 0, precip_mmh: 2 }, ice: false },
    { what: '+3 °C with rain', values: { road_temp_c: 3, precip_mmh: 5 }, ice: false },
    { what: '-5 °C and dry', values: { road_temp_c: -5, precip_mmh: 0 }, ice: false },
    { what: '-5 °C with no precipitation reading', values: { road_temp_c: -5 }, ice: false },
    { what: 'precipitation with no road temperature', values: { precip_mmh: 2 }, ice: false },
  ])('$what: ice $ice', ({ values, ice }) => {
    expect(weatherConditions(values).some((c) => c.rule === 'ice')).toBe(ice);
  });

  it('reports the road temperature against the 0 °C threshold', () => {
    const c = weatherConditions({ road_temp_c: -1.5, precip_mmh: 0.4 }).find((x) => x.rule === 'ice');
    expect(c).toMatchObject({ value: -1.5, threshold: 0 });
  });

  const band = DEADBAND.road_temp_c!;
  it.each(titled<{ what: string; values: Values; active: boolean; ice: boolean }>([
    { what: 'an active ice alarm at 0 °C, inside the deadband, stays', values: { road_temp_c: 0, precip_mmh: 1 }, active: true, ice: true },
    { what: 'an active ice alarm just under +deadband stays', values: { road_temp_c: band - 0.1, precip_mmh: 1 }, active: true, ice: true },
    { what: 'an active ice alarm past the deadband clears', values: { road_temp_c: band + 0.1, precip_mmh: 1 }, active: true, ice: false },
    { what: 'an active ice alarm clears when the road dries', values: { road_temp_c: -2, precip_mmh: 0 }, active: true, ice: false },
  ]))('%s', (_what, { values, active, ice }) => {
    const conds = weatherConditions(values, new Set(active ? ['ice'] : []));
    expect(conds.some((c) => c.rule === 'ice')).toBe(ice);
  });

  it('reports fog and ice together when both hold', () => {
    const rules = weatherConditions({ visibility_m: 80, road_temp_c: -2, precip_mmh: 1 }).map((c) => c.rule);
    expect(rules.sort()).toEqual(['fog', 'ice']);
  });
});

describe('deviceConditions for road weather', () => {
  it('a weather station raises fog and ice', () => {
    const rules = deviceConditions({ kind: 'weather' }, { visibility_m: 40, road_temp_c: -1, precip_mmh: 1 }).map((c) => c.rule);
    expect(rules.sort()).toEqual(['fog', 'ice']);
  });

  it('a traffic detector that happens to report visibility does not raise fog', () => {
    expect(deviceConditions({ kind: 'traffic_detector' }, { visibility_m: 40, speed_kmh: 80 })).toEqual([]);
  });
});
