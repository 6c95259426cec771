import { describe, expect, it } from 'vitest';
import { siteListAnswerSchema, surelySite } from './siteList';
import { siteListSchema } from './service';
import { handCheckedListCases } from './handCheckCases';
import { checkAnswer } from './shared';

const RING = [[120.5, 30.0], [120.6, 30.0], [120.6, 30.1], [120.5, 30.0]];
const PLANT = {
  id: 'kq-p1',
  scene: 'confined',
  kind: 'plant',
  name: 'Keqiao dyeing plant 1',
  nameZh: '柯桥印染一厂',
  parentId: null,
  geometry: { type: 'Polygon', coordinates: [RING] },
  props: { operator: 'Keqiao Dyeing', ratedCapacityT: 120 },
};
const PIT = { ...PLANT, id: 'kq-p1-s1', kind: 'pit', parentId: 'kq-p1', geometry: { type: 'Point', coordinates: [120.55, 30.05, -3] }, props: undefined };

const good: [string, unknown][] = [
  ['a plant outlined by a polygon, with its props', PLANT],
  ['a pit at a point with a height, under its plant', PIT],
  ['a point without a height', { ...PIT, geometry: { type: 'Point', coordinates: [120.55, 30.05] } }],
  ['a road as a line', { ...PLANT, kind: 'road', geometry: { type: 'LineString', coordinates: RING } }],
  ['a park of two polygons', { ...PLANT, kind: 'park', geometry: { type: 'MultiPolygon', coordinates: [[RING], [RING, RING]] } }],
  ['a site of a kind this app does not draw', { ...PLANT, kind: 'lighthouse' }],
];
const bad: [string, unknown][] = [
  ['a site of a scene that does not exist', { ...PLANT, scene: 'flood' }],
  ['an empty id', { ...PLANT, id: '' }],
  ['a Chinese name that is not text', { ...PLANT, nameZh: 7 }],
  ['no parent at all (null says "none")', { ...PLANT, parentId: undefined }],
  ['a parent that is a number', { ...PLANT, parentId: 1 }],
  ['no geometry', { ...PLANT, geometry: undefined }],
  ['a geometry of a type that does not exist', { ...PLANT, geometry: { type: 'Circle', coordinates: [120.5, 30, 50] } }],
  ['a point of one number', { ...PIT, geometry: { type: 'Point', coordinates: [120.5] } }],
  ['a point of four numbers', { ...PIT, geometry: { type: 'Point', coordinates: [120.5, 30, 1, 2] } }],
  ['a point with a string in it', { ...PIT, geometry: { type: 'Point', coordinates: [120.5, '30'] } }],
  ['a polygon corner with a height', { ...PLANT, geometry: { type: 'Polygon', coordinates: [[...RING, [120.5, 30, 4]]] } }],
  ['a polygon given as one ring, not a list of rings', { ...PLANT, geometry: { type: 'Polygon', coordinates: RING } }],
  ['a line corner that is null', { ...PLANT, geometry: { type: 'LineString', coordinates: [RING[0], null] } }],
  ['a multipolygon one level short', { ...PLANT, geometry: { type: 'MultiPolygon', coordinates: [RING] } }],
  ['props that are a list', { ...PLANT, props: ['operator'] }],
  ['props of null', { ...PLANT, props: null }],
  ['a site that is a list', [PLANT.id]],
];

describe('the site list checked by hand', () => {
  handCheckedListCases({ surely: surelySite, schema: siteListSchema, answerSchema: siteListAnswerSchema, good, bad, before: [PLANT, PIT], notLists: [{ sites: [PLANT] }, null, 'sites'] });

  it('keeps a field this app does not know, as a newer service may send one', () => {
    const list = [PLANT, { ...PIT, id: 'x', surveyedBy: { crew: 4 } }];
    expect(checkAnswer(siteListAnswerSchema, list)).toEqual({ ok: true, value: list });
  });
});
