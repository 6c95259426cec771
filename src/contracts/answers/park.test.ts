import { describe, expect, it } from 'vitest';
import { RISK_LEVEL_HEX, parkSummarySchema, zoneCollectionSchema } from './park';
import { checkAnswer } from './shared';

const ZONE = {
  type: 'Feature',
  id: 'zone-a1',
  geometry: { type: 'Polygon', coordinates: [[[120.8, 30.2], [120.81, 30.2], [120.81, 30.21], [120.8, 30.2]]] },
  properties: {
    alarmId: 'a1',
    severity: 'critical',
    state: 'active_unack',
    active: true,
    sourceDeviceId: 'sy-b1',
    sourceSiteId: 'sy-st-1',
    quantity: 'cl2_ppm',
    concentrationRatio: 2.4,
    windDeviceId: 'sy-wind',
    windFromDeg: 90,
    windSpeedMs: 3,
    lengthM: 1200,
    halfAngleDeg: 20,
    isolationM: 150,
    calm: false,
    affectedSiteIds: ['sy-e1'],
    affectedEnterprises: [{ id: 'sy-e1', name: 'Hengyu', nameZh: '恒宇', people: 120, riskLevel: 'red' }],
    trucksInside: [],
    peopleCount: 120,
    computedAt: 1_764_300_000_000,
  },
};
const counts = { critical: 1, major: 0, minor: 0, warning: 0, total: 1 };
const SUMMARY = {
  enterprises: [
    { id: 'sy-e1', name: 'Hengyu', nameZh: '恒宇', riskLevel: 'orange', effectiveRiskLevel: 'red', colour: RISK_LEVEL_HEX.red, people: 120, openAlarms: counts },
    { id: 'sy-e2', name: 'Unrated', nameZh: '未评', riskLevel: null, effectiveRiskLevel: null, colour: null, people: 0, openAlarms: { ...counts, critical: 0, total: 0 } },
  ],
  otherOpenAlarms: { ...counts, critical: 0, total: 0 },
  tanks: [
    {
      id: 'sy-t1',
      name: 'Tank 1',
      nameZh: '1号罐',
      farmId: 'sy-f1',
      enterpriseId: 'sy-e1',
      tankType: 'vertical',
      substance: 'methanol',
      capacityM3: 5000,
      deviceId: 'sy-t1-sensor',
      ts: 1_764_300_000_000,
      status: 'online',
      values: { level_pct: 92, temp_c: 31 },
      limits: { level_pct: { high: 85, highHigh: 95 } },
      bands: { level_pct: 'high', temp_c: 'normal' },
    },
  ],
  activeZones: 1,
};

const titled = <T extends { what: string }>(rows: T[]): [string, T][] => rows.map((r) => [r.what, r]);

describe('park answers', () => {
  it('accepts a danger zone collection, and an empty one', () => {
    expect(checkAnswer(zoneCollectionSchema, { type: 'FeatureCollection', features: [ZONE] })).toMatchObject({ ok: true });
    expect(checkAnswer(zoneCollectionSchema, { type: 'FeatureCollection', features: [] })).toMatchObject({ ok: true });
  });

  it('accepts a summary with a raised enterprise, an unrated one and a tank over its high limit', () => {
    expect(checkAnswer(parkSummarySchema, SUMMARY)).toMatchObject({ ok: true });
  });

  it.each(
    titled([
      { what: 'a bare feature list instead of a collection', check: () => checkAnswer(zoneCollectionSchema, [ZONE]) },
      { what: 'a zone that is a line', check: () => checkAnswer(zoneCollectionSchema, { type: 'FeatureCollection', features: [{ ...ZONE, geometry: { type: 'LineString', coordinates: [] } }] }) },
      { what: 'a zone without its people count', check: () => checkAnswer(zoneCollectionSchema, { type: 'FeatureCollection', features: [{ ...ZONE, properties: { ...ZONE.properties, peopleCount: undefined } }] }) },
      { what: 'an affected enterprise of a fifth colour', check: () => checkAnswer(zoneCollectionSchema, { type: 'FeatureCollection', features: [{ ...ZONE, properties: { ...ZONE.properties, affectedEnterprises: [{ ...ZONE.properties.affectedEnterprises[0], riskLevel: 'green' }] } }] }) },
      { what: 'a risk level written as a colour hex', check: () => checkAnswer(parkSummarySchema, { ...SUMMARY, enterprises: [{ ...SUMMARY.enterprises[0], effectiveRiskLevel: '#e5484d' }] }) },
      { what: 'a tank band the app does not know', check: () => checkAnswer(parkSummarySchema, { ...SUMMARY, tanks: [{ ...SUMMARY.tanks[0], bands: { level_pct: 'overflow' } }] }) },
      { what: 'alarm counts without a total', check: () => checkAnswer(parkSummarySchema, { ...SUMMARY, otherOpenAlarms: { critical: 0, major: 0, minor: 0, warning: 0 } }) },
    ]),
  )('rejects %s', (_w, { check }) => {
    expect(check()).toMatchObject({ ok: false, reason: expect.any(String) });
  });

  it('carries the four colours of the risk map as hex, one per level', () => {
    expect(Object.keys(RISK_LEVEL_HEX)).toEqual(['red', 'orange', 'yellow', 'blue']);
    for (const hex of Object.values(RISK_LEVEL_HEX)) expect(hex).toMatch(/^#[0-9a-f]{6}$/);
    expect(new Set(Object.values(RISK_LEVEL_HEX)).size).toBe(4);
  });
});
