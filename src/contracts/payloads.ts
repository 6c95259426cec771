import { z } from 'zod';
import { inRange, isQuantity, QUANTITY_RANGES, type Values } from './quantities';
import { videoDetectionSchema } from './video';

/** Payloads over this size are rejected unread (docs/contract.md "MQTT topics"). */
export const MAX_PAYLOAD_BYTES = 256 * 1024;
/** A `ts` more than this far in the future is rejected. */
export const MAX_FUTURE_MS = 5 * 60 * 1000;
/** A `ts` before 2000-01-01T00:00:00Z is `bad_ts`: no device of this system reports from before it. */
export const MIN_TS_MS = Date.UTC(2000, 0, 1);
/** The largest instant a JavaScript Date holds (ECMA-262 §21.4.1.1: ±8.64e15 ms); past it is `bad_ts`. */
export const MAX_DATE_MS = 8.64e15;

/** Why a message was rejected; counted per reason in /api/health and /metrics. */
export const REJECT_REASONS = [
  'too_large',
  'not_json',
  'bad_schema',
  'missing_ts',
  'bad_ts',
  'future_ts',
  'bad_value',
  'out_of_range',
  'unknown_quantity',
  'unknown_device',
  'bad_topic',
  'forbidden',
  'retained',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Reject {
  reason: RejectReason;
  detail: string;
}

/** `ts` as epoch milliseconds or an ISO-8601 string. */
const tsSchema = z.union([z.number(), z.string()]);

/** Normalises a contract `ts` to epoch ms; NaN when it is not a time. */
export function tsToMs(ts: number | string): number {
  if (typeof ts === 'number') return Number.isFinite(ts) && ts > 0 ? Math.round(ts) : NaN;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(ts)) return NaN;
  return Date.parse(ts);
}

const telemetrySchema = z.object({
  ts: tsSchema.optional(),
  seq: z.number().int().optional(),
  values: z.record(z.string(), z.unknown()),
});

/** One accepted telemetry message (a batch holds several). */
export interface Telemetry {
  ts: number;
  seq?: number;
  values: Values;
}

export type Result<T> = { ok: true; value: T } | { ok: false; reject: Reject };

const fail = (reason: RejectReason, detail: string): { ok: false; reject: Reject } => ({
  ok: false,
  reject: { reason, detail },
});

/** Decodes a raw payload to JSON, enforcing the size limit. */
export function decodeJson(payload: Uint8Array | string): Result<unknown> {
  // The limit is on bytes as they travel; a string counts in UTF-8.
  const size = typeof payload === 'string' ? encoder.encode(payload).byteLength : payload.byteLength;
  if (size > MAX_PAYLOAD_BYTES) return fail('too_large', `payload of ${size} bytes exceeds ${MAX_PAYLOAD_BYTES}`);
  const text = typeof payload === 'string' ? payload : decoder.decode(payload);
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return fail('not_json', 'payload is not JSON');
  }
}
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Checks a message `ts`: present, a time, not more than 5 minutes ahead of `nowMs`. */
export function checkTs(ts: unknown, nowMs: number): Result<number> {
  if (ts === undefined || ts === null) return fail('missing_ts', 'ts is missing');
  if (typeof ts !== 'number' && typeof ts !== 'string') return fail('bad_ts', 'ts is neither epoch ms nor ISO-8601');
  const ms = tsToMs(ts);
  if (Number.isNaN(ms)) return fail('bad_ts', `ts ${JSON.stringify(ts)} is not a time`);
  if (ms < MIN_TS_MS || ms > MAX_DATE_MS) return fail('bad_ts', `ts ${JSON.stringify(ts)} is before 2000 or beyond any date`);
  if (ms > nowMs + MAX_FUTURE_MS) return fail('future_ts', `ts ${new Date(ms).toISOString()} is more than 5 min ahead`);
  return { ok: true, value: ms };
}

/**
 * Validates one telemetry object (not a batch). `allowed` narrows the quantities to those a device
 * reports; without it any contract quantity is accepted. `schemaOnly` skips the fast check of a
 * well-formed object (isWellFormedTelemetry), for the tests that hold both paths to the same answers.
 */
export function validateTelemetryItem(
  item: unknown,
  nowMs: number,
  allowed?: readonly string[],
  schemaOnly = false,
): Result<Telemetry> {
  let parsed: { ts?: number | string; seq?: number };
  if (!schemaOnly && isWellFormedTelemetry(item)) parsed = item;
  else {
    const z = telemetrySchema.safeParse(item);
    if (!z.success) {
      if (item && typeof item === 'object' && !('values' in item)) return fail('bad_schema', 'values is missing');
      return fail('bad_schema', z.error.issues[0]?.message ?? 'not a telemetry object');
    }
    parsed = z.data;
  }
  const ts = checkTs(parsed.ts, nowMs);
  if (!ts.ok) return ts;
  const values: Values = {};
  let count = 0;
  // The raw keys, not zod's output: z.record drops a "__proto__" key, which must count as unknown.
  const rawValues = (item as { values: Record<string, unknown> }).values;
  for (const name of Object.keys(rawValues)) {
    const value = rawValues[name];
    if (!isQuantity(name) || (allowed && !allowed.includes(name))) {
      return fail('unknown_quantity', `quantity ${name} is not reported by this device`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return fail('bad_value', `${name} = ${JSON.stringify(value)} is not a finite number`);
    }
    if (!inRange(name, value)) {
      const [min, max] = QUANTITY_RANGES[name];
      return fail('out_of_range', `${name} = ${value} is outside its physical range ${min}…${max}`);
    }
    values[name] = value;
    count++;
  }
  if (count === 0) return fail('bad_schema', 'values is empty');
  const out: Telemetry = { ts: ts.value, values };
  if (parsed.seq !== undefined) out.seq = parsed.seq;
  return { ok: true, value: out };
}

/**
 * A telemetry object the schema surely accepts, checked without zod (which cost more than the rest of
 * a message's validation): `ts` absent, a finite number or a string, `seq` absent or a safe integer,
 * `values` a plain object with no symbol keys. Anything else goes through the schema, whose first
 * issue is the reject's detail, so what is rejected, and why, is unchanged.
 */
export function isWellFormedTelemetry(item: unknown): item is { ts?: number | string; seq?: number; values: Record<string, unknown> } {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return false;
  const { ts, seq, values } = item as Record<string, unknown>;
  if (ts !== undefined && typeof ts !== 'string' && !(typeof ts === 'number' && Number.isFinite(ts))) return false;
  if (seq !== undefined && !Number.isSafeInteger(seq)) return false;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return false;
  const proto = Object.getPrototypeOf(values) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  return !Object.hasOwn(values, 'constructor') && Object.getOwnPropertySymbols(values).length === 0;
}

/** Validates a decoded telemetry payload: an object or an array of them (a batch). */
export function validateTelemetry(
  json: unknown,
  nowMs: number,
  allowed?: readonly string[],
): { accepted: Telemetry[]; rejects: Reject[] } {
  const items = Array.isArray(json) ? json : [json];
  const accepted: Telemetry[] = [];
  const rejects: Reject[] = [];
  if (items.length === 0) rejects.push({ reason: 'bad_schema', detail: 'empty batch' });
  for (const item of items) {
    // One item that trips anything unforeseen costs that item only, never its neighbours.
    let r: Result<Telemetry>;
    try {
      r = validateTelemetryItem(item, nowMs, allowed);
    } catch (err) {
      r = fail('bad_schema', `item could not be read: ${(err as Error).message}`);
    }
    if (r.ok) accepted.push(r.value);
    else rejects.push(r.reject);
  }
  return { accepted, rejects };
}

const levelValues = z.record(z.string(), z.number().finite());
const id = z.string().min(1).max(128);

/** Event payloads the rules depend on (docs/contract.md "Events"); other types pass with ts and type only. */
export const eventSchemas = {
  'permit.open': z.object({
    permitId: id,
    spaceId: id,
    workers: z.array(id),
    attendant: id,
    maxPersons: z.number().int().positive(),
    /** v1.1: the permit lapses at this epoch ms; absent, the service's configured validity applies. */
    validUntil: z.number().int().positive().optional(),
  }),
  'permit.close': z.object({ permitId: id }),
  'gas.test': z.object({
    spaceId: id,
    levels: z.object({ upper: levelValues, middle: levelValues, lower: levelValues }),
  }),
  entry: z.object({ spaceId: id, personId: id }),
  exit: z.object({ spaceId: id, personId: id }),
  /** v1.1: the space's fan (forced ventilation) started or stopped. */
  ventilation: z.object({ spaceId: id, state: z.enum(['on', 'off']) }),
  /** v1.1: a person took up or left the attendant's post at the opening. */
  'attendant.on': z.object({ spaceId: id, personId: id }),
  'attendant.off': z.object({ spaceId: id, personId: id }),
  incident: z.object({
    incidentId: id,
    kind: z.enum(['crash', 'roadworks', 'closure']),
    segmentId: id,
    lonDeg: z.number().finite(),
    latDeg: z.number().finite(),
    state: z.enum(['open', 'cleared']),
  }),
  'video.detection': videoDetectionSchema,
} as const;

export type KnownEventType = keyof typeof eventSchemas;
export type EventOf<T extends KnownEventType> = z.infer<(typeof eventSchemas)[T]> & { ts: number; type: T };
export type PermitOpenEvent = EventOf<'permit.open'>;
export type PermitCloseEvent = EventOf<'permit.close'>;
export type GasTestEvent = EventOf<'gas.test'>;
export type EntryEvent = EventOf<'entry'>;
export type ExitEvent = EventOf<'exit'>;
export type IncidentEvent = EventOf<'incident'>;
export type VideoDetectionEvent = EventOf<'video.detection'>;
export type VentilationEvent = EventOf<'ventilation'>;
export type AttendantOnEvent = EventOf<'attendant.on'>;
export type AttendantOffEvent = EventOf<'attendant.off'>;
export type KnownEvent =
  | PermitOpenEvent
  | PermitCloseEvent
  | GasTestEvent
  | EntryEvent
  | ExitEvent
  | IncidentEvent
  | VentilationEvent
  | AttendantOnEvent
  | AttendantOffEvent;
/** Any accepted event: one of the known ones, or another `type` with free fields. */
export type DeviceEvent = KnownEvent | { ts: number; type: string; [field: string]: unknown };

/** Validates a decoded event payload. */
export function validateEvent(json: unknown, nowMs: number): Result<DeviceEvent> {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return fail('bad_schema', 'event is not an object');
  const obj = json as Record<string, unknown>;
  const ts = checkTs(obj.ts, nowMs);
  if (!ts.ok) return ts;
  if (typeof obj.type !== 'string' || obj.type.length === 0 || obj.type.length > 64) {
    return fail('bad_schema', 'event type is missing');
  }
  const schema = (eventSchemas as Record<string, z.ZodType>)[obj.type];
  if (schema) {
    const parsed = schema.safeParse(obj);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail('bad_schema', `${obj.type}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
    }
    const implausible = outOfRangeIn(obj);
    if (implausible) return fail('out_of_range', `${obj.type}: ${implausible}`);
  }
  return { ok: true, value: { ...obj, ts: ts.value, type: obj.type } as DeviceEvent };
}

/** The first value of a known event that lies outside its physical range, described; null if none. */
function outOfRangeIn(e: Record<string, unknown>): string | null {
  if (e.type === 'gas.test') {
    for (const [level, values] of Object.entries(e.levels as Record<string, Record<string, number>>)) {
      for (const [q, v] of Object.entries(values)) {
        if (isQuantity(q) && !inRange(q, v)) return `levels.${level}.${q} = ${v} is outside ${QUANTITY_RANGES[q].join('…')}`;
      }
    }
  }
  if (e.type === 'incident') {
    if (!inRange('lon_deg', e.lonDeg as number)) return `lonDeg = ${String(e.lonDeg)} is not a longitude`;
    if (!inRange('lat_deg', e.latDeg as number)) return `latDeg = ${String(e.latDeg)} is not a latitude`;
  }
  return null;
}

export interface DeviceStatus {
  online: boolean;
  ts: number;
}

const statusSchema = z.object({ online: z.boolean(), ts: tsSchema.optional() });

/** Validates a decoded status payload (`{"online": bool, "ts": …}`). */
export function validateStatus(json: unknown, nowMs: number): Result<DeviceStatus> {
  const parsed = statusSchema.safeParse(json);
  if (!parsed.success) return fail('bad_schema', 'status needs a boolean online');
  const ts = checkTs(parsed.data.ts, nowMs);
  if (!ts.ok) return ts;
  return { ok: true, value: { online: parsed.data.online, ts: ts.value } };
}

/** Device health as carried in live batches. */
export type LiveStatus = 'stale' | 'online' | 'offline';

/** `citytwin/v1/live/{scene}`: the latest accepted readings since the previous batch. */
export interface LiveBatch {
  ts: number;
  readings: [deviceId: string, ts: number, values: Values][];
  status: [deviceId: string, status: LiveStatus][];
}

/** A live batch's shape; `validateLiveBatch` is the check browsers use. */
export const liveBatchSchema = z.object({
  ts: z.number(),
  readings: z.array(z.tuple([z.string(), z.number(), z.record(z.string(), z.number())])),
  status: z.array(z.tuple([z.string(), z.enum(['stale', 'online', 'offline'])])),
});

const LIVE_STATUSES: ReadonlySet<unknown> = new Set<LiveStatus>(['stale', 'online', 'offline']);
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * Validates a live batch as received by a browser: what `liveBatchSchema` accepts, checked in place
 * without copying (a page takes thousands of readings a second; the schema's copy of each was a
 * large part of its cost per reading). The answer holds the batch's own arrays.
 */
export function validateLiveBatch(json: unknown): Result<LiveBatch> {
  if (!isObject(json) || !isNumber(json.ts) || !Array.isArray(json.readings) || !Array.isArray(json.status)) return fail('bad_schema', 'not a live batch');
  for (const r of json.readings as unknown[]) {
    if (!Array.isArray(r) || r.length !== 3 || typeof r[0] !== 'string' || !isNumber(r[1]) || !isObject(r[2])) return fail('bad_schema', 'not a live batch');
    for (const k in r[2]) if (!isNumber(r[2][k])) return fail('bad_schema', 'not a live batch');
  }
  for (const s of json.status as unknown[]) {
    if (!Array.isArray(s) || s.length !== 2 || typeof s[0] !== 'string' || !LIVE_STATUSES.has(s[1])) return fail('bad_schema', 'not a live batch');
  }
  return { ok: true, value: { ts: json.ts, readings: json.readings, status: json.status } as LiveBatch };
}
