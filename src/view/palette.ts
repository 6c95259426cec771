/**
 * CityTwin's colours, defined once for the globe (Cesium), the network panel (deck.gl), the space
 * view (three.js), the charts and the stylesheets (as CSS custom properties, see `themeVariables`).
 *
 * The four colours of the Chinese safety-risk map (red / orange / yellow / blue, 重大 / 较大 / 一般 /
 * 低) are the contract's (`RISK_LEVEL_HEX`, which the park summary also sends); alarm severities,
 * congestion and every other state are drawn in them, so a red row, a red point and a red road
 * mean one thing. Grey is never green: a silent or unknown source is `stale` / `nodata`.
 */
import { RISK_LEVEL_HEX, type GasLevel, type RiskLevel, type Severity } from '../contracts';
import type { CongestionLevel } from '../domain';

/** The four-colour risk map, by level. */
export const RISK_CSS: Readonly<Record<RiskLevel, string>> = RISK_LEVEL_HEX;

/** Alarm severities in the same four colours: critical red … warning blue. */
export const SEVERITY_CSS: Readonly<Record<Severity, string>> = {
  critical: RISK_CSS.red,
  major: RISK_CSS.orange,
  minor: RISK_CSS.yellow,
  warning: RISK_CSS.blue,
};

/** What a device, a gas cell or a level shows: its worst alarm, normal, or grey when it cannot be believed. */
export type Health = Severity | 'normal' | 'stale' | 'offline' | 'nodata';

export const NORMAL_CSS = '#30a46c';
/** Silent, offline or unknown: grey, never green. */
export const STALE_CSS = '#8b8d98';
/** Nothing heard yet: a darker, bluer grey. */
export const NODATA_CSS = '#5b6b8c';

export const HEALTH_CSS: Readonly<Record<Health, string>> = { ...SEVERITY_CSS, normal: NORMAL_CSS, stale: STALE_CSS, offline: STALE_CSS, nodata: NODATA_CSS };

/** The app's accent: people inside a space, routes, truck trails, the replay cursor. */
export const ACCENT_CSS = '#4cc3ff';

/** The three heights of a confined space's detectors, in the sparklines and their legend. */
export const GAS_LEVEL_CSS: Readonly<Record<GasLevel, string>> = { upper: '#7dd3fc', middle: '#c4b5fd', lower: '#fb923c' };

/** Congestion level colours (GB/T 33171-2016's five bands): free green … severe red; unknown grey. */
export const LEVEL_CSS: Readonly<Record<CongestionLevel, string>> = {
  1: NORMAL_CSS,
  2: '#a3d977',
  3: SEVERITY_CSS.minor,
  4: SEVERITY_CSS.major,
  5: SEVERITY_CSS.critical,
};
export const UNKNOWN_LEVEL_CSS = STALE_CSS;

/** `#rrggbb` → [r, g, b] 0–255 (deck.gl colours). */
export function cssToRgb(css: string): [number, number, number] {
  const n = cssToHex(css);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** `#rrggbb` → 0xrrggbb (three.js colours). */
export function cssToHex(css: string): number {
  return Number.parseInt(css.slice(1, 7), 16);
}

/** The palette as the stylesheets' custom properties (`--critical`, `--normal`, …), set once on the page root. */
export function themeVariables(): Record<string, string> {
  return {
    '--critical': SEVERITY_CSS.critical,
    '--major': SEVERITY_CSS.major,
    '--minor': SEVERITY_CSS.minor,
    '--warning': SEVERITY_CSS.warning,
    '--normal': NORMAL_CSS,
    '--stale': STALE_CSS,
    '--nodata': NODATA_CSS,
    '--accent': ACCENT_CSS,
    '--risk-red': RISK_CSS.red,
    '--risk-orange': RISK_CSS.orange,
    '--risk-yellow': RISK_CSS.yellow,
    '--risk-blue': RISK_CSS.blue,
    '--level-upper': GAS_LEVEL_CSS.upper,
    '--level-middle': GAS_LEVEL_CSS.middle,
    '--level-lower': GAS_LEVEL_CSS.lower,
  };
}
