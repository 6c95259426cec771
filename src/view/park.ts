/**
 * How the park scene is shown: the four-colour map's colours, and enterprises ordered for the risk
 * board — worst effective level first (the assessed level raised by open alarms), then more open
 * alarms.
 */
import type { ParkSummary, RiskLevel } from '../contracts';
import { RISK_LEVELS } from '../domain';
import { RISK_CSS } from './palette';

type Enterprise = ParkSummary['enterprises'][number];

/**
 * The colour of an enterprise on the four-colour map: its assessed level, and nothing else. Live
 * alarms are drawn over it and never recolour it: the map (四色图) is the result of a risk
 * assessment, not of today's readings. Null for an unrated enterprise.
 */
export function riskMapCss(level: RiskLevel | null): string | null {
  return level === null ? null : RISK_CSS[level];
}

/** Red first … blue; an unrated enterprise after all rated ones. */
export function riskRank(level: RiskLevel | null): number {
  return level ? RISK_LEVELS.indexOf(level) : RISK_LEVELS.length;
}

/** Worst effective level first, then more open alarms, then by id (a stable order). */
export function compareEnterprises(a: Enterprise, b: Enterprise): number {
  return riskRank(a.effectiveRiskLevel) - riskRank(b.effectiveRiskLevel) || b.openAlarms.total - a.openAlarms.total || a.id.localeCompare(b.id);
}

/** How many enterprises stand at each level now. */
export function riskCounts(enterprises: readonly Pick<Enterprise, 'effectiveRiskLevel'>[]): Record<RiskLevel, number> {
  const c: Record<RiskLevel, number> = { red: 0, orange: 0, yellow: 0, blue: 0 };
  for (const e of enterprises) if (e.effectiveRiskLevel) c[e.effectiveRiskLevel]++;
  return c;
}
