/** The roads scene's settings and the constants its rules and replay share. */
import type { Severity } from '../../../contracts';
import { TRAFFIC_DEFAULTS, type TrafficOptions } from '../../../domain';

export interface RoadRulesOptions extends TrafficOptions {
  /** Cleared incidents stay listed this long, ms. @default 2 h */
  clearedKeepMs: number;
  /** Network index history kept and served, ms. @default 24 h */
  historyMs: number;
  /** A route end further than this from any open road is refused, m. @default 2 km */
  maxSnapM: number;
}

export const ROAD_DEFAULTS: RoadRulesOptions = { ...TRAFFIC_DEFAULTS, clearedKeepMs: 2 * 3600_000, historyMs: 24 * 3600_000, maxSnapM: 2000 };

/** A frozen detector is a maintenance matter: its segment is already shown as unknown. */
export const STUCK_SEVERITY: Severity = 'warning';
/** A road incident reported open by an operator. */
export const INCIDENT_SEVERITY: Severity = 'major';
/** The network index is sampled once a minute. */
export const SAMPLE_EVERY_MS = 60_000;
/** Incident reports replayed at start: roadworks can stay open for days. */
export const INCIDENT_RESTORE_MS = 7 * 24 * 3600_000;
/** Network index samples kept in SQLite (the API serves at most `historyMs`). */
export const INDEX_KEEP_MS = 7 * 24 * 3600_000;
