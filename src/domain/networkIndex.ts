/**
 * The network congestion index an operator reads at a glance (1 free … 5 severe): each segment's
 * level weighted by its length and by how much traffic its class carries, and never below what the
 * worst trunk segment says — a severe G60 is a congested network, however many quiet lanes there are.
 */
import type { NetworkView, RoadClass } from '../contracts';
import type { CongestionLevel } from './congestion';

/**
 * Weight of a kilometre of each class: roughly the vehicle-km it carries, relative to a secondary
 * road (design capacity per lane × lanes per direction of the classes in JTG B01-2014 / CJJ 37-2012:
 * a 4-lane expressway carries about four times a 2-lane secondary road).
 */
export const CLASS_WEIGHT: Readonly<Record<RoadClass, number>> = {
  expressway: 4,
  highway: 4,
  urban_expressway: 3,
  arterial: 2,
  secondary: 1,
};

/**
 * How far below a segment's own level the network index may sit: a severe (5) expressway holds
 * the index at 3 or more (mild jam), a moderate (4) one at 2 or more; a severe arterial at 2; a
 * secondary street never lifts the whole network by itself.
 */
export const FLOOR_DROP: Readonly<Record<RoadClass, number>> = {
  expressway: 2,
  highway: 2,
  urban_expressway: 2,
  arterial: 3,
  secondary: 4,
};

export interface IndexSegment {
  id: string;
  /** The segment's road class; an unknown class counts as secondary. */
  class: string;
  lengthM: number;
  level: CongestionLevel | null;
}

export interface WeightedIndex {
  /** max(length × class weighted mean level, floor); null when no level is known. */
  index: number | null;
  /** The plain length-weighted mean level (the v1 index), null when none is known. */
  lengthIndex: number | null;
  /** The floor the worst segment sets (1 when none), and that segment's id. */
  floor: number;
  floorSegmentId: string | null;
}

const classOf = (c: string): RoadClass => (c in CLASS_WEIGHT ? (c as RoadClass) : 'secondary');

/** The weighted index of segments with a known level; segments of no length or unknown level are left out. */
export function weightedNetworkIndex(segments: readonly IndexSegment[]): WeightedIndex {
  let sum = 0;
  let weight = 0;
  let lenSum = 0;
  let len = 0;
  let floor = 1;
  let floorSegmentId: string | null = null;
  for (const s of segments) {
    if (s.level === null || !(s.lengthM > 0)) continue;
    const cls = classOf(s.class);
    const w = s.lengthM * CLASS_WEIGHT[cls];
    sum += s.level * w;
    weight += w;
    lenSum += s.level * s.lengthM;
    len += s.lengthM;
    const f = s.level - FLOOR_DROP[cls];
    if (f > floor) [floor, floorSegmentId] = [f, s.id];
  }
  if (weight === 0) return { index: null, lengthIndex: null, floor: 1, floorSegmentId: null };
  return { index: Math.max(sum / weight, floor), lengthIndex: lenSum / len, floor, floorSegmentId };
}

const round2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

/** The "now" part of `GET /api/network`: the index (and its parts) to two decimals, and the network length by level. */
export function networkNow(
  segments: readonly IndexSegment[],
): Pick<NetworkView, 'index' | 'lengthIndex' | 'floorSegmentId' | 'totalLengthM' | 'lengthByLevelM'> {
  const lengthByLevelM: NetworkView['lengthByLevelM'] = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, unknown: 0 };
  for (const s of segments) lengthByLevelM[s.level ?? 'unknown'] += s.lengthM;
  const wi = weightedNetworkIndex(segments);
  return {
    index: round2(wi.index),
    lengthIndex: round2(wi.lengthIndex),
    floorSegmentId: wi.floorSegmentId,
    totalLengthM: segments.reduce((a, s) => a + s.lengthM, 0),
    lengthByLevelM,
  };
}
