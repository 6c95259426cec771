/**
 * Threshold overrides per site or device (registry management): the limits a device alarms at once
 * overrides are laid over the standard's defaults, where each limit comes from, and whether an
 * override is looser than the standard (then only an admin with a reason may set it).
 */
import type { Device, Limits, Quantity, QuantityLimits, ThresholdInForce, ThresholdLimits, ThresholdOverride, ThresholdSource } from '../contracts';
import { DEFAULT_LIMITS } from './limits';

/** The clause each kind's defaults come from (domain/limits.ts has the conversions). */
export const STANDARD_CLAUSES: Partial<Record<Device['kind'], string>> = {
  gas_detector: 'GB 30871-2022 §6.4; GBZ 2.1-2019; GB/T 50493-2019',
  boundary_gas: 'GBZ 2.1-2019 (level 1: 100 %, level 2: 200 % of the exposure limit)',
  dike_gas: 'GB/T 50493-2019; GBZ 2.1-2019',
  tank_sensor: 'GB 50160-2008 (plant practice defaults)',
};

/** Override field → the limit of `QuantityLimits` it sets, and the severity that limit raises. */
export const OVERRIDE_FIELDS = [
  ['major', 'high', 'major'],
  ['critical', 'highHigh', 'critical'],
  ['majorLow', 'low', 'major'],
  ['criticalLow', 'lowLow', 'critical'],
] as const satisfies readonly (readonly [keyof ThresholdLimits, keyof QuantityLimits, 'major' | 'critical'])[];

const isHigh = (limit: keyof QuantityLimits) => limit === 'high' || limit === 'highHigh';

/** An override's limits in the registry's own form (`high`, `highHigh`, `low`, `lowLow`). */
export function overrideAsLimits(o: Pick<ThresholdOverride, 'limits'>): Limits {
  const out: Limits = {};
  for (const [q, l] of Object.entries(o.limits) as [Quantity, ThresholdLimits][]) {
    const ql: QuantityLimits = {};
    for (const [field, limit] of OVERRIDE_FIELDS) if (l[field] !== undefined) ql[limit] = l[field];
    out[q] = ql;
  }
  return out;
}

function layer(base: Limits, over: Limits): Limits {
  const out: Limits = { ...base };
  for (const [q, l] of Object.entries(over) as [Quantity, QuantityLimits][]) out[q] = { ...(out[q] ?? {}), ...l };
  return out;
}

/**
 * A device's own `limits` with the overrides laid over them, `chain` nearest first (the device's
 * own override, then its site's, then the sites above): what the rules and the app read.
 */
export function limitsWithOverrides(device: Pick<Device, 'limits'>, chain: readonly ThresholdOverride[]): Limits | undefined {
  if (chain.length === 0) return device.limits;
  let out: Limits = device.limits ?? {};
  for (const o of [...chain].reverse()) out = layer(out, overrideAsLimits(o));
  return out;
}

/** Every limit in force on `device` (raw registry device, without overrides) with where it comes from. */
export function thresholdsInForce(device: Pick<Device, 'kind' | 'limits' | 'quantities'>, chain: readonly ThresholdOverride[]): ThresholdInForce[] {
  const standard = DEFAULT_LIMITS[device.kind] ?? {};
  const clause = STANDARD_CLAUSES[device.kind] ?? 'CityTwin default';
  const out: ThresholdInForce[] = [];
  const quantities = new Set<Quantity>([...(Object.keys(standard) as Quantity[]), ...(Object.keys(device.limits ?? {}) as Quantity[])]);
  for (const o of chain) for (const q of Object.keys(o.limits) as Quantity[]) quantities.add(q);
  for (const q of quantities) {
    for (const [field, limit, severity] of OVERRIDE_FIELDS) {
      const std = standard[q]?.[limit] ?? null;
      let value: number | undefined;
      let source: ThresholdSource | undefined;
      const o = chain.find((x) => x.limits[q]?.[field] !== undefined);
      if (o) {
        value = o.limits[q]![field];
        const by = { reason: o.reason, setBy: o.setBy, setAt: o.setAt };
        source = o.target === 'device' ? { kind: 'device', ...by } : { kind: 'site', siteId: o.targetId, ...by };
      } else if (device.limits?.[q]?.[limit] !== undefined) {
        value = device.limits[q]![limit];
        source = { kind: 'registry' };
      } else if (std !== null) {
        value = std;
        source = { kind: 'standard', clause };
      }
      if (value !== undefined && source) out.push({ quantity: q, limit, severity, value, standard: std, source });
    }
  }
  return out;
}

/** One limit of an override that is looser than what `device` would alarm at without that override. */
export interface LooserLimit {
  quantity: Quantity;
  field: keyof ThresholdLimits;
  value: number;
  /** The standard's (or the registry's) limit it loosens. */
  base: number;
}

/**
 * The limits of `limits` looser than the device's standard (its kind's default, or the registry's own
 * limit where the standard sets none): a high limit above it, a low limit below it. A limit where
 * there was none only adds an alarm, so it is never looser.
 */
export function looserLimits(device: Pick<Device, 'kind' | 'limits'>, limits: ThresholdOverride['limits']): LooserLimit[] {
  const standard = DEFAULT_LIMITS[device.kind] ?? {};
  const out: LooserLimit[] = [];
  for (const [q, l] of Object.entries(limits) as [Quantity, ThresholdLimits][]) {
    for (const [field, limit] of OVERRIDE_FIELDS) {
      const v = l[field];
      const base = standard[q]?.[limit] ?? device.limits?.[q]?.[limit];
      if (v === undefined || base === undefined) continue;
      if (isHigh(limit) ? v > base : v < base) out.push({ quantity: q, field, value: v, base });
    }
  }
  return out;
}
