/**
 * The congestion alarm of one road segment: a segment that stays moderately or severely congested
 * (level 4 or 5) raises rule `congestion`; it clears only once the jam has eased (level 3 or
 * better) for a while, so a queue that breathes does not chatter. Time is the readings' own `ts`.
 */
import type { Severity } from '../contracts';
import type { CongestionLevel } from './congestion';

/** Rule name of the alarm a lasting jam raises. */
export const CONGESTION_RULE = 'congestion';

/**
 * A jam must hold this long before the alarm, min: one 15-minute evaluation period, the period
 * traffic-operation indices are reported on (GB/T 33171-2016 rates a period's mean speed; control
 * centres publish 15-minute periods). Shorter slowdowns (a platoon, a detector glitch) pass unseen.
 */
export const CONGESTION_ALARM_MINUTES = 15;

/** The jam must have eased (level ≤ 3) this long before the alarm clears, min: the off-delay. */
export const CONGESTION_CLEAR_MINUTES = 5;

/** Severe (5) is `major` (orange), moderate (4) `minor` (yellow): a jam is not a danger to life by itself. */
export const CONGESTION_SEVERITY: Readonly<Record<4 | 5, Severity>> = { 4: 'minor', 5: 'major' };

export interface CongestionAlarmOptions {
  raiseAfterMs: number;
  clearAfterMs: number;
}

export const CONGESTION_ALARM_DEFAULTS: CongestionAlarmOptions = {
  raiseAfterMs: CONGESTION_ALARM_MINUTES * 60_000,
  clearAfterMs: CONGESTION_CLEAR_MINUTES * 60_000,
};

/** One segment's jam run. */
export interface CongestionRun {
  /** Whether the alarm condition holds (raised, not yet cleared). */
  active: boolean;
  /** `ts` of the first reading of the current jam (level ≥ 4), null when not jammed. */
  jamSinceMs: number | null;
  /** `ts` of the first eased reading (level ≤ 3) while active, null otherwise. */
  easedSinceMs: number | null;
  /** The latest jam level (4 or 5), null before any. */
  level: 4 | 5 | null;
  /** `ts` of the latest reading folded in. */
  lastTsMs: number | null;
}

export const CONGESTION_IDLE: CongestionRun = Object.freeze({ active: false, jamSinceMs: null, easedSinceMs: null, level: null, lastTsMs: null });

/** What the alarm says while the condition holds. */
export interface CongestionAlarm {
  level: 4 | 5;
  severity: Severity;
  /** Minutes the jam has lasted, to one decimal. */
  minutes: number;
}

/**
 * Folds a segment's level at reading time `tsMs` into its run. An unknown level (a stale or stuck
 * detector) changes nothing: no evidence of a jam, and none that it has eased. A reading older than
 * the last one is ignored.
 */
export function stepCongestion(
  prev: CongestionRun,
  level: CongestionLevel | null,
  tsMs: number,
  opts: CongestionAlarmOptions = CONGESTION_ALARM_DEFAULTS,
): CongestionRun {
  if (level === null || (prev.lastTsMs !== null && tsMs <= prev.lastTsMs)) return prev;
  if (level >= 4) {
    const jamSinceMs = prev.jamSinceMs ?? tsMs;
    return {
      active: prev.active || tsMs - jamSinceMs >= opts.raiseAfterMs,
      jamSinceMs,
      easedSinceMs: null,
      level: level as 4 | 5,
      lastTsMs: tsMs,
    };
  }
  if (!prev.active) return { ...CONGESTION_IDLE, lastTsMs: tsMs };
  const easedSinceMs = prev.easedSinceMs ?? tsMs;
  if (tsMs - easedSinceMs >= opts.clearAfterMs) return { ...CONGESTION_IDLE, lastTsMs: tsMs };
  return { ...prev, easedSinceMs, lastTsMs: tsMs };
}

/** The alarm of a run at `tsMs`, or null when the condition does not hold. */
export function congestionAlarm(run: CongestionRun, tsMs: number): CongestionAlarm | null {
  if (!run.active || run.level === null || run.jamSinceMs === null) return null;
  const minutes = Math.round((Math.max(tsMs, run.lastTsMs ?? tsMs) - run.jamSinceMs) / 6000) / 10;
  return { level: run.level, severity: CONGESTION_SEVERITY[run.level], minutes };
}
