import type { DeviceKind, Limits, Quantity, QuantityLimits } from '../contracts';

/**
 * Default alarm limits per device kind. Every threshold is configuration: a device's own
 * `limits` in the registry override these per quantity.
 *
 * Confined-space atmosphere (GB 30871-2022 §6.4, GBZ 2.1-2019, GB/T 50493-2019;
 * ppm = mg/m³ × 24.45 / M): H₂S MAC 10 mg/m³ ≈ 7 ppm, 20 mg/m³ ≈ 14 ppm; CO PC-TWA 20 mg/m³ ≈ 17 ppm,
 * 40 mg/m³ ≈ 35 ppm; NH₃ PC-TWA 20 mg/m³ ≈ 28 ppm, ×2 ≈ 57 ppm; combustible 25 / 50 % LEL.
 */
const CONFINED_GAS: Limits = {
  o2_pct: { low: 19.5, lowLow: 18, high: 23.5 },
  h2s_ppm: { high: 7, highHigh: 14 },
  co_ppm: { high: 17, highHigh: 35 },
  nh3_ppm: { high: 28, highHigh: 57 },
  lel_pct: { high: 25, highHigh: 50 },
};

/**
 * Park-boundary toxic-gas stations: level 1 at 100 % of the exposure limit, level 2 at 200 %.
 * Cl₂ MAC 1 mg/m³ ≈ 0.34 ppm; NH₃ and H₂S as above; VOC as total hydrocarbons (plant practice).
 */
const BOUNDARY_GAS: Limits = {
  cl2_ppm: { high: 0.34, highHigh: 0.69 },
  nh3_ppm: { high: 28, highHigh: 57 },
  h2s_ppm: { high: 7, highHigh: 14 },
  voc_ppm: { high: 50, highHigh: 100 },
};

/** Tank defaults; real tanks carry their own in the registry. */
const TANK: Limits = {
  level_pct: { high: 85, highHigh: 95, low: 5 },
  temp_c: { high: 40, highHigh: 50 },
  pressure_kpa: { high: 150, highHigh: 200 },
};

const DIKE_GAS: Limits = {
  lel_pct: { high: 25, highHigh: 50 },
  voc_ppm: { high: 50, highHigh: 100 },
  nh3_ppm: { high: 28, highHigh: 57 },
  cl2_ppm: { high: 0.34, highHigh: 0.69 },
};

export const DEFAULT_LIMITS: Partial<Record<DeviceKind, Limits>> = {
  gas_detector: CONFINED_GAS,
  boundary_gas: BOUNDARY_GAS,
  tank_sensor: TANK,
  dike_gas: DIKE_GAS,
};

/**
 * How far a value must come back past a threshold before its alarm clears, so a value wobbling
 * at the threshold does not chatter (ISA-18.2 deadband). In the quantity's own unit.
 */
export const DEADBAND: Partial<Record<Quantity, number>> = {
  o2_pct: 0.2,
  h2s_ppm: 0.5,
  co_ppm: 1,
  nh3_ppm: 1,
  cl2_ppm: 0.02,
  lel_pct: 1,
  voc_ppm: 2,
  level_pct: 1,
  pressure_kpa: 2,
  temp_c: 0.5,
  visibility_m: 20,
  road_temp_c: 0.5,
};

/** Quantities whose high limit is exceeded only strictly above it (O₂ > 23.5 %); others alarm at ≥. */
export const STRICT_HIGH: ReadonlySet<Quantity> = new Set<Quantity>(['o2_pct']);

/** The limits in force for a device: its own over the defaults of its kind. */
export function limitsFor(device: { kind: DeviceKind; limits?: Limits }): Limits {
  const base = DEFAULT_LIMITS[device.kind] ?? {};
  if (!device.limits) return base;
  const merged: Limits = { ...base };
  for (const [q, l] of Object.entries(device.limits) as [Quantity, QuantityLimits][]) {
    merged[q] = { ...(base[q] ?? {}), ...l };
  }
  return merged;
}
