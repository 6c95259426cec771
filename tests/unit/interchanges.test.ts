import { describe, expect, it } from 'vitest';
import { generate } from '../../scripts/gen-data';
import { distanceM, type LonLat } from '../../scripts/data/geo';

const roads = generate().layers.roads.features;
const ramps = roads.filter((f) => f.properties.kind === 'ramp');
const interchanges = roads.filter((f) => f.properties.kind === 'interchange');
const zhujiRoads = roads.filter((f) => String(f.properties.id).startsWith('r-zj-'));

describe('base map: road names, ramps and interchanges of the Zhuji scene', () => {
  it('names every road in both languages', () => {
    for (const f of roads) {
      expect(f.properties.name, String(f.properties.id)).toBeTruthy();
      expect(f.properties.nameZh, String(f.properties.id)).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('has the four named interchanges, each with ramps that start and end on its roads', () => {
    expect(interchanges.map((f) => f.properties.nameZh)).toEqual(['诸暨枢纽', '诸暨互通', '诸暨东互通', '诸暨北互通']);
    for (const ic of interchanges) {
      const at = ic.geometry.coordinates as LonLat;
      const own = ramps.filter((r) => String(r.properties.id).startsWith(String(ic.properties.id).replace(/-ic$/, '-ramp')));
      expect(own.length, String(ic.properties.nameZh)).toBeGreaterThanOrEqual(2);
      for (const r of own) {
        const line = r.geometry.coordinates as LonLat[];
        // Leaves and joins 700 m out along a road, and bends towards the node without passing through it.
        for (const end of [line[0], line[line.length - 1]]) {
          expect(distanceM(end, at)).toBeCloseTo(700, -1);
          expect(zhujiRoads.some((f) => (f.geometry.coordinates as LonLat[]).some((p, i, l) => i > 0 && onSegment(end, l[i - 1], p)))).toBe(true);
        }
        const nearest = Math.min(...line.map((p) => distanceM(p, at)));
        expect(nearest).toBeGreaterThan(50);
        expect(nearest).toBeLessThan(500);
        expect(r.properties.nameZh).toMatch(/匝道$/);
      }
    }
  });
});

/** Whether p lies on the straight piece a–b (within 5 m). */
function onSegment(p: LonLat, a: LonLat, b: LonLat): boolean {
  return Math.abs(distanceM(a, p) + distanceM(p, b) - distanceM(a, b)) < 5;
}
