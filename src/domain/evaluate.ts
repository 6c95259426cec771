import type { Device, Quantity, Severity, Values } from '../contracts';
import { thresholdConditions, thresholdSeverity, worstSeverity, type Condition } from './conditions';
import { STRICT_HIGH, limitsFor } from './limits';
import { weatherConditions } from './weather';

/**
 * Every condition that holds for a device given its latest values (all quantities, merged across
 * messages). Used by the service's alarm engine and by the browser to colour between updates.
 */
export function deviceConditions(
  device: Pick<Device, 'kind' | 'limits'>,
  values: Values,
  activeRules: ReadonlySet<string> = new Set(),
): Condition[] {
  const out = thresholdConditions(values, limitsFor(device), activeRules);
  if (device.kind === 'weather') out.push(...weatherConditions(values, activeRules));
  return out;
}

/**
 * The worst severity among deviceConditions with no rule active, the same judgement without an
 * object per condition (the browser recolours every device a live frame touches).
 */
export function deviceSeverity(device: Pick<Device, 'kind' | 'limits'>, values: Values): Severity | null {
  const limits = limitsFor(device);
  let worst: Severity | null = null;
  for (const q in limits) {
    const v = values[q as Quantity];
    const l = limits[q as Quantity];
    if (v === undefined || !l) continue;
    worst = worstSeverity(worst, thresholdSeverity(v, l, STRICT_HIGH.has(q as Quantity)));
  }
  if (device.kind === 'weather') for (const c of weatherConditions(values)) worst = worstSeverity(worst, c.severity);
  return worst;
}
