/**
 * Congestion colours shared by the globe, the deck.gl network panel and the road panels (no
 * engine imports here). Levels are GB/T 33171-2016's five bands; an unknown level (a stale, stuck
 * or silent detector) is grey — never green, so a dead detector never looks like free flow.
 */
import type { CongestionLevel, SegmentView } from '../../../domain';

export const LEVEL_CSS: Record<CongestionLevel, string> = {
  1: '#30a46c',
  2: '#a3d977',
  3: '#f2d024',
  4: '#f5a524',
  5: '#e5484d',
};
export const UNKNOWN_CSS = '#8b8d98';

/** The CSS colour of a congestion level; grey for null. */
export function levelCss(level: CongestionLevel | null | undefined): string {
  return level ? LEVEL_CSS[level] : UNKNOWN_CSS;
}

/** A segment's colour: its level's, grey when unknown. */
export function segmentCss(seg: Pick<SegmentView, 'level'> | undefined): string {
  return levelCss(seg?.level ?? null);
}

/** `#rrggbb` → [r, g, b] 0–255 (deck.gl colours). */
export function cssToRgb(css: string): [number, number, number] {
  const n = Number.parseInt(css.slice(1, 7), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Speed now as a share of free flow (1 = free), null when unknown: the worst-list's second key. */
export function speedRatio(seg: Pick<SegmentView, 'smoothedSpeedKmh' | 'speedKmh' | 'freeFlowKmh'>): number | null {
  const v = seg.smoothedSpeedKmh ?? seg.speedKmh;
  return v === null || seg.freeFlowKmh <= 0 ? null : v / seg.freeFlowKmh;
}

/** Worst first: higher level, then lower speed ratio; unknown levels after all known ones. */
export function compareWorst(a: SegmentView, b: SegmentView): number {
  const la = a.level ?? 0;
  const lb = b.level ?? 0;
  if (la !== lb) return lb - la;
  return (speedRatio(a) ?? 2) - (speedRatio(b) ?? 2) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
