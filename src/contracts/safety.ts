/**
 * Life-safety additions of contract v1.1: the rule names the service may raise, structured reasons
 * (a code and its parameters, rendered in the reader's language by the app; English sentences are
 * only a fallback for integrations), the entry chain of a confined space, the numbers behind a
 * leak zone and the fog / ice control of a road segment. Imports nothing internal but types.
 */
import type { GasLevel, RiskLevel } from './registry';
import type { Severity } from './alarm';

/** Alarm `rule` names of v1 and v1.1 that are not `{quantity}_high` / `{quantity}_low`. */
export const ALARM_RULES = ['stale', 'evacuate', 'permit', 'attendant', 'o2_enrichment', 'geofence', 'fog', 'ice', 'incident'] as const;
export type NamedAlarmRule = (typeof ALARM_RULES)[number];

/** The error of `POST /api/alarms/{id}/shelve` for an alarm that may not be shelved (HTTP 409). */
export const NOT_SHELVABLE = 'not_shelvable';

/** Why an alarm may not be shelved. */
export type ShelveRefusal =
  | { error: 'not_shelvable'; why: 'critical' | 'evacuate' | 'attendant' | 'space_occupied' | 'permit_open' | 'closed' }
  | { error: 'reason_required' };

/**
 * A reason as data: `code` names it, `params` carry the numbers and ids a sentence needs. The same
 * shape serves evacuate / permit / attendant / enrichment alarms and the chain's steps.
 */
export type Reason = { [C in ReasonCode]: { code: C; params: ReasonParams[C] } }[ReasonCode];

export interface ReasonParams {
  // ——— evacuate ———
  /** `message` is the detector alarm's English text; `value` and `threshold` let the app say it in any language. */
  detector_alarm: { deviceId: string; level: GasLevel | null; rule: string; severity: Severity; message: string; value?: number | null; threshold?: number | null };
  no_detector: Record<string, never>;
  detector_offline: { deviceId: string; level: GasLevel | null };
  detector_silent: { deviceId: string; level: GasLevel | null; silentS: number };
  no_permit: Record<string, never>;
  /** `cause` in English; `because` the same as a reason (a failed gas test, or the evacuate reason that suspended it). */
  permit_suspended: { permitId: string; cause: string | null; because?: Reason | null };
  attendant_inside: { personId: string };
  not_on_permit: { personId: string; permitId: string };
  over_capacity: { inside: number; allowed: number };
  ventilation_off: { since: number };
  permit_lapsed: { permitId: string; validUntil: number };
  // ——— permit (the gas test and the order of the chain) ———
  gas_test_missing: { permitId: string | null };
  gas_test_failed: { permitId: string | null; failures: { level: GasLevel; quantity: string; value: number | null; allowed: string }[] };
  gas_test_old_at_open: { permitId: string; minutes: number; validMinutes: number };
  gas_test_old_at_entry: { permitId: string; minutes: number; validMinutes: number };
  entered_ventilation_off: { personId: string; at: number };
  entered_ventilation_unrecorded: { personId: string; at: number };
  purge_too_short: { ranMinutes: number; purgeMinutes: number; personId: string | null };
  retest_after_break: { personId: string; emptyMinutes: number; limitMinutes: number };
  entered_after_expiry: { personId: string; permitId: string; validUntil: number };
  // ——— attendant ———
  attendant_off_post: { personId: string; awayS: number; limitS: number };
  // ——— O₂ enrichment ———
  o2_enriched: { deviceId: string; level: GasLevel | null; o2Pct: number; limitPct: number };
  // ——— chain steps that are neither failed nor an alarm ———
  natural_ventilation: Record<string, never>;
  ventilation_unrecorded: Record<string, never>;
  purging: { ranMinutes: number; purgeMinutes: number };
  retest_required: { emptyMinutes: number; limitMinutes: number };
  gas_test_expired: { minutes: number; validMinutes: number };
  attendant_unrecorded: { personId: string };
  attendant_on_post: { personId: string };
  nobody_inside: Record<string, never>;
  evacuate: Record<string, never>;
}
export type ReasonCode = keyof ReasonParams;

/** The five steps of the confined-space chain, in their order (先通风、再检测、后作业). */
export const CHAIN_STEPS = ['ventilate', 'test', 'permit', 'attendant', 'entry'] as const;
export type ChainStepId = (typeof CHAIN_STEPS)[number];
export type ChainStatus = 'ok' | 'failed' | 'pending';

/** One step of the inspector's space card: green (ok), red (failed) or grey (pending). */
export interface ChainStep {
  step: ChainStepId;
  status: ChainStatus;
  /** When the step was done (fan on, test, permit opened, attendant on post, first entry), epoch ms. */
  at: number | null;
  /** Why it is failed or pending; for an ok step a note such as natural ventilation, else null. */
  reason: Reason | null;
}

/** Pasquill–Gifford stability class, A very unstable … F stable. */
export type StabilityClass = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';

/** The numbers behind a Gaussian-plume leak zone: enough for the zone panel to say why it is that long. */
export interface PlumeExplanation {
  /** Substance id of the endpoint table (`ammonia`, `chlorine`, …). */
  substance: string;
  stability: StabilityClass;
  /** The endpoint concentration the zone reaches out to, ppm. */
  endpointPpm: number;
  /** `AEGL-2 60 min`, `ERPG-2` or `LFL` (a flammable gas). */
  endpointKind: string;
  /** Distance downwind to the endpoint, m (capped at `maxLengthM`). */
  lengthM: number;
  /** The computed distance ran past the cap: the zone is at least this long. */
  capped: boolean;
  /** Continuous release rate the plume is drawn for, g/s. */
  releaseRateGs: number;
  /** `planning`: the configured planning release of the substance, not a measurement. */
  releaseBasis: 'planning';
  /** Wind at 10 m used by the plume, m/s (light winds are taken at the model's floor). */
  windSpeedMs: number | null;
  /** Day or night by the sun at the source (night: from 1 h before sunset to 1 h after sunrise). */
  daytime: boolean;
  sunElevationDeg: number;
  /** Total cloud cover, tenths; null when unknown (then clear sky is assumed). */
  cloudCoverTenths: number | null;
  /** Turner's net radiation index, −2 … 4. */
  netRadiationIndex: number;
}

/** What the controller must do on a segment in fog or ice (道路交通安全法实施条例 第八十一条). */
export interface SegmentControl {
  /** Visibility band (`fog_200`: < 200 m, `fog_100`: < 100 m, `fog_50`: < 50 m) or `ice`. */
  level: 'fog_200' | 'fog_100' | 'fog_50' | 'ice';
  /** Speed limit, km/h; null when the segment is closed. */
  speedLimitKmh: number | null;
  /** Minimum gap to the vehicle ahead in the same lane, m; null when closed or when the article sets none (< 50 m: leave). */
  spacingM: number | null;
  action: 'limit' | 'exit' | 'close';
  /** Ready-to-publish message-sign (情报板) text in Chinese. */
  vmsText: string;
  /** The same sign in English, for the English UI. */
  vmsTextEn: string;
}

/** Live alarms drawn over the assessed four-colour map: the worst open alarm of an enterprise. */
export interface AlarmOverlay {
  enterpriseId: string;
  /** The assessed level (安全风险分区分级) from the registry: the map's colour, whatever the alarms. */
  assessedLevel: RiskLevel | null;
  worstSeverity: Severity;
  openAlarms: number;
}
