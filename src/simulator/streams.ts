/**
 * Plausible telemetry per device kind, as pure functions of (seed, device, simulated time).
 * Each stream passes every quantity through `ctx.override` at the point it is decided, so a
 * scenario can bend one quantity and the quantities derived from it follow (tank pressure follows
 * temperature, traffic flow and occupancy follow speed).
 */
import type { Device, Quantity, Site, Values } from '../contracts';
import { limitsFor } from '../domain';
import { bell, daily, localDayOfYear } from './clock';
import { signed, smooth, streamKey, unit } from './rng';
import { trafficValues } from './traffic';
import { truckValues, type TruckRoute } from './trucks';

export interface StreamContext {
  seed: number;
  device: Device;
  /** The site the device measures (space, tank, segment…), if the registry has it. */
  site: Site | undefined;
  /** Simulated time, epoch ms. */
  tMs: number;
  /** Applies the active scenario overrides of this device to a base value. */
  override: (q: Quantity, base: number) => number;
  /** Trucks only: the road they drive on. */
  route?: TruckRoute;
}

/** Slow wander (`amp` over ~`periodS`) plus white noise (`noise`) around `mean`. */
function drift(ctx: StreamContext, q: string, mean: number, amp: number, noise: number, periodS: number): number {
  const key = streamKey(ctx.seed, ctx.device.id, q);
  return mean + amp * smooth(key, ctx.tMs, periodS) + noise * signed(key ^ 0x5bd1e995, ctx.tMs);
}

interface Baseline {
  mean: number;
  /** Slow wander amplitude. */
  amp: number;
  /** White-noise amplitude. */
  noise: number;
}

/**
 * Clean-air baselines of confined-space detectors: O₂ 20.9 % ± 0.05 (sensor noise), traces of
 * H₂S, CO, NH₃ (dye-house waste water) and combustibles, well under the 7 / 17 / 28 ppm and 10 % LEL
 * entry limits of GB 30871-2022.
 */
const CONFINED: Partial<Record<Quantity, Baseline>> = {
  o2_pct: { mean: 20.9, amp: 0.02, noise: 0.03 },
  h2s_ppm: { mean: 0.2, amp: 0.15, noise: 0.08 },
  co_ppm: { mean: 0.8, amp: 0.6, noise: 0.3 },
  nh3_ppm: { mean: 1.2, amp: 1, noise: 0.4 },
  lel_pct: { mean: 0.6, amp: 0.5, noise: 0.3 },
};

/** H₂S is heavier than air and pools low: baseline scale per detector height. */
const H2S_LEVEL_SCALE = { lower: 1.5, middle: 1, upper: 0.5 } as const;

/**
 * Open-air gas stations (tank dikes, park boundary): background far below level 1 (Cl₂ 0.34 ppm,
 * NH₃ 28 ppm, H₂S 7 ppm, VOC 50 ppm, 25 % LEL).
 */
const OUTDOOR: Partial<Record<Quantity, Baseline>> = {
  cl2_ppm: { mean: 0.01, amp: 0.008, noise: 0.004 },
  nh3_ppm: { mean: 0.4, amp: 0.3, noise: 0.15 },
  h2s_ppm: { mean: 0.05, amp: 0.04, noise: 0.02 },
  voc_ppm: { mean: 1.5, amp: 1, noise: 0.4 },
  lel_pct: { mean: 0.3, amp: 0.25, noise: 0.1 },
  co_ppm: { mean: 0.5, amp: 0.4, noise: 0.2 },
  o2_pct: { mean: 20.9, amp: 0.02, noise: 0.03 },
};

function gasValues(ctx: StreamContext, table: Partial<Record<Quantity, Baseline>>, periodS: number): Values {
  const out: Values = {};
  for (const q of ctx.device.quantities) {
    const b = table[q] ?? OUTDOOR[q];
    if (!b) continue;
    const scale = q === 'h2s_ppm' && ctx.device.level ? H2S_LEVEL_SCALE[ctx.device.level] : 1;
    out[q] = ctx.override(q, drift(ctx, q, b.mean * scale, b.amp * scale, b.noise * scale, periodS));
  }
  return out;
}

/** A tank's operating point for `q` from `props.operating` of its site (or device), if any. */
function operating(ctx: StreamContext, q: Quantity): number | undefined {
  const camel = q.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()); // temp_c → tempC
  for (const props of [ctx.site?.props, (ctx.device as { props?: Record<string, unknown> }).props]) {
    const op = props?.operating;
    if (!op || typeof op !== 'object') continue;
    const v = (op as Record<string, unknown>)[q] ?? (op as Record<string, unknown>)[camel];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

function tankValues(ctx: StreamContext): Values {
  const limits = limitsFor(ctx.device);
  const key = streamKey(ctx.seed, ctx.device.id, 'tank');
  // Fill overnight, draw by day: highest about 06:00, lowest about 18:00, ±3 h per tank.
  const peakHour = 6 + 6 * signed(key, 1) * 0.5;
  const levelHigh = limits.level_pct?.high ?? 85;
  const levelLow = limits.level_pct?.low ?? 5;
  const levelMean = operating(ctx, 'level_pct') ?? (levelHigh + levelLow) / 2;
  const swing = Math.max(2, Math.min(18, levelHigh - 6 - levelMean, levelMean - levelLow - 6));
  const level = ctx.override('level_pct', levelMean + swing * daily(ctx.tMs, peakHour) + drift(ctx, 'level_pct', 0, 1.5, 0.05, 3600));

  // Sun on the shell: warmest about 15:00, ±2.5 °C over the day.
  const tempBase = operating(ctx, 'temp_c') ?? Math.min(25, (limits.temp_c?.high ?? 40) - 12);
  const tempNormal = tempBase + 2.5 * daily(ctx.tMs, 15) + drift(ctx, 'temp_c', 0, 0.5, 0.05, 1800);
  const temp = ctx.override('temp_c', tempNormal);

  // Vapour space pressure rises about 0.4 % per °C (closed tank, daily breathing).
  const pBase = operating(ctx, 'pressure_kpa') ?? 0.6 * (limits.pressure_kpa?.high ?? 150);
  const pressure = ctx.override('pressure_kpa', pBase * (1 + 0.004 * (temp - tempBase)) + drift(ctx, 'pressure_kpa', 0, pBase * 0.003, pBase * 0.001, 1800));

  const all: Values = { level_pct: level, temp_c: temp, pressure_kpa: pressure };
  return pick(ctx.device, all);
}

function windValues(ctx: StreamContext): Values {
  const key = streamKey(ctx.seed, ctx.device.id, 'wind');
  // Hangzhou Bay: mostly 2–5 m/s; a prevailing direction per seed, veering over hours and the day.
  const speed = 3.5 + 1.2 * smooth(key, ctx.tMs, 1200) + 0.4 * smooth(key ^ 1, ctx.tMs, 120) + 0.2 * signed(key ^ 2, ctx.tMs);
  const prevailing = 360 * unit(key, 7);
  const dir = prevailing + 50 * smooth(key ^ 3, ctx.tMs, 3 * 3600) + 20 * daily(ctx.tMs, 14) + 4 * signed(key ^ 4, ctx.tMs);
  return pick(ctx.device, {
    wind_speed_ms: Math.max(0.3, ctx.override('wind_speed_ms', speed)),
    wind_dir_deg: (((ctx.override('wind_dir_deg', dir) % 360) + 360) % 360),
  });
}

function weatherValues(ctx: StreamContext): Values {
  const key = streamKey(ctx.seed, ctx.device.id, 'weather');
  // Rain in showers about a fifth of the time, up to ~4 mm/h.
  const rain = Math.max(0, smooth(key, ctx.tMs, 3 * 3600) - 0.6) * 10;
  const precip = ctx.override('precip_mmh', rain > 0.05 ? rain * (1 + 0.1 * signed(key ^ 1, ctx.tMs)) : 0);
  // Clear air 6–14 km; dawn haze (05–08 h) and rain cut it, never near the 200 m fog band.
  const haze = 0.35 * bell(ctx.tMs, 6.5, 1);
  const clear = 10000 + 4000 * smooth(key ^ 2, ctx.tMs, 2 * 3600);
  const vis = ctx.override('visibility_m', clear * (1 - haze) * (1 - Math.min(0.6, precip * 0.12)));
  // Road surface: seasonal mean 8 °C (Jan) … 26 °C (Jul), daily swing 5–10 °C, warmest 14:00,
  // kept above freezing so ice is only ever scripted.
  const season = -Math.cos((2 * Math.PI * (localDayOfYear(ctx.tMs) - 20)) / 365);
  const mean = 17 + 9 * season;
  const swing = 7.5 + 2.5 * season;
  const road = mean + swing * daily(ctx.tMs, 14) - 1.5 * Math.min(1, precip) + 0.3 * smooth(key ^ 3, ctx.tMs, 900);
  return pick(ctx.device, {
    visibility_m: Math.max(10, vis),
    road_temp_c: ctx.override('road_temp_c', Math.max(1.5, road)),
    precip_mmh: Math.max(0, precip),
  });
}

/** Only the quantities the device reports. */
function pick(device: Device, all: Values): Values {
  const out: Values = {};
  for (const q of device.quantities) if (all[q] !== undefined) out[q] = all[q];
  return out;
}

/**
 * The base values of one device at simulated time `ctx.tMs`, before rounding. Devices that send
 * events only (access terminals, road operators) return `{}`.
 */
export function deviceValues(ctx: StreamContext): Values {
  switch (ctx.device.kind) {
    case 'gas_detector':
      return gasValues(ctx, CONFINED, 900);
    case 'dike_gas':
    case 'boundary_gas':
      return gasValues(ctx, OUTDOOR, 600);
    case 'tank_sensor':
      return tankValues(ctx);
    case 'wind':
      return windValues(ctx);
    case 'weather':
      return weatherValues(ctx);
    case 'traffic_detector':
      return pick(ctx.device, trafficValues(ctx));
    case 'truck':
      return ctx.route ? pick(ctx.device, truckValues(ctx, ctx.route)) : {};
    default:
      return gasValues(ctx, OUTDOOR, 600); // any other kind: whatever gases it lists
  }
}

/** Decimals per quantity: the sensor's resolution, enough to see noise, no more. */
const DECIMALS: Partial<Record<Quantity, number>> = {
  o2_pct: 2,
  h2s_ppm: 2,
  co_ppm: 1,
  nh3_ppm: 1,
  cl2_ppm: 3,
  lel_pct: 1,
  voc_ppm: 1,
  level_pct: 1,
  pressure_kpa: 1,
  temp_c: 1,
  wind_speed_ms: 1,
  wind_dir_deg: 0,
  speed_kmh: 1,
  flow_vph: 0,
  occupancy_pct: 1,
  visibility_m: 0,
  road_temp_c: 1,
  precip_mmh: 1,
  lon_deg: 6, // ≈ 0.1 m
  lat_deg: 6,
  heading_deg: 0,
};

/** Quantities that cannot go below zero or above 100 %. */
const NON_NEGATIVE = /_(ppm|pct|kmh|vph|mmh|ms|m)$/;

/** Rounds and clamps values for the wire. */
export function finish(values: Values): Values {
  const out: Values = {};
  for (const [q, v] of Object.entries(values) as [Quantity, number][]) {
    if (!Number.isFinite(v)) continue;
    let x = NON_NEGATIVE.test(q) ? Math.max(0, v) : v;
    if (q === 'level_pct' || q === 'occupancy_pct' || q === 'lel_pct') x = Math.min(100, x);
    const f = 10 ** (DECIMALS[q] ?? 2);
    x = Math.round(x * f) / f + 0; // + 0 turns -0 into 0
    if (q === 'wind_dir_deg' || q === 'heading_deg') x %= 360; // 359.6 rounds to 360 → 0
    out[q] = x;
  }
  return out;
}
