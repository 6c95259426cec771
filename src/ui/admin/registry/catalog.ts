/**
 * What the registry forms offer per scene: the kinds of sites and devices the twin draws and rules
 * on, the quantities a new device of a kind usually reports, and how a site kind is drawn (a point,
 * a line or an outline). Suggestions only: the service decides what it accepts.
 */
import type { DeviceKind, Quantity, Scene, SiteKind } from '../../../contracts';
import type { DrawMode } from '../../../scene/cesium';

export const DEVICE_KINDS_BY_SCENE: Record<Scene, DeviceKind[]> = {
  confined: ['gas_detector', 'access', 'camera'],
  park: ['tank_sensor', 'dike_gas', 'boundary_gas', 'wind', 'truck', 'camera'],
  roads: ['traffic_detector', 'weather', 'road_operator', 'bridge_sensor', 'camera'],
};

export const SITE_KINDS_BY_SCENE: Record<Scene, SiteKind[]> = {
  confined: ['plant', 'space'],
  park: ['enterprise', 'tankfarm', 'tank', 'station', 'gate', 'lot'],
  roads: ['segment', 'bridge', 'station'],
};

/** Quantities a device of a kind usually reports (a four-gas detector: O₂, H₂S, CO, combustibles). */
export const DEFAULT_QUANTITIES: Partial<Record<DeviceKind, Quantity[]>> = {
  gas_detector: ['o2_pct', 'h2s_ppm', 'co_ppm', 'lel_pct'],
  tank_sensor: ['level_pct', 'pressure_kpa', 'temp_c'],
  dike_gas: ['lel_pct', 'voc_ppm'],
  boundary_gas: ['nh3_ppm', 'cl2_ppm', 'voc_ppm'],
  wind: ['wind_speed_ms', 'wind_dir_deg'],
  truck: ['lon_deg', 'lat_deg', 'speed_kmh', 'heading_deg'],
  traffic_detector: ['speed_kmh', 'flow_vph', 'occupancy_pct'],
  weather: ['visibility_m', 'road_temp_c', 'precip_mmh'],
  bridge_sensor: ['temp_c'],
};

/** Site kinds drawn as an outline or a line; the rest are points. */
const OUTLINED = new Set<string>(['area', 'plant', 'space', 'enterprise', 'tankfarm', 'lot']);
const LINES = new Set<string>(['segment', 'bridge']);

export function drawModeOf(kind: string): DrawMode {
  return OUTLINED.has(kind) ? 'polygon' : LINES.has(kind) ? 'polyline' : 'point';
}

/** A typical reporting interval, s. */
export const DEFAULT_INTERVAL_S = 10;
