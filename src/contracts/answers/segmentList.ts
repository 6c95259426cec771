/**
 * `GET /api/segments` checked by hand first (see `handChecked`): at city scale it is 7,000
 * segments (2.9 MB), polled every 3 s, and zod without its JIT took 0.1–0.16 s of a starting page's
 * main thread over it. A segment that is surely what `segmentViewSchema` accepts passes as it is;
 * anything else is left to the schema.
 */
import type { z } from 'zod';
import { handChecked, isNumber, isRecord } from './handCheck';
import { DETECTOR_HEALTHS, segmentListSchema, type SegmentView } from './roads';

const oneOf = (values: readonly unknown[]) => {
  const set: ReadonlySet<unknown> = new Set(values);
  return (x: unknown) => set.has(x);
};
const isLevel = oneOf([1, 2, 3, 4, 5]);
const isHealth = oneOf(DETECTOR_HEALTHS);
const isCriterion = oneOf(['highway', 'urban']);
const isControlLevel = oneOf(['fog_200', 'fog_100', 'fog_50', 'ice']);
const isAction = oneOf(['limit', 'exit', 'close']);
const text = (x: unknown) => typeof x === 'string';
const textOrNull = (x: unknown) => x === null || typeof x === 'string';
const numberOrNull = (x: unknown) => x === null || isNumber(x);

const control = (c: unknown) =>
  c === undefined ||
  c === null ||
  (isRecord(c) && isControlLevel(c.level) && numberOrNull(c.speedLimitKmh) && numberOrNull(c.spacingM) && isAction(c.action) && text(c.vmsText) && text(c.vmsTextEn));

/** Whether `s` is surely a segment `segmentViewSchema` accepts (false: let the schema say). */
export function surelySegment(s: unknown): boolean {
  if (!isRecord(s)) return false;
  return (
    text(s.id) && text(s.class) && numberOrNull(s.speedKmh) && (s.level === null || isLevel(s.level)) &&
    text(s.name) && text(s.nameZh) && textOrNull(s.roadName) && textOrNull(s.direction) && numberOrNull(s.lanes) &&
    isNumber(s.lengthM) && isNumber(s.freeFlowKmh) && numberOrNull(s.smoothedSpeedKmh) && isNumber(s.usualSpeedKmh) &&
    isHealth(s.health) && typeof s.closed === 'boolean' && (s.criterion === undefined || isCriterion(s.criterion)) &&
    control(s.control) && Array.isArray(s.incidentIds) && s.incidentIds.every(text) && numberOrNull(s.updatedAt)
  );
}

/** The segment list as the session checks it; a failure has the schema's own path and message. */
export const segmentListAnswerSchema: z.ZodType<SegmentView[]> = handChecked(surelySegment, segmentListSchema);
