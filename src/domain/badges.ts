/**
 * One badge inside two confined spaces at once: a lent badge or a missed exit. Either way the head
 * count a rescue team is given is wrong, so it is an alarm (major) until one of the entries is
 * closed by an exit. Pure: the service calls it with the entry state of every space.
 */
import { detail, type Severity } from '../contracts';
import type { Condition } from './conditions';
import type { SpaceEntryState } from './entry';

export const BADGE_TWICE_SEVERITY: Severity = 'major';

/** Badges inside more than one space: person id → the spaces, in the order they were entered. */
export function badgesInTwoPlaces(spaces: Iterable<[string, Pick<SpaceEntryState, 'inside' | 'enteredAt'>]>): Map<string, string[]> {
  const where = new Map<string, { spaceId: string; at: number }[]>();
  for (const [spaceId, st] of spaces) {
    for (const p of st.inside) {
      const list = where.get(p) ?? [];
      list.push({ spaceId, at: st.enteredAt[p] ?? 0 });
      where.set(p, list);
    }
  }
  const out = new Map<string, string[]>();
  for (const [p, list] of where) {
    if (list.length > 1) out.set(p, list.sort((a, b) => a.at - b.at || (a.spaceId < b.spaceId ? -1 : 1)).map((x) => x.spaceId));
  }
  return out;
}

/** The alarm condition of one badge found inside `spaceIds` at once. */
export function badgeTwiceCondition(personId: string, spaceIds: string[]): Condition {
  return {
    rule: 'badge_twice',
    severity: BADGE_TWICE_SEVERITY,
    value: spaceIds.length,
    threshold: 1,
    message: `badge ${personId} is inside ${spaceIds.join(' and ')} at once`,
    detail: detail('badge_twice', { personId, spaceIds }),
  };
}
