import { destination, point } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { angleBetweenDeg, cameraCoverage, cameraIdsFor, camerasCovering, verticalFovDeg, type CameraView } from '../../src/domain';

/** A tank farm in the park; every camera stands here unless a case moves it. */
const O: [number, number] = [120.87, 30.19];
/** The point `m` metres from O towards `bearingDeg`, at `heightM`. */
const at = (bearingDeg: number, m: number, heightM = 0): number[] => {
  if (m === 0) return [...O, heightM];
  const [lon, lat] = destination(point(O), m, bearingDeg, { units: 'meters' }).geometry.coordinates;
  return [lon, lat, heightM];
};
/** A camera position on the ground `m` metres from O towards `bearingDeg`. */
const standAt = (bearingDeg: number, m: number): [number, number, number] => {
  const [lon, lat] = at(bearingDeg, m);
  return [lon, lat, 0];
};
const cam = (over: Partial<CameraView> = {}): CameraView => ({
  id: 'cam',
  position: [O[0], O[1], 0],
  headingDeg: 90,
  pitchDeg: 0,
  fovDeg: 60,
  rangeM: 100,
  ...over,
});
const titled = <T extends { what: string }>(rows: T[]): [string, T][] => rows.map((r) => [r.what, r]);

describe('angleBetweenDeg', () => {
  it.each([
    [350, 10, 20],
    [10, 350, 20],
    [0, 180, 180],
    [-90, 270, 0],
    [720, 0, 0],
    [359.5, 0.5, 1],
  ])('%s° and %s° are %s° apart', (a, b, d) => expect(angleBetweenDeg(a, b)).toBeCloseTo(d, 9));
});

describe('a camera covers a point inside its range and horizontal field of view', () => {
  // Boundaries are inclusive; each case sits 0.5 m or 0.5° to one side of one.
  it.each(
    titled([
      { what: 'straight ahead, halfway', camera: cam(), p: at(90, 50), sees: true },
      { what: 'just inside the range', camera: cam(), p: at(90, 99.5), sees: true },
      { what: 'just beyond the range', camera: cam(), p: at(90, 100.5), sees: false },
      { what: 'just inside the left edge (heading 90, fov 60: 60°)', camera: cam(), p: at(60.5, 50), sees: true },
      { what: 'just outside the left edge', camera: cam(), p: at(59.5, 50), sees: false },
      { what: 'just inside the right edge (120°)', camera: cam(), p: at(119.5, 50), sees: true },
      { what: 'just outside the right edge', camera: cam(), p: at(120.5, 50), sees: false },
      { what: 'behind the camera', camera: cam(), p: at(270, 20), sees: false },
      { what: 'beside it, in range but 90° off', camera: cam(), p: at(0, 10), sees: false },
      { what: 'under the camera (no bearing)', camera: cam(), p: at(0, 0), sees: true },
      { what: 'behind, with a 360° view', camera: cam({ fovDeg: 360 }), p: at(270, 50), sees: true },
      // Heading 350°, fov 40°: the view spans 330° … 10°, across north.
      { what: 'wrap: due north (0°)', camera: cam({ headingDeg: 350, fovDeg: 40 }), p: at(0, 50), sees: true },
      { what: 'wrap: just inside 10°', camera: cam({ headingDeg: 350, fovDeg: 40 }), p: at(9.5, 50), sees: true },
      { what: 'wrap: just outside 10°', camera: cam({ headingDeg: 350, fovDeg: 40 }), p: at(10.5, 50), sees: false },
      { what: 'wrap: just inside 330°', camera: cam({ headingDeg: 350, fovDeg: 40 }), p: at(330.5, 50), sees: true },
      { what: 'wrap: just outside 330°', camera: cam({ headingDeg: 350, fovDeg: 40 }), p: at(329.5, 50), sees: false },
      // Heading 0°, fov 90°: −45° … 45°; a bearing of 359° is 1° off axis, not 359°.
      { what: 'heading 0: 359° is inside', camera: cam({ headingDeg: 0, fovDeg: 90 }), p: at(359, 50), sees: true },
      { what: 'heading 0: just inside 315°', camera: cam({ headingDeg: 0, fovDeg: 90 }), p: at(315.5, 50), sees: true },
      { what: 'heading 0: just outside 315°', camera: cam({ headingDeg: 0, fovDeg: 90 }), p: at(314.5, 50), sees: false },
      { what: 'heading 0: just inside 45°', camera: cam({ headingDeg: 0, fovDeg: 90 }), p: at(44.5, 50), sees: true },
      { what: 'heading 0: just outside 45°', camera: cam({ headingDeg: 0, fovDeg: 90 }), p: at(45.5, 50), sees: false },
      // A camera 10 m up a pole: the range is a straight line, so height counts (√(99.4² + 10²) ≈ 99.9).
      { what: 'pole: slant distance just inside the range', camera: cam({ position: [O[0], O[1], 10] }), p: at(90, 99.4), sees: true },
      { what: 'pole: slant distance just beyond the range', camera: cam({ position: [O[0], O[1], 10] }), p: at(90, 99.6), sees: false },
    ]),
  )('%s', (_, { camera, p, sees }) => {
    expect(cameraCoverage(camera, p) !== null).toBe(sees);
  });

  it('reports the distance and the angle off the heading', () => {
    const c = cameraCoverage(cam({ position: [O[0], O[1], 10] }), at(100, 60));
    expect(c?.cameraId).toBe('cam');
    expect(c?.distanceM).toBeCloseTo(Math.hypot(60, 10), 1);
    expect(c?.offAxisDeg).toBeCloseTo(10, 1);
  });

  it('takes a point without a height as on the ground', () => {
    const pole = cam({ position: [O[0], O[1], 10] });
    const [lon, lat] = at(90, 50);
    expect(cameraCoverage(pole, [lon, lat])?.distanceM).toBeCloseTo(cameraCoverage(pole, [lon, lat, 0])!.distanceM, 9);
  });
});

describe('the vertical field of view, when asked for', () => {
  // 10 m up, tilted 30° down, 60° wide: the 16:9 picture is ~36° tall, so it sees the ground
  // from about 9 m to about 47 m out (elevations −30° ± 18°).
  const pole = cam({ position: [O[0], O[1], 10], pitchDeg: -30, fovDeg: 60 });
  const halfV = verticalFovDeg(60) / 2;
  const rad = (d: number) => (d * Math.PI) / 180;
  const nearM = 10 / Math.tan(rad(30 + halfV));
  const farM = 10 / Math.tan(rad(30 - halfV));

  it('is about 36° for a 60° wide 16:9 picture', () => {
    expect(verticalFovDeg(60)).toBeCloseTo(35.98, 1);
    expect(nearM).toBeCloseTo(9.0, 0);
    expect(farM).toBeCloseTo(47.0, 0);
  });

  it.each(
    titled([
      { what: 'just beyond the nearest ground it shows', m: nearM + 0.5, sees: true },
      { what: 'just under the bottom edge of the picture', m: nearM - 0.5, sees: false },
      { what: 'just before the farthest ground it shows', m: farM - 0.5, sees: true },
      { what: 'just over the top edge of the picture', m: farM + 0.5, sees: false },
    ]),
  )('%s', (_, { m, sees }) => {
    expect(cameraCoverage(pole, at(90, m), { vertical: true }) !== null).toBe(sees);
    // Without the vertical test the camera covers every one of them (a PTZ camera tilts).
    expect(cameraCoverage(pole, at(90, m))).not.toBeNull();
  });

  it('sees a tank top above the horizon when tilted up to it', () => {
    // 2 m up, tilted 10° up: it shows elevations from −8° to +28°.
    const up = cam({ position: [O[0], O[1], 2], pitchDeg: 10, fovDeg: 60 });
    expect(cameraCoverage(up, at(90, 60, 14), { vertical: true })).not.toBeNull(); // +11.3°
    expect(cameraCoverage(up, at(90, 60, 0), { vertical: true })).not.toBeNull(); // −1.9°
    expect(cameraCoverage(up, at(90, 10, 0), { vertical: true })).toBeNull(); // −11.3°: below the picture
    expect(cameraCoverage(up, at(90, 40, 40), { vertical: true })).toBeNull(); // +43.5°: above it
  });
});

describe('camerasCovering', () => {
  const cams: CameraView[] = [
    cam({ id: 'far', position: standAt(270, 80), rangeM: 200 }),
    cam({ id: 'near', position: standAt(270, 20) }),
    cam({ id: 'blind', position: standAt(270, 20), headingDeg: 270 }),
    cam({ id: 'short', position: standAt(270, 60), rangeM: 50 }),
  ];

  it('lists the cameras that see the point, nearest first, and leaves out the others', () => {
    expect(cameraIdsFor(cams, [...O])).toEqual(['near', 'far']);
    const cov = camerasCovering(cams, [...O]);
    expect(cov.map((c) => Math.round(c.distanceM))).toEqual([20, 80]);
  });

  it('orders cameras at the same distance by id, so the list is stable', () => {
    const twins = [cam({ id: 'b', position: standAt(270, 30) }), cam({ id: 'a', position: standAt(270, 30) })];
    expect(cameraIdsFor(twins, [...O])).toEqual(['a', 'b']);
  });

  it('is empty when no camera sees the point', () => {
    expect(cameraIdsFor(cams, at(0, 500))).toEqual([]);
    expect(cameraIdsFor([], [...O])).toEqual([]);
  });
});
