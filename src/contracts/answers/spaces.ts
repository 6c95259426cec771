/**
 * `GET /api/spaces[/{id}][?at=]`: the inspector's confined spaces, worst first — registry facts,
 * the entry state (permit, last gas test, who is inside) and how bad it is now. Built by the
 * service's entry rules, drawn by the browser's space list, space view and globe markers.
 */
import { z } from 'zod';
import { CHAIN_STEPS, type Reason } from '../safety';
import { epochMs, gasLevelSchema, quantitySchema, severitySchema, valuesSchema } from './shared';

/** How a space is listed, worst first: people must leave, an alarm, people inside, a permit open, nothing. */
export const SPACE_STATUSES = ['evacuate', 'alarm', 'occupied', 'permit', 'idle'] as const;
export type SpaceStatus = (typeof SPACE_STATUSES)[number];

export const permitSchema = z.object({
  permitId: z.string(),
  workers: z.array(z.string()),
  /** Stays at the opening; never one of the people inside. */
  attendant: z.string(),
  maxPersons: z.number(),
  openedAt: epochMs,
  /** When the permit lapses: its `validUntil`, else opening + the configured validity. */
  validUntil: epochMs.optional(),
  /** `ts` of the gas test the permit rests on (the latest one at opening, or a later passing one). */
  gasTestAt: epochMs.nullable(),
  /** Entry not allowed until a new gas test passes (after an evacuate alarm or a failed test). */
  suspended: z.boolean(),
  suspendReason: z.string().nullable(),
  /** `suspendReason` as a reason the app words in the reader's language (a failed gas test, the evacuate reason); absent from older services. */
  suspendCause: z.lazy(() => reasonSchema).nullable().optional(),
  /** `ts` of the first entry under this permit (the 30-minute rule is judged there). */
  firstEntryAt: epochMs.nullable(),
});
export type Permit = z.infer<typeof permitSchema>;

export const gasTestFailureSchema = z.object({
  level: gasLevelSchema,
  quantity: quantitySchema,
  /** null: the level lacks this required channel. */
  value: z.number().nullable(),
  /** The allowed range, for people: "19.5–21", "< 7". */
  allowed: z.string(),
});
export type GasTestFailure = z.infer<typeof gasTestFailureSchema>;

export const gasTestSchema = z.object({
  ts: epochMs,
  levels: z.object({ upper: valuesSchema, middle: valuesSchema, lower: valuesSchema }),
  pass: z.boolean(),
  failures: z.array(gasTestFailureSchema),
});
export type GasTest = z.infer<typeof gasTestSchema>;

/**
 * A reason as a code and its parameters, rendered in the reader's language. Codes are open: a
 * newer service may send one this app renders through its English fallback.
 */
export const reasonSchema = z.object({ code: z.string(), params: z.record(z.string(), z.unknown()) }).transform((r) => r as Reason);

/** One step of the chain ventilate → test → permit → attendant → entry. */
export const chainStepSchema = z.object({
  step: z.enum(CHAIN_STEPS),
  status: z.enum(['ok', 'failed', 'pending']),
  at: epochMs.nullable(),
  reason: reasonSchema.nullable(),
});

export const spaceSummarySchema = z.object({
  id: z.string(),
  plantId: z.string().nullable(),
  name: z.string(),
  nameZh: z.string(),
  spaceType: z.string().nullable(),
  depthM: z.number().nullable(),
  maxPersons: z.number().nullable(),
  /** The access terminal: `deviceId` of the space's evacuate and permit alarms. */
  accessId: z.string().nullable(),
  /** Gas detectors, upper to lower, with their health (`unknown`: not heard since the service started). */
  detectors: z.array(z.object({ id: z.string(), level: gasLevelSchema.nullable(), status: z.enum(['online', 'stale', 'offline', 'unknown']) })),
  permit: permitSchema.nullable(),
  lastGasTest: gasTestSchema.nullable(),
  /** Person ids inside, in order of entry. */
  inside: z.array(z.string()),
  /** personId → entry `ts`, for those inside. */
  enteredAt: z.record(z.string(), epochMs),
  /** Minutes a person may stay inside (the space's `props.maxInsideMin`, else the site default); past it, `overstay`. */
  maxInsideMin: z.number().positive().optional(),
  /** The open permit's attendant (at the opening), or null. */
  attendant: z.string().nullable(),
  ventilation: z.object({ on: z.boolean(), ts: epochMs }).nullable(),
  status: z.enum(SPACE_STATUSES),
  /** Worst severity among the space's active alarms (its detectors' and its own); null when none. */
  worstSeverity: severitySchema.nullable(),
  /** Why evacuate holds now, most urgent first; empty when it does not. */
  reasons: z.array(z.string()),
  /** What is wrong with the permit's gas test (the `permit` alarm's message), or null. */
  permitIssue: z.string().nullable(),
  /** `permitIssue` as a code, for the app to word in the reader's language. */
  permitIssueCode: reasonSchema.nullable().optional(),
  /** The chain ventilate → test → permit → attendant → entry, each step ok / failed / pending. */
  chain: z.array(chainStepSchema).optional(),
  /** Why evacuate holds, as codes the app renders in the user's language. */
  reasonCodes: z.array(reasonSchema).optional(),
  /** Open alarms of the space and its devices (active or awaiting acknowledgement), worst first. */
  alarmIds: z.array(z.string()),
});
export type SpaceSummary = z.infer<typeof spaceSummarySchema>;

/** `GET /api/spaces`: worst first. */
export const spaceListSchema = z.array(spaceSummarySchema);
