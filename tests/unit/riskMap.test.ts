/**
 * The four-colour map is an assessment (安全风险分区分级): the colour comes from the registry's
 * `assessedLevel`, live alarms are a separate overlay, and a truck's alarms belong to the truck.
 * Also what the demo registry carries for the v1.1 rules.
 */
import { describe, expect, it } from 'vitest';
import type { AlarmRecord, Severity, Site } from '../../src/contracts';
import { SUBSTANCES, alarmOverlay, assessedLevel, congestionCriterion, truckSiteId } from '../../src/domain';
import { RISK_CSS, riskMapCss } from '../../src/view';
import { generate } from '../../scripts/gen-data';

const { registry } = generate();
const sites = new Map(registry.sites.map((s) => [s.id, s]));
const park = registry.sites.filter((s) => s.scene === 'park');
const enterprises = park.filter((s) => s.kind === 'enterprise');
const blue = enterprises.find((e) => e.props?.assessedLevel === 'blue')!;
const farm = park.find((s) => s.kind === 'tankfarm')!;
const tank = park.find((s) => s.kind === 'tank' && s.parentId === farm.id)!;

const alarm = (siteId: string | null, severity: Severity, state: AlarmRecord['state'] = 'active_unack'): Pick<AlarmRecord, 'scene' | 'siteId' | 'severity' | 'state'> => ({ scene: 'park', siteId, severity, state });

describe('four-colour map: the assessment, and nothing else', () => {
  it('every enterprise carries its assessed level, and its colour is the level colour', () => {
    for (const e of enterprises) {
      const level = assessedLevel(e);
      expect(['red', 'orange', 'yellow', 'blue']).toContain(level);
      expect(riskMapCss(level)).toBe(RISK_CSS[level!]);
    }
    expect(riskMapCss(null)).toBeNull();
  });

  it('a v1 registry with only riskLevel is read the same', () => {
    expect(assessedLevel({ props: { riskLevel: 'orange' } })).toBe('orange');
    expect(assessedLevel({ props: { assessedLevel: 'yellow', riskLevel: 'orange' } })).toBe('yellow');
    expect(assessedLevel({ props: {} })).toBeNull();
  });

  it('a critical alarm at a blue plant is an overlay: the plant stays blue', () => {
    const overlay = alarmOverlay([alarm(blue.id, 'critical')], sites);
    expect(overlay.get(blue.id)).toEqual({ enterpriseId: blue.id, assessedLevel: 'blue', worstSeverity: 'critical', openAlarms: 1 });
    expect(riskMapCss(assessedLevel(blue))).toBe(RISK_CSS.blue);
  });

  it('counts a tank alarm for its enterprise, worst first, and leaves out closed and shelved alarms and other scenes', () => {
    const overlay = alarmOverlay(
      [alarm(tank.id, 'major'), alarm(farm.id, 'minor'), alarm(tank.id, 'critical', 'closed'), alarm(tank.id, 'critical', 'shelved'), { ...alarm(tank.id, 'critical'), scene: 'roads' }],
      sites,
    );
    expect(overlay.get(farm.parentId!)).toMatchObject({ worstSeverity: 'major', openAlarms: 2 });
    expect(overlay.size).toBe(1);
  });

  it('pins no truck or boundary-station alarm to an enterprise', () => {
    const truck = park.find((s) => s.kind === 'vehicle')!;
    const station = park.find((s) => s.kind === 'station')!;
    expect(alarmOverlay([alarm(truck.id, 'major'), alarm(station.id, 'critical'), alarm(null, 'critical')], sites).size).toBe(0);
  });
});

describe('trucks are sites: their alarms belong to them', () => {
  const trucks = registry.devices.filter((d) => d.kind === 'truck');
  it('every truck device measures a vehicle site of its own id, with its cargo', () => {
    expect(trucks).toHaveLength(5);
    for (const d of trucks) {
      const s = sites.get(d.siteId) as Site;
      expect(s).toMatchObject({ id: d.id, kind: 'vehicle', scene: 'park', parentId: 'sy-area' });
      expect(s.props?.mobile).toBe(true);
      expect(SUBSTANCES[s.props?.substanceId as string]).toBeDefined();
      expect(truckSiteId(d, sites)).toBe(d.id);
    }
  });

  it('a registry without vehicle sites still gives the truck, not the nearest plant', () => {
    expect(truckSiteId({ id: 'tr-9', siteId: 'sy-area' }, sites)).toBe('tr-9');
  });
});

describe('demo registry for the v1.1 rules', () => {
  it('G60 and Zhuji–Yongjia segments are expressways with a free flow of 100–120 km/h, rated by the highway criterion', () => {
    const segs = registry.sites.filter((s) => s.kind === 'segment' && ['g60', 'zy'].includes(s.props?.roadKey as string));
    expect(segs.length).toBeGreaterThan(10);
    for (const s of segs) {
      expect(congestionCriterion(s.props!.roadClass!)).toBe('highway');
      expect(s.props?.freeFlowKmh).toBeGreaterThanOrEqual(100);
      expect(s.props?.freeFlowKmh).toBeLessThanOrEqual(120);
    }
    const urban = registry.sites.filter((s) => s.kind === 'segment' && ['jy', 'wy'].includes(s.props?.roadKey as string));
    for (const s of urban) expect(congestionCriterion(s.props!.roadClass!)).toBe('urban');
  });

  it('tanks name the substance of their leak endpoint where one is known', () => {
    const tanks = park.filter((s) => s.kind === 'tank');
    const known = tanks.filter((t) => t.props?.substanceId);
    expect(known.length).toBeGreaterThanOrEqual(tanks.length - 1); // ethyl acetate has no AEGL
    for (const t of known) expect(SUBSTANCES[t.props!.substanceId!]).toBeDefined();
    expect(tanks.find((t) => t.props?.substance === 'liquid ammonia')?.props?.substanceId).toBe('ammonia');
  });
});
