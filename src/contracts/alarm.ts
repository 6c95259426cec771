import { z } from 'zod';
import { SCENES, type Scene } from './scenes';

export const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
/** Drawn red / orange / yellow / blue, the Chinese four-colour risk map. */
export type Severity = (typeof SEVERITIES)[number];

/** ISA-18.2 states (docs/contract.md "Alarm record"). */
export const ALARM_STATES = ['active_unack', 'active_ack', 'cleared_unack', 'closed', 'shelved'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

/** The alarm record of the wire contract, published retained on `citytwin/v1/alarms/{id}`. */
export interface AlarmRecord {
  id: string;
  scene: Scene;
  siteId: string | null;
  deviceId: string | null;
  rule: string;
  severity: Severity;
  state: AlarmState;
  message: string;
  value: number | null;
  threshold: number | null;
  raisedAt: number;
  updatedAt: number;
  clearedAt: number | null;
  ackedAt: number | null;
  ackedBy: string | null;
  /** Set while shelved: when the shelve ends, and why. Additions within v1. */
  shelvedUntil?: number | null;
  shelveReason?: string | null;
  /** Whether the condition is still active (useful while shelved). */
  active?: boolean;
  /** Cameras whose view covers the alarm's position, nearest first (video linkage). Addition within v1. */
  cameraIds?: string[];
  /**
   * What `message` says, as data: a code and its parameters (ids, values, nested reasons), which the
   * app renders in the reader's language with names instead of ids. `message` stays English for
   * integrations; `messageZh` is the same sentence in Chinese. Additions within v1.
   */
  detail?: AlarmDetail | null;
  messageZh?: string | null;
  /**
   * The worst severity the alarm reached, set once it has been worse than `severity` is now (a
   * critical H₂S alarm that fell back to major stays critical in history). Addition within v1.
   */
  peakSeverity?: Severity | null;
}

/** A value inside an alarm detail: plain data, or nested details (the reasons of an evacuate alarm). */
export type AlarmParam = string | number | boolean | null | AlarmDetail | AlarmParam[];

/** Structured alarm text: `code` names the sentence, `params` fill it. */
export interface AlarmDetail {
  code: string;
  params: { [name: string]: AlarmParam };
}

const alarmParam: z.ZodType<AlarmParam> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), alarmDetailSchema, z.array(alarmParam)]),
);
export const alarmDetailSchema: z.ZodType<AlarmDetail> = z.lazy(() =>
  z.object({ code: z.string().min(1).max(64), params: z.record(z.string(), alarmParam) }),
);

export const alarmRecordSchema = z.object({
  id: z.string().min(1),
  scene: z.enum(SCENES),
  siteId: z.string().nullable(),
  deviceId: z.string().nullable(),
  rule: z.string(),
  severity: z.enum(SEVERITIES),
  state: z.enum(ALARM_STATES),
  message: z.string(),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  raisedAt: z.number(),
  updatedAt: z.number(),
  clearedAt: z.number().nullable(),
  ackedAt: z.number().nullable(),
  ackedBy: z.string().nullable(),
  shelvedUntil: z.number().nullable().optional(),
  shelveReason: z.string().nullable().optional(),
  active: z.boolean().optional(),
  cameraIds: z.array(z.string().min(1).max(128)).max(64).optional(),
  detail: alarmDetailSchema.nullable().optional(),
  messageZh: z.string().nullable().optional(),
  peakSeverity: z.enum(SEVERITIES).nullable().optional(),
});

/** Validates an alarm record as received over MQTT or HTTP. */
export function parseAlarmRecord(json: unknown): AlarmRecord | null {
  const parsed = alarmRecordSchema.safeParse(json);
  return parsed.success ? (parsed.data as AlarmRecord) : null;
}

/** Open = anything not closed. */
export function isOpen(alarm: Pick<AlarmRecord, 'state'>): boolean {
  return alarm.state !== 'closed';
}

/** Needs an operator's acknowledgement. */
export function isUnacked(alarm: Pick<AlarmRecord, 'state'>): boolean {
  return alarm.state === 'active_unack' || alarm.state === 'cleared_unack';
}
