/**
 * How the confined scene is shown, shared by the globe's markers and plant tints, the three.js
 * space view and the inspector's panels: a space's status colour, a plant's risk colour from its
 * worst space, the gas grid's cells (each detector's channels against its limits, by the same
 * rules as the service, so a red cell is a red point on the globe), and the space view's model.
 */
import type { Device, DeviceLive, GasLevel, Quantity, Severity, SpaceStatus, SpaceSummary } from '../contracts';
import { limitsFor } from '../domain';
import { renderDetail, type Say } from '../domain/texts';
import { deviceLink, quantityState, worstHealth } from './health';
import { ACCENT_CSS, NODATA_CSS, SEVERITY_CSS, type Health } from './palette';

/** The columns of the gas grid: O₂ first (too little kills), then the toxic and combustible gases. */
export const GAS_CHANNELS: readonly Quantity[] = ['o2_pct', 'h2s_ppm', 'co_ppm', 'nh3_ppm', 'lel_pct'];
export const LEVELS: readonly GasLevel[] = ['upper', 'middle', 'lower'];

/** Colour of a space by status: evacuate red, an alarm by its worst severity, people inside the accent. */
export function spaceStatusCss(status: SpaceStatus, worst: Severity | null): string {
  switch (status) {
    case 'evacuate':
      return SEVERITY_CSS.critical;
    case 'alarm':
      return SEVERITY_CSS[worst ?? 'major'];
    case 'occupied':
      return ACCENT_CSS;
    case 'permit':
      return '#9fb1d6';
    default:
      return NODATA_CSS;
  }
}

/**
 * A plant's risk from its worst space, as a severity of the four colours: evacuate critical, an
 * alarm its own severity (critical, major, else minor), people inside minor, otherwise warning
 * (blue: low risk, nothing happening).
 */
export function plantRisk(spaces: readonly Pick<SpaceSummary, 'status' | 'worstSeverity'>[]): Severity {
  const order: Severity[] = ['critical', 'major', 'minor', 'warning'];
  let rank = 3;
  for (const s of spaces) {
    if (s.status === 'evacuate') rank = Math.min(rank, 0);
    else if (s.status === 'alarm') rank = Math.min(rank, s.worstSeverity === 'critical' ? 0 : s.worstSeverity === 'major' ? 1 : 2);
    else if (s.status === 'occupied') rank = Math.min(rank, 2);
  }
  return order[rank];
}

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

/** The detector id of each level of a space. */
export function detectorsByLevel(space: Pick<SpaceSummary, 'detectors'>): Partial<Record<GasLevel, string>> {
  const out: Partial<Record<GasLevel, string>> = {};
  for (const d of space.detectors) if (d.level) out[d.level] = d.id;
  return out;
}

/** What the space view draws: the space's shape, each level's state and H₂S, people, attendant and fan. */
export interface SpaceViewModel {
  spaceType: string | null;
  depthM: number;
  levels: Record<GasLevel, { health: Health; h2sPpm: number | null }>;
  inside: number;
  /** An attendant named on the open permit stands at the opening. */
  attendant: boolean;
  /** null: no ventilation event seen. */
  ventilationOn: boolean | null;
}

/** Depth drawn for a space whose registry gives none, m. */
const DEFAULT_DEPTH_M = 4;

/** The space view's model of a space now, from its detectors' latest values. */
export function spaceViewModel(
  s: SpaceSummary,
  devices: ReadonlyMap<string, Device>,
  live: ReadonlyMap<string, DeviceLive>,
  nowMs: number,
): SpaceViewModel {
  const byLevel = detectorsByLevel(s);
  const levels = {} as SpaceViewModel['levels'];
  for (const level of LEVELS) {
    const id = byLevel[level];
    const device = id ? devices.get(id) : undefined;
    const l = id ? live.get(id) : undefined;
    const h2s = l?.values.h2s_ppm;
    // Rounded so small noise does not rebuild the scene every frame.
    levels[level] = {
      health: worstHealth(GAS_CHANNELS.map((q) => gasCell(device, l, q, nowMs).health)),
      h2sPpm: h2s === undefined ? null : Math.round(h2s * 2) / 2,
    };
  }
  return {
    spaceType: s.spaceType,
    depthM: s.depthM ?? DEFAULT_DEPTH_M,
    levels,
    inside: s.inside.length,
    attendant: s.attendant !== null,
    ventilationOn: s.ventilation ? s.ventilation.on : null,
  };
}

/** Why the space must be evacuated, in the reader's language (from the codes; the English reasons of an older service otherwise). */
export function reasonLines(s: Pick<SpaceSummary, 'reasons' | 'reasonCodes'>, say: Say): string[] {
  if (!s.reasonCodes?.length) return s.reasons;
  return s.reasonCodes.map((r, i) => renderDetail(r, say) ?? s.reasons[i] ?? '').filter(Boolean);
}
