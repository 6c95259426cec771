/**
 * Time inside a confined space, and the limit on it. Neither GB 30871-2022 nor 工贸企业有限空间作业
 * 安全规定 (应急管理部令第13号, 2023) sets a maximum time inside: it is a site setting (the job's
 * risk assessment, the breathing apparatus, heat), per space `props.maxInsideMin`, else the
 * service's default. A badge inside longer is an alarm (major) until its exit. Pure.
 */
import { detail, type Severity } from '../contracts';
import type { Condition } from './conditions';
import type { SpaceEntryState } from './entry';

/** The default limit where a space sets none: two hours, a site default (no regulation sets one). */
export const MAX_INSIDE_MIN_DEFAULT = 120;
export const OVERSTAY_SEVERITY: Severity = 'major';

/** A space's limit in minutes: its registry `props.maxInsideMin` when a positive number, else `fallbackMin`. */
export function maxInsideMin(props: Record<string, unknown> | undefined, fallbackMin: number): number {
  const own = props?.maxInsideMin;
  return typeof own === 'number' && Number.isFinite(own) && own > 0 ? own : fallbackMin;
}

/** Whole minutes a person has been inside (0 for someone not inside, or an entry stamped ahead of the clock). */
export function minutesInside(state: Pick<SpaceEntryState, 'enteredAt'>, personId: string, nowMs: number): number {
  const at = state.enteredAt[personId];
  return at === undefined ? 0 : Math.max(0, Math.floor((nowMs - at) / 60_000));
}

/** The people inside longer than `limitMin` (strictly: at the limit is still allowed), in order of entry. */
export function overstays(state: Pick<SpaceEntryState, 'inside' | 'enteredAt'>, limitMin: number, nowMs: number): { personId: string; minutes: number }[] {
  const out: { personId: string; minutes: number }[] = [];
  for (const personId of state.inside) {
    const at = state.enteredAt[personId];
    if (at !== undefined && nowMs - at > limitMin * 60_000) out.push({ personId, minutes: minutesInside(state, personId, nowMs) });
  }
  return out;
}

/** The alarm condition of one person inside `spaceId` for `minutes`, over `limitMin`. */
export function overstayCondition(spaceId: string, personId: string, minutes: number, limitMin: number): Condition {
  return {
    rule: 'overstay',
    severity: OVERSTAY_SEVERITY,
    value: minutes,
    threshold: limitMin,
    message: `${personId} inside ${spaceId} for ${minutes} min (limit ${limitMin} min)`,
    detail: detail('overstay', { personId, minutes, limitMin }),
  };
}
