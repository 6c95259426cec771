/**
 * The registry's build on the globe at city scale (sites.ts, devices.ts, cameras.ts), in Node with
 * a stand-in scene (no WebGL): what the cheaper build does per site instead of per device, or
 * later instead of in the registry's task, gives the same answers as the per-device way did.
 */
import { Camera, Cartesian3, Event, GeographicProjection, PerspectiveFrustum, PointPrimitiveCollection, PrimitiveCollection, SceneMode, type Scene } from 'cesium';
import * as Cesium from 'cesium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../scripts/gen-data';
import { cityRegistry } from '../../scripts/bench/cityRegistry';
import { isValidCamera, type DeviceLive, type Site } from '../../src/contracts';
import { setReplayClock } from '../../src/state/clock';
import type { Twin } from '../../src/state/store';
import { HEALTH_CSS } from '../../src/view';
import { createCameraLayer } from '../../src/scene/cesium/cameras';
import { DEVICE_PICK_PREFIX, createDeviceLayer, drawPosition } from '../../src/scene/cesium/devices';
import { cleanLine, offsetLine, type Position } from '../../src/scene/cesium/geojson';
import { createSiteLayer } from '../../src/scene/cesium/sites';
import { DIRECTION_OFFSET_M, twoWaySegments } from '../../src/scene/cesium/twoWayRoads';

const city = cityRegistry(generate().registry, 6_000);
const sites = new Map(city.sites.map((s) => [s.id, s]));
const devices = new Map(city.devices.map((d) => [d.id, d]));

// The layers' labels measure text and the cone icons are drawn through the DOM: an inert stand-in while this file runs.
const context2d = new Proxy({} as Record<string | symbol, unknown>, {
  get: (o, k) => (k === 'measureText' ? (t: string) => ({ width: 7 * t.length }) : k in o ? o[k] : () => {}),
  set: (o, k, v) => ((o[k] = v), true),
});
const saved = (globalThis as { document?: unknown }).document;
const DOM_CLASSES = ['HTMLCanvasElement', 'HTMLImageElement', 'HTMLVideoElement', 'ImageBitmap', 'OffscreenCanvas'] as const;
const stubbed = DOM_CLASSES.filter((k) => !(k in globalThis));
beforeAll(() => {
  for (const k of stubbed) (globalThis as Record<string, unknown>)[k] = class {};
  (globalThis as { document?: unknown }).document = {
    createElement: () => ({ style: {}, getContext: () => context2d }),
    body: { appendChild() {}, removeChild() {} },
    defaultView: { getComputedStyle: () => ({ getPropertyValue: () => '' }) },
  };
  (Cesium as unknown as { ContextLimits: { _maximumAliasedLineWidth: number } }).ContextLimits._maximumAliasedLineWidth = 1;
});
afterAll(() => {
  for (const k of stubbed) delete (globalThis as Record<string, unknown>)[k];
  (globalThis as { document?: unknown }).document = saved;
  setReplayClock(null);
});

function fakeScene() {
  const base = { canvas: { clientWidth: 1280, clientHeight: 720 }, drawingBufferWidth: 1280, drawingBufferHeight: 720, mapProjection: new GeographicProjection(), tweens: { add() {} }, mapMode2D: 0 };
  const camera = new Camera(base as unknown as Scene);
  (camera.frustum as PerspectiveFrustum).aspectRatio = 1280 / 720;
  camera.setView({ destination: Cartesian3.fromDegrees(120.5, 30, 80_000) });
  let renders = 0;
  const scene = {
    ...base, camera, frameState: { mode: SceneMode.SCENE3D }, primitives: new PrimitiveCollection(), preRender: new Event(), postRender: new Event(),
    requestRender: () => void renders++,
    renders: () => renders,
  };
  return scene;
}
const asScene = (s: ReturnType<typeof fakeScene>) => s as unknown as Scene;
const frame = (s: ReturnType<typeof fakeScene>) => (s.preRender.raiseEvent(s, 0), s.postRender.raiseEvent(s, 0));
const nextTask = () => new Promise((r) => setTimeout(r, 0));

/** The two-way segments and shifts the way they were found before: a string key of every coordinate. */
function undirectedKey(line: Position[]): string {
  const f = line.map((p) => `${p[0]},${p[1]}`);
  const r = [...f].reverse();
  return f.join(';') < r.join(';') ? f.join(';') : r.join(';');
}
function shiftsByStringKeys(all: Iterable<Site>): Map<string, [number, number]> {
  const list = [...all];
  const count = new Map<string, number>();
  for (const s of list) if (s.kind === 'segment' && s.geometry.type === 'LineString') count.set(undirectedKey(s.geometry.coordinates), (count.get(undirectedKey(s.geometry.coordinates)) ?? 0) + 1);
  const out = new Map<string, [number, number]>();
  for (const s of list) {
    if (s.kind !== 'segment' || s.geometry.type !== 'LineString') continue;
    const clean = cleanLine(s.geometry.coordinates);
    if (!clean || (count.get(undirectedKey(s.geometry.coordinates)) ?? 0) < 2) continue;
    const m = offsetLine(clean, DIRECTION_OFFSET_M);
    out.set(s.id, [m[0][0] - clean[0][0], m[0][1] - clean[0][1]]);
  }
  return out;
}

describe('the registry built per site, not per device', () => {
  it('finds the same two-way segments, and the same shifts to the last bit, as string keys of every coordinate', () => {
    const expected = shiftsByStringKeys(sites.values());
    expect(expected.size).toBeGreaterThan(100); // the city's roads are two-way
    const scene = fakeScene();
    const layer = createSiteLayer(asScene(scene), new PrimitiveCollection(), sites, 'zh');
    for (const s of sites.values()) {
      const d = expected.get(s.id) ?? [0, 0];
      expect(layer.shiftedLonLat(s.id, 120.25, 30.5), s.id).toEqual([120.25 + d[0], 30.5 + d[1]]);
    }
    // A line whose reverse is a segment too, a duplicate, one on its own, a reversed one with a repeated point (not the same line).
    const seg = (id: string, coordinates: Position[]): Site => ({ id, kind: 'segment', scene: 'roads', name: id, geometry: { type: 'LineString', coordinates } }) as unknown as Site;
    const line: Position[] = [[120, 30], [120.01, 30.002], [120.02, 30.001]];
    const few = [seg('a', line), seg('b', [...line].reverse()), seg('c', [[121, 30], [121.1, 30]]), seg('d', [[121, 30], [121.1, 30]]), seg('e', [[122, 30], [122.1, 30]]), seg('f', [[122.1, 30], [122.1, 30], [122, 30]])];
    expect([...twoWaySegments(few)].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(new Set(shiftsByStringKeys(few).keys())).toEqual(new Set(['a', 'b', 'c', 'd']));
    layer.destroy();
  });

  it('places every device where its site shift puts it, as drawPosition with the shift per device', () => {
    const scene = fakeScene();
    const siteLayer = createSiteLayer(asScene(scene), new PrimitiveCollection(), sites, 'zh');
    const shift = (id: string, lon: number, lat: number) => siteLayer.shiftedLonLat(id, lon, lat);
    const layer = createDeviceLayer(asScene(scene), devices, () => 'zh', shift, sites);
    let shifted = 0;
    for (const d of devices.values()) {
      const p = drawPosition(d, shift);
      expect(Cartesian3.equals(layer.positionOf(d.id) ?? undefined, p), d.id).toBe(true);
      if (shift(d.siteId, 0, 0)[0] !== 0) shifted++;
    }
    expect(shifted).toBeGreaterThan(100);
    layer.destroy();
    siteLayer.destroy();
  });
});

describe('the device layer before its deferred parts are built', () => {
  const T = Date.UTC(2026, 11, 7, 8, 0, 0);
  const reporting = [...devices.values()].filter((d) => d.quantities.length > 0);
  const liveAt = (ts: number) => new Map<string, DeviceLive>(reporting.map((d) => [d.id, { ts, values: {}, status: 'online' }]));
  const state = (live: Map<string, DeviceLive>) => ({ live }) as unknown as Twin;
  const make = () => {
    const scene = fakeScene();
    const layer = createDeviceLayer(asScene(scene), devices, () => 'zh', (_id, lon, lat) => [lon, lat], sites);
    return { scene, layer };
  };

  it('shows a device selected before its point is built, in the selected layer, and keeps it once all are built', async () => {
    const { scene, layer } = make();
    layer.recolour(state(liveAt(T)), new Map());
    expect(layer.pointsPending()).toBe(devices.size);
    const id = reporting[reporting.length - 1].id;
    layer.select(id);
    const selectedLayer = scene.primitives.get(4) as PointPrimitiveCollection;
    expect(selectedLayer.length).toBe(1);
    expect(selectedLayer.get(0).id).toBe(DEVICE_PICK_PREFIX + id);
    expect(Cartesian3.equals(selectedLayer.get(0).position, layer.positionOf(id) ?? undefined)).toBe(true);
    while (layer.pointsPending() > 0) await nextTask();
    expect(selectedLayer.length).toBe(1);
    expect(selectedLayer.get(0).id).toBe(DEVICE_PICK_PREFIX + id);
    layer.destroy();
  });

  it('turns devices stale on time though their deadlines are queued after the recolour that judged them', () => {
    const { layer } = make();
    const intervalS = reporting[0].intervalS;
    const sameInterval = reporting.filter((d) => d.intervalS === intervalS);
    setReplayClock(T + 1000);
    const live = liveAt(T);
    // Many at once: their deadlines wait to be queued.
    layer.recolour(state(live), new Map());
    const fresh = sameInterval[0].id;
    const quiet = sameInterval[1].id;
    expect(layer.colorCss(quiet)).toBe(HEALTH_CSS.normal);
    // One device reports again before the deadlines are queued: its new deadline is the one kept.
    setReplayClock(T + 2000);
    live.set(fresh, { ts: T + 2000, values: {}, status: 'online' });
    layer.recolour(state(live), new Map(), [fresh]);
    // Past the others' deadline (3 intervals of silence), not past the fresh one's.
    setReplayClock(T + 3 * intervalS * 1000 + 1500);
    expect(layer.recolourDue(state(live), new Map())).toBe(true);
    expect(layer.colorCss(quiet)).toBe(HEALTH_CSS.stale);
    expect(layer.colorCss(fresh)).toBe(HEALTH_CSS.normal);
    for (const d of sameInterval) if (d.id !== fresh) expect(layer.colorCss(d.id), d.id).toBe(HEALTH_CSS.stale);
    setReplayClock(T + 3 * intervalS * 1000 + 2500);
    expect(layer.recolourDue(state(live), new Map())).toBe(true);
    expect(layer.colorCss(fresh)).toBe(HEALTH_CSS.stale);
    setReplayClock(null);
    layer.destroy();
  });
});

describe('camera cones after the first frame', () => {
  const cams = [...devices.values()].filter(isValidCamera);

  it('are drawn a task after the next frame, in the view and selection of the latest update', async () => {
    const scene = fakeScene();
    const coll = new PrimitiveCollection();
    const layer = createCameraLayer(coll, devices, asScene(scene));
    layer.update('overview', null);
    layer.update('overview', cams[0].id);
    expect(coll.length).toBe(0);
    frame(scene);
    expect(coll.length).toBe(0);
    const before = scene.renders();
    await nextTask();
    expect(coll.length).toBe(3); // fans, rays, icons
    expect(scene.renders()).toBeGreaterThan(before);
    const rays = coll.get(1) as Cesium.PolylineCollection;
    const selectedRays = Array.from({ length: rays.length }, (_, i) => rays.get(i)).filter((r) => r.id === `camera-cone:${cams[0].id}`);
    expect(selectedRays.length).toBeGreaterThan(0);
    expect(selectedRays.every((r) => r.width === 2)).toBe(true);
    // After that, at once.
    layer.update('roads', null);
    const roadCams = cams.filter((c) => c.scene === 'roads').length;
    expect((coll.get(2) as Cesium.BillboardCollection).length).toBe(roadCams);
    layer.destroy();
    expect(coll.length).toBe(0);
  });

  it('draws at once without a scene, and not at all once destroyed before its frame', async () => {
    const coll = new PrimitiveCollection();
    const now = createCameraLayer(coll, devices);
    now.update('overview', null);
    expect(coll.length).toBe(3);
    now.destroy();
    const scene = fakeScene();
    const later = createCameraLayer(coll, devices, asScene(scene));
    later.update('overview', null);
    later.destroy();
    frame(scene);
    await nextTask();
    expect(coll.length).toBe(0);
  });
});

