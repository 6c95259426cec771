/**
 * The answers every scene shares: health, login, the registry's devices and sites, a device's
 * history, the twin at a past instant and an alarm's transitions. Alarm records themselves are
 * checked one by one with the contract's `alarmRecordSchema` (a bad record is dropped and counted,
 * the others still shown).
 */
import { z } from 'zod';
import { alarmRecordSchema } from '../alarm';
import type { AlarmRecord } from '../alarm';
import { liveBatchSchema, type LiveBatch } from '../payloads';
import type { Device, Person, Site } from '../registry';
import { ROLES, SCENES } from '../scenes';
import { epochMs, gasLevelSchema, limitsSchema, lonLatSchema, quantitySchema } from './shared';

/** `GET /api/health` (served without a token). */
export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  broker: z.object({ mode: z.enum(['embedded', 'external']), connected: z.boolean(), clients: z.number().optional() }),
  db: z.object({
    ok: z.boolean(),
    /** `sqlite` (one machine) or `postgres` (DATABASE_URL); a newer service may name another. */
    engine: z.string().optional(),
    readings: z.number().optional(),
    /** Bytes on disk of the database file and of its write-ahead log (PostgreSQL: the database's size, WAL 0). */
    dbBytes: z.number().optional(),
    walBytes: z.number().optional(),
    /** What is kept (days) and what the background retention last did. */
    retention: z
      .object({
        rawDays: z.number(),
        rollupDays: z.number(),
        lastRunAt: epochMs.nullable(),
        lastRunMs: z.number().nullable(),
        deleted: z.object({ readings: z.number(), rollups: z.number(), statuses: z.number() }),
      })
      .optional(),
  }),
  /** With several instances on one database: whether this one leads (ingests, runs the rules) or stands by. */
  ha: z.object({ role: z.enum(['leader', 'standby']), instanceId: z.string() }).optional(),
  uptimeS: z.number(),
  /** Rejected messages by reason; a newer service may count reasons this app does not know yet. */
  messages: z.object({ accepted: z.number(), rejected: z.record(z.string(), z.number()) }),
});
export type HealthResponse = z.infer<typeof healthSchema>;

/** `POST /api/login` */
export const loginSchema = z.object({ token: z.string().min(1), role: z.enum(ROLES), username: z.string().optional() });
export type LoginResponse = z.infer<typeof loginSchema>;

const point = z.union([z.tuple([z.number(), z.number()]), z.tuple([z.number(), z.number(), z.number()])]);
const geometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: point }),
  z.object({ type: z.literal('LineString'), coordinates: z.array(lonLatSchema) }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(lonLatSchema)) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(lonLatSchema))) }),
]);

/**
 * A site of `GET /api/sites`. Kinds and `props` are open: a deployment's registry may carry kinds
 * and attributes this app does not draw, so they pass unchecked.
 */
export const siteSchema = z
  .object({
    id: z.string().min(1),
    scene: z.enum(SCENES),
    kind: z.string(),
    name: z.string(),
    nameZh: z.string(),
    parentId: z.string().nullable(),
    geometry: geometrySchema,
    props: z.record(z.string(), z.unknown()).optional(),
  })
  .transform((s) => s as Site);
export const siteListSchema = z.array(siteSchema);

/** A device of `GET /api/devices`; kinds are open, as for sites. */
export const deviceSchema = z
  .object({
    id: z.string().min(1),
    scene: z.enum(SCENES),
    siteId: z.string(),
    kind: z.string(),
    name: z.string(),
    nameZh: z.string(),
    position: z.tuple([z.number(), z.number(), z.number()]),
    quantities: z.array(quantitySchema),
    intervalS: z.number(),
    level: gasLevelSchema.optional(),
    limits: limitsSchema.optional(),
    // A camera's view and stream (video linkage); checked as a whole by `cameraProblem` where used.
    headingDeg: z.number().optional(),
    pitchDeg: z.number().optional(),
    fovDeg: z.number().optional(),
    rangeM: z.number().optional(),
    stream: z.unknown().optional(),
  })
  .transform((d) => d as Device);
export const deviceListSchema = z.array(deviceSchema);

/** A badge holder of `GET /api/persons` (the roster); roles are open, as kinds are. */
export const personSchema = z
  .object({ id: z.string().min(1), name: z.string(), nameZh: z.string(), role: z.string(), employer: z.string().optional(), employerZh: z.string().optional() })
  .transform((p) => p as Person);
export const personListSchema = z.array(personSchema);

/** `POST /api/alarms/ack`: how many were acknowledged, and each refused one with why. */
export const bulkAckSchema = z.object({
  acked: z.number().int().nonnegative(),
  refused: z.array(z.object({ id: z.string(), error: z.string(), message: z.string().optional() })),
});
export type BulkAckAnswer = z.infer<typeof bulkAckSchema>;

/**
 * Where an answer about the past comes from: `raw` readings, or `1m` per-minute rollups (min and max
 * at the times they were seen; a replayed value is the minute's last) where raw readings are past
 * their retention, or too many to scan.
 */
export const HISTORY_RESOLUTIONS = ['raw', '1m'] as const;
export type HistoryResolution = (typeof HISTORY_RESOLUTIONS)[number];

/** `GET /api/telemetry/{deviceId}`: `[ts, value]` oldest first, downsampled keeping each bucket's min and max. */
export const telemetrySchema = z.object({
  deviceId: z.string(),
  quantity: z.string(),
  points: z.array(z.tuple([epochMs, z.number()])),
  resolution: z.enum(HISTORY_RESOLUTIONS).optional(),
});
export type TelemetryResponse = z.infer<typeof telemetrySchema>;

/** `GET /api/replay?at=`: the twin at one instant, in the shape of a live batch, plus the alarms open then. */
export interface ReplaySnapshot extends LiveBatch {
  /** The cursor (epoch ms). */
  at: number;
  alarms: AlarmRecord[];
  /** `1m` when `at` is older than the raw readings kept: each value is its minute's last. */
  resolution?: HistoryResolution;
}
export const replaySnapshotSchema = liveBatchSchema
  .extend({ at: epochMs, alarms: z.array(alarmRecordSchema), resolution: z.enum(HISTORY_RESOLUTIONS).optional() })
  .transform((s) => s as ReplaySnapshot);

/** One entry of `GET /api/alarms/{id}/events`: a step of an alarm's life. */
export const alarmEventSchema = z.object({
  ts: epochMs,
  /** raised, updated, returned, acknowledged, shelved, unshelved, cleared, closed, escalated… */
  action: z.string(),
  user: z.string().nullable(),
  /** The operator's comment; the reason of a shelve; why an escalation fired. */
  comment: z.string().nullable(),
  /** The alarm's state and severity after this step. */
  state: z.string(),
  severity: z.string(),
  /** Only on `shelved`: when the shelve ends. */
  shelvedUntil: epochMs.nullable().optional(),
});
export type AlarmEvent = z.infer<typeof alarmEventSchema>;
export const alarmEventListSchema = z.array(alarmEventSchema);

/** A list of alarm records, each checked on its own by the caller. */
export const alarmListSchema = z.array(z.unknown());
