import { detail, type AlarmDetail, type Limits, type Quantity, type QuantityLimits, type Severity, type Values } from '../contracts';
import { DEADBAND, STRICT_HIGH } from './limits';

/** An alarm condition that holds now for one device. */
export interface Condition {
  /** Rule name of the contract: `{quantity}_high`, `{quantity}_low`, `stale`, `fog`, `ice`, … */
  rule: string;
  severity: Severity;
  value: number | null;
  threshold: number | null;
  message: string;
  /** `message` as data (code and parameters), rendered by the app in the reader's language. */
  detail?: AlarmDetail;
  /** `message` in Chinese, when the rule that made the condition knows it. */
  messageZh?: string;
  /** Where it happens ([lonDeg, latDeg, heightM?]) when that is not its device's or site's place (a reported incident). */
  at?: readonly number[];
}

/**
 * Threshold conditions of one device's latest values. `activeRules` are the rules already in
 * alarm: for those the value must come back past the deadband before the condition drops, so an
 * alarm does not chatter at its threshold.
 */
export function thresholdConditions(
  values: Values,
  limits: Limits,
  activeRules: ReadonlySet<string> = new Set(),
): Condition[] {
  const out: Condition[] = [];
  for (const [q, l] of Object.entries(limits) as [Quantity, NonNullable<Limits[Quantity]>][]) {
    const v = values[q];
    if (v === undefined) continue;
    const band = DEADBAND[q] ?? 0;
    const highRule = `${q}_high`;
    const lowRule = `${q}_low`;
    const highActive = activeRules.has(highRule);
    const lowActive = activeRules.has(lowRule);
    const strict = STRICT_HIGH.has(q);
    const over = (t: number) => (strict ? v > t : v >= t) || (highActive && v > t - band);
    const under = (t: number) => v < t || (lowActive && v < t + band);

    // Severity follows the value; only raising and clearing use the deadband.
    if (l.highHigh !== undefined && (strict ? v > l.highHigh : v >= l.highHigh)) {
      out.push(cond(highRule, 'critical', q, v, l.highHigh, strict ? '>' : '≥'));
    } else if (l.high !== undefined && over(l.high)) {
      out.push(cond(highRule, 'major', q, v, l.high, strict ? '>' : '≥'));
    } else if (l.high === undefined && l.highHigh !== undefined && over(l.highHigh)) {
      out.push(cond(highRule, 'critical', q, v, l.highHigh, strict ? '>' : '≥'));
    }
    if (l.lowLow !== undefined && v < l.lowLow) {
      out.push(cond(lowRule, 'critical', q, v, l.lowLow, '<'));
    } else if (l.low !== undefined && under(l.low)) {
      out.push(cond(lowRule, 'major', q, v, l.low, '<'));
    } else if (l.low === undefined && l.lowLow !== undefined && under(l.lowLow)) {
      out.push(cond(lowRule, 'critical', q, v, l.lowLow, '<'));
    }
  }
  return out;
}

/**
 * Whether no threshold condition of a quantity holds at `v` while neither of its rules is active:
 * the test of thresholdConditions without a deadband. The alarm engine skips a quiet quantity whose
 * rules hold nothing (no pending condition, no active alarm), as evaluating it would change nothing.
 */
export function isQuiet(v: number, l: QuantityLimits, strict: boolean): boolean {
  // No closure here: it runs for every quantity of every reading, and each closure made costs.
  if (above(v, l.highHigh, strict) || above(v, l.high, strict)) return false;
  return !(l.lowLow !== undefined && v < l.lowLow) && !(l.low !== undefined && v < l.low);
}

/**
 * The severity thresholdConditions gives one quantity at `v` with neither of its rules active,
 * without building the condition: the browser colours every reading it folds by it.
 */
export function thresholdSeverity(v: number, l: QuantityLimits, strict: boolean): Severity | null {
  if (above(v, l.highHigh, strict) || (l.lowLow !== undefined && v < l.lowLow)) return 'critical';
  if (above(v, l.high, strict) || (l.low !== undefined && v < l.low)) return 'major';
  return null;
}

const above = (v: number, t: number | undefined, strict: boolean): boolean => t !== undefined && (strict ? v > t : v >= t);

function cond(rule: string, severity: Severity, q: Quantity, value: number, threshold: number, op: '≥' | '>' | '<'): Condition {
  const dir = op === '<' ? 'low' : 'high';
  return { rule, severity, value, threshold, message: `${q} ${round(value)} ${op} ${threshold}`, detail: detail('threshold', { quantity: q, dir, value: round(value), threshold, op }) };
}

const round = (v: number) => Math.round(v * 100) / 100;

/** Severity order, most severe first. */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, major: 1, minor: 2, warning: 3 };

/** The more severe of two severities. */
export function worstSeverity(a: Severity | null, b: Severity | null): Severity | null {
  if (a === null) return b;
  if (b === null) return a;
  return SEVERITY_RANK[a] <= SEVERITY_RANK[b] ? a : b;
}
