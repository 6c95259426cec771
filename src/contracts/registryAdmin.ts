/**
 * Registry management (docs/contract.md "Registry management"): the shapes an admin sends to create
 * and change sites and devices, the import file's columns, threshold overrides, and the answers.
 * Shared by the service (which validates with these schemas) and the app's admin pages.
 */
import { z } from 'zod';
import { isQuantity, type Quantity } from './quantities';
import { SCENES } from './scenes';
import { DEVICE_ID_PATTERN, TOPIC_ROOT } from './topics';

/** Retained `{version}`: the registry changed; browsers reload sites and devices. */
export const REGISTRY_TOPIC = `${TOPIC_ROOT}/registry`;

export interface RegistryVersion {
  version: number;
  /** When the registry last changed (epoch ms). */
  updatedAt: number;
}

/** The import file's columns, in this order (header row required, UTF-8, quantities `|`-separated). */
export const REGISTRY_CSV_COLUMNS = ['id', 'scene', 'siteId', 'kind', 'name', 'nameZh', 'lonDeg', 'latDeg', 'heightM', 'quantities', 'intervalS', 'level'] as const;
export type RegistryCsvColumn = (typeof REGISTRY_CSV_COLUMNS)[number];

/** Device kinds: a row or feature of one of these kinds is a device, any other kind a site. */
export const DEVICE_KINDS = [
  'gas_detector',
  'access',
  'tank_sensor',
  'dike_gas',
  'boundary_gas',
  'wind',
  'truck',
  'traffic_detector',
  'weather',
  'road_operator',
  'bridge_sensor',
  'camera',
] as const;

export function isDeviceKind(kind: string): boolean {
  return (DEVICE_KINDS as readonly string[]).includes(kind);
}

/** Site ids follow the device id pattern, so either can name an MQTT scope or a URL segment. */
export const entityId = z.string().regex(DEVICE_ID_PATTERN, 'must match [A-Za-z0-9_-]{1,64}');
const name = z.string().trim().min(1).max(200);
const lon = z.number().finite().min(-180).max(180);
const lat = z.number().finite().min(-90).max(90);
const position = z.tuple([lon, lat, z.number().finite().min(-11_000).max(10_000)]);
const ring = z.array(z.tuple([lon, lat])).min(4);
export const geometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: z.union([z.tuple([lon, lat]), position]) }),
  z.object({ type: z.literal('LineString'), coordinates: z.array(z.tuple([lon, lat])).min(2) }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) }),
]);

const quantityLimits = z.object({ high: z.number().finite(), highHigh: z.number().finite(), low: z.number().finite(), lowLow: z.number().finite() }).partial();

/** POST /api/sites. `props` carries the kind's attributes (assessedLevel, spaceType, roadClass, …). */
export const siteInput = z.object({
  id: entityId,
  scene: z.enum(SCENES),
  kind: z.string().trim().min(1).max(40).refine((k) => !isDeviceKind(k), 'is a device kind'),
  name,
  nameZh: name,
  parentId: entityId.nullable().default(null),
  geometry: geometrySchema,
  props: z.record(z.string(), z.unknown()).optional(),
});
export type SiteInput = z.infer<typeof siteInput>;

/** POST /api/devices. Camera fields (headingDeg, …, stream) and `limits` are kept as given. */
export const deviceInput = z.looseObject({
  id: entityId,
  scene: z.enum(SCENES),
  siteId: entityId,
  kind: z.enum(DEVICE_KINDS),
  name,
  nameZh: name,
  position,
  quantities: z.array(z.string().refine(isQuantity, 'unknown quantity')).max(32).default([]),
  intervalS: z.number().positive().max(86_400),
  level: z.enum(['upper', 'middle', 'lower']).optional(),
  limits: z.record(z.string().refine(isQuantity, 'unknown quantity'), quantityLimits).optional(),
});
export type DeviceInput = z.infer<typeof deviceInput>;

/** PATCH bodies: any field but `id`; what is absent stays. */
export const sitePatch = siteInput.omit({ id: true }).partial();
export const devicePatch = z.looseObject(deviceInput.omit({ id: true }).partial().shape);

/** One error of an import or a change, by line (the header is line 1; 0 for the whole file) and field. */
export interface RegistryRowError {
  line: number;
  field: string;
  message: string;
}

/** POST /api/registry/import: 200 when applied (or, with `dryRun`, when it would be), 400 with errors and nothing changed. */
export interface ImportAnswer {
  created: number;
  updated: number;
  errors: RegistryRowError[];
  dryRun?: boolean;
  /** The registry version after the import (unchanged for a dry run or an error). */
  version?: number;
}

/**
 * One quantity of PUT /api/thresholds/{id}: `major` (level 1) and `critical` (level 2) for the high
 * side; `majorLow` / `criticalLow` for quantities that alarm low (O₂). Absent limits stay as the
 * standard (or the registry) sets them.
 */
export const thresholdLimits = z
  .object({ major: z.number().finite(), critical: z.number().finite(), majorLow: z.number().finite(), criticalLow: z.number().finite() })
  .partial()
  .refine((l) => l.major === undefined || l.critical === undefined || l.major <= l.critical, { message: 'major must not be above critical', path: ['major'] })
  .refine((l) => l.majorLow === undefined || l.criticalLow === undefined || l.majorLow >= l.criticalLow, { message: 'majorLow must not be below criticalLow', path: ['majorLow'] });
export type ThresholdLimits = z.infer<typeof thresholdLimits>;

/** A site's or device's override as stored and served. */
export interface ThresholdOverride {
  targetId: string;
  target: 'site' | 'device';
  limits: Partial<Record<Quantity, ThresholdLimits>>;
  /** Why a limit looser than the standard was accepted (required then), or null. */
  reason: string | null;
  setBy: string | null;
  setAt: number;
}

/** Where a limit in force comes from. */
export type ThresholdSource =
  | { kind: 'standard'; clause: string }
  | { kind: 'registry' }
  | { kind: 'site'; siteId: string; reason: string | null; setBy: string | null; setAt: number }
  | { kind: 'device'; reason: string | null; setBy: string | null; setAt: number };

/** One limit in force on a device: GET /api/thresholds/{deviceId}. */
export interface ThresholdInForce {
  quantity: Quantity;
  /** `high` = major, `highHigh` = critical, `low` = majorLow, `lowLow` = criticalLow. */
  limit: 'high' | 'highHigh' | 'low' | 'lowLow';
  severity: 'major' | 'critical';
  value: number;
  /** The standard's default for this limit, null when the standard sets none. */
  standard: number | null;
  source: ThresholdSource;
}

export interface DeviceThresholds {
  deviceId: string;
  thresholds: ThresholdInForce[];
  /** The overrides on the device and on the sites above it, nearest first. */
  overrides: ThresholdOverride[];
}
