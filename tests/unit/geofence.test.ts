import { destination, point } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import {
  GEOFENCE_DEFAULTS,
  NEW_TRACK,
  nearestArea,
  offRouteCondition,
  parkedCondition,
  routeDistanceM,
  speedingCondition,
  truckGeofence,
  type GeofenceAreas,
  type GeofenceKind,
  type TruckFix,
  type TruckTrack,
} from '../../src/domain';

// A 2 km east–west route through a 3 × 3 km park, a 200 m lot south of it.
const O: [number, number] = [120.85, 30.16];
const at = (eastM: number, northM: number): [number, number] => {
  const e = destination(point(O), Math.abs(eastM), eastM >= 0 ? 90 : 270, { units: 'meters' }).geometry.coordinates;
  const c = destination(point(e), Math.abs(northM), northM >= 0 ? 0 : 180, { units: 'meters' }).geometry.coordinates;
  return [c[0], c[1]];
};
const box = (x0: number, y0: number, x1: number, y1: number) => ({
  type: 'Polygon' as const,
  coordinates: [[at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)]],
});
const areas: GeofenceAreas = {
  route: { type: 'LineString', coordinates: [at(0, 0), at(2000, 0)] },
  park: box(-500, -1500, 2500, 1500),
  lots: [box(800, -400, 1000, -200)],
};
const fix = (eastM: number, northM: number, speedKmh: number, tsMs = 0): TruckFix => {
  const [lonDeg, latDeg] = at(eastM, northM);
  return { lonDeg, latDeg, speedKmh, tsMs };
};
const MIN = 60_000;

describe('off route: distance to the permitted route > 50 m (major)', () => {
  it.each([
    [0, false, null],
    [49.9, false, null],
    [50, false, null],
    [50.1, false, 'major'],
    [400, false, 'major'],
    // open alarm: clears only back within 40 m
    [45, true, 'major'],
    [40.1, true, 'major'],
    [40, true, null],
  ] as const)('%f m (alarm open: %s) → %s', (distanceM, active, severity) => {
    const c = offRouteCondition(distanceM, active);
    expect(c?.severity ?? null).toBe(severity);
    if (c) expect(c).toMatchObject({ rule: 'geofence', kind: 'off_route', threshold: 50 });
  });

  it('measures the distance to the route line', () => {
    expect(routeDistanceM(...at(1000, 120), areas.route!)).toBeCloseTo(120, 0);
    expect(routeDistanceM(...at(2300, 0), areas.route!)).toBeCloseTo(300, 0); // past the end
  });
});

describe('speeding in the park: > 30 km/h minor, > 45 km/h (limit + 50 %) major', () => {
  it.each([
    [30, false, null],
    [30.1, false, 'minor'],
    [45, false, 'minor'],
    [45.1, false, 'major'],
    [70, false, 'major'],
    // open alarm: clears only at or under 28 km/h
    [28.1, true, 'minor'],
    [28, true, null],
  ] as const)('%f km/h (alarm open: %s) → %s', (speedKmh, active, severity) => {
    const c = speedingCondition(speedKmh, active);
    expect(c?.severity ?? null).toBe(severity);
    if (c) expect(c).toMatchObject({ rule: 'geofence', kind: 'speeding', threshold: 30 });
  });

  it('takes the park limit from configuration', () => {
    expect(speedingCondition(25, false, { ...GEOFENCE_DEFAULTS, speedLimitKmh: 20 })?.severity).toBe('minor');
    expect(speedingCondition(31, false, { ...GEOFENCE_DEFAULTS, speedLimitKmh: 20 })?.severity).toBe('major');
  });
});

describe('parked outside the hazmat lot for longer than 15 min (major)', () => {
  it.each([
    [null, null],
    [0, null],
    [15, null],
    [15.01, 'major'],
    [90, 'major'],
  ] as const)('stopped %s min → %s', (min, severity) => {
    expect(parkedCondition(min)?.severity ?? null).toBe(severity);
  });
});

/** Runs fixes through truckGeofence, carrying the track and the open alarms like the service does. */
function drive(fixes: TruckFix[]): Record<GeofenceKind, string | null>[] {
  let track: TruckTrack = NEW_TRACK;
  const open = new Set<GeofenceKind>();
  return fixes.map((f) => {
    const r = truckGeofence(f, areas, track, open);
    track = r.track;
    const out = {} as Record<GeofenceKind, string | null>;
    for (const [k, c] of Object.entries(r.conditions) as [GeofenceKind, { severity: string } | null][]) {
      out[k] = c?.severity ?? null;
      if (c) open.add(k);
      else open.delete(k);
    }
    return out;
  });
}

describe('truckGeofence: fixes over time', () => {
  it('on the route at 25 km/h: nothing', () => {
    expect(drive([fix(100, 0, 25, 0), fix(200, 10, 25, 5000)])).toEqual([
      { off_route: null, speeding: null, parked: null },
      { off_route: null, speeding: null, parked: null },
    ]);
  });

  it('off the route: confirmed by the second fix, kept until back within 40 m', () => {
    const r = drive([fix(1000, 60, 20, 0), fix(1000, 120, 20, 5000), fix(1000, 45, 20, 10_000), fix(1000, 39, 20, 15_000)]);
    expect(r.map((x) => x.off_route)).toEqual([null, 'major', 'major', null]);
  });

  it('one GPS glitch off the route is not an alarm', () => {
    expect(drive([fix(1000, 300, 20, 0), fix(1000, 0, 20, 5000), fix(1000, 300, 20, 10_000)]).map((x) => x.off_route)).toEqual([null, null, null]);
  });

  it('off the route outside the park (public road) is no alarm', () => {
    expect(drive([fix(1000, 2000, 20, 0), fix(1000, 2100, 20, 5000)]).map((x) => x.off_route)).toEqual([null, null]);
  });

  it('speeding: confirmed by the second fix, severity follows the speed, clears at 28 km/h', () => {
    const r = drive([fix(100, 0, 35, 0), fix(150, 0, 36, 5000), fix(200, 0, 50, 10_000), fix(250, 0, 29, 15_000), fix(300, 0, 28, 20_000)]);
    expect(r.map((x) => x.speeding)).toEqual([null, 'minor', 'major', 'minor', null]);
  });

  it('speeding outside the park is no alarm', () => {
    expect(drive([fix(1000, 2000, 60, 0), fix(1000, 2050, 60, 5000)]).map((x) => x.speeding)).toEqual([null, null]);
  });

  it('parked on the road: alarm after 15 min, not at 15; kept while creeping under 5 km/h; clears when it drives off', () => {
    const r = drive([fix(500, 0, 0, 0), fix(500, 0, 1, 15 * MIN), fix(500, 0, 0.5, 15 * MIN + 1000), fix(500, 0, 3, 16 * MIN), fix(510, 0, 6, 17 * MIN)]);
    expect(r.map((x) => x.parked)).toEqual([null, null, 'major', 'major', null]);
  });

  it('parked in the hazmat lot: never', () => {
    expect(drive([fix(900, -300, 0, 0), fix(900, -300, 0, 60 * MIN)]).map((x) => x.parked)).toEqual([null, null]);
  });

  it('a stop that moves (≥ 2 km/h) restarts the clock', () => {
    const r = drive([fix(500, 0, 0, 0), fix(500, 0, 10, 10 * MIN), fix(520, 0, 0, 11 * MIN), fix(520, 0, 0, 25 * MIN), fix(520, 0, 0, 26 * MIN + 1000)]);
    expect(r.map((x) => x.parked)).toEqual([null, null, null, null, 'major']);
  });
});

describe('nearestArea: the enterprise an alarm at a point belongs to', () => {
  const ents = [
    { id: 'a', geometry: box(0, 100, 500, 600) },
    { id: 'b', geometry: box(0, -600, 500, -100) },
  ];
  it.each([
    [250, 300, 'a'], // inside
    [250, 60, 'a'], // 40 m from a, 160 m from b
    [250, -50, 'b'],
    [800, 300, null], // 300 m from the nearest
    [650, 300, 'a'], // 150 m
  ] as const)('(%i, %i) m → %s', (x, y, id) => {
    expect(nearestArea(...at(x, y), ents)).toBe(id);
  });
});
