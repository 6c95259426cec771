/**
 * The inspector's list of confined spaces: how a space is listed (worst first). The JSON of one
 * space in `GET /api/spaces` is the contracts' `SpaceSummary`.
 */
import { SPACE_STATUSES, type Severity, type SpaceStatus } from '../contracts';
import { SEVERITY_RANK } from './conditions';
// The service still names the spaces answer through the domain.
export type { SpaceStatus, SpaceSummary } from '../contracts';

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
