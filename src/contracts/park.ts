/**
 * Park answers of the HTTP API (additions within v1, see the README): GET /api/zones and
 * GET /api/park/summary. One copy, read by the service that builds them and the browser that
 * draws them. With `?at=<epoch ms | ISO>` (replay, issue 6) both answer in the same shape as
 * things stood at that instant.
 */
import type { AlarmRecord } from './alarm';
import type { Quantity, Values } from './quantities';
import type { Geometry, Limits, RiskLevel } from './registry';
import type { Severity } from './alarm';
import type { PlumeExplanation } from './safety';

/** Where a reading stands against its limits. */
export type LimitBand = 'lowLow' | 'low' | 'normal' | 'high' | 'highHigh';

/** One feature of GET /api/zones. */
export interface ZoneFeature {
  type: 'Feature';
  id: string;
  geometry: Extract<Geometry, { type: 'Polygon' }>;
  properties: {
    alarmId: string;
    severity: AlarmRecord['severity'];
    state: AlarmRecord['state'];
    /** The alarm's condition still holds (false: cleared, waiting for acknowledgement). */
    active: boolean;
    sourceDeviceId: string;
    sourceSiteId: string;
    quantity: Quantity;
    concentrationRatio: number;
    windDeviceId: string | null;
    windFromDeg: number | null;
    windSpeedMs: number | null;
    lengthM: number;
    halfAngleDeg: number;
    isolationM: number;
    calm: boolean;
    affectedSiteIds: string[];
    affectedEnterprises: { id: string; name: string; nameZh: string; people: number; riskLevel: RiskLevel | null }[];
    trucksInside: string[];
    peopleCount: number;
    /** When the zone was last drawn, epoch ms; with `?at=` the instant asked about. */
    computedAt: number;
  } & Partial<Omit<PlumeExplanation, 'lengthM'>>;
}

export type SeverityCounts = Record<Severity, number> & { total: number };

/** GET /api/park/summary */
export interface ParkSummary {
  enterprises: {
    id: string;
    name: string;
    nameZh: string;
    /** The assessed four-colour level (registry). */
    riskLevel: RiskLevel | null;
    /**
     * The level the map is drawn in. v1.1: the assessed level itself — the four-colour map is an
     * assessment, live alarms never recolour it (they are `overlay`).
     */
    effectiveRiskLevel: RiskLevel | null;
    colour: string | null;
    /** v1.1: live alarms drawn over the map: the worst open (not shelved) alarm and how many; null when none. */
    overlay?: { worstSeverity: Severity; openAlarms: number } | null;
    people: number;
    openAlarms: SeverityCounts;
  }[];
  /** Open park alarms at a site under no enterprise (boundary stations, roads, the wind mast). */
  otherOpenAlarms: SeverityCounts;
  tanks: {
    id: string;
    name: string;
    nameZh: string;
    farmId: string | null;
    enterpriseId: string | null;
    tankType: string | null;
    substance: string | null;
    capacityM3: number | null;
    deviceId: string | null;
    /** `ts` of the latest reading, null before the first. */
    ts: number | null;
    status: 'online' | 'stale' | 'offline' | null;
    values: Values;
    limits: Limits;
    /** Where each reading stands against its limits. */
    bands: Partial<Record<Quantity, LimitBand>>;
  }[];
  activeZones: number;
}
