/**
 * Chemical-park scenarios. Normal operation (daily tank cycles) and the tank over-temperature
 * (`tank-temp`) are in streams.ts and scenarios.ts; these add a toxic release at a boundary station
 * with a wind shift, an ammonia leak in a tank-farm dike in light wind, and a hazmat truck leaving
 * its permitted route. Times are simulated seconds since the start.
 */
import { bearing, centroid, distance, point } from '@turf/turf';
import type { Device, Registry, Site } from '../contracts';
import { limitsFor } from '../domain';
import type { Override, Profile, ScenarioDef } from './scenarios';

const byId = (r: Registry, id: string): Device | undefined => r.devices.find((d) => d.id === id);
const lastT = (p: Profile): number => (p.length ? p[p.length - 1][0] : 0);
const parkSites = (r: Registry, kind: Site['kind']) => r.sites.filter((s) => s.scene === 'park' && s.kind === kind);

/**
 * A release upwind of the station: the cloud arrives over ~3 min, stands ~8.5 min at about three
 * times the exposure limit (level 2 from 200 %), then thins out as the leak is isolated.
 */
const RELEASE: Profile = [[0, 0], [60, 0.15], [150, 0.6], [210, 1], [720, 1], [840, 0.4], [960, 0]];
/** The wind holds its direction from the start… */
const WIND_HOLD: Profile = [[0, 0], [30, 1], [930, 1], [960, 0]];
/** …and backs 60° over two minutes halfway through the release, swinging the zone round. */
const WIND_SHIFT_AT_S = 420;
const WIND_SHIFT: Profile = [[WIND_SHIFT_AT_S, 0], [WIND_SHIFT_AT_S + 120, 1], [930, 1], [960, 0]];
const SHIFT_DEG = -60;
/** Peak concentration as a multiple of the exposure limit. */
const PEAK_RATIO = 3;

const cl2Release: ScenarioDef = {
  name: 'cl2-release',
  title: 'chlorine (or ammonia) at a boundary station rises past level 2; the wind backs 60° midway',
  build(registry) {
    const station =
      byId(registry, 'sy-bs3-gas') ??
      registry.devices.find((d) => d.kind === 'boundary_gas' && (d.quantities.includes('cl2_ppm') || d.quantities.includes('nh3_ppm')));
    const wind = byId(registry, 'sy-wind') ?? registry.devices.find((d) => d.scene === 'park' && d.kind === 'wind');
    const enterprises = parkSites(registry, 'enterprise');
    if (!station || !wind || enterprises.length === 0) return null;
    const quantity = station.quantities.includes('cl2_ppm') ? 'cl2_ppm' : 'nh3_ppm';
    const limit = limitsFor(station)[quantity]?.high;
    if (limit === undefined) return null;
    // Aim the first zone at the nearest enterprise, so the demo has someone to warn.
    const at = point([station.position[0], station.position[1]]);
    const nearest = enterprises
      .map((e) => ({ e, c: centroid(e.geometry) }))
      .reduce((a, b) => (distance(at, a.c) <= distance(at, b.c) ? a : b));
    const towardDeg = bearing(at, nearest.c);
    const fromDeg = (((towardDeg + 180) % 360) + 360) % 360; // meteorological: where the wind comes from
    const overrides: Override[] = [
      { deviceId: station.id, quantity, target: PEAK_RATIO * limit, profile: RELEASE, jitter: 0.06 * PEAK_RATIO * limit },
      { deviceId: wind.id, quantity: 'wind_dir_deg', target: fromDeg, profile: WIND_HOLD, jitter: 3 },
      // Applied after the first: pulls from fromDeg to fromDeg − 60 without sweeping the long way round.
      { deviceId: wind.id, quantity: 'wind_dir_deg', target: fromDeg + SHIFT_DEG, profile: WIND_SHIFT, jitter: 3 },
      { deviceId: wind.id, quantity: 'wind_speed_ms', target: 3, profile: WIND_HOLD, jitter: 0.3 },
    ];
    return { name: 'cl2-release', durationS: lastT(RELEASE) + 60, overrides, events: [] };
  },
};

/**
 * Ammonia from a sphere's flange in the Haiwan dike: the dike detector climbs past level 2 (57 ppm)
 * over 3 min to ~120 ppm and holds 12 min while the sphere is isolated; the wind is light, 1.2 m/s,
 * and steady from the north-east. Run at night (the simulator's start hour) it is the planning
 * worst case — stable air, class F — and the zone runs kilometres downwind; by day it is short.
 */
const NH3_LEAK: Profile = [[0, 0], [60, 0.2], [180, 1], [900, 1], [1020, 0.3], [1140, 0]];
const LIGHT_WIND: Profile = [[0, 0], [30, 1], [1110, 1], [1140, 0]];

const nh3NightLeak: ScenarioDef = {
  name: 'nh3-night-leak',
  title: 'ammonia leaks in the Haiwan tank-farm dike in a light (1.2 m/s) north-east wind: at night the longest zone',
  build(registry) {
    const dike =
      byId(registry, 'sy-tf2-dg1') ?? registry.devices.find((d) => d.scene === 'park' && d.kind === 'dike_gas' && d.quantities.includes('nh3_ppm'));
    const wind = byId(registry, 'sy-wind') ?? registry.devices.find((d) => d.scene === 'park' && d.kind === 'wind');
    if (!dike || !wind) return null;
    return {
      name: 'nh3-night-leak',
      durationS: lastT(NH3_LEAK) + 60,
      overrides: [
        { deviceId: dike.id, quantity: 'nh3_ppm', target: 120, profile: NH3_LEAK, jitter: 6 },
        { deviceId: wind.id, quantity: 'wind_speed_ms', target: 1.2, profile: LIGHT_WIND, jitter: 0.15 },
        { deviceId: wind.id, quantity: 'wind_dir_deg', target: 45, profile: LIGHT_WIND, jitter: 4 },
      ],
      events: [],
    };
  },
};

const M_PER_DEG_LAT = 111_320;

/** The point `xM` east and `yM` north of the park area's south-west corner (the demo grid's origin). */
function parkPoint(area: Site, xM: number, yM: number): [number, number] {
  const ring = area.geometry.type === 'Polygon' ? area.geometry.coordinates[0] : [];
  const lon0 = Math.min(...ring.map((c) => c[0]));
  const lat0 = Math.min(...ring.map((c) => c[1]));
  return [lon0 + xM / (M_PER_DEG_LAT * Math.cos((lat0 * Math.PI) / 180)), lat0 + yM / M_PER_DEG_LAT];
}

/**
 * Waypoints in demo-park metres: the permitted route runs east along Wei 3rd Road (y = 2000); the
 * truck turns north at the Jing 5th crossing (x = 4000), which it may not, drives 1 km up it,
 * stands 4 min, and comes back. Each override pulls the position to its waypoint; applied in
 * order, a weight ramping 0 → 1 moves the truck in a straight line from one waypoint to the next.
 */
const LEGS: { xy: [number, number]; profile: Profile }[] = [
  { xy: [4000, 2000], profile: [[0, 0], [10, 1], [550, 1], [560, 0]] }, // onto the crossing (on the route)
  { xy: [4000, 2500], profile: [[10, 0], [85, 1], [475, 1], [550, 0]] }, // 500 m north in 75 s ≈ 24 km/h
  { xy: [4000, 3000], profile: [[85, 0], [160, 1], [400, 1], [475, 0]] },
];
/** 24 km/h while it drives the legs, 0 while it stands. */
const DRIVING: Profile = [[8, 0], [10, 1], [160, 1], [162, 0], [400, 0], [402, 1], [550, 1], [552, 0]];
const STANDING: Profile = [[160, 0], [162, 1], [400, 1], [402, 0]];
const NORTH: Profile = [[8, 0], [10, 1], [400, 1], [402, 0]];
const SOUTH: Profile = [[400, 0], [402, 1], [550, 1], [552, 0]];

const truckOffRoute: ScenarioDef = {
  name: 'truck-off-route',
  title: 'a hazmat truck turns off the permitted route, drives 1 km up a side road, stands, and comes back',
  build(registry) {
    const truck = byId(registry, 'sy-truck-02') ?? registry.devices.find((d) => d.scene === 'park' && d.kind === 'truck');
    const area = parkSites(registry, 'area')[0];
    if (!truck || !area || area.geometry.type !== 'Polygon') return null;
    const overrides: Override[] = [];
    for (const { xy, profile } of LEGS) {
      const [lon, lat] = parkPoint(area, xy[0], xy[1]);
      overrides.push({ deviceId: truck.id, quantity: 'lon_deg', target: lon, profile }, { deviceId: truck.id, quantity: 'lat_deg', target: lat, profile });
    }
    overrides.push(
      { deviceId: truck.id, quantity: 'speed_kmh', target: 24, profile: DRIVING, jitter: 1 },
      { deviceId: truck.id, quantity: 'speed_kmh', target: 0, profile: STANDING },
      { deviceId: truck.id, quantity: 'heading_deg', target: 0, profile: NORTH },
      { deviceId: truck.id, quantity: 'heading_deg', target: 180, profile: SOUTH },
    );
    return { name: 'truck-off-route', durationS: 620, overrides, events: [] };
  },
};

/** Park scenarios, appended to the demo loop. */
export const PARK_SCENARIOS: readonly ScenarioDef[] = [cl2Release, nh3NightLeak, truckOffRoute];
