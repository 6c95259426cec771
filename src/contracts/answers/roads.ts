/**
 * The road scene's answers: `GET /api/segments`, `/api/network`, `/api/incidents`, `/api/weather`
 * and `/api/route`, each also `?at=` a past instant in the same shape. Built by the service's
 * traffic rules, drawn by the browser's globe layer, network panel and road panels.
 */
import { z } from 'zod';
import { epochMs, lonLatSchema, severitySchema } from './shared';

/** Congestion level 1 free, 2 light, 3 mild jam, 4 moderate, 5 severe. */
export const congestionLevelSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);

/** The wire contract's segment: `id, class, speedKmh, level`. */
export const segmentStateSchema = z.object({
  id: z.string(),
  class: z.string(),
  speedKmh: z.number().nullable(),
  /** 1 free … 5 severe; null when unknown (no data, stale or stuck detector). */
  level: congestionLevelSchema.nullable(),
});
export type SegmentState = z.infer<typeof segmentStateSchema>;

/** Whether a segment's detectors can be believed: `stuck` repeats one speed, `nodata` never reported. */
export const DETECTOR_HEALTHS = ['ok', 'stale', 'stuck', 'nodata'] as const;
export type DetectorHealth = (typeof DETECTOR_HEALTHS)[number];

/** Fog or ice control of a segment (`SegmentControl`): Art. 81 limits by visibility, ice closes it. */
export const segmentControlSchema = z.object({
  level: z.enum(['fog_200', 'fog_100', 'fog_50', 'ice']),
  speedLimitKmh: z.number().nullable(),
  spacingM: z.number().nullable(),
  action: z.enum(['limit', 'exit', 'close']),
  /** Ready-to-publish message-sign (情报板) text in Chinese, and the same in English. */
  vmsText: z.string(),
  vmsTextEn: z.string(),
});

/** One item of `GET /api/segments`: the contract's fields and the additions the panels use. */
export const segmentViewSchema = segmentStateSchema.extend({
  name: z.string(),
  nameZh: z.string(),
  roadName: z.string().nullable(),
  direction: z.string().nullable(),
  lanes: z.number().nullable(),
  lengthM: z.number(),
  freeFlowKmh: z.number(),
  /** Mean over the smoothing window; `level` is computed from it. */
  smoothedSpeedKmh: z.number().nullable(),
  /** The usual speed at this local hour (a prior by hour of day, refined by history). */
  usualSpeedKmh: z.number(),
  health: z.enum(DETECTOR_HEALTHS),
  /** An open `closure` incident or an ice closure: routes avoid it. */
  closed: z.boolean(),
  /** Which criterion rated `level`: the free-flow share for expressways and highways, GB/T 33171 for urban roads. */
  criterion: z.enum(['highway', 'urban']).optional(),
  /** Fog or ice control in force (speed limit, spacing, action, message-sign text), or null. */
  control: segmentControlSchema.nullable().optional(),
  /** Open incidents on the segment. */
  incidentIds: z.array(z.string()),
  /** Newest reading `ts` of its detectors, or null. */
  updatedAt: epochMs.nullable(),
});
export type SegmentView = z.infer<typeof segmentViewSchema>;
export const segmentListSchema = z.array(segmentViewSchema);

/** `GET /api/network`: the length-weighted congestion index and its recent history. */
export const networkViewSchema = z.object({
  ts: epochMs,
  /** Length-weighted mean level of the segments with a known level (1 free … 5 severe); null if none. */
  index: z.number().nullable(),
  totalLengthM: z.number(),
  /** Length of network by level; `unknown` for segments whose level is null. */
  lengthByLevelM: z.object({ 1: z.number(), 2: z.number(), 3: z.number(), 4: z.number(), 5: z.number(), unknown: z.number() }),
  /** `[ts, index]` once a minute, oldest first. */
  history: z.array(z.tuple([epochMs, z.number().nullable()])),
  sampleEveryS: z.number(),
});
export type NetworkView = z.infer<typeof networkViewSchema>;

export const INCIDENT_KINDS = ['crash', 'roadworks', 'closure'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** One item of `GET /api/incidents`. */
export const incidentViewSchema = z.object({
  incidentId: z.string(),
  kind: z.enum(INCIDENT_KINDS),
  state: z.enum(['open', 'cleared']),
  segmentId: z.string(),
  lonDeg: z.number(),
  latDeg: z.number(),
  /** The operator device that reported it. */
  deviceId: z.string(),
  openedAt: epochMs,
  clearedAt: epochMs.nullable(),
  /** `ts` of the newest report about it. */
  updatedAt: epochMs,
  /** Whether routes avoid the segment while it is open (kind `closure`). */
  closesSegment: z.boolean(),
});
export type IncidentView = z.infer<typeof incidentViewSchema>;
export const incidentListSchema = z.array(incidentViewSchema);

/** One item of `GET /api/weather`: a road weather station and the segments it covers. */
export const weatherStationViewSchema = z.object({
  deviceId: z.string(),
  siteId: z.string(),
  name: z.string(),
  nameZh: z.string(),
  lonDeg: z.number(),
  latDeg: z.number(),
  ts: epochMs.nullable(),
  health: z.enum(['ok', 'stale', 'nodata']),
  visibilityM: z.number().nullable(),
  roadTempC: z.number().nullable(),
  precipMmh: z.number().nullable(),
  /** The fog band (road traffic safety regulation Art. 81): below `belowM` speed is limited to `limitKmh`; `exit` below 50 m. */
  fog: z.object({ belowM: z.number(), limitKmh: z.number(), exit: z.boolean(), severity: severitySchema }).nullable(),
  /** Road surface below 0 °C with precipitation. */
  ice: z.boolean(),
  segmentIds: z.array(z.string()),
  /** Open fog / ice alarms of the station. */
  alarmIds: z.array(z.string()),
  /** The control each covered segment gets from this station's readings (a segment with none is not listed). */
  controls: z.array(z.object({ segmentId: z.string(), control: segmentControlSchema })).optional(),
});
export type WeatherStationView = z.infer<typeof weatherStationViewSchema>;
export const weatherListSchema = z.array(weatherStationViewSchema);

/** `GET /api/route`: the fastest route on live speeds, and the same path at free flow. */
export const routeSchema = z.object({
  /** Segments in driving order, including those only partly driven at either end. */
  segmentIds: z.array(z.string()),
  /** Travel time on live speeds, s. */
  travelTimeS: z.number(),
  /** The same path at free-flow speeds, s. */
  freeFlowTimeS: z.number(),
  lengthM: z.number(),
  geometry: z.object({ type: z.literal('LineString'), coordinates: z.array(lonLatSchema) }),
});
export type Route = z.infer<typeof routeSchema>;
