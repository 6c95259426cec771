import {
  Camera,
  Cartesian3,
  Color,
  Event,
  GeographicProjection,
  GroundPolylinePrimitive,
  GroundPrimitive,
  Math as CesiumMath,
  PerspectiveFrustum,
  Primitive,
  PrimitiveCollection,
  SceneMode,
  type GeometryInstance,
  type Scene,
} from 'cesium';
import * as Cesium from 'cesium';
import { describe, expect, it, vi } from 'vitest';
import { generate } from '../../scripts/gen-data';
import type { Site } from '../../src/contracts';
import { createPlantRiskLayer } from '../../src/scene/cesium/scenes/confined/plants';
import { FAR_M } from '../../src/scene/cesium/deviceClusters';
import { EVICT_MS, createSiteCells, groupKeyOf, placeOf } from '../../src/scene/cesium/siteCells';
import { centreOf } from '../../src/scene/cesium/siteStyle';
import { createSiteLayer } from '../../src/scene/cesium/sites';

const W = 1280;
const H = 720;
const sites = new Map(generate().registry.sites.map((s) => [s.id, s]));
const byKind = (scene: Site['scene'], kind: Site['kind']) => [...sites.values()].filter((s) => s.scene === scene && s.kind === kind);

// Cesium's labels (the scene areas' names, made with the sites) measure their font through the DOM:
// an inert stand-in, as this Node test draws nothing.
(globalThis as { document?: unknown }).document ??= {
  createElement: () => ({ style: {} }),
  body: { appendChild() {}, removeChild() {} },
  defaultView: { getComputedStyle: () => ({ getPropertyValue: () => '' }) },
};

// The line widths a WebGL context would allow (ground polylines check theirs against them when made).
(Cesium as unknown as { ContextLimits: { _maximumAliasedLineWidth: number } }).ContextLimits._maximumAliasedLineWidth = 1;

/** What the layers need of a Scene, in Node: a real camera, collections and events; no WebGL (nothing is drawn). */
function fakeScene() {
  const base = { canvas: { clientWidth: W, clientHeight: H }, drawingBufferWidth: W, drawingBufferHeight: H, mapProjection: new GeographicProjection(), tweens: { add() {} }, mapMode2D: 0 };
  const camera = new Camera(base as unknown as Scene);
  (camera.frustum as PerspectiveFrustum).aspectRatio = W / H;
  const scene = { ...base, camera, frameState: { mode: SceneMode.SCENE3D }, primitives: new PrimitiveCollection(), preRender: new Event(), postRender: new Event(), requestRender() {} };
  return scene;
}
type FakeScene = ReturnType<typeof fakeScene>;

/** The camera straight down over lon/lat from `heightM`. */
function lookDown(scene: FakeScene, lonDeg: number, latDeg: number, heightM: number) {
  scene.camera.setView({ destination: Cartesian3.fromDegrees(lonDeg, latDeg, heightM), orientation: { heading: 0, pitch: -CesiumMath.PI_OVER_TWO, roll: 0 } });
}

/** A frame: the layers build what the camera now calls for before it is drawn; then it is drawn. */
const frame = (scene: FakeScene) => (scene.preRender.raiseEvent(scene, 0), scene.postRender.raiseEvent(scene, 0));
/** The site layer sorts its sites into cells a task after the first frame drawn with it. */
const firstFrame = async (scene: FakeScene) => (frame(scene), await nextTask());
const nextTask = () => new Promise((r) => setTimeout(r, 0));

/** Every geometry instance the primitives in `coll` (and collections in it) were built with. */
function instances(coll: PrimitiveCollection): GeometryInstance[] {
  const out: GeometryInstance[] = [];
  for (let i = 0; i < coll.length; i++) {
    const p = coll.get(i) as unknown;
    if (p instanceof PrimitiveCollection) out.push(...instances(p));
    else if (p instanceof GroundPrimitive || p instanceof GroundPolylinePrimitive || p instanceof Primitive) {
      const gi = (p as { geometryInstances?: GeometryInstance | GeometryInstance[] }).geometryInstances;
      out.push(...(Array.isArray(gi) ? gi : gi ? [gi] : []));
    }
  }
  return out;
}
const builtIds = (scene: FakeScene, ground: PrimitiveCollection) =>
  new Set([...instances(ground), ...instances(scene.primitives)].map((g) => String(g.id ?? '').replace(/#.*$/, '')));

describe('sites built by cell when the camera comes to them', () => {
  const plant = byKind('confined', 'plant')[0];
  const segment = byKind('roads', 'segment')[0];
  const enterprise = byKind('park', 'enterprise')[0];
  const tank = byKind('park', 'tank')[0];
  const at = (s: Site) => centreOf(s) ?? (s.geometry.coordinates as number[][])[0];

  it('builds what is under a close camera and not a far place, then the far place when the camera comes to it', async () => {
    const scene = fakeScene();
    const ground = new PrimitiveCollection();
    const [lon, lat] = at(plant) as number[];
    lookDown(scene, lon, lat, 3_000);
    const layer = createSiteLayer(scene as unknown as Scene, ground, sites, 'en');
    await firstFrame(scene);
    frame(scene);
    let ids = builtIds(scene, ground);
    expect(ids.has(`site:${plant.id}`)).toBe(true);
    // The roads and the park are tens of kilometres away: not built at start.
    expect(ids.has(`site:${segment.id}`)).toBe(false);
    expect(ids.has(`site:${enterprise.id}`)).toBe(false);
    expect(ids.has(`site:${tank.id}`)).toBe(false);

    const [tlon, tlat] = at(tank) as number[];
    lookDown(scene, tlon, tlat, 2_000);
    frame(scene);
    ids = builtIds(scene, ground);
    expect(ids.has(`site:${tank.id}`)).toBe(true);
    expect(ids.has(`site:${enterprise.id}`)).toBe(true);
    layer.destroy();
  });

  it('far above an aggregated registry: roads, not parcels; a selected parcel at once, in its highlight', async () => {
    const scene = fakeScene();
    const ground = new PrimitiveCollection();
    const [lon, lat] = at(enterprise) as number[];
    lookDown(scene, lon, lat, FAR_M * 2.5);
    const layer = createSiteLayer(scene as unknown as Scene, ground, sites, 'en', FAR_M);
    // Set before the segment's cell is built: built in, and read back as such.
    layer.setSegmentColor(segment.id, Color.RED);
    await firstFrame(scene);
    frame(scene);
    const ids = builtIds(scene, ground);
    expect(ids.has(`site:${segment.id}`)).toBe(true);
    expect(ids.has(`site:${enterprise.id}`)).toBe(false);
    const seg = instances(ground).find((g) => g.id === `site:${segment.id}`)!;
    expect([...(seg.attributes as { color: { value: Uint8Array } }).color.value]).toEqual([255, 0, 0, 255]);
    expect(layer.segmentColorCss(segment.id)).toBe('#ff0000');

    layer.highlight(enterprise.id);
    const fill = instances(ground).find((g) => g.id === `site:${enterprise.id}`);
    expect(fill).toBeDefined();
    const plain = instances(ground).find((g) => g.id !== fill!.id && String(g.id).startsWith('site:') && sites.get(String(g.id).slice(5))?.kind === 'enterprise');
    // Highlighted: lighter than the fill it would have.
    const v = (fill!.attributes as { color: { value: Uint8Array } }).color.value;
    expect(v[3]).toBeGreaterThanOrEqual(Math.round(0.45 * 255));
    if (plain) expect([...v]).not.toEqual([...(plain.attributes as { color: { value: Uint8Array } }).color.value]);
    layer.destroy();
  });

  it('plant risk tints: only the cells in view, the rest when the camera comes', () => {
    const scene = fakeScene();
    const ground = new PrimitiveCollection();
    const plants = byKind('confined', 'plant');
    const [lon, lat] = at(plants[0]) as number[];
    lookDown(scene, lon, lat, 3_000);
    const tints = createPlantRiskLayer(scene as unknown as Scene, ground, () => Number.POSITIVE_INFINITY);
    // A plant copied 60 km away (a city's other plants) gets a tint too, but not while the camera is here.
    const far: Site = { ...plants[0], id: 'far-plant', geometry: { type: 'Polygon', coordinates: (plants[0].geometry.coordinates as number[][][]).map((r) => r.map(([x, y]) => [x + 0.6, y])) } };
    const all = new Map([...sites, [far.id, far]]);
    tints.set(new Map([...plants.map((p): [string, string] => [p.id, '#ff0000']), [far.id, '#ff0000']]), all);
    let ids = new Set(instances(ground).map((g) => String(g.id)));
    expect(ids.has(`site:${plants[0].id}#riskfill`)).toBe(true);
    expect(ids.has('site:far-plant#riskfill')).toBe(false);
    lookDown(scene, lon + 0.6, lat, 3_000);
    frame(scene);
    ids = new Set(instances(ground).map((g) => String(g.id)));
    expect(ids.has('site:far-plant#riskfill')).toBe(true);
    tints.destroy();
  });
});

describe('cells out of view hidden, cells not seen for long destroyed and built again', () => {
  const segment = byKind('roads', 'segment')[0];
  const plant = byKind('confined', 'plant')[0];
  const at = (s: Site) => centreOf(s) ?? (s.geometry.coordinates as number[][])[0];
  const colorOf = (ground: PrimitiveCollection, id: string) => {
    const g = instances(ground).find((i) => i.id === id);
    return g ? [...(g.attributes as { color: { value: Uint8Array } }).color.value] : null;
  };
  /** The primitive (in `coll` or a collection in it) built with the instance `id`. */
  const primitiveWith = (coll: PrimitiveCollection, id: string): { show: boolean } | null => {
    for (let i = 0; i < coll.length; i++) {
      const p = coll.get(i) as unknown;
      if (p instanceof PrimitiveCollection) {
        const found = primitiveWith(p, id);
        if (found) return found;
      } else {
        const gi = (p as { geometryInstances?: GeometryInstance | GeometryInstance[] }).geometryInstances;
        if ((Array.isArray(gi) ? gi : gi ? [gi] : []).some((g) => g.id === id)) return p as { show: boolean };
      }
    }
    return null;
  };

  it('a thing out of view is hidden, then destroyed after EVICT_MS; coming back builds it again', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const scene = fakeScene();
      const made: string[] = [];
      const shown = new Map<string, boolean>();
      const destroyed: string[] = [];
      const cells = createSiteCells<string>((items, key) => {
        made.push(items.join());
        shown.set(items.join(), true);
        return { show: (v) => shown.set(items.join(), v), destroy: () => void destroyed.push(items.join()) };
      }, FAR_M);
      const a = placeOf([[120.5, 30.0], [120.51, 30.01]], 'parcel')!;
      const b = placeOf([[121.1, 30.0], [121.11, 30.01]], 'parcel')!;
      cells.add('a', a);
      cells.add('b', b);
      const look = (lon: number, lat: number, h: number) => (lookDown(scene, lon, lat, h), cells.update(scene.camera, H));
      expect(look(120.505, 30.005, 3_000)).toBe(true);
      expect(made).toEqual(['a']);
      // To b, 60 km away: b built, a hidden (not destroyed: Cesium skips a hidden primitive's update).
      vi.advanceTimersByTime(1_000);
      look(121.105, 30.005, 3_000);
      expect(made).toEqual(['a', 'b']);
      expect(shown.get('a')).toBe(false);
      expect(shown.get('b')).toBe(true);
      expect(cells.counts).toEqual({ built: 2, shown: 1, waiting: 0 });
      // Far up over a (above the parcels' ceiling): both hidden, still built.
      look(120.505, 30.005, FAR_M * 1.5);
      expect(shown.get('b')).toBe(false);
      expect(cells.counts).toEqual({ built: 2, shown: 0, waiting: 0 });
      expect(destroyed).toEqual([]);
      // Not wanted for EVICT_MS since it was last seen: a is destroyed (b, seen later, stays a while).
      vi.advanceTimersByTime(EVICT_MS - 1_000);
      look(120.505, 30.005, FAR_M * 1.6);
      expect(destroyed).toEqual(['a']);
      expect(cells.counts).toEqual({ built: 1, shown: 0, waiting: 1 });
      // The same camera: the eviction clock still moves, looked at now and then.
      vi.advanceTimersByTime(5_000);
      cells.update(scene.camera, H);
      expect(destroyed).toEqual(['a', 'b']);
      // Back to a: built again, shown.
      look(120.505, 30.005, 3_000);
      expect(made).toEqual(['a', 'b', 'a']);
      expect(shown.get('a')).toBe(true);
      // A pinned group (a selected site) is shown wherever the camera is, and never destroyed.
      expect(cells.pin(groupKeyOf(b))).toBe(true);
      vi.advanceTimersByTime(EVICT_MS * 2);
      look(120.505, 30.005, 3_000);
      expect(shown.get('b')).toBe(true);
      expect(destroyed).toEqual(['a', 'b']);
      cells.pin(null);
      look(120.505, 30.006, 3_000);
      expect(shown.get('b')).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a road segment destroyed out of view comes back in the colour set while it was gone; parcel names go above their range', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const scene = fakeScene();
      const ground = new PrimitiveCollection();
      const [lon, lat] = at(segment) as number[];
      lookDown(scene, lon, lat, 5_000);
      const layer = createSiteLayer(scene as unknown as Scene, ground, sites, 'en', FAR_M);
      layer.setSegmentColor(segment.id, Color.RED);
      await firstFrame(scene);
      frame(scene);
      const id = `site:${segment.id}`;
      expect(colorOf(ground, id)).toEqual([255, 0, 0, 255]);
      expect(primitiveWith(ground, id)?.show).toBe(true);

      // Looking at a place 3° away: the segment's cell is out of view, hidden.
      lookDown(scene, lon + 3, lat, 5_000);
      frame(scene);
      expect(primitiveWith(ground, id)?.show).toBe(false);
      // Not seen for EVICT_MS: destroyed, its instances gone.
      vi.advanceTimersByTime(EVICT_MS + 1);
      frame(scene);
      expect(builtIds(scene, ground).has(id)).toBe(false);
      expect(layer.cellCounts().groupsWaiting).toBeGreaterThan(0);
      // A colour set while it is gone is what it is built with when the camera comes back.
      layer.setSegmentColor(segment.id, Color.BLUE);
      expect(layer.segmentColorCss(segment.id)).toBe('#0000ff');
      lookDown(scene, lon, lat, 5_000);
      frame(scene);
      expect(colorOf(ground, id)).toEqual([0, 0, 255, 255]);
      expect(primitiveWith(ground, id)?.show).toBe(true);

      // Parcels' names: made near a plant, removed (all but the areas') far above, made again when back.
      const [plon, plat] = at(plant) as number[];
      lookDown(scene, plon, plat, 3_000);
      frame(scene);
      const near = layer.cellCounts();
      expect(near.labelCellsMade).toBeGreaterThan(0);
      expect(near.labels).toBeGreaterThan([...sites.values()].filter((s) => s.kind === 'area').length);
      lookDown(scene, plon, plat, 60_000);
      frame(scene);
      const far = layer.cellCounts();
      expect(far.labelCellsMade).toBe(0);
      expect(far.labels).toBe([...sites.values()].filter((s) => s.kind === 'area').length);
      lookDown(scene, plon, plat, 3_000);
      frame(scene);
      expect(layer.cellCounts().labels).toBe(near.labels);
      layer.destroy();
    } finally {
      vi.useRealTimers();
    }
  });
});
