/**
 * The globe's colours as Cesium Colors: the dark control-room base map (its own shades, drawn
 * under everything), and the app's palette (src/view/palette.ts) for what a device shows.
 */
import { Color } from 'cesium';
import { HEALTH_CSS, type Health } from '../../view';

/**
 * The faces of every label on the globe: a system Chinese face where there is one, else the app's
 * own Noto Sans SC (src/main.tsx), as the page's stylesheet does (theme.css). Used as
 * `${weight} ${size}px ${LABEL_FAMILIES}`.
 */
export const LABEL_FAMILIES = '"Noto Sans SC", "Microsoft YaHei", "Noto Sans SC Variable", system-ui, sans-serif';

export const PALETTE = {
  globe: Color.fromCssColorString('#0b1220'),
  background: Color.fromCssColorString('#070b14'),
  districtFill: Color.fromCssColorString('#17233b').withAlpha(0.85),
  districtLine: Color.fromCssColorString('#3d5a80').withAlpha(0.9),
  districtLabel: Color.fromCssColorString('#8fa3c4'),
  water: Color.fromCssColorString('#12365e').withAlpha(0.95),
  roadMajor: Color.fromCssColorString('#5d7396').withAlpha(0.95),
  roadMinor: Color.fromCssColorString('#3f5273').withAlpha(0.9),
  parkRoad: Color.fromCssColorString('#4a5c7c').withAlpha(0.9),
  hazmatRoute: Color.fromCssColorString('#b7791f').withAlpha(0.85),
  building: Color.fromCssColorString('#64748b'),
  plantFill: Color.fromCssColorString('#7c8db5').withAlpha(0.14),
  plantLine: Color.fromCssColorString('#9fb1d6'),
  spaceFill: Color.fromCssColorString('#8b7cf6').withAlpha(0.55),
  spaceLine: Color.fromCssColorString('#b4a8ff'),
  areaLine: Color.fromCssColorString('#6b8cc7').withAlpha(0.7),
  tank: Color.fromCssColorString('#8794ab'),
  bridge: Color.fromCssColorString('#c8d3e6').withAlpha(0.35),
  segment: Color.fromCssColorString('#8aa0c0').withAlpha(0.95),
  siteLabel: Color.fromCssColorString('#c8d3e6'),
  areaLabel: Color.fromCssColorString('#9ec5ff'),
  deviceOutline: Color.fromCssColorString('#05070d'),
  deviceSelectedOutline: Color.WHITE,
  stem: Color.fromCssColorString('#7083a6'),
  deviceLabel: Color.fromCssColorString('#e6edf7'),
  labelBackground: Color.fromCssColorString('#0b1220').withAlpha(0.8),
  selectedSite: Color.fromCssColorString('#ffffff').withAlpha(0.35),
} as const;

const HEALTH_COLOR = Object.fromEntries(Object.entries(HEALTH_CSS).map(([k, css]) => [k, Color.fromCssColorString(css)])) as Record<Health, Color>;

/** Cesium colour of a device's health (shared instance: do not mutate). */
export function healthColor(h: Health): Color {
  return HEALTH_COLOR[h];
}
