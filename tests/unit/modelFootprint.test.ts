import { describe, expect, it } from 'vitest';
import type { Geometry, ModelBounds } from '../../src/contracts';
import { footprintRing, gltfBounds, outlineCheck } from '../../src/domain/modelFootprint';

const R = 6_371_008.8;
const LAT = 30.21;
/** Degrees of longitude and latitude per metre at LAT. */
const perM = { lon: 180 / Math.PI / (R * Math.cos((LAT * Math.PI) / 180)), lat: 180 / Math.PI / R };
/** A square outline `halfM` metres each way around (120.7, LAT). */
const square = (halfM: number): Geometry => {
  const [x, y] = [halfM * perM.lon, halfM * perM.lat];
  return { type: 'Polygon', coordinates: [[[120.7 - x, LAT - y], [120.7 + x, LAT - y], [120.7 + x, LAT + y], [120.7 - x, LAT + y], [120.7 - x, LAT - y]]] };
};
/** A 20 m × 10 m box (east × north), 5 m high, centred on its origin. */
const box: ModelBounds = { min: [-10, 0, -5], max: [10, 5, 5] };
const at = (p: Partial<{ lonDeg: number; latDeg: number; headingDeg: number; scale: number }> = {}) => ({ lonDeg: 120.7, latDeg: LAT, heightM: 0, headingDeg: 0, scale: 1, ...p });

describe('a model footprint against its site outline', () => {
  it.each([
    { what: 'centred in a 100 m square', outline: square(50), place: at(), pct: 0 },
    { what: 'moved 15 m east: its east quarter sticks out of a 30 m square', outline: square(15), place: at({ lonDeg: 120.7 + 10 * perM.lon }), pct: 25 },
    { what: 'turned 90°: 20 m north–south in a 16 m square', outline: square(8), place: at({ headingDeg: 90 }), pct: 20 },
    { what: 'scaled ×2 (40 × 20 m) in a 30 m square', outline: square(15), place: at({ scale: 2 }), pct: 25 },
    { what: 'far away', outline: square(50), place: at({ latDeg: LAT + 0.01 }), pct: 100 },
  ])('$what: $pct % outside', ({ outline, place, pct }) => {
    const c = outlineCheck(outline, box, place)!;
    expect(c.outsidePct).toBeCloseTo(pct, 0);
    expect(c.footprintM2).toBeCloseTo(200 * place.scale * place.scale, -1);
  });

  it('has nothing to say for a site without an outline', () => {
    expect(outlineCheck({ type: 'Point', coordinates: [120.7, LAT] }, box, at())).toBeNull();
  });

  it('turns clockwise from north: at 90° the model +X (east) points south', () => {
    const ring = footprintRing({ min: [0, 0, 0], max: [10, 1, 0.001] }, at({ headingDeg: 90 }));
    const far = ring[1]; // the box's +X end
    expect((far[1] - LAT) / perM.lat).toBeCloseTo(-10, 1);
    expect((far[0] - 120.7) / perM.lon).toBeCloseTo(0, 1);
  });
});

describe('a glTF model box', () => {
  const accessors = [{ min: [-1, 0, -2], max: [1, 3, 2] }];
  const meshes = [{ primitives: [{ attributes: { POSITION: 0 } }] }];
  it.each([
    { what: 'a mesh at the origin', nodes: [{ mesh: 0 }], want: { min: [-1, 0, -2], max: [1, 3, 2] } },
    { what: 'moved by a parent', nodes: [{ children: [1], translation: [10, 0, 0] }, { mesh: 0 }], want: { min: [9, 0, -2], max: [11, 3, 2] } },
    { what: 'scaled ×2', nodes: [{ mesh: 0, scale: [2, 2, 2] }], want: { min: [-2, 0, -4], max: [2, 6, 4] } },
    // 90° about Y (quaternion [0, sin 45°, 0, cos 45°]): x → −z, z → x.
    { what: 'turned 90° about Y', nodes: [{ mesh: 0, rotation: [0, Math.SQRT1_2, 0, Math.SQRT1_2] }], want: { min: [-2, 0, -1], max: [2, 3, 1] } },
    { what: 'by a matrix', nodes: [{ mesh: 0, matrix: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 5, 0, 1] }], want: { min: [-1, 5, -2], max: [1, 8, 2] } },
  ])('$what', ({ nodes, want }) => {
    const b = gltfBounds({ scenes: [{ nodes: [0] }], nodes, meshes, accessors })!;
    for (let i = 0; i < 3; i++) {
      expect(b.min[i]).toBeCloseTo(want.min[i], 6);
      expect(b.max[i]).toBeCloseTo(want.max[i], 6);
    }
  });

  it('is null for a file without geometry', () => {
    expect(gltfBounds({ scenes: [{ nodes: [0] }], nodes: [{}] })).toBeNull();
  });
});
