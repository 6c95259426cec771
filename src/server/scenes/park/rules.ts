/**
 * Park rules of the service: hazmat-truck geofences on every truck fix (alarms of the truck itself),
 * and the leak danger zones: a Gaussian plume of the leaked substance to its endpoint.
 * A zone opens when a boundary station or a dike detector has a critical (level 2) alarm, is
 * redrawn on every wind reading and every reading of its source, and goes when that alarm closes.
 * The geometry and the fences are the pure domain functions; this file keeps the state between
 * readings and hears of the park's readings and alarms through the scene's hooks (./index.ts).
 *
 * Replay: `ParkZones` draws a zone over any view of the devices (`DeviceStates`), so
 * `ParkRules.zonesAt(then, atMs)` builds the zones as they stood at a past instant from a `TwinAt` with
 * the same code the live zones use, without asserting anything or touching the live state.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AlarmRecord, Device, PlumeExplanation, Quantity, Site, Values, ZoneFeature } from '../../../contracts';
import {
  GEOFENCE_DEFAULTS,
  GEOFENCE_KINDS,
  NEW_TRACK,
  concentrationRatio,
  dangerZone,
  limitsFor,
  plumeZone,
  pointsInZone,
  sitesInZone,
  routeIndex,
  truckGeofence,
  truckSiteId,
  zoneShape,
  zoneSubstance,
  type AreaGeometry,
  type GeofenceAreas,
  type GeofenceConfig,
  type GeofenceKind,
  type LineGeometry,
  type PlumeParams,
  type PlumeZoneParams,
  type TruckTrack,
  type ZonePolygon,
  type ZoneShape,
} from '../../../domain';
import type { AlarmEngine, Subject } from '../../alarms';
import type { DeviceStates, PastAlarms } from '../../history/twinAt';
import type { Ingest } from '../../ingest';
import type { RegistryIndex } from '../../registry';

/** Devices whose level-2 alarm opens a danger zone. */
const ZONE_SOURCES: ReadonlySet<Device['kind']> = new Set(['boundary_gas', 'dike_gas']);
/** The park's own site (its boundary); alarms at a point far from every enterprise group under it. */
const PARK_AREA_KIND = 'area';
/** More open park alarms than a park ever has: every one is looked at. */
const ALL_ALARMS = 5000;

/** The permitted hazmat route read from the park-roads layer. */
export interface HazmatRoute {
  id: string;
  line: LineGeometry;
  /** The route's own limit (`properties.speedLimitKmh`), if it has one. */
  speedLimitKmh?: number;
}

/**
 * The hazmat route of the park-roads layer beside the registry (`<registry dir>/layers/park-roads.geojson`,
 * where scripts/gen-data.ts writes it); null when there is none (the off-route fence is then off).
 */
export function loadHazmatRoute(registryPath: string): HazmatRoute | null {
  const path = join(dirname(registryPath), 'layers', 'park-roads.geojson');
  if (!existsSync(path)) return null;
  try {
    const layer = JSON.parse(readFileSync(path, 'utf8')) as { features?: { properties?: Record<string, unknown>; geometry?: { type: string; coordinates: unknown } }[] };
    const f = layer.features?.find((x) => x.properties?.kind === 'hazmat_route' && x.geometry?.type === 'LineString');
    if (!f?.geometry) return null;
    const limit = f.properties?.speedLimitKmh;
    return { id: String(f.properties?.id ?? 'hazmat-route'), line: f.geometry as LineGeometry, ...(typeof limit === 'number' ? { speedLimitKmh: limit } : {}) };
  } catch {
    return null; // an unreadable layer must not stop the service; the fence is off
  }
}

export interface ParkRulesOptions {
  registry: RegistryIndex;
  ingest: Ingest;
  alarms: AlarmEngine;
  route?: HazmatRoute | null;
  geofence?: Partial<GeofenceConfig>;
  /** The v1 zone (scaled by the concentration), for a gas whose substance is not known. */
  plume?: Partial<PlumeParams>;
  /** The Gaussian-plume zone to the substance's endpoint. */
  plumeZone?: Partial<PlumeZoneParams>;
}

/** One danger zone, keyed by the alarm that opened it. */
export interface Zone {
  alarm: AlarmRecord;
  source: Device;
  quantity: Quantity;
  ratio: number;
  polygon: ZonePolygon;
  shape: ZoneShape;
  windDeviceId: string | null;
  windFromDeg: number | null;
  windSpeedMs: number | null;
  affectedSiteIds: string[];
  computedAt: number;
  /** Why the zone is that long (substance, stability, endpoint), when the substance is known. */
  explanation: PlumeExplanation | null;
}

/** GET /api/zones */
export interface ZoneCollection {
  type: 'FeatureCollection';
  features: ZoneFeature[];
}

/**
 * Danger zones drawn over one view of the devices: the live `Ingest` for the rules, a `TwinAt` for
 * a past instant (replay). Holds only the park's fixed geography, read once from the registry, so
 * the same instance serves both without one leaking into the other.
 */
export class ParkZones {
  readonly enterprises: Site[];
  private readonly parkSites: Site[];
  private readonly winds: Device[];
  private readonly trucks: Device[];
  /** Substances stored under each site (a tank farm's tanks), and in the whole park. */
  private readonly storedAt = new Map<string, string[]>();
  private readonly storedInPark: string[] = [];

  constructor(
    private readonly registry: RegistryIndex,
    private readonly plume?: Partial<PlumeParams>,
    private readonly plumeParams?: Partial<PlumeZoneParams>,
  ) {
    const sites = registry.registry.sites.filter((s) => s.scene === 'park');
    const devices = registry.registry.devices.filter((d) => d.scene === 'park');
    this.enterprises = sites.filter((s) => s.kind === 'enterprise');
    // Everything but the park area itself (which every zone touches) can be "affected".
    this.parkSites = sites.filter((s) => s.kind !== PARK_AREA_KIND);
    this.winds = devices.filter((d) => d.kind === 'wind');
    this.trucks = devices.filter((d) => d.kind === 'truck');
    for (const site of sites) {
      const id = site.props?.substanceId;
      if (typeof id !== 'string' || site.kind === 'vehicle') continue;
      this.storedInPark.push(id);
      if (site.parentId) this.storedAt.set(site.parentId, [...(this.storedAt.get(site.parentId) ?? []), id]);
    }
  }

  /**
   * What leaked: the gas the channel names (Cl₂, NH₃, H₂S), else the worst substance stored where the
   * detector is (its tank farm), else the worst in the park; null when none is known.
   */
  substanceOf(source: Device, quantity: Quantity) {
    return zoneSubstance(quantity, this.storedAt.get(source.siteId) ?? []) ?? zoneSubstance(quantity, this.storedInPark);
  }

  /**
   * The source and gas of the zone an alarm opens (a critical `_high` of a boundary or dike gas
   * detector), else null. `critical`: whether it is or has been critical (a zone, once open, stays
   * until its alarm closes, even when the gas eases to level 1).
   */
  sourceOf(alarm: AlarmRecord, critical = alarm.severity === 'critical'): { source: Device; quantity: Quantity } | null {
    const source = alarm.deviceId ? this.registry.devices.get(alarm.deviceId) : undefined;
    if (!source || !ZONE_SOURCES.has(source.kind) || !critical || !alarm.rule.endsWith('_high')) return null;
    return { source, quantity: alarm.rule.slice(0, -'_high'.length) as Quantity };
  }

  /**
   * The zone of `alarm` from its source's reading and the nearest live wind station in `states`.
   * @param nowMs the instant it stands for (`computedAt`)
   */
  compute(alarm: AlarmRecord, source: Device, quantity: Quantity, states: DeviceStates, nowMs: number): Zone {
    const v = states.state(source.id)?.values[quantity];
    const measured = v !== undefined ? concentrationRatio(v, limitsFor(source)[quantity]) : NaN;
    // Without a reading the alarm itself says level 2.
    const ratio = Number.isFinite(measured) ? measured : 2;
    const wind = this.wind(source, states);
    const input = {
      sourceLonDeg: source.position[0],
      sourceLatDeg: source.position[1],
      windFromDeg: wind?.fromDeg ?? null,
      windSpeedMs: wind?.speedMs ?? null,
      concentrationRatio: ratio,
    };
    const substance = this.substanceOf(source, quantity);
    // Known substance: a Gaussian plume to its endpoint in the stability of the hour (light wind at
    // night gives the longest zone). Unknown: the v1 zone, scaled by the measured concentration.
    const pz = substance ? plumeZone({ ...input, substance }, nowMs, this.plumeParams) : null;
    const polygon = pz?.polygon ?? dangerZone(input, this.plume);
    return {
      alarm,
      source,
      quantity,
      ratio,
      polygon,
      explanation: pz?.explanation ?? null,
      shape: pz?.shape ?? zoneShape(input, this.plume),
      windDeviceId: wind?.id ?? null,
      windFromDeg: input.windFromDeg,
      windSpeedMs: input.windSpeedMs,
      affectedSiteIds: sitesInZone(polygon, this.parkSites),
      computedAt: nowMs,
    };
  }

  /** One zone per zone-opening alarm open in `then`, each computed from `then`'s readings as of `atMs`. */
  zonesOf(then: DeviceStates & PastAlarms, atMs: number): Zone[] {
    return then.list('park', true, ALL_ALARMS).flatMap((a) => {
      const s = this.sourceOf(a, then.everCritical(a.id));
      return s ? [this.compute(a, s.source, s.quantity, then, atMs)] : [];
    });
  }

  /** The zones as GET /api/zones features, with the trucks inside placed from `states`. */
  geoJson(zones: Iterable<Zone>, states: DeviceStates): ZoneCollection {
    const trucks = this.truckPositions(states);
    const features = [...zones].map((z): ZoneFeature => {
      const affected = new Set(z.affectedSiteIds);
      const ents = this.enterprises.filter((e) => affected.has(e.id));
      const people = ents.reduce((n, e) => n + (typeof e.props?.people === 'number' ? e.props.people : 0), 0);
      return {
        type: 'Feature',
        id: z.alarm.id,
        geometry: z.polygon,
        properties: {
          alarmId: z.alarm.id,
          severity: z.alarm.severity,
          state: z.alarm.state,
          active: z.alarm.active !== false,
          sourceDeviceId: z.source.id,
          sourceSiteId: z.source.siteId,
          quantity: z.quantity,
          concentrationRatio: Math.round(z.ratio * 100) / 100,
          windDeviceId: z.windDeviceId,
          windFromDeg: z.windFromDeg,
          windSpeedMs: z.windSpeedMs,
          halfAngleDeg: Math.round(z.shape.halfAngleDeg * 10) / 10,
          isolationM: Math.round(z.shape.isolationM),
          calm: z.shape.calm,
          affectedSiteIds: z.affectedSiteIds,
          affectedEnterprises: ents.map((e) => ({ id: e.id, name: e.name, nameZh: e.nameZh, people: typeof e.props?.people === 'number' ? e.props.people : 0, riskLevel: e.props?.riskLevel ?? null })),
          trucksInside: pointsInZone(z.polygon, trucks),
          peopleCount: people,
          computedAt: z.computedAt,
          ...(z.explanation ?? {}),
          // The drawn length, rounded like the other distances (the explanation's own is the same number).
          lengthM: Math.round(z.shape.lengthM),
        },
      };
    });
    return { type: 'FeatureCollection', features };
  }

  /**
   * The nearest wind station with a live reading. A stale, offline or silent mast gives no wind:
   * the zone is then a circle, since an old direction could point the zone the wrong way.
   */
  private wind(source: Device, states: DeviceStates): { id: string; fromDeg: number; speedMs: number } | null {
    let best: { id: string; fromDeg: number; speedMs: number; d2: number } | null = null;
    for (const w of this.winds) {
      const st = states.state(w.id);
      const from = st?.values.wind_dir_deg;
      const speed = st?.values.wind_speed_ms;
      if (!st || st.stale || st.online === false || from === undefined || speed === undefined) continue;
      const d2 = (w.position[0] - source.position[0]) ** 2 + (w.position[1] - source.position[1]) ** 2;
      if (!best || d2 < best.d2) best = { id: w.id, fromDeg: from, speedMs: speed, d2 };
    }
    return best && { id: best.id, fromDeg: best.fromDeg, speedMs: best.speedMs };
  }

  private truckPositions(states: DeviceStates): { id: string; lonDeg: number; latDeg: number }[] {
    const out: { id: string; lonDeg: number; latDeg: number }[] = [];
    for (const t of this.trucks) {
      const v = states.state(t.id)?.values;
      if (v?.lon_deg !== undefined && v.lat_deg !== undefined) out.push({ id: t.id, lonDeg: v.lon_deg, latDeg: v.lat_deg });
    }
    return out;
  }
}

export class ParkRules {
  private readonly zones = new Map<string, Zone>();
  private readonly tracks = new Map<string, TruckTrack>();
  private model!: ParkZones;
  private areas!: GeofenceAreas;
  private readonly cfg: GeofenceConfig;

  constructor(private readonly o: ParkRulesOptions) {
    this.registryChanged();
    this.cfg = { ...GEOFENCE_DEFAULTS, ...(o.route?.speedLimitKmh ? { speedLimitKmh: o.route.speedLimitKmh } : {}), ...o.geofence };
  }

  /** The park's geography follows the registry (an enterprise, lot or station added or retired). */
  registryChanged(): void {
    const sites = this.o.registry.registry.sites.filter((s) => s.scene === 'park');
    const area = sites.find((s) => s.kind === PARK_AREA_KIND);
    const isArea = (g: Site['geometry']): g is AreaGeometry => g.type === 'Polygon' || g.type === 'MultiPolygon';
    this.model = new ParkZones(this.o.registry, this.o.plume, this.o.plumeZone);
    this.areas = {
      route: this.o.route?.line ?? null,
      routeIndex: this.o.route ? routeIndex(this.o.route.line) : null,
      park: area && isArea(area.geometry) ? area.geometry : null,
      lots: sites.filter((s) => s.kind === 'lot').map((s) => s.geometry).filter(isArea),
    };
  }

  /** After a restart: reopens the zones of critical alarms still open. */
  restore(nowMs: number): void {
    for (const a of this.o.alarms.list('park', true, ALL_ALARMS)) this.onAlarm(a, nowMs);
  }

  /** Every accepted reading of a park device. */
  onValues(device: Device, values: Values, nowMs: number): void {
    if (device.scene !== 'park') return;
    if (device.kind === 'truck') return this.geofence(device, values, nowMs);
    if (device.kind === 'wind') {
      for (const z of this.zones.values()) this.recompute(z, nowMs);
      return;
    }
    for (const z of this.zones.values()) if (z.source.id === device.id) this.recompute(z, nowMs);
  }

  /** Every alarm transition: a level-2 gas alarm opens a zone; its closing removes it. */
  onAlarm(alarm: AlarmRecord, nowMs: number): void {
    const zone = this.zones.get(alarm.id);
    if (alarm.state === 'closed') {
      this.zones.delete(alarm.id);
      return;
    }
    if (zone) {
      zone.alarm = alarm; // severity and state for the API; the geometry follows the readings
      return;
    }
    const s = this.model.sourceOf(alarm);
    if (s) this.zones.set(alarm.id, this.model.compute(alarm, s.source, s.quantity, this.o.ingest, nowMs));
  }

  /** How many zones are open. */
  zoneCount(): number {
    return this.zones.size;
  }

  /** GET /api/zones: a FeatureCollection of the active zones, trucks and people as of now. */
  zonesGeoJson(): ZoneCollection {
    return this.model.geoJson(this.zones.values(), this.o.ingest);
  }

  /**
   * GET /api/zones?at=: the zones as they stood at `atMs`, rebuilt from `then` (a `TwinAt`): one per
   * zone-opening alarm open then, drawn from the readings then. Reads and changes nothing live.
   */
  zonesAt(then: DeviceStates & PastAlarms, atMs: number): ZoneCollection {
    return this.model.geoJson(this.model.zonesOf(then, atMs), then);
  }

  /** How many zones were open in `then` (without drawing them). */
  zoneCountAt(then: PastAlarms): number {
    return then.list('park', true, ALL_ALARMS).filter((a) => this.model.sourceOf(a, then.everCritical(a.id)) !== null).length;
  }

  /** Redraws a zone from its source's latest reading and the nearest live wind station. */
  private recompute(z: Zone, nowMs: number): void {
    this.zones.set(z.alarm.id, this.model.compute(z.alarm, z.source, z.quantity, this.o.ingest, nowMs));
  }

  /** The three fences for one truck fix; one alarm subject per truck and fence, rule `geofence`. */
  private geofence(truck: Device, values: Values, nowMs: number): void {
    const { lon_deg: lonDeg, lat_deg: latDeg, speed_kmh: speedKmh } = values;
    if (lonDeg === undefined || latDeg === undefined || speedKmh === undefined) return;
    const tsMs = this.o.ingest.state(truck.id)?.ts ?? nowMs;
    const key = (kind: GeofenceKind) => `${truck.id}|geofence:${kind}`;
    const active = new Set(GEOFENCE_KINDS.filter((k) => {
      const a = this.o.alarms.openAlarm(key(k));
      return a !== undefined && a.active !== false;
    }));
    let track = this.tracks.get(truck.id);
    if (!track) {
      // After a restart an open parked alarm keeps its clock: it started parkedMaxMin before the raise.
      const parked = active.has('parked') ? this.o.alarms.openAlarm(key('parked')) : undefined;
      track = parked ? { ...NEW_TRACK, stoppedSinceMs: parked.raisedAt - this.cfg.parkedMaxMin * 60_000 } : NEW_TRACK;
    }
    const r = truckGeofence({ lonDeg, latDeg, speedKmh, tsMs }, this.areas, track, active, this.cfg);
    this.tracks.set(truck.id, r.track);
    // The truck's alarm belongs to the truck, not to the plant it happens to pass.
    const siteId = truckSiteId(truck, this.o.registry.sites);
    for (const kind of GEOFENCE_KINDS) {
      const subject: Subject = { key: key(kind), scene: 'park', siteId, deviceId: truck.id };
      // The fences confirm over fixes and time themselves: no extra on-delay.
      this.o.alarms.assert(subject, r.conditions[kind], nowMs, 0);
    }
  }
}

export type { ZoneFeature };
