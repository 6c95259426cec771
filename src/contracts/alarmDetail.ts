/**
 * The codes of an alarm record's `detail` and their parameters: what each rule says, as data. Ids
 * stay ids here (device, site, person, permit, segment); the app and the service's `messageZh`
 * render them as names. The entry rules' reasons (safety.ts `Reason`) are details too, nested in
 * the evacuate, permit and attendant details. Additions within v1: a code a client does not know
 * falls back to the record's `message` / `messageZh`.
 */
import type { AlarmDetail } from './alarm';
import type { Quantity } from './quantities';
import type { Reason, ReasonParams } from './safety';

/** Parameters of every code an alarm detail (or a transition of one) may carry. */
export interface DetailParams extends ReasonParams {
  /** `{quantity}_high` / `{quantity}_low`: the value against the limit it crossed. */
  threshold: { quantity: Quantity; dir: 'high' | 'low'; value: number; threshold: number; op: '≥' | '>' | '<' };
  /** A device silent for longer than 3 × its reporting interval. */
  stale: { silentS: number; intervalS: number };
  /** People inside an unsafe confined space: who, how many may be, and why they must get out. */
  evacuate_people: { inside: number; persons: string[]; allowed: number | null; reasons: Reason[] };
  /** The permit alarm: what is wrong with the gas test or the order of entry. */
  permit_issues: { reasons: Reason[] };
  /** The attendant alarm. */
  attendant_issues: { reasons: Reason[] };
  /** A badge inside longer than the space's limit. */
  overstay: { personId: string; minutes: number; limitMin: number };
  /** One badge inside two spaces at once: a lent badge, or a missed exit. */
  badge_twice: { personId: string; spaceIds: string[] };
  /** Hazmat truck geofences. */
  off_route: { distanceM: number; limitM: number };
  speeding: { speedKmh: number; limitKmh: number };
  parked: { minutes: number; limitMin: number };
  /** A road operator's incident report. */
  incident: { kind: string; segmentId: string; incidentId: string };
  /** Fog on the segments a weather station covers (道路交通安全法实施条例 Art. 81). */
  fog: { visibilityM: number; belowM: number; limitKmh: number; exit: boolean; segmentIds: string[] };
  ice: { roadTempC: number; precipMmh: number; segmentIds: string[] };
  /** A traffic detector repeating one value. */
  stuck: { speedKmh: number | null; minutes: number; limitMin: number };
  /** A video-AI detection (`video_{kind}`). */
  video: {
    kind: string;
    cameraId: string;
    confidence: number;
    place: 'danger_zone' | 'occupied_opening' | 'expressway' | null;
    /** The box's picture of what it saw, when it sent one. */
    snapshotUrl?: string;
    /** A stopped vehicle on an expressway: a possible incident for the controller to confirm. */
    incidentCandidate?: boolean;
  };
  /** A transition, not a condition: an unacknowledged critical alarm escalated. */
  escalated: { afterS: number };
}
export type DetailCode = keyof DetailParams;

/** A detail whose code this version knows, with its parameters typed. */
export type KnownDetail = { [C in DetailCode]: { code: C; params: DetailParams[C] } }[DetailCode];

/** The detail of a known code (type-checked parameters), as the rules build it. */
export function detail<C extends DetailCode>(code: C, params: DetailParams[C]): AlarmDetail {
  return { code, params: params as unknown as AlarmDetail['params'] };
}

