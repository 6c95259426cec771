import { describe, expect, it } from 'vitest';
import { downsampleMinMax } from '../../src/server/downsample';

const series = (n: number, f: (i: number) => number, stepMs = 1000): [number, number][] =>
  Array.from({ length: n }, (_, i) => [1_764_300_000_000 + i * stepMs, f(i)]);

describe('downsampleMinMax', () => {
  it.each([
    { name: 'empty', points: [] as [number, number][], max: 10, expected: [] },
    { name: 'under the limit, unchanged', points: series(3, (i) => i), max: 10, expected: series(3, (i) => i) },
    { name: 'exactly at the limit, unchanged', points: series(10, (i) => i), max: 10, expected: series(10, (i) => i) },
  ])('$name', ({ points, max, expected }) => {
    expect(downsampleMinMax(points, max)).toEqual(expected);
  });

  it.each([
    { name: 'a one-sample H₂S spike', at: 4321, value: 55, base: 0.2 },
    { name: 'a one-sample O₂ dip', at: 17, value: 16.1, base: 20.9 },
    { name: 'a spike in the last sample', at: 9999, value: 99, base: 1 },
  ])('keeps $name when 10,000 points become ≤ 200', ({ at, value, base }) => {
    const points = series(10_000, (i) => (i === at ? value : base));
    const out = downsampleMinMax(points, 200);
    expect(out.length).toBeLessThanOrEqual(200);
    expect(out).toContainEqual(points[at]);
  });

  it('keeps both extremes of every bucket in time order', () => {
    const points = series(1000, (i) => Math.sin(i / 7) * 10);
    const out = downsampleMinMax(points, 100);
    expect(out.length).toBeLessThanOrEqual(100);
    for (let i = 1; i < out.length; i++) expect(out[i][0]).toBeGreaterThan(out[i - 1][0]);
    expect(Math.max(...out.map((p) => p[1]))).toBe(Math.max(...points.map((p) => p[1])));
    expect(Math.min(...out.map((p) => p[1]))).toBe(Math.min(...points.map((p) => p[1])));
  });

  it('spreads buckets over time, so a gap in the data does not squeeze the rest', () => {
    const before = series(500, () => 1);
    const after = series(500, (i) => (i === 250 ? 7 : 2)).map(([t, v]) => [t + 86_400_000, v] as [number, number]);
    const out = downsampleMinMax([...before, ...after], 50);
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out).toContainEqual(after[250]);
  });
});
