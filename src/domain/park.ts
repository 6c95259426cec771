/**
 * Chemical-park classifications: the four-colour enterprise risk map, boundary / dike gas levels as
 * a ratio of the exposure limit, and where a reading stands against its tank limits. The alarms
 * themselves come from thresholdConditions with the limits of limitsFor; these helpers say the same
 * thing in the words of the park's panels (level 1 / 2, high / high-high).
 */
import type { Limits, Quantity, QuantityLimits, RiskLevel, Severity, Values } from '../contracts';

/** Most severe first. */
export const RISK_LEVELS: readonly RiskLevel[] = ['red', 'orange', 'yellow', 'blue'];

/**
 * The four-colour safety-risk map (重大 / 较大 / 一般 / 低, 应急管理部 chemical-park guide 2022):
 * colours are the palette's alarm colours, so an enterprise and its alarms read alike.
 */
export const RISK_INFO: Record<RiskLevel, { rank: number; css: string; en: string; zh: string }> = {
  red: { rank: 0, css: '#e5484d', en: 'Major risk', zh: '重大风险' },
  orange: { rank: 1, css: '#f5a524', en: 'High risk', zh: '较大风险' },
  yellow: { rank: 2, css: '#f2d024', en: 'Moderate risk', zh: '一般风险' },
  blue: { rank: 3, css: '#3b82f6', en: 'Low risk', zh: '低风险' },
};

/** The CSS colour of a risk level. */
export function riskColour(level: RiskLevel): string {
  return RISK_INFO[level].css;
}

/** The alarm severities drawn in the same four colours (DESIGN "Alarm record"). */
const RISK_OF_SEVERITY: Record<Severity, RiskLevel> = { critical: 'red', major: 'orange', minor: 'yellow', warning: 'blue' };

/**
 * The colour to draw an enterprise now: its assessed level, raised to its worst open alarm
 * (a blue enterprise with a critical alarm is drawn red until the alarm closes).
 */
export function effectiveRisk(assessed: RiskLevel, worstOpen: Severity | null): RiskLevel {
  if (worstOpen === null) return assessed;
  const live = RISK_OF_SEVERITY[worstOpen];
  return RISK_INFO[live].rank < RISK_INFO[assessed].rank ? live : assessed;
}

/** Level of a gas station reading: 0 below the limit, 1 from 100 %, 2 from 200 % (DESIGN, park). */
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

/** Where a reading stands against one quantity's limits (same comparisons as thresholdConditions, no deadband). */
import type { LimitBand } from '../contracts';
export type { LimitBand };

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
