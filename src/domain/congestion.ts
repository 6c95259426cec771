import type { RoadClass } from '../contracts';

/** Congestion level 1 free, 2 light, 3 mild jam, 4 moderate, 5 severe. */
export type CongestionLevel = 1 | 2 | 3 | 4 | 5;

/**
 * Average-speed band lower bounds, km/h, of GB/T 33171-2016: a speed above `free` is free flow,
 * above `light` is light congestion, …, at or below `moderate` severe.
 */
export const SPEED_BANDS: Record<RoadClass, { free: number; light: number; mild: number; moderate: number }> = {
  expressway: { free: 65, light: 50, mild: 35, moderate: 20 },
  arterial: { free: 40, light: 30, mild: 20, moderate: 15 },
  secondary: { free: 35, light: 25, mild: 15, moderate: 10 },
};

/** The congestion level of an average speed on a road of this class. */
export function congestionLevel(speedKmh: number, roadClass: RoadClass): CongestionLevel {
  const b = SPEED_BANDS[roadClass];
  if (speedKmh > b.free) return 1;
  if (speedKmh > b.light) return 2;
  if (speedKmh > b.mild) return 3;
  if (speedKmh > b.moderate) return 4;
  return 5;
}

/** Level names, for legends. */
export const CONGESTION_NAMES: Record<CongestionLevel, { en: string; zh: string }> = {
  1: { en: 'Free', zh: '畅通' },
  2: { en: 'Light', zh: '基本畅通' },
  3: { en: 'Mild jam', zh: '轻度拥堵' },
  4: { en: 'Moderate', zh: '中度拥堵' },
  5: { en: 'Severe', zh: '严重拥堵' },
};

/**
 * Network congestion index: the length-weighted mean level of the segments whose level is known,
 * from 1 (all free) to 5 (all severe); null when none is known.
 */
export function networkIndex(segments: readonly { lengthM: number; level: CongestionLevel | null }[]): number | null {
  let sum = 0;
  let len = 0;
  for (const s of segments) {
    if (s.level === null || s.lengthM <= 0) continue;
    sum += s.level * s.lengthM;
    len += s.lengthM;
  }
  return len > 0 ? sum / len : null;
}
