/**
 * How the road scene is shown, shared by the globe, the deck.gl network panel and the road panels:
 * a segment's colour by its congestion level (GB/T 33171-2016's five bands; an unknown level — a
 * stale, stuck or silent detector — is grey, never green, so a dead detector never looks like free
 * flow), which segments are worst, the network index as a level, and how incidents are marked.
 */
import type { IncidentKind, SegmentView } from '../contracts';
import type { CongestionLevel } from '../domain';
import { LEVEL_CSS, SEVERITY_CSS, UNKNOWN_LEVEL_CSS } from './palette';

/** The colour of a congestion level; grey for null. */
export function levelCss(level: CongestionLevel | null | undefined): string {
  return level ? LEVEL_CSS[level] : UNKNOWN_LEVEL_CSS;
}

/** A segment's colour: its level's, grey when unknown. */
export function segmentCss(seg: Pick<SegmentView, 'level'> | undefined): string {
  return levelCss(seg?.level ?? null);
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

/** The level a network index rounds to (1.4 → 1, 1.5 → 2). */
export function indexLevel(index: number | null): CongestionLevel | null {
  return index === null ? null : (Math.min(5, Math.max(1, Math.round(index))) as CongestionLevel);
}

/** Incident markers: a crash red, a closure darker red, roadworks orange. */
export const INCIDENT_CSS: Readonly<Record<IncidentKind, string>> = { crash: SEVERITY_CSS.critical, closure: '#b4171f', roadworks: SEVERITY_CSS.major };
export const INCIDENT_ICON: Readonly<Record<IncidentKind, string>> = { crash: '⚠', closure: '⛔', roadworks: '🚧' };
