/**
 * Pasquill–Gifford stability class from routine observations by Turner's method (Turner 1964; as
 * used for EPA regulatory modelling, EPA-454/R-99-005 §6.4.1, Tables 6-4 to 6-6): wind speed at
 * 10 m, the sun's elevation at the place and time, and total cloud cover (with ceiling) when known.
 * Sun position from suncalc (refraction-corrected altitude). Pure: the time is an argument.
 */
import { getPosition, getTimes } from 'suncalc';
import type { StabilityClass } from '../contracts';

/** m/s per knot: Turner's table is in whole knots, as the weather services reported wind. */
export const MS_PER_KNOT = 0.514444;

/**
 * Table 6-4 (Turner's key): stability class 1 (A) … 7 (G) by wind speed row and net radiation index
 * column (4, 3, 2, 1, 0, −1, −2). Rows: 0–1, 2–3, 4–5, 6, 7, 8–9, 10, 11, ≥ 12 knots.
 */
const TURNER: readonly (readonly number[])[] = [
  [1, 1, 2, 3, 4, 6, 7],
  [1, 2, 2, 3, 4, 6, 7],
  [1, 2, 3, 4, 4, 5, 6],
  [2, 2, 3, 4, 4, 5, 6],
  [2, 2, 3, 4, 4, 4, 5],
  [2, 3, 3, 4, 4, 4, 5],
  [3, 3, 4, 4, 4, 4, 5],
  [3, 3, 4, 4, 4, 4, 4],
  [3, 4, 4, 4, 4, 4, 4],
];
/** Lowest whole-knot speed of each row. */
const ROW_FROM_KNOTS = [0, 2, 4, 6, 7, 8, 10, 11, 12];

/** Table 6-5: insolation class number by solar altitude: > 60° strong (4), > 35° moderate (3), > 15° slight (2), else weak (1). */
export function insolationClass(sunElevationDeg: number): 1 | 2 | 3 | 4 {
  if (sunElevationDeg > 60) return 4;
  if (sunElevationDeg > 35) return 3;
  if (sunElevationDeg > 15) return 2;
  return 1;
}

/** 7,000 ft and 16,000 ft, the ceiling limits of Table 6-6, in metres. */
const CEILING_LOW_M = 2134;
const CEILING_MID_M = 4877;

export interface SkyInput {
  /** Day for Turner's method: from 1 h after sunrise to 1 h before sunset. */
  daytime: boolean;
  sunElevationDeg: number;
  /** Total cloud cover in tenths (0–10); null when unknown: taken as clear, the most stable case by night. */
  cloudCoverTenths: number | null;
  /**
   * Cloud ceiling, m; null when unknown: taken between 7,000 and 16,000 ft (the middle case of
   * Table 6-6), so broken cloud by day lowers the insolation by one class.
   */
  ceilingM?: number | null;
}

/** Table 6-6: the net radiation index (−2 … 4) from the sky. */
export function netRadiationIndex(sky: SkyInput): number {
  const cc = sky.cloudCoverTenths;
  const ceiling = sky.ceilingM ?? null;
  if (cc !== null && cc >= 10 && ceiling !== null && ceiling < CEILING_LOW_M) return 0;
  if (!sky.daytime) return cc !== null && cc > 4 ? -1 : -2;
  let icn: number = insolationClass(sky.sunElevationDeg);
  if (cc !== null && cc > 5) {
    const h = ceiling ?? (CEILING_LOW_M + CEILING_MID_M) / 2;
    if (h < CEILING_LOW_M) icn -= 2;
    else if (h < CEILING_MID_M) icn -= 1;
    if (cc >= 10) icn -= 1; // only reached with a ceiling of 7,000 ft or more
    icn = Math.max(1, icn);
  }
  return icn;
}

/** The row of Table 6-4 for a wind speed: the speed rounded to whole knots. */
export function windRow(windSpeedMs: number): number {
  const kt = Math.round(Math.max(0, windSpeedMs) / MS_PER_KNOT);
  let row = 0;
  for (let i = 0; i < ROW_FROM_KNOTS.length; i++) if (kt >= ROW_FROM_KNOTS[i]) row = i;
  return row;
}

const CLASSES: readonly StabilityClass[] = ['A', 'B', 'C', 'D', 'E', 'F'];

/**
 * The P-G class from wind speed (10 m) and net radiation index. Turner's class 7 (G) is taken as F,
 * as EPA does for regulatory modelling: the dispersion curves stop at F.
 */
export function stabilityClass(windSpeedMs: number, nri: number): StabilityClass {
  const col = 4 - Math.max(-2, Math.min(4, Math.round(nri)));
  const n = TURNER[windRow(windSpeedMs)][col];
  return CLASSES[Math.min(n, 6) - 1];
}

/**
 * Day or night for Turner's method at a place and instant, and the sun's elevation: night runs
 * from one hour before sunset to one hour after sunrise.
 */
export function sunAt(lonDeg: number, latDeg: number, nowMs: number): { daytime: boolean; sunElevationDeg: number } {
  const date = new Date(nowMs);
  const sunElevationDeg = getPosition(date, latDeg, lonDeg).altitude;
  const t = getTimes(date, latDeg, lonDeg);
  const HOUR = 3600_000;
  const rise = t.sunrise?.getTime();
  const set = t.sunset?.getTime();
  // Polar day or night (never at the park, but the function should not lie): the sun decides.
  const daytime = rise === undefined || set === undefined ? sunElevationDeg > 0 : nowMs >= rise + HOUR && nowMs <= set - HOUR;
  return { daytime, sunElevationDeg };
}

/** Stability at a place and instant from the wind and, when known, cloud cover and ceiling. */
export function stabilityAt(
  input: { lonDeg: number; latDeg: number; windSpeedMs: number; cloudCoverTenths?: number | null; ceilingM?: number | null },
  nowMs: number,
): { stability: StabilityClass; daytime: boolean; sunElevationDeg: number; netRadiationIndex: number } {
  const sun = sunAt(input.lonDeg, input.latDeg, nowMs);
  const nri = netRadiationIndex({ ...sun, cloudCoverTenths: input.cloudCoverTenths ?? null, ceilingM: input.ceilingM ?? null });
  return { stability: stabilityClass(input.windSpeedMs, nri), ...sun, netRadiationIndex: nri };
}
