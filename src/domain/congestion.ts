import type { RoadClass } from '../contracts';

/** Congestion level 1 free, 2 light, 3 mild jam, 4 moderate, 5 severe. */
export type CongestionLevel = 1 | 2 | 3 | 4 | 5;

/** Road classes rated by GB/T 33171-2016: urban roads. */
export type UrbanRoadClass = 'urban_expressway' | 'arterial' | 'secondary';

/**
 * Average-speed band lower bounds, km/h, of GB/T 33171-2016 (urban roads): a speed above `free` is
 * free flow, above `light` is light congestion, …, at or below `moderate` severe. Its "expressway"
 * row is the urban 快速路, not a national expressway.
 */
export const URBAN_SPEED_BANDS: Record<UrbanRoadClass, { free: number; light: number; mild: number; moderate: number }> = {
  urban_expressway: { free: 65, light: 50, mild: 35, moderate: 20 },
  arterial: { free: 40, light: 30, mild: 20, moderate: 15 },
  secondary: { free: 35, light: 25, mild: 15, moderate: 10 },
};

/**
 * The v1 table, keyed by the v1 class names: `expressway` read with the urban 快速路 row. Kept for
 * `congestionLevel` until the service rates segments with `segmentLevel`.
 * @deprecated use URBAN_SPEED_BANDS and segmentLevel
 */
export const SPEED_BANDS: Record<'expressway' | 'arterial' | 'secondary', { free: number; light: number; mild: number; moderate: number }> = {
  expressway: URBAN_SPEED_BANDS.urban_expressway,
  arterial: URBAN_SPEED_BANDS.arterial,
  secondary: URBAN_SPEED_BANDS.secondary,
};

/**
 * Highway criterion: the speed as a share of the segment's own free-flow speed. Lower bounds of
 * levels 1–4 (a share at or below `moderate` is severe), from the speed scale of the Highway
 * Capacity Manual (TRB, 2010; automobile level of service by travel speed as a share of base
 * free-flow speed): A > 85 %, B > 67 %, C > 50 %, D > 40 %, E and F ≤ 40 %. On an expressway free
 * flow is 100–120 km/h (JTG B01-2014 design speeds), so 66 km/h on the G60 (free flow 105) is 63 %:
 * a mild jam, not "free".
 */
export const HIGHWAY_SPEED_SHARE = { free: 0.85, light: 0.67, mild: 0.5, moderate: 0.4 } as const;

/** Which criterion rates a class: free-flow share for expressways and highways, GB/T 33171 for urban roads. */
export function congestionCriterion(roadClass: RoadClass): 'highway' | 'urban' {
  return roadClass === 'expressway' || roadClass === 'highway' ? 'highway' : 'urban';
}

function band(x: number, b: { free: number; light: number; mild: number; moderate: number }): CongestionLevel {
  if (x > b.free) return 1;
  if (x > b.light) return 2;
  if (x > b.mild) return 3;
  if (x > b.moderate) return 4;
  return 5;
}

/**
 * The congestion level of a segment's average speed: an expressway or highway by its speed against
 * its free-flow speed (HIGHWAY_SPEED_SHARE), an urban road by GB/T 33171-2016's bands. On a boundary
 * the slower level applies (the standard's bands are closed at the top).
 */
export function segmentLevel(speedKmh: number, seg: { roadClass: RoadClass; freeFlowKmh: number }): CongestionLevel {
  if (congestionCriterion(seg.roadClass) === 'highway') {
    return seg.freeFlowKmh > 0 ? band(speedKmh / seg.freeFlowKmh, HIGHWAY_SPEED_SHARE) : 5;
  }
  return band(speedKmh, URBAN_SPEED_BANDS[seg.roadClass as UrbanRoadClass]);
}

/**
 * v1: the level of an average speed by GB/T 33171's bands alone, an expressway read as the urban
 * 快速路 (and a `highway` likewise). The service still calls this until it moves to segmentLevel.
 * @deprecated rates G60 at 66 km/h "free"; use segmentLevel
 */
export function congestionLevel(speedKmh: number, roadClass: RoadClass): CongestionLevel {
  const urban: UrbanRoadClass = congestionCriterion(roadClass) === 'highway' ? 'urban_expressway' : (roadClass as UrbanRoadClass);
  return band(speedKmh, URBAN_SPEED_BANDS[urban]);
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
