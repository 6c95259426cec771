import type { Device, Values } from '../contracts';
import { thresholdConditions, type Condition } from './conditions';
import { limitsFor } from './limits';
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
