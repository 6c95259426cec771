/**
 * Calendar helpers for simulated time. Streams follow the local day of Shaoxing: Asia/Shanghai is
 * UTC+8 all year (China has had no daylight saving since 1991), so a fixed offset is exact.
 */
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** Local hour of day in Shaoxing, 0 ≤ h < 24, with fractions (7.5 = 07:30). */
export function localHour(tMs: number): number {
  const local = (((tMs + SHANGHAI_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS;
  return local / 3600000;
}

/** Local day of week, 0 = Sunday … 6 = Saturday. */
export function localWeekday(tMs: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((Math.floor((tMs + SHANGHAI_OFFSET_MS) / DAY_MS) + 4) % 7 + 7) % 7;
}

/** Local day of year, 0 … 365. */
export function localDayOfYear(tMs: number): number {
  const local = new Date(tMs + SHANGHAI_OFFSET_MS);
  return Math.floor((local.getTime() - Date.UTC(local.getUTCFullYear(), 0, 1)) / DAY_MS);
}

/** A daily cosine in [-1, 1] that peaks at local hour `peakHour`. */
export function daily(tMs: number, peakHour: number): number {
  return Math.cos((2 * Math.PI * (localHour(tMs) - peakHour)) / 24);
}

/** A bell of height 1 centred on local hour `centre` with width `sigmaH` hours (wraps midnight). */
export function bell(tMs: number, centre: number, sigmaH: number): number {
  let d = Math.abs(localHour(tMs) - centre);
  if (d > 12) d = 24 - d;
  return Math.exp(-(d * d) / (2 * sigmaH * sigmaH));
}
