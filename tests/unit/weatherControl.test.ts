/**
 * Fog and ice control per segment (道路交通安全法实施条例 第八十一条): what the controller publishes
 * on the message signs, and how routing honours it.
 */
import { describe, expect, it } from 'vitest';
import type { RoadClass, SegmentControl, Site } from '../../src/contracts';
import { ICE_CONTROL, buildRoadGraph, routeNodes, segmentControl, segmentControls, signsToPublish, withControls } from '../../src/domain';

describe('segmentControl on an expressway: Art. 81 on both sides of each visibility boundary', () => {
  it.each<{ visibilityM: number; level: SegmentControl['level'] | null; speedLimitKmh?: number; spacingM?: number | null; action?: string }>([
    { visibilityM: 5000, level: null },
    { visibilityM: 200, level: null },
    { visibilityM: 199.9, level: 'fog_200', speedLimitKmh: 60, spacingM: 100, action: 'limit' },
    { visibilityM: 100, level: 'fog_200', speedLimitKmh: 60, spacingM: 100, action: 'limit' },
    { visibilityM: 99.9, level: 'fog_100', speedLimitKmh: 40, spacingM: 50, action: 'limit' },
    { visibilityM: 50, level: 'fog_100', speedLimitKmh: 40, spacingM: 50, action: 'limit' },
    { visibilityM: 49.9, level: 'fog_50', speedLimitKmh: 20, spacingM: null, action: 'exit' },
    { visibilityM: 0, level: 'fog_50', speedLimitKmh: 20, spacingM: null, action: 'exit' },
  ])('visibility $visibilityM m → $level', ({ visibilityM, level, ...rest }) => {
    const c = segmentControl({ visibilityM, ice: false }, 'expressway');
    if (level === null) return expect(c).toBeNull();
    expect(c).toMatchObject({ level, ...rest });
  });

  it('gives every fog sign a Chinese text with the limit and an English one', () => {
    for (const [m, kmh] of [[150, 60], [80, 40], [30, 20]] as const) {
      const c = segmentControl({ visibilityM: m, ice: false }, 'expressway')!;
      expect(c.vmsText).toMatch(new RegExp(`限速${kmh}`));
      expect(c.vmsText).toMatch(/雾/);
      expect(c.vmsTextEn).toMatch(new RegExp(`${kmh} km/h`));
      expect(c.vmsText).not.toMatch(/[A-Za-z]{3,}/);
    }
    expect(segmentControl({ visibilityM: 30, ice: false }, 'expressway')!.vmsText).toMatch(/出口驶离/);
  });

  it('ice closes any road, fog or not, and says so on the sign', () => {
    for (const cls of ['expressway', 'arterial', 'secondary'] as RoadClass[]) {
      expect(segmentControl({ visibilityM: 30, ice: true }, cls)).toEqual(ICE_CONTROL);
    }
    expect(ICE_CONTROL).toMatchObject({ action: 'close', speedLimitKmh: null });
    expect(ICE_CONTROL.vmsText).toMatch(/封闭/);
  });

  it('fog control is the expressway article: a town road gets none, nor a segment of unknown class', () => {
    expect(segmentControl({ visibilityM: 30, ice: false }, 'arterial')).toBeNull();
    expect(segmentControl({ visibilityM: 30, ice: false }, null)).toBeNull();
    expect(segmentControl({ visibilityM: 30, ice: false }, 'highway')).toMatchObject({ level: 'fog_50' });
    expect(segmentControl({ visibilityM: null, ice: false }, 'expressway')).toBeNull();
  });
});

describe('segmentControls and signsToPublish', () => {
  const cls = (id: string): RoadClass | null => (id.startsWith('x') ? 'expressway' : 'arterial');
  it('takes the stricter control where two stations cover a segment, and lists each sign once', () => {
    const controls = segmentControls(
      [
        { segmentIds: ['x1', 'x2', 'a1'], visibilityM: 150, ice: false },
        { segmentIds: ['x2', 'x3'], visibilityM: 40, ice: false },
        { segmentIds: ['x4'], visibilityM: 3000, ice: true },
      ],
      cls,
    );
    expect(controls.get('x1')?.level).toBe('fog_200');
    expect(controls.get('x2')?.level).toBe('fog_50');
    expect(controls.get('x3')?.level).toBe('fog_50');
    expect(controls.get('x4')?.level).toBe('ice');
    expect(controls.has('a1')).toBe(false);
    const signs = signsToPublish(controls);
    expect(signs.map((s) => [s.control.level, s.segmentIds])).toEqual([
      ['ice', ['x4']],
      ['fog_50', ['x2', 'x3']],
      ['fog_200', ['x1']],
    ]);
  });
});

describe('routing honours fog limits and ice closures', () => {
  /** Two ways from A to D, 10 km each: over B (expressway, 100 km/h) or over C (arterial, 60 km/h). */
  const at = { A: [120, 30], B: [120.05, 30], C: [120.05, 30.05], D: [120.1, 30] } as const;
  type N = keyof typeof at;
  const seg = (from: N, to: N, kmh: number, roadClass: RoadClass): Site => ({
    id: `${from}${to}`,
    scene: 'roads',
    kind: 'segment',
    name: `${from}${to}`,
    nameZh: `${from}${to}`,
    parentId: null,
    geometry: { type: 'LineString', coordinates: [[...at[from]], [...at[to]]] },
    props: { fromNode: from, toNode: to, lengthM: 5000, freeFlowKmh: kmh, roadClass },
  });
  const g = buildRoadGraph([seg('A', 'B', 100, 'expressway'), seg('B', 'D', 100, 'expressway'), seg('A', 'C', 60, 'arterial'), seg('C', 'D', 60, 'arterial')]);
  const fog = (m: number, ice = false) => segmentControls([{ segmentIds: ['AB', 'BD'], visibilityM: m, ice }], (id) => g.edgeById.get(id)?.roadClass ?? null);

  it.each<{ what: string; controls: Map<string, SegmentControl>; live?: number; ids: string[]; timeS: number }>([
    { what: 'clear air: the expressway, 2 × 180 s', controls: new Map(), ids: ['AB', 'BD'], timeS: 360 },
    { what: 'fog < 200 m: 60 km/h, a tie kept on the expressway', controls: fog(150), ids: ['AB', 'BD'], timeS: 600 },
    { what: 'fog < 100 m: 40 km/h, the arterial is faster', controls: fog(80), ids: ['AC', 'CD'], timeS: 600 },
    { what: 'live speed under the limit is used, not the limit', controls: fog(150), live: 30, ids: ['AC', 'CD'], timeS: 600 },
    { what: 'ice closes the expressway', controls: fog(5000, true), ids: ['AC', 'CD'], timeS: 600 },
  ])('$what', ({ controls, live, ids, timeS }) => {
    const opts = withControls(live === undefined ? {} : { speedKmh: (id) => (id.startsWith('A') && id !== 'AC' ? live : null) }, controls);
    const r = routeNodes(g, 'A', 'D', opts)!;
    expect(r.segmentIds).toEqual(ids);
    expect(r.travelTimeS).toBeCloseTo(timeS, 0);
  });

  it('keeps closures already in the options and the lower of two limits', () => {
    const opts = withControls({ closed: new Set(['AC']), limitKmh: (id) => (id === 'AB' ? 30 : null) }, fog(150));
    expect([...opts.closed!]).toEqual(['AC']);
    expect(opts.limitKmh!('AB')).toBe(30);
    expect(opts.limitKmh!('BD')).toBe(60);
    expect(opts.limitKmh!('CD')).toBeNull();
  });
});
