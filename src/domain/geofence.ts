/**
 * Hazmat-truck geofences of the chemical park ("closed-park management"): a truck off its
 * permitted route, speeding inside the park, or parked outside the hazmat lot for too long. Each
 * raises a `geofence` alarm (docs/contract.md "Alarm record"); which fence is in the message and in `kind`.
 *
 * Pure: a fix and the truck's previous track in, conditions and the next track out. Every number
 * is configuration (GeofenceConfig), the defaults are the demo park's rules.
 */
import { booleanPointInPolygon, lineString, point, pointToLineDistance, pointToPolygonDistance } from '@turf/turf';
import { detail, type Geometry, type Severity } from '../contracts';
import type { Condition } from './conditions';
import { SegmentIndex } from './segmentIndex';

export type LineGeometry = Extract<Geometry, { type: 'LineString' }>;
export type AreaGeometry = Extract<Geometry, { type: 'Polygon' | 'MultiPolygon' }>;

export const GEOFENCE_KINDS = ['off_route', 'speeding', 'parked'] as const;
export type GeofenceKind = (typeof GEOFENCE_KINDS)[number];

export interface GeofenceConfig {
  /** Off the route beyond this distance from its line, m (lane width + GPS error ≈ 15 m, with margin). @default 50 */
  offRouteM: number;
  /** An off-route alarm clears only back within offRouteM − this, m. @default 10 */
  offRouteDeadbandM: number;
  /** Park speed limit for hazmat trucks, km/h (park rule; the route layer's `speedLimitKmh` overrides it). @default 30 */
  speedLimitKmh: number;
  /** Speeding is major at this multiple of the limit: > 50 % over is a serious offence (道路交通安全法 §99). @default 1.5 */
  majorSpeedFactor: number;
  /** A speeding alarm clears only this far under the limit, km/h. @default 2 */
  speedDeadbandKmh: number;
  /** Below this a truck counts as stopped, km/h (GPS speed of a standing vehicle wanders 0–1 km/h). @default 2 */
  parkedBelowKmh: number;
  /** A parked alarm clears only once the truck moves faster than this, km/h. @default 5 */
  parkedClearKmh: number;
  /** Stopped outside the hazmat lot for longer than this is an alarm, minutes. @default 15 */
  parkedMaxMin: number;
  /** Consecutive fixes a route or speed breach must last before it counts: one GPS glitch is not an alarm. @default 2 */
  confirmFixes: number;
}

export const GEOFENCE_DEFAULTS: GeofenceConfig = {
  offRouteM: 50,
  offRouteDeadbandM: 10,
  speedLimitKmh: 30,
  majorSpeedFactor: 1.5,
  speedDeadbandKmh: 2,
  parkedBelowKmh: 2,
  parkedClearKmh: 5,
  parkedMaxMin: 15,
  confirmFixes: 2,
};

/** One GPS fix of a truck (its `lon_deg`, `lat_deg`, `speed_kmh` and the reading's `ts`). */
export interface TruckFix {
  lonDeg: number;
  latDeg: number;
  speedKmh: number;
  tsMs: number;
}

/** Where the fences are. A missing one switches its rule off. */
export interface GeofenceAreas {
  /** The truck's permitted route. */
  route: LineGeometry | null;
  /** The route's pieces indexed (routeIndex): a fix is judged without a turf call. */
  routeIndex?: SegmentIndex<string> | null;
  /** The park boundary: speeding and route rules apply inside it only (outside is public road). */
  park: AreaGeometry | null;
  /** Hazmat lots, where trucks may stand as long as they like. */
  lots: readonly AreaGeometry[];
}

/** What a rule remembers of a truck between fixes. */
export interface TruckTrack {
  offRouteFixes: number;
  speedingFixes: number;
  /** `ts` of the first fix of the current stop outside a lot; null while moving or in a lot. */
  stoppedSinceMs: number | null;
}

export const NEW_TRACK: TruckTrack = { offRouteFixes: 0, speedingFixes: 0, stoppedSinceMs: null };

export interface GeofenceCondition extends Condition {
  kind: GeofenceKind;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

const geofence = (kind: GeofenceKind, severity: Severity, value: number, threshold: number, message: string): GeofenceCondition => {
  const v = round1(value);
  const d =
    kind === 'off_route'
      ? detail('off_route', { distanceM: v, limitM: threshold })
      : kind === 'speeding'
        ? detail('speeding', { speedKmh: v, limitKmh: threshold })
        : detail('parked', { minutes: Math.floor(value), limitMin: threshold });
  return { rule: 'geofence', kind, severity, value: v, threshold, message, detail: d };
};

/** Metres from a point to the route line. */
export function routeDistanceM(lonDeg: number, latDeg: number, route: LineGeometry): number {
  return pointToLineDistance(point([lonDeg, latDeg]), lineString(route.coordinates), { units: 'meters' });
}

/** A route indexed once, for the distance of every fix (planar local metres, within 0.5 % of turf's). */
export function routeIndex(route: LineGeometry): SegmentIndex<string> {
  return new SegmentIndex([{ id: 'route', coordinates: route.coordinates.map(([lon, lat]) => [lon, lat] as [number, number]) }]);
}

/** Whether a point lies in an area (boundary included). */
export function isInsideArea(lonDeg: number, latDeg: number, area: AreaGeometry): boolean {
  // Outside the area's box is outside the area: most fixes are far from most lots, and turf works
  // the box out again on every call.
  const [w, s, e, n] = boxOf(area);
  if (lonDeg < w || lonDeg > e || latDeg < s || latDeg > n) return false;
  return booleanPointInPolygon([lonDeg, latDeg], area);
}

const boxes = new WeakMap<AreaGeometry, readonly [number, number, number, number]>();

/** An area's bounding box [west, south, east, north], worked out once per geometry object. */
function boxOf(area: AreaGeometry): readonly [number, number, number, number] {
  let box = boxes.get(area);
  if (!box) {
    let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
    const rings = area.type === 'Polygon' ? area.coordinates : area.coordinates.flat();
    for (const ring of rings) for (const [x, y] of ring) (w = Math.min(w, x)), (e = Math.max(e, x)), (s = Math.min(s, y)), (n = Math.max(n, y));
    box = [w, s, e, n];
    boxes.set(area, box);
  }
  return box;
}

/** Off-route from the distance to the route alone (`active`: the alarm is open, so the deadband applies). */
export function offRouteCondition(distanceM: number, active: boolean, cfg: GeofenceConfig = GEOFENCE_DEFAULTS): GeofenceCondition | null {
  const limit = active ? cfg.offRouteM - cfg.offRouteDeadbandM : cfg.offRouteM;
  if (!(distanceM > limit)) return null;
  return geofence('off_route', 'major', distanceM, cfg.offRouteM, `off the permitted route: ${Math.round(distanceM)} m from it (> ${cfg.offRouteM} m)`);
}

/** Speeding from the speed alone: minor over the limit, major past majorSpeedFactor × limit. */
export function speedingCondition(speedKmh: number, active: boolean, cfg: GeofenceConfig = GEOFENCE_DEFAULTS): GeofenceCondition | null {
  const limit = cfg.speedLimitKmh;
  const over = speedKmh > limit || (active && speedKmh > limit - cfg.speedDeadbandKmh);
  if (!over) return null;
  const major = speedKmh > limit * cfg.majorSpeedFactor;
  return geofence('speeding', major ? 'major' : 'minor', speedKmh, limit, `speeding in the park: ${Math.round(speedKmh)} km/h > ${limit} km/h`);
}

/** Parked outside a lot: minutes stopped (already known) against the limit. */
export function parkedCondition(stoppedMin: number | null, cfg: GeofenceConfig = GEOFENCE_DEFAULTS): GeofenceCondition | null {
  if (stoppedMin === null || !(stoppedMin > cfg.parkedMaxMin)) return null;
  return geofence('parked', 'major', stoppedMin, cfg.parkedMaxMin, `parked outside the hazmat lot for ${Math.floor(stoppedMin)} min (> ${cfg.parkedMaxMin} min)`);
}

/**
 * All three fences for one fix. `active` are the kinds whose alarm is open for this truck: they
 * need no new confirmation and clear only past their deadband.
 */
export function truckGeofence(
  fix: TruckFix,
  areas: GeofenceAreas,
  track: TruckTrack,
  active: ReadonlySet<GeofenceKind> = new Set(),
  cfg: GeofenceConfig = GEOFENCE_DEFAULTS,
): { conditions: Record<GeofenceKind, GeofenceCondition | null>; track: TruckTrack } {
  const inPark = areas.park === null || isInsideArea(fix.lonDeg, fix.latDeg, areas.park);

  const distanceM = !inPark || !areas.route ? null : (areas.routeIndex?.nearest([fix.lonDeg, fix.latDeg])?.distanceM ?? routeDistanceM(fix.lonDeg, fix.latDeg, areas.route));
  const offRaw = distanceM !== null ? offRouteCondition(distanceM, active.has('off_route'), cfg) : null;
  const offRouteFixes = offRaw ? track.offRouteFixes + 1 : 0;
  const offRoute = offRaw && (active.has('off_route') || offRouteFixes >= cfg.confirmFixes) ? offRaw : null;

  const speedRaw = inPark ? speedingCondition(fix.speedKmh, active.has('speeding'), cfg) : null;
  const speedingFixes = speedRaw ? track.speedingFixes + 1 : 0;
  const speeding = speedRaw && (active.has('speeding') || speedingFixes >= cfg.confirmFixes) ? speedRaw : null;

  const inLot = areas.lots.some((lot) => isInsideArea(fix.lonDeg, fix.latDeg, lot));
  const stopped = fix.speedKmh < (active.has('parked') ? cfg.parkedClearKmh : cfg.parkedBelowKmh);
  const stoppedSinceMs = stopped && !inLot ? (track.stoppedSinceMs ?? fix.tsMs) : null;
  const parked = parkedCondition(stoppedSinceMs === null ? null : (fix.tsMs - stoppedSinceMs) / 60_000, cfg);

  return {
    conditions: { off_route: offRoute, speeding, parked },
    track: { offRouteFixes, speedingFixes, stoppedSinceMs },
  };
}

/**
 * The site of a truck's alarms: the truck itself (a `vehicle` site, contract v1.1), never the
 * enterprise it happens to be near. A registry without vehicle sites gets the truck's id all the same.
 */
export function truckSiteId(truck: { id: string; siteId: string }, sites: ReadonlyMap<string, { kind: string }>): string {
  return sites.get(truck.siteId)?.kind === 'vehicle' ? truck.siteId : truck.id;
}

/**
 * v1: the site an alarm at a point belongs to: the area it lies in, else the nearest one within
 * `maxM`, else null. Areas are enterprise parcels. The service still pins truck alarms with it.
 * @deprecated a truck's alarm belongs to the truck: truckSiteId
 */
export function nearestArea(lonDeg: number, latDeg: number, areas: readonly { id: string; geometry: Geometry }[], maxM = 200): string | null {
  let best: string | null = null;
  let bestM = maxM;
  for (const a of areas) {
    if (a.geometry.type !== 'Polygon' && a.geometry.type !== 'MultiPolygon') continue;
    // negative inside the polygon
    const d = pointToPolygonDistance([lonDeg, latDeg], a.geometry, { units: 'meters' });
    if (d <= 0) return a.id;
    if (d < bestM) [best, bestM] = [a.id, d];
  }
  return best;
}
