import { describe, expect, it } from 'vitest';
import { parkSummarySchema, RISK_LEVEL_HEX } from './park';
import { parkSummaryAnswerSchema, surelyParkSummary } from './parkSummary';
import { checkAnswer } from './shared';

const counts = { critical: 1, major: 0, minor: 0, warning: 0, total: 1 };
const NONE = { ...counts, critical: 0, total: 0 };
const ENTERPRISE = { id: 'sy-e1', name: 'Hengyu', nameZh: '恒宇', riskLevel: 'red', effectiveRiskLevel: 'red', colour: RISK_LEVEL_HEX.red, overlay: { worstSeverity: 'critical', openAlarms: 1 }, people: 120, openAlarms: counts };
const UNRATED = { id: 'sy-e2', name: 'Unrated', nameZh: '未评', riskLevel: null, effectiveRiskLevel: null, colour: null, overlay: null, people: 0, openAlarms: NONE };
const TANK = {
  id: 'sy-t1', name: 'Tank 1', nameZh: '1号罐', farmId: 'sy-f1', enterpriseId: 'sy-e1', tankType: 'vertical', substance: 'methanol',
  capacityM3: 5000, deviceId: 'sy-t1-sensor', ts: 1_764_300_000_000, status: 'online',
  values: { level_pct: 92, temp_c: 31 }, limits: { level_pct: { high: 85, highHigh: 95 } }, bands: { level_pct: 'high', temp_c: 'normal' },
};
/** As most of a city's tanks are answered: no reading yet. */
const SILENT = { ...TANK, id: 'sy-t2', farmId: null, enterpriseId: null, tankType: null, substance: null, capacityM3: null, deviceId: null, ts: null, status: null, values: {}, limits: {}, bands: {} };
const SUMMARY = { enterprises: [ENTERPRISE, UNRATED], otherOpenAlarms: NONE, tanks: [TANK, SILENT], activeZones: 1 };

const good: [string, unknown][] = [
  ['a summary of rated and unrated enterprises and tanks', SUMMARY],
  ['an empty park', { enterprises: [], otherOpenAlarms: NONE, tanks: [], activeZones: 0 }],
  ['an enterprise from a service that sends no overlay', { ...SUMMARY, enterprises: [{ ...UNRATED, overlay: undefined }] }],
];
const bad: [string, unknown][] = [
  ['a risk level the app does not know', { ...SUMMARY, enterprises: [{ ...ENTERPRISE, riskLevel: 'green' }] }],
  ['an overlay without its count', { ...SUMMARY, enterprises: [UNRATED, { ...ENTERPRISE, overlay: { worstSeverity: 'critical' } }] }],
  ['an overlay severity the app does not know', { ...SUMMARY, enterprises: [{ ...ENTERPRISE, overlay: { worstSeverity: 'fatal', openAlarms: 1 } }] }],
  ['alarm counts without a total', { ...SUMMARY, otherOpenAlarms: { ...NONE, total: undefined } }],
  ['people as text', { ...SUMMARY, enterprises: [{ ...ENTERPRISE, people: '120' }] }],
  ['a reading of a quantity the app does not know', { ...SUMMARY, tanks: [{ ...TANK, values: { radon: 3 } }] }],
  ['a reading of null', { ...SUMMARY, tanks: [SILENT, { ...TANK, values: { level_pct: null } }] }],
  ['a band the app does not know', { ...SUMMARY, tanks: [{ ...TANK, bands: { level_pct: 'extreme' } }] }],
  ['a limit as text', { ...SUMMARY, tanks: [{ ...TANK, limits: { level_pct: { high: '85' } } }] }],
  ['no limits', { ...SUMMARY, tanks: [{ ...TANK, limits: undefined }] }],
  ['a tank status the app does not know', { ...SUMMARY, tanks: [{ ...TANK, status: 'lost' }] }],
  ['no zone count', { ...SUMMARY, activeZones: undefined }],
  ['tanks that are not a list', { ...SUMMARY, tanks: { 'sy-t1': TANK } }],
  ['a list instead of a summary', [SUMMARY]],
  ['null', null],
];

describe('the park summary checked by hand', () => {
  it.each(good)('hands %s back as it is, as the schema would accept it', (_w, answer) => {
    expect(surelyParkSummary(answer)).toBe(true);
    expect(checkAnswer(parkSummarySchema, answer)).toMatchObject({ ok: true });
    const checked = checkAnswer(parkSummaryAnswerSchema, answer);
    // Not a copy: a city's thousands of tanks are not rebuilt one by one.
    expect(checked.ok && checked.value).toBe(answer);
  });

  it.each(bad)('leaves %s to the schema, which rejects it with the same reason', (_w, answer) => {
    expect(surelyParkSummary(answer)).toBe(false);
    const schema = checkAnswer(parkSummarySchema, answer);
    expect(schema.ok).toBe(false);
    expect(checkAnswer(parkSummaryAnswerSchema, answer)).toEqual(schema);
  });

  it('keeps a field this app does not know, as a newer service may send one', () => {
    const answer = { ...SUMMARY, tanks: [{ ...TANK, roofType: 'floating' }] };
    expect(checkAnswer(parkSummaryAnswerSchema, answer)).toEqual({ ok: true, value: answer });
  });
});
