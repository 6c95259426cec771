import type { Quantity } from './quantities';
import type { Scene } from './scenes';
import type { LiveStatus } from './payloads';
import type { SiteModel } from './siteModel';

/** GeoJSON geometry as served by /api/sites (WGS84 lon/lat degrees). */
export type Geometry =
  | { type: 'Point'; coordinates: [number, number] | [number, number, number] }
  | { type: 'LineString'; coordinates: [number, number][] }
  | { type: 'Polygon'; coordinates: [number, number][][] }
  | { type: 'MultiPolygon'; coordinates: [number, number][][][] };

/** Site kinds of the demo registry; a deployment may add more. */
export type SiteKind =
  | 'area' // a scene's demo area (Keqiao cluster, the park, Zhuji network)
  | 'plant' // a dyeing plant (confined)
  | 'space' // a confined space in a plant
  | 'enterprise' // an enterprise of the park
  | 'tankfarm'
  | 'tank'
  | 'station' // boundary toxic-gas station, wind station, weather station
  | 'gate'
  | 'lot' // hazmat parking lot
  | 'segment' // directed road segment
  | 'bridge'
  | 'vehicle'; // a hazmat truck: it moves, its GPS device reports where (v1.1: its alarms belong to it)

export type RiskLevel = 'red' | 'orange' | 'yellow' | 'blue';
/**
 * `expressway` is a national or provincial expressway (高速公路, e.g. G60) and `highway` a class-1 or
 * class-2 highway (一级 / 二级公路): both are rated against their free-flow speed. The urban classes
 * (`urban_expressway` 快速路, `arterial`, `secondary`) are rated by GB/T 33171-2016's speed bands.
 */
export type RoadClass = 'expressway' | 'highway' | 'urban_expressway' | 'arterial' | 'secondary';
export type GasLevel = 'upper' | 'middle' | 'lower';

/** Per-quantity alarm limits of one device; overrides the domain defaults. */
export interface QuantityLimits {
  /** Level 1 (`major` unless `highSeverity` says otherwise) and level 2 (`critical`). */
  high?: number;
  highHigh?: number;
  low?: number;
  lowLow?: number;
}
export type Limits = Partial<Record<Quantity, QuantityLimits>>;

/** A site as served by GET /api/sites. Extra attributes live in `props`. */
export interface Site {
  id: string;
  scene: Scene;
  kind: SiteKind;
  name: string;
  nameZh: string;
  parentId: string | null;
  geometry: Geometry;
  props?: SiteProps;
}

export interface SiteProps {
  /** enterprise: the assessed four-colour level (安全风险分区分级), the map's colour (v1.1). */
  assessedLevel?: RiskLevel;
  /** enterprise: the same assessment under its v1 name, kept for v1 clients. */
  riskLevel?: RiskLevel;
  /** enterprise, plant: people on site (for the danger-zone head count). */
  people?: number;
  /** space: what it is (sewage pit, sludge tank, sump, dye-chemical pit, duct). */
  spaceType?: string;
  /** space: depth below ground, m. */
  depthM?: number;
  /** space: ventilated naturally (open to the air), so a stopped fan is no reason to get out (v1.1). */
  naturalVentilation?: boolean;
  /** space: minutes the fan must run before the gas test, overriding the service's default (v1.1). */
  purgeMinutes?: number;
  /** tank: kind and capacity. */
  tankType?: 'vertical' | 'sphere' | 'horizontal';
  capacityM3?: number;
  substance?: string;
  /** tank, vehicle: the substance's id in the leak-endpoint table (`ammonia`, `chlorine`, …) (v1.1). */
  substanceId?: string;
  heightM?: number;
  radiusM?: number;
  /** building or parcel height for extrusion, m. */
  buildingHeightM?: number;
  /** segment attributes. */
  roadClass?: RoadClass;
  roadName?: string;
  lanes?: number;
  freeFlowKmh?: number;
  lengthM?: number;
  fromNode?: string;
  toNode?: string;
  /** The site's own uploaded 3D model and its placement (set only by the model routes). */
  model?: SiteModel;
  [key: string]: unknown;
}

/** A device as served by GET /api/devices. */
export interface Device {
  id: string;
  scene: Scene;
  siteId: string;
  kind: DeviceKind;
  name: string;
  nameZh: string;
  /** [lonDeg, latDeg, heightM]; height above the ellipsoid-ground (0 = ground). */
  position: [number, number, number];
  quantities: Quantity[];
  intervalS: number;
  /** Confined-space gas detectors: the height it measures at. */
  level?: GasLevel;
  /** Limits that override the defaults for this device. */
  limits?: Limits;
}

export type DeviceKind =
  | 'gas_detector' // confined space, four gases + O2 at one level
  | 'access' // confined space access/badge terminal (sends events)
  | 'tank_sensor' // level, pressure, temperature of a tank
  | 'dike_gas' // gas detector in a tank dike
  | 'boundary_gas' // park-boundary toxic-gas station
  | 'wind' // wind station
  | 'truck' // hazmat truck GPS
  | 'traffic_detector' // speed, flow, occupancy on a segment
  | 'weather' // road weather station
  | 'road_operator' // sends incident events
  | 'bridge_sensor'
  | 'camera'; // a video camera with its view (video.ts: CameraDevice)

/** A badge holder of the roster: who an access terminal's `personId` is. */
export interface Person {
  /** The badge id the access terminals report. */
  id: string;
  name: string;
  nameZh: string;
  /** What the person does on site: a confined-space worker, an attendant (监护人), a supervisor. */
  role: 'worker' | 'attendant' | 'supervisor';
  /** The employer's name (a contractor, the plant itself). */
  employer?: string;
  employerZh?: string;
}

/** The demo registry file `public/data/registry.json`. */
export interface Registry {
  version: 1;
  sites: Site[];
  devices: Device[];
  /** The roster of badge holders (addition within v1: a registry without it names people by badge id). */
  persons?: Person[];
}

/** A device's live state as kept by the service and the browser store. */
export interface DeviceLive {
  ts: number | null;
  values: Partial<Record<Quantity, number>>;
  status: LiveStatus;
}
