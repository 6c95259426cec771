/**
 * `GET /api/park/summary` checked by hand first (see `handCheckedWhole`): at city scale it is 3,000
 * enterprises and 2,700 tanks (1.9 MB), and zod without its JIT took 0.04–0.12 s of a starting
 * page's main thread over it. A summary that is surely what `parkSummarySchema` accepts passes as
 * it is; anything else is left to the schema.
 */
import type { z } from 'zod';
import { SEVERITIES } from '../alarm';
import { QUANTITIES } from '../quantities';
import { limitsOk } from './deviceList';
import { handCheckedWhole, isNumber, isRecord } from './handCheck';
import { LIMIT_BANDS, parkSummarySchema, type ParkSummary } from './park';

const oneOf = (values: readonly unknown[]) => {
  const set: ReadonlySet<unknown> = new Set(values);
  return (x: unknown) => set.has(x);
};
const isRisk = oneOf(['red', 'orange', 'yellow', 'blue']);
const isSeverity = oneOf(SEVERITIES);
const isStatus = oneOf(['online', 'stale', 'offline']);
const isBand = oneOf(LIMIT_BANDS);
const isQuantity = (x: string) => Object.hasOwn(QUANTITIES, x);
const text = (x: unknown) => typeof x === 'string';
const textOrNull = (x: unknown) => x === null || typeof x === 'string';
const numberOrNull = (x: unknown) => x === null || isNumber(x);
const riskOrNull = (x: unknown) => x === null || isRisk(x);

const counts = (c: unknown) => isRecord(c) && isNumber(c.critical) && isNumber(c.major) && isNumber(c.minor) && isNumber(c.warning) && isNumber(c.total);

/** A record of known quantities whose every value passes `ok`. */
function byQuantity(r: unknown, ok: (v: unknown) => boolean): boolean {
  if (!isRecord(r)) return false;
  for (const q in r) if (!isQuantity(q) || !ok(r[q])) return false;
  return true;
}

const enterprise = (e: unknown) =>
  isRecord(e) && text(e.id) && text(e.name) && text(e.nameZh) && riskOrNull(e.riskLevel) && riskOrNull(e.effectiveRiskLevel) &&
  textOrNull(e.colour) && (e.overlay === undefined || e.overlay === null || (isRecord(e.overlay) && isSeverity(e.overlay.worstSeverity) && isNumber(e.overlay.openAlarms))) &&
  isNumber(e.people) && counts(e.openAlarms);

const tank = (t: unknown) =>
  isRecord(t) && text(t.id) && text(t.name) && text(t.nameZh) && textOrNull(t.farmId) && textOrNull(t.enterpriseId) &&
  textOrNull(t.tankType) && textOrNull(t.substance) && numberOrNull(t.capacityM3) && textOrNull(t.deviceId) && numberOrNull(t.ts) &&
  (t.status === null || isStatus(t.status)) && byQuantity(t.values, isNumber) && t.limits !== undefined && limitsOk(t.limits) && byQuantity(t.bands, isBand);

/** Whether `s` is surely a summary `parkSummarySchema` accepts (false: let the schema say). */
export function surelyParkSummary(s: unknown): boolean {
  return (
    isRecord(s) && Array.isArray(s.enterprises) && s.enterprises.every(enterprise) && counts(s.otherOpenAlarms) &&
    Array.isArray(s.tanks) && s.tanks.every(tank) && isNumber(s.activeZones)
  );
}

/** The park summary as the session checks it; a failure has the schema's own path and message. */
export const parkSummaryAnswerSchema: z.ZodType<ParkSummary> = handCheckedWhole(surelyParkSummary, parkSummarySchema);
