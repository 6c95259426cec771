/**
 * Chemical-park classifications: the four-colour enterprise risk map, boundary / dike gas levels as
 * a ratio of the exposure limit, and where a reading stands against its tank limits. The alarms
 * themselves come from thresholdConditions with the limits of limitsFor; these helpers say the same
 * thing in the words of the park's panels (level 1 / 2, high / high-high).
 */
import type { AlarmOverlay, AlarmRecord, LimitBand, Limits, Quantity, QuantityLimits, RiskLevel, Severity, Site, Values } from '../contracts';
import { SEVERITY_RANK } from './conditions';

/**
 * The four-colour safety-risk map (重大 / 较大 / 一般 / 低, 应急管理部 chemical-park guide 2022),
 * most severe first; the app draws each level in its colour and names it in the user's language.
 */
export const RISK_LEVELS: readonly RiskLevel[] = ['red', 'orange', 'yellow', 'blue'];

/** The alarm severities that read as each risk level (critical red … warning blue). */
const RISK_OF_SEVERITY: Record<Severity, RiskLevel> = { critical: 'red', major: 'orange', minor: 'yellow', warning: 'blue' };

/** An enterprise's assessed level (安全风险分区分级) from the registry: `assessedLevel`, else its v1 name `riskLevel`. */
export function assessedLevel(site: Pick<Site, 'props'>): RiskLevel | null {
  const p = site.props ?? {};
  const v = p.assessedLevel ?? p.riskLevel;
  return v && RISK_LEVELS.includes(v) ? v : null;
}

/** The enterprise above a site, walking up its parents (8 levels guard against a cycle); null when none. */
export function enterpriseOf(siteId: string | null, sites: ReadonlyMap<string, Pick<Site, 'id' | 'kind' | 'parentId'>>): string | null {
  let s = siteId ? sites.get(siteId) : undefined;
  for (let n = 0; s && n < 8; n++) {
    if (s.kind === 'enterprise') return s.id;
    s = s.parentId ? sites.get(s.parentId) : undefined;
  }
  return null;
}

/**
 * The live-alarm overlay of the map: per enterprise, its worst open park alarm and how many are
 * open (an alarm of a tank counts for the tank farm's enterprise). Shelved alarms are left out, as
 * the operator hid them; alarms of a site under no enterprise — a boundary station, a truck — are
 * not pinned to one.
 */
export function alarmOverlay(
  alarms: Iterable<Pick<AlarmRecord, 'scene' | 'siteId' | 'severity' | 'state'>>,
  sites: ReadonlyMap<string, Pick<Site, 'id' | 'kind' | 'parentId' | 'props'>>,
): Map<string, AlarmOverlay> {
  const out = new Map<string, AlarmOverlay>();
  for (const a of alarms) {
    if (a.scene !== 'park' || a.state === 'closed' || a.state === 'shelved') continue;
    const id = enterpriseOf(a.siteId, sites);
    if (!id) continue;
    const prev = out.get(id);
    const worst = prev && SEVERITY_RANK[prev.worstSeverity] <= SEVERITY_RANK[a.severity] ? prev.worstSeverity : a.severity;
    out.set(id, { enterpriseId: id, assessedLevel: assessedLevel(sites.get(id)!), worstSeverity: worst, openAlarms: (prev?.openAlarms ?? 0) + 1 });
  }
  return out;
}

/**
 * v1: the assessed level raised to the worst open alarm, as the service still colours enterprises.
 * @deprecated mixes alarm state into the assessment; draw the assessed level (src/view riskMapCss) and alarmOverlay over it
 */
export function effectiveRisk(assessed: RiskLevel, worstOpen: Severity | null): RiskLevel {
  if (worstOpen === null) return assessed;
  const live = RISK_OF_SEVERITY[worstOpen];
  return RISK_LEVELS.indexOf(live) < RISK_LEVELS.indexOf(assessed) ? live : assessed;
}

/** Level of a gas station reading: 0 below the limit, 1 from 100 % of the exposure limit, 2 from 200 %. */
export type StationLevel = 0 | 1 | 2;

/**
 * Measured value / exposure limit. The exposure limit is the level-1 (`high`) limit of the
 * station's limits; level 2 is its `highHigh` (200 % by default). NaN when there is no limit.
 */
export function concentrationRatio(value: number, limits: QuantityLimits | undefined): number {
  const limit = limits?.high ?? (limits?.highHigh !== undefined ? limits.highHigh / 2 : undefined);
  return limit !== undefined && limit > 0 ? value / limit : NaN;
}

/** The worst gas of a station reading: its level and concentration ratio; null when no gas has a limit. */
export function stationLevel(values: Values, limits: Limits): { quantity: Quantity; level: StationLevel; ratio: number } | null {
  let worst: { quantity: Quantity; level: StationLevel; ratio: number } | null = null;
  for (const [q, l] of Object.entries(limits) as [Quantity, QuantityLimits][]) {
    const v = values[q];
    if (v === undefined) continue;
    const ratio = concentrationRatio(v, l);
    if (Number.isNaN(ratio)) continue;
    const level: StationLevel = l.highHigh !== undefined && v >= l.highHigh ? 2 : ratio >= 1 ? 1 : 0;
    if (!worst || level > worst.level || (level === worst.level && ratio > worst.ratio)) worst = { quantity: q, level, ratio };
  }
  return worst;
}

export type { LimitBand };

/** Where a reading stands against one quantity's limits (same comparisons as thresholdConditions, no deadband). */
export function limitBand(value: number, l: QuantityLimits | undefined): LimitBand {
  if (!l) return 'normal';
  if (l.highHigh !== undefined && value >= l.highHigh) return 'highHigh';
  if (l.high !== undefined && value >= l.high) return 'high';
  if (l.lowLow !== undefined && value < l.lowLow) return 'lowLow';
  if (l.low !== undefined && value < l.low) return 'low';
  return 'normal';
}

/** The band of every quantity of a reading that has limits (a tank's level, pressure, temperature). */
export function limitBands(values: Values, limits: Limits): Partial<Record<Quantity, LimitBand>> {
  const out: Partial<Record<Quantity, LimitBand>> = {};
  for (const [q, v] of Object.entries(values) as [Quantity, number][]) if (limits[q]) out[q] = limitBand(v, limits[q]);
  return out;
}
