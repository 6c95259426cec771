/** The view layer: one palette, and the ranking rules the globe, the network panel and the panels share. */
import { describe, expect, it } from 'vitest';
import { RISK_LEVEL_HEX, type Device, type DeviceLive, type ParkSummary, type SegmentView, type SpaceSummary } from '../../src/contracts';
import {
  HEALTH_CSS,
  LEVEL_CSS,
  SEVERITY_CSS,
  compareEnterprises,
  compareWorst,
  deviceHealth,
  indexLevel,
  plantRisk,
  segmentCss,
  spaceStatusCss,
  spaceViewModel,
  themeVariables,
  worstHealth,
} from '../../src/view';

const NOW = 1_764_300_000_000;
const titled = <T extends { what: string }>(rows: T[]): [string, T][] => rows.map((r) => [r.what, r]);

describe('palette', () => {
  it('draws severities, congestion and the stylesheets in the contract’s four colours', () => {
    expect(SEVERITY_CSS).toEqual({ critical: RISK_LEVEL_HEX.red, major: RISK_LEVEL_HEX.orange, minor: RISK_LEVEL_HEX.yellow, warning: RISK_LEVEL_HEX.blue });
    expect([LEVEL_CSS[5], LEVEL_CSS[4], LEVEL_CSS[3]]).toEqual([SEVERITY_CSS.critical, SEVERITY_CSS.major, SEVERITY_CSS.minor]);
    const vars = themeVariables();
    expect([vars['--critical'], vars['--major'], vars['--minor'], vars['--warning']]).toEqual(Object.values(RISK_LEVEL_HEX));
  });

  it('never draws an unknown state green', () => {
    for (const grey of [HEALTH_CSS.stale, HEALTH_CSS.offline, HEALTH_CSS.nodata, segmentCss(undefined), segmentCss({ level: null })]) {
      expect(grey).not.toBe(HEALTH_CSS.normal);
    }
  });
});

const detector: Device = {
  id: 'd',
  scene: 'confined',
  siteId: 's',
  kind: 'gas_detector',
  name: 'd',
  nameZh: 'd',
  position: [120.7, 30.2, -3],
  quantities: ['h2s_ppm', 'o2_pct'],
  intervalS: 5,
  level: 'lower',
};
const reading = (values: DeviceLive['values'], ageS = 1, status: DeviceLive['status'] = 'online'): DeviceLive => ({ ts: NOW - ageS * 1000, values, status });

describe('deviceHealth', () => {
  it.each(
    titled([
      { what: 'an open alarm wins over a normal reading', live: reading({ h2s_ppm: 0.2 }), alarm: 'major' as const, health: 'major' },
      { what: 'an alarm wins over silence', live: reading({ h2s_ppm: 0.2 }, 60), alarm: 'critical' as const, health: 'critical' },
      { what: 'nothing heard yet is no data', live: undefined, alarm: null, health: 'nodata' },
      { what: 'silent for 3 intervals is stale, whatever it last said', live: reading({ h2s_ppm: 0.2 }, 16), alarm: null, health: 'stale' },
      { what: 'offline by its own word', live: reading({ h2s_ppm: 0.2 }, 1, 'offline'), alarm: null, health: 'offline' },
      { what: 'a value over the critical limit between service updates', live: reading({ h2s_ppm: 20 }), alarm: null, health: 'critical' },
      { what: 'a normal reading', live: reading({ h2s_ppm: 0.2, o2_pct: 20.9 }), alarm: null, health: 'normal' },
    ]),
  )('%s', (_w, { live, alarm, health }) => {
    expect(deviceHealth(detector, live, alarm, NOW)).toBe(health);
  });

  it('ranks alarms, then the grey states, then normal', () => {
    expect(worstHealth(['normal', 'nodata', 'minor'])).toBe('minor');
    expect(worstHealth(['normal', 'stale'])).toBe('stale');
    expect(worstHealth([])).toBe('normal');
  });
});

describe('confined: plants and spaces', () => {
  const sp = (status: SpaceSummary['status'], worstSeverity: SpaceSummary['worstSeverity'] = null) => ({ status, worstSeverity });
  it.each(
    titled([
      { what: 'nothing happening: low (blue)', spaces: [sp('idle'), sp('permit')], risk: 'warning' },
      { what: 'people inside: yellow', spaces: [sp('idle'), sp('occupied')], risk: 'minor' },
      { what: 'a major alarm: orange', spaces: [sp('occupied'), sp('alarm', 'major')], risk: 'major' },
      { what: 'a minor alarm counts as yellow', spaces: [sp('alarm', 'warning')], risk: 'minor' },
      { what: 'an evacuate anywhere: red', spaces: [sp('alarm', 'major'), sp('evacuate')], risk: 'critical' },
      { what: 'no spaces known: low', spaces: [], risk: 'warning' },
    ]),
  )('a plant’s risk from its worst space — %s', (_w, { spaces, risk }) => {
    expect(plantRisk(spaces)).toBe(risk);
  });

  it('colours a space by status, an alarm by its own severity', () => {
    expect(spaceStatusCss('evacuate', null)).toBe(SEVERITY_CSS.critical);
    expect(spaceStatusCss('alarm', 'minor')).toBe(SEVERITY_CSS.minor);
    expect(spaceStatusCss('alarm', null)).toBe(SEVERITY_CSS.major);
    expect(spaceStatusCss('idle', null)).toBe(HEALTH_CSS.nodata);
  });

  it('builds the space view from the detectors: each level its worst channel (a channel never heard is no data), H₂S rounded to 0.5 ppm', () => {
    const upper = { ...detector, id: 'u', level: 'upper' as const, quantities: ['o2_pct', 'h2s_ppm', 'co_ppm', 'nh3_ppm', 'lel_pct'] } as Device;
    const space = { id: 's', detectors: [{ id: 'u', level: 'upper', status: 'online' }, { id: 'd', level: 'lower', status: 'online' }], spaceType: 'sewage_pit', depthM: null, inside: ['w1'], attendant: 'a1', ventilation: { on: false, ts: NOW } } as unknown as SpaceSummary;
    const vm = spaceViewModel(space, new Map([['u', upper], ['d', detector]]), new Map([['u', reading({ o2_pct: 20.9, h2s_ppm: 0.2, co_ppm: 0, nh3_ppm: 0, lel_pct: 0 })], ['d', reading({ h2s_ppm: 9.3 })]]), NOW);
    expect(vm.levels).toEqual({ upper: { health: 'normal', h2sPpm: 0 }, middle: { health: 'nodata', h2sPpm: null }, lower: { health: 'major', h2sPpm: 9.5 } });
    expect(vm).toMatchObject({ depthM: 4, inside: 1, attendant: true, ventilationOn: false });
  });
});

describe('roads and park orderings', () => {
  const seg = (id: string, level: SegmentView['level'], speedKmh: number | null, freeFlowKmh = 100) =>
    ({ id, level, speedKmh, smoothedSpeedKmh: speedKmh, freeFlowKmh }) as SegmentView;

  it('lists the worst segments first: level, then speed against free flow, unknown last', () => {
    const list = [seg('a', 2, 60), seg('b', 5, 12), seg('c', null, null), seg('d', 5, 8), seg('e', 2, 40)];
    expect(list.sort(compareWorst).map((s) => s.id)).toEqual(['d', 'b', 'e', 'a', 'c']);
  });

  it.each([
    [null, null],
    [1.4, 1],
    [1.5, 2],
    [5.7, 5],
    [0.2, 1],
  ])('rounds a network index of %s to level %s', (index, level) => {
    expect(indexLevel(index)).toBe(level);
  });

  it('lists enterprises worst effective level first, then more open alarms, unrated last', () => {
    const e = (id: string, effectiveRiskLevel: ParkSummary['enterprises'][number]['effectiveRiskLevel'], total: number) =>
      ({ id, effectiveRiskLevel, openAlarms: { total } }) as ParkSummary['enterprises'][number];
    const list = [e('a', 'blue', 0), e('b', null, 3), e('c', 'red', 0), e('d', 'blue', 2), e('e', 'orange', 1)];
    expect(list.sort(compareEnterprises).map((x) => x.id)).toEqual(['c', 'e', 'd', 'a', 'b']);
  });
});
