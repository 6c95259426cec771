/**
 * A jammed road segment as `GET /api/segments` answers it: the one fixture the zod schema's tests
 * (roads.test.ts) and the hand check's (segmentList.test.ts) start from. Imported by tests only.
 */
import type { SegmentView } from './roads';

export const JAMMED_SEGMENT: SegmentView = {
  id: 'zj-g60-s04',
  class: 'expressway',
  speedKmh: 10,
  level: 5,
  name: 'G60 southbound 4',
  nameZh: 'G60 南向 4',
  roadName: 'G60',
  direction: 'S',
  lanes: 3,
  lengthM: 5200,
  freeFlowKmh: 110,
  smoothedSpeedKmh: 11.5,
  usualSpeedKmh: 96,
  health: 'ok',
  closed: false,
  incidentIds: ['e2e-crash-1'],
  updatedAt: 1_764_300_000_000,
};
