import { describe, expect, it } from 'vitest';
import { incidentListSchema, networkViewSchema, routeSchema, segmentListSchema, weatherListSchema } from './roads';
import { JAMMED_SEGMENT } from './segmentCases';
import { checkAnswer } from './shared';
import type { z } from 'zod';

const SEGMENT = JAMMED_SEGMENT;
const UNKNOWN = { ...SEGMENT, id: 'zj-g60-s05', speedKmh: null, level: null, smoothedSpeedKmh: null, health: 'stuck', updatedAt: null, incidentIds: [] };
const NETWORK = {
  ts: 1_764_300_000_000,
  index: 1.4,
  totalLengthM: 300_000,
  lengthByLevelM: { 1: 250_000, 2: 20_000, 3: 0, 4: 0, 5: 15_600, unknown: 14_400 },
  history: [
    [1_764_299_940_000, 1.3],
    [1_764_300_000_000, null],
  ],
  sampleEveryS: 60,
};
const INCIDENT = {
  incidentId: 'e2e-crash-1',
  kind: 'crash',
  state: 'open',
  segmentId: 'zj-g60-s04',
  lonDeg: 120.2,
  latDeg: 29.77,
  deviceId: 'zj-ops',
  openedAt: 1_764_300_000_000,
  clearedAt: null,
  updatedAt: 1_764_300_000_000,
  closesSegment: false,
};
const STATION = {
  deviceId: 'zj-wx-1',
  siteId: 'zj-wx-site-1',
  name: 'Weather 1',
  nameZh: '气象站1',
  lonDeg: 120.2,
  latDeg: 29.8,
  ts: 1_764_300_000_000,
  health: 'ok',
  visibilityM: 80,
  roadTempC: 3.2,
  precipMmh: 0,
  fog: { belowM: 100, limitKmh: 40, exit: false, severity: 'major' },
  ice: false,
  segmentIds: ['zj-g60-s04'],
  alarmIds: [],
};
const ROUTE = {
  segmentIds: ['zj-g60-s03', 'zj-g60-s04'],
  travelTimeS: 1800,
  freeFlowTimeS: 400,
  delayS: 1400,
  lengthM: 9800,
  geometry: { type: 'LineString', coordinates: [[120.2, 29.8], [120.21, 29.77]] },
};

interface Row {
  what: string;
  schema: z.ZodType;
  answer: unknown;
  /** Where the first problem is, for a bad answer. */
  path?: string;
}
const titled = (rows: Row[]): [string, Row][] => rows.map((r) => [r.what, r]);

describe('road answers', () => {
  it.each(
    titled([
      { what: 'segments, one jammed and one with a stuck detector', schema: segmentListSchema, answer: [SEGMENT, UNKNOWN] },
      { what: 'an empty segment list', schema: segmentListSchema, answer: [] },
      { what: 'the network index with a gap in its history', schema: networkViewSchema, answer: NETWORK },
      { what: 'a network with no known level yet', schema: networkViewSchema, answer: { ...NETWORK, index: null, history: [] } },
      { what: 'an open crash', schema: incidentListSchema, answer: [INCIDENT] },
      { what: 'a cleared closure', schema: incidentListSchema, answer: [{ ...INCIDENT, kind: 'closure', state: 'cleared', clearedAt: 1_764_300_100_000 }] },
      { what: 'a station in fog', schema: weatherListSchema, answer: [STATION] },
      { what: 'a station never heard', schema: weatherListSchema, answer: [{ ...STATION, ts: null, health: 'nodata', visibilityM: null, roadTempC: null, precipMmh: null, fog: null }] },
      { what: 'a route', schema: routeSchema, answer: ROUTE },
    ]),
  )('accepts %s', (_w, { schema, answer }) => {
    expect(checkAnswer(schema, answer)).toMatchObject({ ok: true });
  });

  it.each(
    titled([
      { what: 'a level beyond the five bands', schema: segmentListSchema, answer: [{ ...SEGMENT, level: 6 }], path: '0.level' },
      { what: 'a speed as text', schema: segmentListSchema, answer: [{ ...SEGMENT, speedKmh: '10' }], path: '0.speedKmh' },
      { what: 'a detector health the app does not know', schema: segmentListSchema, answer: [UNKNOWN, { ...SEGMENT, health: 'broken' }], path: '1.health' },
      { what: 'segments as an object instead of a list', schema: segmentListSchema, answer: { segments: [SEGMENT] }, path: '' },
      { what: 'an index history entry without its time', schema: networkViewSchema, answer: { ...NETWORK, history: [[1.3]] }, path: 'history.0' },
      { what: 'a network length without the unknown share', schema: networkViewSchema, answer: { ...NETWORK, lengthByLevelM: { 1: 1, 2: 0, 3: 0, 4: 0, 5: 0 } }, path: 'lengthByLevelM.unknown' },
      { what: 'an incident kind the contract does not have', schema: incidentListSchema, answer: [{ ...INCIDENT, kind: 'flood' }], path: '0.kind' },
      { what: 'a fog band without its speed limit', schema: weatherListSchema, answer: [{ ...STATION, fog: { belowM: 100, exit: false, severity: 'major' } }], path: '0.fog.limitKmh' },
      { what: 'a route whose geometry is a polygon', schema: routeSchema, answer: { ...ROUTE, geometry: { type: 'Polygon', coordinates: [] } }, path: 'geometry.type' },
      { what: 'a route without its travel time', schema: routeSchema, answer: { ...ROUTE, travelTimeS: undefined }, path: 'travelTimeS' },
    ]),
  )('rejects %s, saying where', (_w, { schema, answer, path }) => {
    const r = checkAnswer(schema, answer);
    expect(r.ok).toBe(false);
    if (!r.ok && path) expect(r.reason.startsWith(`${path}: `)).toBe(true);
  });
});
