/**
 * The gas grid's cells: each detector's channels against its limits, the same rules as the
 * service (domain thresholds), so a red cell here is a red point on the globe.
 */
import type { Device, DeviceLive, GasLevel, Quantity } from '../../../contracts';
import { limitsFor } from '../../../domain';
import { deviceLink, quantityState, type Health } from '../../../state/selectors';
import type { SpaceSummary } from '../../../domain';
import { renderDetail, type Say } from '../../../domain/texts';

/** The columns of the grid: O₂ first (too little kills), then the toxic and combustible gases. */
export const GAS_CHANNELS: readonly Quantity[] = ['o2_pct', 'h2s_ppm', 'co_ppm', 'nh3_ppm', 'lel_pct'];
export const LEVELS: readonly GasLevel[] = ['upper', 'middle', 'lower'];

export interface GasCell {
  value: number | undefined;
  health: Health;
}

/** One channel of one detector now: a severity, normal, or grey (stale / offline / no data). */
export function gasCell(device: Device | undefined, live: DeviceLive | undefined, q: Quantity, nowMs: number): GasCell {
  if (!device) return { value: undefined, health: 'nodata' };
  const link = deviceLink(device, live, nowMs);
  const value = live?.values[q];
  if (link !== 'online') return { value, health: link };
  if (value === undefined) return { value, health: 'nodata' };
  return { value, health: quantityState(q, value, limitsFor(device)[q]) };
}

/** Worst health of a level (for the space view and per-level attributes). */
export function levelHealth(cells: readonly GasCell[]): Health {
  const order: Health[] = ['critical', 'major', 'minor', 'warning', 'stale', 'offline', 'nodata', 'normal'];
  let best = order.length - 1;
  for (const c of cells) best = Math.min(best, order.indexOf(c.health));
  return order[best];
}

/** The detector id of each level of a space. */
export function detectorsByLevel(space: Pick<SpaceSummary, 'detectors'>): Partial<Record<GasLevel, string>> {
  const out: Partial<Record<GasLevel, string>> = {};
  for (const d of space.detectors) if (d.level) out[d.level] = d.id;
  return out;
}

/** `14:05:09`: local time of day with seconds (entry times, gas tests, the replayed instant). */
export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Why the space must be evacuated, in the reader's language (from the codes; the English reasons of an older service otherwise). */
export function reasonLines(s: Pick<SpaceSummary, 'reasons' | 'reasonCodes'>, say: Say): string[] {
  if (!s.reasonCodes?.length) return s.reasons;
  return s.reasonCodes.map((r, i) => renderDetail(r, say) ?? s.reasons[i] ?? '').filter(Boolean);
}
