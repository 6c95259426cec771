/**
 * Hazmat trucks: each drives a polyline of the park roads back and forth (out, dwell to load or
 * unload, back, dwell), with a trapezoid speed profile. Position is a pure function of time.
 * All trucks use the permitted hazmat route (`sy-hazmat-route`) when the layer has it, so the
 * normal stream never leaves it (leaving it is a geofence alarm, for a scenario to script).
 */
import type { Device, Registry, Values } from '../contracts';
import { signed, streamKey, unit } from './rng';
import type { StreamContext } from './streams';

export interface TruckRoute {
  /** [lonDeg, latDeg] vertices. */
  points: [number, number][];
  /** Distance from the first vertex to each vertex, m. */
  cumM: number[];
  lengthM: number;
  /** A closed loop is driven round and round; an open line back and forth. */
  closed: boolean;
}

/** The subset of a GeoJSON FeatureCollection the simulator reads (public/data/layers/park-roads.geojson). */
export interface RoadLayer {
  features: {
    id?: string | number;
    properties?: Record<string, unknown> | null;
    geometry: { type: string; coordinates: unknown } | null;
  }[];
}

export const HAZMAT_ROUTE_ID = 'sy-hazmat-route';
const M_PER_DEG_LAT = 111_320;

/** Metres between two lon/lat points (equirectangular: exact enough over a few km). */
function distanceM(a: [number, number], b: [number, number]): number {
  const kx = M_PER_DEG_LAT * Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  return Math.hypot((b[0] - a[0]) * kx, (b[1] - a[1]) * M_PER_DEG_LAT);
}

/** Compass bearing from a to b, degrees clockwise from north. */
function bearingDeg(a: [number, number], b: [number, number]): number {
  const kx = Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  const deg = (Math.atan2((b[0] - a[0]) * kx, b[1] - a[1]) * 180) / Math.PI;
  return (deg + 360) % 360;
}

export function makeRoute(points: [number, number][], closed = false): TruckRoute {
  const pts = closed && distanceM(points[0], points[points.length - 1]) > 1 ? [...points, points[0]] : points;
  const cumM = [0];
  for (let i = 1; i < pts.length; i++) cumM.push(cumM[i - 1] + distanceM(pts[i - 1], pts[i]));
  return { points: pts, cumM, lengthM: cumM[cumM.length - 1], closed };
}

/** A ~500 m square loop with the truck's start as its south-west corner: the fallback without roads. */
function loopAround([lon, lat]: [number, number]): TruckRoute {
  const dLat = 500 / M_PER_DEG_LAT;
  const dLon = dLat / Math.cos((lat * Math.PI) / 180);
  return makeRoute([[lon, lat], [lon, lat + dLat], [lon + dLon, lat + dLat], [lon + dLon, lat]], true);
}

function lines(layer: RoadLayer | undefined): { id: string; kind: string; points: [number, number][] }[] {
  const out: { id: string; kind: string; points: [number, number][] }[] = [];
  for (const f of layer?.features ?? []) {
    const g = f.geometry;
    if (!g) continue;
    const parts = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? (g.coordinates as unknown[]) : [];
    const id = String(f.properties?.id ?? f.id ?? '');
    const kind = String(f.properties?.kind ?? '');
    for (const p of parts) {
      const pts = (p as number[][]).filter((c) => Number.isFinite(c[0]) && Number.isFinite(c[1])).map((c) => [c[0], c[1]] as [number, number]);
      if (pts.length >= 2) out.push({ id, kind, points: pts });
    }
  }
  return out;
}

/**
 * The route of every truck of the registry: the hazmat route if the layer has one, else the park
 * road nearest the truck, else a loop around its registered position.
 */
export function truckRoutes(registry: Registry, layer?: RoadLayer): Map<string, TruckRoute> {
  const all = lines(layer);
  const hazmat = all.find((l) => l.id === HAZMAT_ROUTE_ID) ?? all.find((l) => l.kind === 'hazmat_route');
  const routes = new Map<string, TruckRoute>();
  for (const d of registry.devices.filter((x: Device) => x.kind === 'truck')) {
    const start: [number, number] = [d.position[0], d.position[1]];
    let pts = hazmat?.points;
    if (!pts && all.length > 0) {
      const gap = (l: (typeof all)[number]) => Math.min(...l.points.map((p) => distanceM(p, start)));
      pts = all.reduce((best, l) => (gap(l) < gap(best) ? l : best)).points;
    }
    const route = pts ? makeRoute(pts) : loopAround(start);
    routes.set(d.id, route.lengthM > 20 ? route : loopAround(start));
  }
  return routes;
}

/** Position and direction at distance `s` along the route. */
function pointAt(route: TruckRoute, s: number): { at: [number, number]; headingDeg: number } {
  const { points, cumM } = route;
  let i = 1;
  while (i < cumM.length - 1 && cumM[i] < s) i++;
  const a = points[i - 1];
  const b = points[i];
  const seg = cumM[i] - cumM[i - 1];
  const f = seg > 0 ? Math.min(1, Math.max(0, (s - cumM[i - 1]) / seg)) : 0;
  return { at: [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f], headingDeg: bearingDeg(a, b) };
}

/** Seconds to speed up from rest to cruise (and to brake): a loaded tanker, gently. */
const ACCEL_S = 15;

/** Distance and speed `tauS` into a leg of `lengthM` at cruise `vMs`, trapezoid profile. */
function leg(lengthM: number, vMs: number, tauS: number): { s: number; v: number } {
  const v = Math.min(vMs, lengthM / ACCEL_S); // a short leg never reaches cruise
  const a = v / ACCEL_S;
  const T = lengthM / v + ACCEL_S;
  if (tauS < ACCEL_S) return { s: 0.5 * a * tauS * tauS, v: a * tauS };
  if (tauS < T - ACCEL_S) return { s: 0.5 * v * ACCEL_S + v * (tauS - ACCEL_S), v };
  const r = Math.max(0, T - tauS);
  return { s: lengthM - 0.5 * a * r * r, v: a * r };
}

export function truckValues(ctx: StreamContext, route: TruckRoute): Values {
  const key = streamKey(ctx.seed, ctx.device.id, 'truck');
  const cruiseMs = (20 + 8 * unit(key, 0)) / 3.6; // 20–28 km/h: under the park's 30 km/h hazmat limit, noise included
  const dwellS = 120 + 180 * unit(key, 1); // 2–5 min at each end: gate check, loading
  const tS = ctx.tMs / 1000;
  let s: number;
  let v: number;
  let reverse = false;
  if (route.closed) {
    s = (cruiseMs * tS + route.lengthM * unit(key, 2)) % route.lengthM;
    v = cruiseMs;
  } else {
    const v0 = Math.min(cruiseMs, route.lengthM / ACCEL_S);
    const legS = route.lengthM / v0 + ACCEL_S;
    const cycle = 2 * (legS + dwellS);
    let tau = (tS + cycle * unit(key, 2)) % cycle;
    if (tau >= legS + dwellS) {
      reverse = true;
      tau -= legS + dwellS;
    }
    const moving = tau >= dwellS;
    const p = moving ? leg(route.lengthM, cruiseMs, tau - dwellS) : { s: 0, v: 0 };
    s = reverse ? route.lengthM - p.s : p.s;
    v = p.v;
  }
  const { at, headingDeg } = pointAt(route, Math.min(route.lengthM - 1e-6, Math.max(1e-6, s)));
  // Every quantity goes through the overrides, so a scenario can take a truck off its route.
  const speedKmh = ctx.override('speed_kmh', v > 0.1 ? v * 3.6 + 0.8 * signed(key ^ 1, ctx.tMs) : 0);
  return {
    lon_deg: ctx.override('lon_deg', at[0]),
    lat_deg: ctx.override('lat_deg', at[1]),
    speed_kmh: Math.max(0, speedKmh),
    heading_deg: ctx.override('heading_deg', reverse ? (headingDeg + 180) % 360 : headingDeg),
  };
}
