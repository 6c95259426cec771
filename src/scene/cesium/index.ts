/**
 * CityTwin's Cesium globe: a thin render adapter from the store to Cesium primitives.
 *
 * `createGlobe(container, store, options)` builds the offline widget (viewer.ts; the optional
 * imagery override VITE_IMAGERY_URL / VITE_IMAGERY_TYPE / VITE_IMAGERY_LAYER is documented there),
 * the vector base map, the registry's sites and the device points, keeps them in step with the
 * store (live values, alarms, selection, language), and answers picks with store.select(). Each
 * scene brings its own layer and camera preset (`options.scenes`); the measuring tool's layer is
 * the globe's own.
 */
import { Cartesian2, Cartesian3, Ellipsoid, Math as CesiumMath, PrimitiveCollection, SceneTransforms } from 'cesium';
import { SCENES, type Scene, type Severity } from '../../contracts';
import type { Twin, TwinStore, View } from '../../state/store';
import { alarmSeverityByDevice } from '../../view';
import { markBoot } from '../../state/boot';
import { nowMs } from '../../state/clock';
import { createBaseLayers, type BaseLayers } from './baseLayers';
import { drawChineseLabelsWithTheirFace } from './labelGlyphs';
import { OVERVIEW_CAMERA, flyToPoint, flyToPositions, flyToPreset, screenWindow } from './camera';
import { coveredInsets } from './insets';
import { createCameraLayer, type CameraLayer } from './cameras';
import { createDeviceLayer, type DeviceLayer } from './devices';
import { createDrawLayer, type DrawApi } from './draw';
import { createMeasureLayer, type MeasureApi } from './measure';
import { listenForPicks } from './picking';
import { bindSceneClock } from './sceneClock';
import type { LayerApi, SceneCamera, SceneLayerContext, SceneLayerFactory } from './sceneLayer';
import { createSiteModelLayer, type SiteModelApi } from './siteModels';
import { parcelCeilingM } from './siteCells';
import { createSiteLayer, type SiteLayer } from './sites';
import { createWidget, imageryConfig } from './viewer';

export type { LayerApi, SceneCamera, SceneLayerContext, SceneLayerFactory } from './sceneLayer';
export type { MeasureApi } from './measure';
export type { DrawApi, DrawMode, DrawState } from './draw';
export type { SiteModelApi } from './siteModels';

/** Each scene's layer API, by scene. */
export type SceneApis = { [S in Scene]: LayerApi };

export interface GlobeOptions<A extends SceneApis> {
  /** Each scene's layer (loaded when the globe starts; a dynamic import may sit behind it) and camera preset. */
  scenes: { [S in Scene]: { layer(): Promise<SceneLayerFactory<A[S]>>; camera: SceneCamera } };
  /** The app's strings in the current language, for labels drawn on the globe. */
  t: SceneLayerContext['t'];
}

/** How often due stale deadlines are looked at, ms (the panels recount every second). */
const STALE_CHECK_MS = 1000;
/** A display clock that moved this much more or less than the wall clock jumped (replay): re-judge every device. */
const CLOCK_JUMP_MS = 2000;

export interface Globe<A extends SceneApis = SceneApis> {
  /** Flies to a view's camera preset (durationS 0: jump). */
  flyToView(view: View, durationS?: number): void;
  flyToDevice(id: string): void;
  flyToSite(id: string): void;
  /** The device point's current colour as CSS hex ('#e5484d'), or null for an unknown id (a point still to build: the colour it is built with). */
  deviceColorCss(id: string): string | null;
  /** Device points still to build (they are built in slices after the registry loads). */
  devicePointsPending(): number;
  /** The device's position in page (client) CSS pixels, or null when it is not on screen. */
  screenPositionOf(deviceId: string): { x: number; y: number } | null;
  /** Calls `listener` with the ground point at the canvas centre whenever the camera stops. */
  onCentreChange(listener: (centre: { lonDeg: number; latDeg: number }) => void): () => void;
  /** The globe's Cesium clock, epoch ms: the wall clock live, the replayed instant in replay. */
  clockMs(): number;
  /** Each scene layer's `api`, e.g. `globe.scenes.roads?.segmentColorCss(id)`; absent when that layer failed to start. */
  scenes: { [S in Scene]?: A[S] };
  /** The measuring tool. */
  measure: MeasureApi;
  /** Placing points and drawing outlines for the registry pages. */
  draw: DrawApi;
  /** Sites' own uploaded models. */
  siteModels: SiteModelApi;
  destroy(): void;
}

/** Creates the globe in `container` and binds it to `store`; resolves once the layers are added. */
export async function createGlobe<A extends SceneApis>(container: HTMLElement, store: TwinStore, options: GlobeOptions<A>): Promise<Globe<A>> {
  const imagery = imageryConfig();
  const widget = createWidget(container, imagery);
  const scene = widget.scene;
  markBoot('globe');
  const removeFirstFrame = scene.postRender.addEventListener(() => (markBoot('globeFrame'), removeFirstFrame()));
  const stopGlyphRedraw = drawChineseLabelsWithTheirFace(scene);
  scene.renderError.addEventListener((_s: unknown, e: unknown) =>
    store.getState().notify({ kind: 'error', text: String(e), key: 'error.globe', params: { message: (e as Error)?.message ?? String(e) } }),
  );
  const abort = new AbortController();
  let destroyed = false;

  /** The canvas window the app's floating panels leave uncovered, measured at each flight. */
  const sceneClock = bindSceneClock(widget.clock, scene);

  const win = () => screenWindow(scene.camera, scene.canvas, coveredInsets(container));
  const preset = (view: View): SceneCamera => (view === 'overview' ? OVERVIEW_CAMERA : options.scenes[view].camera);
  const flyToView = (view: View, durationS?: number) => flyToPreset(scene.camera, store.getState().sites, view, preset(view), win(), durationS);
  flyToView(store.getState().view, 0);

  // Ground primitives draw in collection order: the base map first, the sites over it.
  const baseGround = scene.groundPrimitives.add(new PrimitiveCollection()) as PrimitiveCollection;
  const siteGround = scene.groundPrimitives.add(new PrimitiveCollection()) as PrimitiveCollection;

  let sites = null as SiteLayer | null;
  let devices = null as DeviceLayer | null;
  let cameras = null as CameraLayer | null;
  const cameraCones = scene.primitives.add(new PrimitiveCollection()) as PrimitiveCollection;
  let alarmBy: Map<string, Severity> = alarmSeverityByDevice(store.getState().alarms);
  /** The scene layers' `onRegistryBuilt` listeners. */
  const registryBuilt = new Set<() => void>();

  const buildRegistry = (s: Twin) => {
    sites?.destroy();
    devices?.destroy();
    cameras?.destroy();
    // The cones are an extra: one failing must not stop the registry (and the live link after it).
    try {
      cameras = createCameraLayer(cameraCones, s.devices);
      cameras.update(s.view, s.selectedDeviceId);
    } catch (e) {
      console.error('camera cones failed', e);
      cameras = null;
    }
    sites = createSiteLayer(scene, siteGround, s.sites, s.lang, parcelCeilingM(s.devices.size));
    const siteLayer = sites;
    devices = createDeviceLayer(scene, s.devices, () => store.getState().lang, (id, lon, lat) => siteLayer.shiftedLonLat(id, lon, lat), s.sites);
    devices.recolour(s, alarmBy);
    devices.select(s.selectedDeviceId);
    sites.highlight(s.selectedSiteId);
    if (s.devices.size > 0) markBoot('devicesBuilt');
    for (const listener of registryBuilt) listener();
  };
  buildRegistry(store.getState());

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.devices !== prev.devices || s.sites !== prev.sites) {
      buildRegistry(s);
      // The first registry: frame the current view on its sites instead of the fallback place.
      if (prev.sites.size === 0 && s.sites.size > 0) flyToView(s.view, 0);
    } else {
      if (s.alarmsVersion !== prev.alarmsVersion) {
        // Only the devices whose worst alarm changed (a full recolour is 5 ms at 25,000 devices).
        const next = alarmSeverityByDevice(s.alarms);
        const touched = new Set<string>();
        for (const [id, sev] of next) if (alarmBy.get(id) !== sev) touched.add(id);
        for (const id of alarmBy.keys()) if (!next.has(id)) touched.add(id);
        alarmBy = next;
        if (s.liveVersion !== prev.liveVersion) for (const id of s.changedIds) touched.add(id);
        devices?.recolour(s, alarmBy, touched);
      } else if (s.liveVersion !== prev.liveVersion) {
        devices?.recolour(s, alarmBy, s.changedIds);
      }
      if (s.selectedDeviceId !== prev.selectedDeviceId) devices?.select(s.selectedDeviceId);
      if (s.selectedDeviceId !== prev.selectedDeviceId || s.view !== prev.view) {
        cameras?.update(s.view, s.selectedDeviceId);
        scene.requestRender();
      }
      if (s.selectedSiteId !== prev.selectedSiteId) sites?.highlight(s.selectedSiteId);
    }
    if (s.lang !== prev.lang) {
      base?.setLang(s.lang);
      sites?.setLang(s.lang);
      devices?.updateLabels();
    }
  });

  const stopPicking = listenForPicks(scene, (id) => devices?.positionOf(id) ?? null, (r) => {
    const state = store.getState();
    if (r && 'deviceId' in r) state.select({ deviceId: r.deviceId, siteId: state.devices.get(r.deviceId)?.siteId ?? null });
    else if (r) state.select({ siteId: r.siteId, deviceId: null });
    else state.select({ deviceId: null, siteId: null });
  });

  // Staleness moves with the clock: a device silent for 3 × its interval turns grey with no message.
  // Each device's deadline is queued when it reports, so a check costs the devices that went stale;
  // only when the display clock jumps (replay) is every device judged again.
  let lastCheck = { display: nowMs(), wall: Date.now() };
  const staleCheck = setInterval(() => {
    const check = { display: nowMs(), wall: Date.now() };
    const jumped = Math.abs(check.display - lastCheck.display - (check.wall - lastCheck.wall)) > CLOCK_JUMP_MS;
    lastCheck = check;
    if (jumped) devices?.recolour(store.getState(), alarmBy);
    else devices?.recolourDue(store.getState(), alarmBy);
  }, STALE_CHECK_MS);

  const removeMoveEnd = scene.camera.moveEnd.addEventListener(() => devices?.updateLabels());
  scene.camera.percentageChanged = 0.2;
  const removeChanged = scene.camera.changed.addEventListener(() => devices?.updateLabels());

  // Each scene's layer code is fetched beside the base map, not one after another behind it.
  const factories = SCENES.map((name) => options.scenes[name].layer());
  for (const f of factories) f.catch(() => {}); // awaited (and reported) below
  let base = null as BaseLayers | null;
  base = await createBaseLayers(scene, { ground: baseGround, imagery: imagery !== null, lang: store.getState().lang }, abort.signal);
  devices?.updateLabels();
  markBoot('baseLayers');

  // Scene layers draw over the base map and sites, each in collections of its own with its own
  // dispose list; one failing must not take the globe down.
  const layers: { ground: PrimitiveCollection; primitives: PrimitiveCollection; undo: (() => void)[] }[] = [];
  const layerContext = (): SceneLayerContext => {
    const own = {
      ground: scene.groundPrimitives.add(new PrimitiveCollection()) as PrimitiveCollection,
      primitives: scene.primitives.add(new PrimitiveCollection()) as PrimitiveCollection,
      undo: [] as (() => void)[],
    };
    layers.push(own);
    return {
      scene,
      store,
      ground: own.ground,
      primitives: own.primitives,
      onDispose: (undo) => void own.undo.push(undo),
      t: options.t,
      sites: () => sites,
      devices: () => devices,
      onRegistryBuilt: (listener) => {
        registryBuilt.add(listener);
        own.undo.push(() => registryBuilt.delete(listener));
      },
      flyToPositions: (positions) => flyToPositions(scene.camera, positions, win()),
    };
  };
  const sceneApis: Globe<A>['scenes'] = {};
  for (const [i, name] of SCENES.entries()) {
    try {
      const factory = await factories[i];
      sceneApis[name] = (await factory(layerContext())).api;
    } catch (e) {
      console.error(`scene layer ${name} failed to start`, e);
    }
  }
  const measure = createMeasureLayer(layerContext()).api;
  const draw = createDrawLayer(layerContext()).api;
  const siteModels = createSiteModelLayer(layerContext()).api;
  markBoot('sceneLayers');
  scene.requestRender();

  const scratch = new Cartesian2();
  const scratchNormal = new Cartesian3();
  const scratchToCamera = new Cartesian3();
  return {
    flyToView(view, durationS) {
      flyToView(view, durationS);
      scene.requestRender();
    },
    flyToDevice(id) {
      const p = devices?.positionOf(id);
      if (p) flyToPoint(scene.camera, p, win());
    },
    flyToSite(id) {
      if (sites) flyToPositions(scene.camera, sites.positionsOf(id), win());
    },
    deviceColorCss: (id) => devices?.colorCss(id) ?? null,
    devicePointsPending: () => devices?.pointsPending() ?? 0,
    clockMs: () => sceneClock.ms(),
    scenes: sceneApis,
    measure,
    draw,
    siteModels,
    onCentreChange(listener) {
      return scene.camera.moveEnd.addEventListener(() => {
        const canvas = scene.canvas;
        const c = scene.camera.pickEllipsoid(new Cartesian2(canvas.clientWidth / 2, canvas.clientHeight / 2), Ellipsoid.WGS84);
        if (!c) return; // looking at the sky
        const carto = Ellipsoid.WGS84.cartesianToCartographic(c);
        listener({ lonDeg: CesiumMath.toDegrees(carto.longitude), latDeg: CesiumMath.toDegrees(carto.latitude) });
      });
    },
    screenPositionOf(deviceId) {
      const p = devices?.positionOf(deviceId);
      if (!p || destroyed) return null;
      // Behind the horizon: the camera is below the point's local horizontal plane.
      const normal = Ellipsoid.WGS84.geodeticSurfaceNormal(p, scratchNormal);
      const toCamera = Cartesian3.subtract(scene.camera.positionWC, p, scratchToCamera);
      if (Cartesian3.dot(normal, toCamera) <= 0) return null;
      const w = SceneTransforms.worldToWindowCoordinates(scene, p, scratch);
      if (!w) return null;
      const canvas = scene.canvas;
      if (w.x < 0 || w.y < 0 || w.x > canvas.clientWidth || w.y > canvas.clientHeight) return null;
      const rect = canvas.getBoundingClientRect();
      const x = rect.left + w.x;
      const y = rect.top + w.y;
      // Under one of the app's panels is as good as off-screen: a click there would hit the panel.
      if (document.elementFromPoint(x, y) !== canvas) return null;
      return { x, y };
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      abort.abort();
      stopGlyphRedraw();
      unsubscribe();
      sceneClock.destroy();
      clearInterval(staleCheck);
      stopPicking();
      removeMoveEnd();
      removeChanged();
      for (const l of layers.reverse()) {
        for (const undo of l.undo.reverse()) undo();
        // Removing a collection destroys it with everything the layer put in it.
        scene.groundPrimitives.remove(l.ground);
        scene.primitives.remove(l.primitives);
      }
      base?.destroy();
      sites?.destroy();
      devices?.destroy();
      cameras?.destroy();
      scene.primitives.remove(cameraCones);
      widget.destroy();
    },
  };
}
