/**
 * The park scene's answers: `GET /api/zones` (leak danger zones) and `GET /api/park/summary` (the
 * park manager's enterprises and tanks), each also `?at=` a past instant in the same shape. Built by
 * the service's park rules, drawn by the browser's globe layer and park panels.
 */
import { z } from 'zod';
import { ALARM_STATES } from '../alarm';
import type { RiskLevel } from '../registry';
import { epochMs, limitsSchema, lonLatSchema, quantitySchema, riskLevelSchema, severitySchema, valuesSchema } from './shared';

/** Where a reading stands against its limits. */
export const LIMIT_BANDS = ['lowLow', 'low', 'normal', 'high', 'highHigh'] as const;
export type LimitBand = (typeof LIMIT_BANDS)[number];

/** The numbers behind a Gaussian-plume zone (`PlumeExplanation` but its length), present when the service draws one. */
const plumeExplanationSchema = z
  .object({
    substance: z.string(),
    stability: z.enum(['A', 'B', 'C', 'D', 'E', 'F']),
    endpointPpm: z.number(),
    endpointKind: z.string(),
    capped: z.boolean(),
    releaseRateGs: z.number(),
    releaseBasis: z.literal('planning'),
    daytime: z.boolean(),
    sunElevationDeg: z.number(),
    cloudCoverTenths: z.number().nullable(),
    netRadiationIndex: z.number(),
  })
  .partial();

/** One feature of `GET /api/zones`: a leak's downwind danger zone and who is in it. */
export const zoneFeatureSchema = z.object({
  type: z.literal('Feature'),
  id: z.string(),
  geometry: z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(lonLatSchema)) }),
  properties: z.object({
    alarmId: z.string(),
    severity: severitySchema,
    state: z.enum(ALARM_STATES),
    /** The alarm's condition still holds (false: cleared, waiting for acknowledgement). */
    active: z.boolean(),
    sourceDeviceId: z.string(),
    sourceSiteId: z.string(),
    quantity: quantitySchema,
    concentrationRatio: z.number(),
    windDeviceId: z.string().nullable(),
    windFromDeg: z.number().nullable(),
    windSpeedMs: z.number().nullable(),
    lengthM: z.number(),
    halfAngleDeg: z.number(),
    isolationM: z.number(),
    calm: z.boolean(),
    affectedSiteIds: z.array(z.string()),
    affectedEnterprises: z.array(
      z.object({ id: z.string(), name: z.string(), nameZh: z.string(), people: z.number(), riskLevel: riskLevelSchema.nullable() }),
    ),
    trucksInside: z.array(z.string()),
    peopleCount: z.number(),
    /** When the zone was last drawn, epoch ms; with `?at=` the instant asked about. */
    computedAt: epochMs,
  }).extend(plumeExplanationSchema.shape),
});
export type ZoneFeature = z.infer<typeof zoneFeatureSchema>;

/** `GET /api/zones`: a GeoJSON FeatureCollection. */
export const zoneCollectionSchema = z.object({ type: z.literal('FeatureCollection'), features: z.array(zoneFeatureSchema) });
export type ZoneCollection = z.infer<typeof zoneCollectionSchema>;

const severityCountsSchema = z.object({ critical: z.number(), major: z.number(), minor: z.number(), warning: z.number(), total: z.number() });
export type SeverityCounts = z.infer<typeof severityCountsSchema>;

/**
 * The hex the summary's `colour` field carries for each level, kept for clients that draw the map
 * without a palette of their own. The app's palette takes its four colours from here, so an
 * enterprise, an alarm and a congested road read alike everywhere.
 */
export const RISK_LEVEL_HEX: Readonly<Record<RiskLevel, string>> = { red: '#e5484d', orange: '#f5a524', yellow: '#f2d024', blue: '#3b82f6' };

export const parkSummarySchema = z.object({
  enterprises: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      nameZh: z.string(),
      /** The assessed four-colour level (registry). */
      riskLevel: riskLevelSchema.nullable(),
      /**
       * The level the map is drawn in: the assessed level itself — the four-colour map is an
       * assessment, live alarms never recolour it (they are `overlay`).
       */
      effectiveRiskLevel: riskLevelSchema.nullable(),
      /** `RISK_LEVEL_HEX` of the assessed level. */
      colour: z.string().nullable(),
      /** Live alarms drawn over the map: the worst open (not shelved) alarm and how many; null when none. */
      overlay: z.object({ worstSeverity: severitySchema, openAlarms: z.number() }).nullable().optional(),
      people: z.number(),
      openAlarms: severityCountsSchema,
    }),
  ),
  /** Open park alarms at a site under no enterprise (boundary stations, roads, the wind mast). */
  otherOpenAlarms: severityCountsSchema,
  tanks: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      nameZh: z.string(),
      farmId: z.string().nullable(),
      enterpriseId: z.string().nullable(),
      tankType: z.string().nullable(),
      substance: z.string().nullable(),
      capacityM3: z.number().nullable(),
      deviceId: z.string().nullable(),
      /** `ts` of the latest reading, null before the first. */
      ts: epochMs.nullable(),
      status: z.enum(['online', 'stale', 'offline']).nullable(),
      values: valuesSchema,
      limits: limitsSchema,
      /** Where each reading stands against its limits. */
      bands: z.partialRecord(quantitySchema, z.enum(LIMIT_BANDS)),
    }),
  ),
  activeZones: z.number(),
});
export type ParkSummary = z.infer<typeof parkSummarySchema>;
