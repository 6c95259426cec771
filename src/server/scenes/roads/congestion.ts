/**
 * The `congestion` alarm in the service: every detector reading folds its segment's level (as the
 * segment list rates it) into that segment's jam run, by the reading's own `ts`; a jam that has
 * lasted CONGESTION_ALARM_MINUTES raises the alarm, which clears once the jam has eased for
 * CONGESTION_CLEAR_MINUTES (src/domain/congestionAlarm.ts).
 */
import type { AlarmRecord, Device } from '../../../contracts';
import {
  CONGESTION_ALARM_MINUTES,
  CONGESTION_IDLE,
  CONGESTION_NAMES,
  CONGESTION_RULE,
  congestionAlarm,
  stepCongestion,
  type Condition,
  type CongestionRun,
  type SegmentView,
} from '../../../domain';
import type { AlarmEngine, Subject, ValueRule } from '../../alarms';
import type { Ingest } from '../../ingest';

export interface CongestionDeps {
  alarms: AlarmEngine;
  ingest: Ingest;
  /** The segment as the segment list shows it now (its level by the same function). */
  segment(segmentId: string, nowMs: number): SegmentView | undefined;
}

const subjectKey = (segmentId: string) => `${CONGESTION_RULE}|${segmentId}`;

export class CongestionAlarms {
  private readonly runs = new Map<string, CongestionRun>();

  constructor(private readonly d: CongestionDeps) {}

  /** After a restart: open congestion alarms keep their run, so a jam still there does not clear them. */
  restore(open: readonly AlarmRecord[]): void {
    for (const a of open) {
      if (a.rule !== CONGESTION_RULE || !a.siteId || a.active === false) continue;
      const jamSinceMs = a.raisedAt - (a.value ?? CONGESTION_ALARM_MINUTES) * 60_000;
      this.runs.set(a.siteId, { active: true, jamSinceMs, easedSinceMs: null, level: a.severity === 'major' ? 5 : 4, lastTsMs: null });
    }
  }

  /** A detector reading: its segment's level at the reading's `ts`, folded into the run and asserted. */
  readonly valueRule: ValueRule = (device, values, nowMs) => {
    if (device.kind !== 'traffic_detector' || values.speed_kmh === undefined) return;
    const ts = this.d.ingest.state(device.id)?.ts ?? nowMs;
    const seg = this.d.segment(device.siteId, nowMs);
    if (!seg) return;
    const prev = this.runs.get(seg.id) ?? CONGESTION_IDLE;
    const run = stepCongestion(prev, seg.level, ts);
    if (run === prev) return;
    this.runs.set(seg.id, run);
    this.d.alarms.assert(this.subject(device, seg.id), condition(seg, run, ts), nowMs, 0);
  };

  private subject(device: Device, segmentId: string): Subject {
    return { key: subjectKey(segmentId), scene: device.scene, siteId: segmentId, deviceId: device.id };
  }
}

/** The alarm's condition, or null once the jam has eased long enough. The jam's duration is the on-delay. */
function condition(seg: SegmentView, run: CongestionRun, tsMs: number): Condition | null {
  const a = congestionAlarm(run, tsMs);
  if (!a) return null;
  return {
    rule: CONGESTION_RULE,
    severity: a.severity,
    value: a.minutes,
    threshold: CONGESTION_ALARM_MINUTES,
    message: `${CONGESTION_NAMES[a.level].en} congestion (level ${a.level}) on ${seg.name} for ${a.minutes} min (≥ ${CONGESTION_ALARM_MINUTES} min)`,
    detail: {
      code: CONGESTION_RULE,
      params: { segmentId: seg.id, level: a.level, minutes: a.minutes, thresholdMinutes: CONGESTION_ALARM_MINUTES, speedKmh: seg.smoothedSpeedKmh },
    },
  };
}
