/**
 * CityTwin's dark control-room palette for the Cesium scene, and the mapping from a device's
 * state to its point colour. The state itself comes from the domain rules (deviceConditions) and
 * the open alarms in the store; this file only chooses colours.
 */
import { Color } from 'cesium';
import type { AlarmRecord, Device, DeviceLive, RiskLevel, Severity } from '../../contracts';
import { deviceConditions, worstSeverity } from '../../domain';
import { deviceLink } from '../../state/selectors';

/** What a device point shows: an alarm severity, normal, stale/offline, or no data yet. */
export type DeviceVisual = Severity | 'normal' | 'stale' | 'nodata';

/** CSS colours of each visual state (DESIGN: red / orange / yellow / blue four-colour map). */
export const VISUAL_CSS: Record<DeviceVisual, string> = {
  critical: '#e5484d',
  major: '#f5a524',
  minor: '#f2d024',
  warning: '#3b82f6',
  normal: '#30a46c',
  stale: '#8b8d98',
  nodata: '#5b6b8c',
};

/** Enterprise risk fill (重大 / 较大 / 一般 / 低), the same four colours. */
export const RISK_CSS: Record<RiskLevel, string> = {
  red: '#e5484d',
  orange: '#f5a524',
  yellow: '#f2d024',
  blue: '#3b82f6',
};

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

const VISUAL_COLOR = Object.fromEntries(
  Object.entries(VISUAL_CSS).map(([k, css]) => [k, Color.fromCssColorString(css)]),
) as Record<DeviceVisual, Color>;

/** Cesium colour of a visual state (shared instance: do not mutate). */
export function visualColor(v: DeviceVisual): Color {
  return VISUAL_COLOR[v];
}

/** Worst open-alarm severity per device id. Shelved alarms are hidden by an operator, so skipped. */
export function alarmSeverityByDevice(alarms: ReadonlyMap<string, AlarmRecord>): Map<string, Severity> {
  const out = new Map<string, Severity>();
  for (const a of alarms.values()) {
    if (!a.deviceId || a.state === 'shelved') continue;
    out.set(a.deviceId, worstSeverity(out.get(a.deviceId) ?? null, a.severity) ?? a.severity);
  }
  return out;
}

/**
 * The visual state of one device, in the order the app's panels use (state/selectors deviceHealth):
 * its worst open alarm; then no data, or grey when stale or offline (by the service's word or by
 * 3 × its interval of silence here: a stale sensor is never shown as normal); then the domain's
 * threshold conditions on its latest values, evaluated between service updates; otherwise normal.
 */
export function deviceVisual(device: Device, live: DeviceLive | undefined, alarm: Severity | null, nowMs: number): DeviceVisual {
  if (alarm) return alarm;
  const link = deviceLink(device, live, nowMs);
  if (link === 'nodata') return 'nodata';
  if (link !== 'online' || !live) return 'stale';
  let worst: Severity | null = null;
  for (const c of deviceConditions(device, live.values)) worst = worstSeverity(worst, c.severity);
  return worst ?? 'normal';
}
