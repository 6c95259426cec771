/**
 * The inspector's list of confined spaces: how a space is listed (worst first) and the JSON of one
 * space in `GET /api/spaces`, shared by the service and the browser.
 */
import type { ChainStep, GasLevel, Reason, Severity } from '../contracts';
import { SEVERITY_RANK } from './conditions';
import type { GasTest, Permit } from './entry';

/** How a space is listed, worst first. */
export const SPACE_STATUSES = ['evacuate', 'alarm', 'occupied', 'permit', 'idle'] as const;
export type SpaceStatus = (typeof SPACE_STATUSES)[number];

/** Evacuate condition or alarm, any other active alarm, people inside, an open permit, else idle. */
export function spaceStatus(s: { evacuate: boolean; activeAlarms: number; inside: number; permitOpen: boolean }): SpaceStatus {
  if (s.evacuate) return 'evacuate';
  if (s.activeAlarms > 0) return 'alarm';
  if (s.inside > 0) return 'occupied';
  return s.permitOpen ? 'permit' : 'idle';
}

/** Sort order of the inspector's list: status, then worst severity, then more people inside, then id. */
export function compareSpaces(
  a: { id: string; status: SpaceStatus; worstSeverity: Severity | null; inside: readonly unknown[] },
  b: { id: string; status: SpaceStatus; worstSeverity: Severity | null; inside: readonly unknown[] },
): number {
  const rank = (s: Severity | null) => (s === null ? 9 : SEVERITY_RANK[s]);
  return (
    SPACE_STATUSES.indexOf(a.status) - SPACE_STATUSES.indexOf(b.status) ||
    rank(a.worstSeverity) - rank(b.worstSeverity) ||
    b.inside.length - a.inside.length ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * One space of `GET /api/spaces` (the inspector's list and the space view): registry facts, the
 * entry state, and how bad it is now. Lives here so the browser and the service share it.
 */
export interface SpaceSummary {
  id: string;
  plantId: string | null;
  name: string;
  nameZh: string;
  spaceType: string | null;
  depthM: number | null;
  maxPersons: number | null;
  /** The access terminal: `deviceId` of the space's evacuate and permit alarms. */
  accessId: string | null;
  /** Gas detectors, upper to lower, with their health (`unknown`: not heard since the service started). */
  detectors: { id: string; level: GasLevel | null; status: 'online' | 'stale' | 'offline' | 'unknown' }[];
  permit: Permit | null;
  lastGasTest: GasTest | null;
  /** Person ids inside, in order of entry. */
  inside: string[];
  /** personId → entry `ts`, for those inside. */
  enteredAt: Record<string, number>;
  /** The open permit's attendant (at the opening), or null. */
  attendant: string | null;
  ventilation: { on: boolean; ts: number } | null;
  status: SpaceStatus;
  /** Worst severity among the space's active alarms (its detectors' and its own); null when none. */
  worstSeverity: Severity | null;
  /** Why evacuate holds now, most urgent first; empty when it does not. */
  reasons: string[];
  /** What is wrong with the permit's gas test (the `permit` alarm's message), or null. */
  permitIssue: string | null;
  /** `permitIssue` as a code, for the app to word in the reader's language. */
  permitIssueCode?: Reason | null;
  /** v1.1: the chain ventilate → test → permit → attendant → entry, each step ok / failed / pending. */
  chain?: ChainStep[];
  /** v1.1: why evacuate holds, as codes the app renders in the user's language. */
  reasonCodes?: Reason[];
  /** Open alarms of the space and its devices (active or awaiting acknowledgement), worst first. */
  alarmIds: string[];
}
