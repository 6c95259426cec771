import { describe, expect, it } from 'vitest';
import { cellOf, cellsWithin } from '../../src/scene/cesium/siteLabels';

/** The point `distM` from lon/lat on bearing `bearingDeg` (a sphere: the cells' own approximation is checked against it). */
function offset(lonDeg: number, latDeg: number, distM: number, bearingDeg: number): [number, number] {
  const R = 6_371_000;
  const d = distM / R;
  const b = (bearingDeg * Math.PI) / 180;
  const la1 = (latDeg * Math.PI) / 180;
  const lo1 = (lonDeg * Math.PI) / 180;
  const la2 = Math.asin(Math.sin(la1) * Math.cos(d) + Math.cos(la1) * Math.sin(d) * Math.cos(b));
  const lo2 = lo1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(la1), Math.cos(d) - Math.sin(la1) * Math.sin(la2));
  return [(lo2 * 180) / Math.PI, (la2 * 180) / Math.PI];
}

describe('parcel names made by cell near the camera', () => {
  it('the cells within range hold every point within range of the camera', () => {
    const missed: string[] = [];
    for (const [lon, lat] of [[120.58, 30.0], [120.6999, 29.9001], [-73.99, 40.73], [151.2, -33.87], [10, 65]]) {
      const cells = new Set(cellsWithin(lon, lat, 14_000));
      for (let b = 0; b < 360; b += 7.5) {
        for (const dist of [0, 3_000, 9_000, 13_999]) {
          const [plon, plat] = offset(lon, lat, dist, b);
          if (!cells.has(cellOf(plon, plat))) missed.push(`${lon},${lat} → ${dist} m at ${b}°`);
        }
      }
    }
    expect(missed).toEqual([]);
  });

  it('and not the whole city: a few dozen cells of about 10 km', () => {
    const n = cellsWithin(120.58, 30.0, 14_000).length;
    expect(n).toBeGreaterThanOrEqual(9);
    expect(n).toBeLessThanOrEqual(50);
  });
});
