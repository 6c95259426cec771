import { describe, expect, it } from 'vitest';
import { handCheckedListCases } from './handCheckCases';
import { segmentListSchema, type SegmentView } from './roads';
import { JAMMED_SEGMENT } from './segmentCases';
import { segmentListAnswerSchema, surelySegment } from './segmentList';
import { checkAnswer } from './shared';

const JAMMED: SegmentView = { ...JAMMED_SEGMENT, criterion: 'highway' };
/** As most of a city's segments are answered: no detector has reported yet. */
const NODATA: SegmentView = {
  ...JAMMED,
  id: 'zj-g60-s05',
  speedKmh: null,
  level: null,
  roadName: null,
  direction: null,
  lanes: null,
  smoothedSpeedKmh: null,
  health: 'nodata',
  control: null,
  incidentIds: [],
  updatedAt: null,
};
const FOG = { level: 'fog_100', speedLimitKmh: 40, spacingM: 100, action: 'limit', vmsText: '大雾 限速40', vmsTextEn: 'Fog: 40 km/h' } as const;

const good: [string, unknown][] = [
  ['a jammed segment', JAMMED],
  ['a segment without data', NODATA],
  ['a segment under fog control', { ...JAMMED, control: FOG }],
  ['an urban segment closed by ice', { ...JAMMED, criterion: 'urban', closed: true, control: { ...FOG, level: 'ice', speedLimitKmh: null, spacingM: null, action: 'close' } }],
];
const bad: [string, unknown][] = [
  ['a level beyond the five bands', { ...JAMMED, level: 6 }],
  ['a level as text', { ...JAMMED, level: '5' }],
  ['a speed as text', { ...JAMMED, speedKmh: '10' }],
  ['a length of null', { ...JAMMED, lengthM: null }],
  ['an infinite usual speed', { ...JAMMED, usualSpeedKmh: Infinity }],
  ['a detector health the app does not know', { ...JAMMED, health: 'broken' }],
  ['closed as a number', { ...JAMMED, closed: 1 }],
  ['a criterion the app does not know', { ...JAMMED, criterion: 'rural' }],
  ['a control without its sign text', { ...JAMMED, control: { ...FOG, vmsTextEn: undefined } }],
  ['a control action the app does not know', { ...JAMMED, control: { ...FOG, action: 'slow' } }],
  ['an incident id that is a number', { ...JAMMED, incidentIds: [7] }],
  ['no incident list', { ...JAMMED, incidentIds: undefined }],
  ['an id of null', { ...JAMMED, id: null }],
  ['a segment that is a list', [JAMMED.id]],
];

describe('the segment list checked by hand', () => {
  handCheckedListCases({ surely: surelySegment, schema: segmentListSchema, answerSchema: segmentListAnswerSchema, good, bad, before: [JAMMED, NODATA], notLists: [{ segments: [JAMMED] }, null, 'segments'] });

  it('keeps a field this app does not know, as a newer service may send one', () => {
    const list = [JAMMED, { ...NODATA, sensorCount: 2 }];
    expect(checkAnswer(segmentListAnswerSchema, list)).toEqual({ ok: true, value: list });
  });
});
