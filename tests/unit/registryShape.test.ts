import { describe, expect, it } from 'vitest';
import { geometryOf, parsePoints, pointsOf, pointsText } from '../../src/ui/admin/registry/shape';

describe('registry form shapes', () => {
  it.each([
    { mode: 'point' as const, points: [[120.7, 30.21]] as [number, number][], type: 'Point' },
    { mode: 'polyline' as const, points: [[120.24, 29.71], [120.25, 29.72]] as [number, number][], type: 'LineString' },
    { mode: 'polygon' as const, points: [[120.7, 30.21], [120.701, 30.21], [120.701, 30.211]] as [number, number][], type: 'Polygon' },
  ])('a $mode round-trips through its $type geometry', ({ mode, points, type }) => {
    const g = geometryOf(mode, points);
    expect(g?.type).toBe(type);
    expect(pointsOf(g)).toEqual(points);
  });

  it('closes an outline, and says nothing for too few points', () => {
    const g = geometryOf('polygon', [[1, 2], [3, 2], [3, 4]]);
    expect(g).toEqual({ type: 'Polygon', coordinates: [[[1, 2], [3, 2], [3, 4], [1, 2]]] });
    expect(geometryOf('polygon', [[1, 2], [3, 2]])).toBeNull();
    expect(geometryOf('polyline', [[1, 2]])).toBeNull();
    expect(geometryOf('point', [])).toBeNull();
  });

  it.each([
    { text: '120.7, 30.21\n120.701 30.21\n\n', want: [[120.7, 30.21], [120.701, 30.21]] },
    { text: '120.7;30.21', want: [[120.7, 30.21]] },
    { text: '', want: [] },
    { text: '120.7', want: null },
    { text: '120.7, 95', want: null },
    { text: '东经120, 30', want: null },
  ])('reads "$text" as $want', ({ text, want }) => {
    expect(parsePoints(text)).toEqual(want);
  });

  it('writes points as text it reads back', () => {
    const pts: [number, number][] = [[120.123456, 30.654321]];
    expect(parsePoints(pointsText(pts))).toEqual(pts);
  });
});
