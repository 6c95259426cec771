import { describe, expect, it } from 'vitest';
import { handCheckedListCases } from './handCheckCases';
import { checkAnswer } from './shared';
import { spaceListAnswerSchema, surelySpace } from './spaceList';
import { spaceListSchema, type SpaceSummary } from './spaces';

/** An idle space as the service answers most of a city's: no permit, nobody inside. */
const IDLE: SpaceSummary = {
  id: 'kq-p1-s2',
  plantId: 'kq-p1',
  name: 'Dye vat 2',
  nameZh: '染缸2',
  spaceType: 'tank',
  depthM: 3,
  maxPersons: 2,
  accessId: 'kq-p1-s2-access',
  detectors: [
    { id: 'kq-p1-s2-gas-upper', level: 'upper', status: 'online' },
    { id: 'kq-p1-s2-gas-lower', level: null, status: 'unknown' },
  ],
  permit: null,
  lastGasTest: null,
  inside: [],
  enteredAt: {},
  attendant: null,
  ventilation: null,
  status: 'idle',
  worstSeverity: null,
  reasons: [],
  permitIssue: null,
  chain: [
    { step: 'ventilate', status: 'pending', at: null, reason: null },
    { step: 'test', status: 'failed', at: 1_764_299_900_000, reason: { code: 'gas_test_failed', params: { permitId: null, failures: [] } } },
  ],
  alarmIds: [],
};
const PERMIT = {
  permitId: 'P-1', workers: ['w1'], attendant: 'a1', maxPersons: 2, openedAt: 1_764_300_000_000,
  gasTestAt: null, suspended: false, suspendReason: null, firstEntryAt: null,
};

const good: [string, unknown][] = [
  ['an idle space with its chain', IDLE],
  ['an alarm with its reasons, codes and severity', { ...IDLE, status: 'alarm', worstSeverity: 'major', reasons: ['H₂S'], reasonCodes: [{ code: 'gas', params: {} }], alarmIds: ['a-1'] }],
  ['a space with people inside and when they entered', { ...IDLE, status: 'occupied', inside: ['w1'], enteredAt: { w1: 1_764_300_060_000 }, maxInsideMin: 30 }],
  ['a space with no plant, type, depth or limit known', { ...IDLE, plantId: null, spaceType: null, depthM: null, maxPersons: null, accessId: null, chain: undefined }],
];
const leftToSchema: [string, unknown][] = [
  ['a space with a permit open', { ...IDLE, status: 'permit', permit: PERMIT }],
  ['a space with ventilation known', { ...IDLE, ventilation: { on: true, ts: 1 } }],
];
const bad: [string, unknown][] = [
  ['a status that does not exist', { ...IDLE, status: 'closed' }],
  ['a severity that does not exist', { ...IDLE, worstSeverity: 'fatal' }],
  ['a detector at a level that does not exist', { ...IDLE, detectors: [{ id: 'd', level: 'roof', status: 'online' }] }],
  ['a detector of an unknown health', { ...IDLE, detectors: [{ id: 'd', level: 'upper', status: 'asleep' }] }],
  ['a person inside who is a number', { ...IDLE, inside: [7] }],
  ['an entry time that is text', { ...IDLE, enteredAt: { w1: 'noon' } }],
  ['a stay limit of zero minutes', { ...IDLE, maxInsideMin: 0 }],
  ['a chain step that does not exist', { ...IDLE, chain: [{ step: 'pray', status: 'ok', at: null, reason: null }] }],
  ['a reason code without parameters', { ...IDLE, reasonCodes: [{ code: 'gas' }] }],
  ['alarm ids that are not a list', { ...IDLE, alarmIds: 'a-1' }],
  ['no name', { ...IDLE, name: undefined }],
  ['a permit missing its attendant', { ...IDLE, permit: { ...PERMIT, attendant: undefined } }],
  ['a space that is a list', [IDLE.id]],
];

describe('the space list checked by hand', () => {
  handCheckedListCases({ surely: surelySpace, schema: spaceListSchema, answerSchema: spaceListAnswerSchema, good, bad, before: [IDLE, { ...IDLE, id: 'x' }], notLists: [{ spaces: [IDLE] }, null, 'spaces'] });

  it.each(leftToSchema)('leaves %s to the schema, which accepts it', (_w, space) => {
    expect(surelySpace(space)).toBe(false);
    expect(checkAnswer(spaceListAnswerSchema, [IDLE, space])).toEqual(checkAnswer(spaceListSchema, [IDLE, space]));
    expect(checkAnswer(spaceListAnswerSchema, [IDLE, space]).ok).toBe(true);
  });
});
