import { describe, expect, it } from 'vitest';
import { checkAnswer } from './shared';
import { spaceListSchema, spaceSummarySchema, type SpaceSummary } from './spaces';

/** A pit with two people inside under an open permit, as the service answers it. */
const PIT: SpaceSummary = {
  id: 'kq-p1-s1',
  plantId: 'kq-p1',
  name: 'Sewage pit 1',
  nameZh: '污水池1',
  spaceType: 'sewage_pit',
  depthM: 4.5,
  maxPersons: 2,
  accessId: 'kq-p1-s1-access',
  detectors: [
    { id: 'kq-p1-s1-gas-upper', level: 'upper', status: 'online' },
    { id: 'kq-p1-s1-gas-lower', level: 'lower', status: 'unknown' },
  ],
  permit: {
    permitId: 'P-1',
    workers: ['w1', 'w2'],
    attendant: 'a1',
    maxPersons: 2,
    openedAt: 1_764_300_000_000,
    gasTestAt: 1_764_299_900_000,
    suspended: false,
    suspendReason: null,
    firstEntryAt: 1_764_300_060_000,
  },
  lastGasTest: {
    ts: 1_764_299_900_000,
    levels: { upper: { o2_pct: 20.9, h2s_ppm: 0 }, middle: { o2_pct: 20.8 }, lower: { o2_pct: 20.7, h2s_ppm: 1 } },
    pass: false,
    failures: [{ level: 'middle', quantity: 'h2s_ppm', value: null, allowed: '< 7' }],
  },
  inside: ['w1', 'w2'],
  enteredAt: { w1: 1_764_300_060_000, w2: 1_764_300_070_000 },
  attendant: 'a1',
  ventilation: { on: true, ts: 1_764_299_000_000 },
  status: 'occupied',
  worstSeverity: null,
  reasons: [],
  permitIssue: null,
  alarmIds: [],
};
const IDLE: SpaceSummary = { ...PIT, id: 'kq-p1-s2', permit: null, lastGasTest: null, inside: [], enteredAt: {}, attendant: null, ventilation: null, status: 'idle' };

const titled = <T extends { what: string }>(rows: T[]): [string, T][] => rows.map((r) => [r.what, r]);

describe('GET /api/spaces answers', () => {
  it.each(
    titled([
      { what: 'a space with people inside under a permit', answer: PIT },
      { what: 'an idle space with no permit, test or ventilation known', answer: IDLE },
      { what: 'an evacuate with its reasons and worst severity', answer: { ...PIT, status: 'evacuate', worstSeverity: 'critical', reasons: ['H₂S 20 ppm at lower'], alarmIds: ['a-1'] } },
      { what: 'a field a newer service adds (ignored)', answer: { ...PIT, permit: { ...PIT.permit, validUntil: 1 } } },
    ]),
  )('accepts %s', (_w, { answer }) => {
    expect(checkAnswer(spaceSummarySchema, answer)).toMatchObject({ ok: true });
  });

  it.each(
    titled([
      { what: 'a status the app does not know', answer: { ...PIT, status: 'flooded' }, path: 'status' },
      { what: 'a head count as a number instead of the people', answer: { ...PIT, inside: 2 }, path: 'inside' },
      { what: 'a missing worst severity', answer: { ...PIT, worstSeverity: undefined }, path: 'worstSeverity' },
      { what: 'a gas test without its middle level', answer: { ...PIT, lastGasTest: { ...PIT.lastGasTest, levels: { upper: {}, lower: {} } } }, path: 'lastGasTest.levels.middle' },
      { what: 'a reading of an unknown quantity in the gas test', answer: { ...PIT, lastGasTest: { ...PIT.lastGasTest, levels: { upper: { radon_bq: 1 }, middle: {}, lower: {} } } }, path: 'lastGasTest.levels.upper' },
      { what: 'a detector level that is not a height', answer: { ...PIT, detectors: [{ id: 'd', level: 'top', status: 'online' }] }, path: 'detectors.0.level' },
      { what: 'an entry time as text', answer: { ...PIT, enteredAt: { w1: 'noon' } }, path: 'enteredAt.w1' },
      { what: 'a permit without its attendant', answer: { ...PIT, permit: { ...PIT.permit, attendant: undefined } }, path: 'permit.attendant' },
    ]),
  )('rejects %s, saying where', (_w, { answer, path }) => {
    const r = checkAnswer(spaceSummarySchema, answer);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.startsWith(`${path}: `)).toBe(true);
  });

  it('checks every space of a list, and only lists', () => {
    expect(checkAnswer(spaceListSchema, [PIT, IDLE])).toEqual({ ok: true, value: [PIT, IDLE] });
    expect(checkAnswer(spaceListSchema, [PIT, { ...IDLE, status: 'closed' }])).toMatchObject({ ok: false, reason: expect.stringMatching(/^1\.status: /) });
    expect(checkAnswer(spaceListSchema, { spaces: [PIT] })).toMatchObject({ ok: false });
    expect(checkAnswer(spaceListSchema, null)).toMatchObject({ ok: false });
  });
});
