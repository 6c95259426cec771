/**
 * `GET /api/spaces` checked by hand first: the session polls it every 2 s, and at city scale
 * (11,000 spaces) zod without its JIT took a fifth of the page's main thread over it. A space that
 * is surely what `spaceSummarySchema` accepts passes as it is; any other goes through the schema
 * alone (its path in the list kept), so a malformed space gets the schema's own message.
 */
import { z } from 'zod';
import { SEVERITIES } from '../alarm';
import { CHAIN_STEPS } from '../safety';
import { isNumber, isRecord, type Rec } from './handCheck';
import { SPACE_STATUSES, spaceListSchema, spaceSummarySchema, type SpaceSummary } from './spaces';

const oneOf = (values: readonly string[]) => {
  const set: ReadonlySet<unknown> = new Set(values);
  return (x: unknown) => set.has(x);
};
const isStatus = oneOf(SPACE_STATUSES);
const isSeverity = oneOf(SEVERITIES);
const isLevel = oneOf(['upper', 'middle', 'lower']);
const isLink = oneOf(['online', 'stale', 'offline', 'unknown']);
const isStep = oneOf(CHAIN_STEPS);
const isStepStatus = oneOf(['ok', 'failed', 'pending']);
const text = (x: unknown) => typeof x === 'string';
const textOrNull = (x: unknown) => x === null || typeof x === 'string';
const numberOrNull = (x: unknown) => x === null || isNumber(x);
const texts = (x: unknown) => Array.isArray(x) && x.every(text);
const reason = (x: unknown) => isRecord(x) && typeof x.code === 'string' && isRecord(x.params);

const detector = (x: unknown) => isRecord(x) && typeof x.id === 'string' && (x.level === null || isLevel(x.level)) && isLink(x.status);
const step = (x: unknown) =>
  isRecord(x) && isStep(x.step) && isStepStatus(x.status) && numberOrNull(x.at) && (x.reason === null || reason(x.reason));
const enteredAt = (x: unknown) => isRecord(x) && Object.values(x).every(isNumber);

/**
 * Whether `s` is surely a space the schema accepts (false: let the schema say). A space with a
 * permit, a gas test or ventilation known is left to the schema: they are few, and rich.
 */
export function surelySpace(s: unknown): boolean {
  if (!isRecord(s)) return false;
  const x: Rec = s;
  return (
    text(x.id) && textOrNull(x.plantId) && text(x.name) && text(x.nameZh) && textOrNull(x.spaceType) &&
    numberOrNull(x.depthM) && numberOrNull(x.maxPersons) && textOrNull(x.accessId) &&
    Array.isArray(x.detectors) && x.detectors.every(detector) &&
    x.permit === null && x.lastGasTest === null && x.ventilation === null &&
    texts(x.inside) && enteredAt(x.enteredAt) &&
    (x.maxInsideMin === undefined || (isNumber(x.maxInsideMin) && x.maxInsideMin > 0)) &&
    textOrNull(x.attendant) && isStatus(x.status) && (x.worstSeverity === null || isSeverity(x.worstSeverity)) &&
    texts(x.reasons) && textOrNull(x.permitIssue) &&
    (x.permitIssueCode === undefined || x.permitIssueCode === null || reason(x.permitIssueCode)) &&
    (x.chain === undefined || (Array.isArray(x.chain) && x.chain.every(step))) &&
    (x.reasonCodes === undefined || (Array.isArray(x.reasonCodes) && x.reasonCodes.every(reason))) &&
    texts(x.alarmIds)
  );
}

/** The space list as the session checks it; a failure has the schema's own path and message. */
export const spaceListAnswerSchema: z.ZodType<SpaceSummary[]> = z.unknown().transform((json, ctx) => {
  if (!Array.isArray(json)) {
    const parsed = spaceListSchema.safeParse(json);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  }
  // Each space on its own: one with a permit open does not send the other 10,000 through zod.
  const out: SpaceSummary[] = new Array(json.length);
  let failed = false;
  json.forEach((s, i) => {
    if (surelySpace(s)) return void (out[i] = s as SpaceSummary);
    const parsed = spaceSummarySchema.safeParse(s);
    if (parsed.success) return void (out[i] = parsed.data);
    failed = true;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: [i, ...issue.path] });
  });
  return failed ? z.NEVER : out;
});
