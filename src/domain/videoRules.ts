/**
 * Video-AI detections as alarm conditions: a `video.detection` from an outside box becomes rule
 * `video_{kind}`, its severity by kind and by the place the camera watches. Pure: the service
 * tells where the camera's point is (in a danger zone, at an occupied space's opening, on an
 * expressway); this file only decides.
 *
 * A detection is a moment, not a state: the condition holds while detections keep coming and
 * for `holdMs` after the last one, then clears (and the alarm waits for its acknowledgement).
 */
import { detail, videoRuleName, type KnownDetectionKind, type Severity, type VideoDetection } from '../contracts';
import type { Condition } from './conditions';

/** Where the camera's point is, as the service knows it at the moment of the detection. */
export interface DetectionPlace {
  /** Inside an active danger zone (a leak's downwind zone in the park). */
  inDangerZone: boolean;
  /** At the opening of a confined space with people inside. */
  occupiedOpening: boolean;
  /** On an expressway or highway (G60, Zhuji–Yongjia), where a stopped vehicle is a hazard. */
  onExpressway: boolean;
}

export interface VideoRuleConfig {
  /** Detections scored below this are ignored (a box's own alert threshold is usually 0.5). @default 0.5 */
  minConfidence: number;
  /** Per-kind minimum, overriding `minConfidence` (e.g. a lower bar for fire). @default {} */
  minConfidenceByKind: Partial<Record<string, number>>;
  /** The condition holds this long after the last detection, ms (two minutes: a box re-reports a lasting scene well within it). @default 120000 */
  holdMs: number;
}

export const VIDEO_RULE_DEFAULTS: VideoRuleConfig = { minConfidence: 0.5, minConfidenceByKind: {}, holdMs: 120_000 };

/** A detection's condition; `incidentCandidate` asks the road rules to open an incident for an operator to confirm. */
export interface VideoCondition extends Condition {
  incidentCandidate: boolean;
  /** The camera that saw it. */
  cameraId: string;
}

/**
 * Severity of a kind at a place; null when the detection is no alarm there (a stopped vehicle off
 * the expressway, an absent attendant with nobody inside).
 */
export function detectionSeverity(kind: string, place: DetectionPlace): Severity | null {
  switch (kind as KnownDetectionKind) {
    case 'fire':
    case 'smoke':
      return 'critical';
    case 'intrusion':
      // A person where people must not be: a leak's danger zone, or a pit opening with workers below.
      return place.inDangerZone || place.occupiedOpening ? 'major' : 'warning';
    case 'no_helmet':
      return 'minor';
    case 'attendant_absent':
      // The attendant outside is the workers' rescue: with anyone inside this is the `attendant` rule's case.
      return place.occupiedOpening ? 'critical' : null;
    case 'vehicle_stopped':
      return place.onExpressway ? 'major' : null;
    default:
      // A kind this version does not know still reaches an operator, at the lowest severity.
      return 'warning';
  }
}

const WHAT: Record<KnownDetectionKind, string> = {
  fire: 'fire',
  smoke: 'smoke',
  intrusion: 'intrusion',
  no_helmet: 'person without a helmet',
  attendant_absent: 'attendant absent',
  vehicle_stopped: 'stopped vehicle',
};

/**
 * The condition a detection raises at `place`, or null when it raises none (below the confidence
 * bar, or no alarm at that place). `value` is the confidence, `threshold` the bar it passed.
 */
export function detectionCondition(
  detection: Pick<VideoDetection, 'cameraId' | 'kind' | 'confidence' | 'snapshotUrl'>,
  place: DetectionPlace,
  cfg: VideoRuleConfig = VIDEO_RULE_DEFAULTS,
): VideoCondition | null {
  const bar = cfg.minConfidenceByKind[detection.kind] ?? cfg.minConfidence;
  if (!(detection.confidence >= bar)) return null;
  const severity = detectionSeverity(detection.kind, place);
  if (!severity) return null;
  const what = WHAT[detection.kind as KnownDetectionKind] ?? detection.kind.replace(/_/g, ' ');
  const incidentCandidate = detection.kind === 'vehicle_stopped' && place.onExpressway;
  const where = place.inDangerZone ? ' in a danger zone' : place.occupiedOpening ? ' at an occupied space opening' : place.onExpressway ? ' on an expressway' : '';
  return {
    rule: videoRuleName(detection.kind),
    severity,
    value: detection.confidence,
    threshold: bar,
    message: `video: ${what}${where} (camera ${detection.cameraId}, confidence ${detection.confidence.toFixed(2)})${incidentCandidate ? '; possible incident, please confirm' : ''}`,
    detail: detail('video', {
      kind: detection.kind,
      cameraId: detection.cameraId,
      confidence: Math.round(detection.confidence * 100) / 100,
      place: placeOf(place),
      ...(detection.snapshotUrl ? { snapshotUrl: detection.snapshotUrl } : {}),
      ...(incidentCandidate ? { incidentCandidate } : {}),
    }),
    incidentCandidate,
    cameraId: detection.cameraId,
  };
}

function placeOf(p: DetectionPlace): 'danger_zone' | 'occupied_opening' | 'expressway' | null {
  return p.inDangerZone ? 'danger_zone' : p.occupiedOpening ? 'occupied_opening' : p.onExpressway ? 'expressway' : null;
}

/** Whether a detection last seen at `lastSeenMs` still holds its condition at `nowMs` (inclusive at the end of the hold). */
export function detectionHolds(lastSeenMs: number, nowMs: number, cfg: Pick<VideoRuleConfig, 'holdMs'> = VIDEO_RULE_DEFAULTS): boolean {
  return nowMs - lastSeenMs <= cfg.holdMs;
}
