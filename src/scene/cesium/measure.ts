/**
 * The shared map-measurement tool as a globe layer: while a mode is on, left clicks add
 * points (distance, area: on the ground; height: on whatever is under the cursor — a model or a
 * building — measured above the ellipsoid, which is the demo terrain), a right click or a double
 * click finishes. The geometry is domain/measure.ts (turf); this file only draws: ground polylines
 * and polygons for the handful of vertices, points and a result label.
 *
 * Its state is a tiny observable (`getState` / `subscribe`) so the panel (ui/measure) can follow it;
 * tests and panels may also feed points with `measureLonLat`.
 */
import {
  Cartesian2,
  Cartesian3,
  Cartographic,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  GroundPolylineGeometry,
  GroundPolylinePrimitive,
  GroundPrimitive,
  LabelCollection,
  LabelStyle,
  Material,
  Math as CesiumMath,
  PerInstanceColorAppearance,
  PointPrimitiveCollection,
  PolygonGeometry,
  PolygonHierarchy,
  PolylineCollection,
  PolylineColorAppearance,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
  VerticalOrigin,
  defined,
  type Primitive,
} from 'cesium';
import { measureValue, measurementsGeoJson, type MeasureMode, type Measurement } from '../../domain/measure';
import { ACCENT_CSS } from '../../view';
import type { SceneLayer, SceneLayerContext } from './sceneLayer';
import { createLabelCollection, createMarkerPoints, LABEL_SHADER } from './labelShader';

/** A shape the operator kept and named. */
export interface KeptMeasurement extends Measurement {
  id: number;
  name: string;
}

export interface MeasureState {
  /** The mode clicks add points for; null when the tool is off. */
  mode: MeasureMode | null;
  /** The shape being drawn, `[lonDeg, latDeg, heightM]`. */
  points: [number, number, number][];
  /** Its result: metres or square metres. */
  value: number;
  /** Set once a right / double click (or `finish`) ends the shape: clicks then start a new one. */
  done: boolean;
  kept: KeptMeasurement[];
}

/** What `globe.scenes.measure` offers panels and tests. */
export interface MeasureApi {
  getState(): MeasureState;
  subscribe(listener: () => void): () => void;
  /** Turns the tool on in a mode (clearing the shape being drawn), or off with null. */
  setMode(mode: MeasureMode | null): void;
  /** Replaces the shape being drawn with these points (`[lon, lat]` or `[lon, lat, heightM]`) and finishes it; answers its value. */
  measureLonLat(points: number[][], mode?: MeasureMode): number;
  finish(): void;
  clear(): void;
  /** Keeps the finished shape under a name; answers its id, or null when there is nothing to keep. */
  keep(name: string): number | null;
  removeKept(id: number): void;
  /** Kept shapes (or, with none kept, the current one) as GeoJSON text. */
  exportGeoJson(): string;
}

const CURRENT = Color.fromCssColorString(ACCENT_CSS);
const KEPT = Color.fromCssColorString('#c084fc');
const LINE_WIDTH_PX = 3;

export function createMeasureLayer(ctx: SceneLayerContext): SceneLayer<MeasureApi> {
  const { scene } = ctx;
  let state: MeasureState = { mode: null, points: [], value: 0, done: false, kept: [] };
  let nextId = 1;
  let lastMode: MeasureMode = 'distance';
  const listeners = new Set<() => void>();

  const points = ctx.primitives.add(createMarkerPoints()) as PointPrimitiveCollection;
  const stems = ctx.primitives.add(new PolylineCollection()) as PolylineCollection;
  const labels = ctx.primitives.add(createLabelCollection(scene)) as LabelCollection;
  let ground: (GroundPrimitive | GroundPolylinePrimitive | Primitive)[] = [];

  const set = (patch: Partial<MeasureState>) => {
    state = { ...state, ...patch };
    state.value = measureValue(currentMode(), state.points);
    redraw();
    for (const l of listeners) l();
  };
  /** The mode of the shape shown (the tool may be off while a measured shape stays on the map). */
  const currentMode = (): MeasureMode => state.mode ?? lastMode;

  function drawShape(m: Pick<Measurement, 'mode' | 'points'>, color: Color, label: string | null) {
    const cart = m.points.map((p) => Cartesian3.fromDegrees(p[0], p[1], p[2]));
    for (const c of cart) points.add({ position: c, pixelSize: 8, color, outlineColor: Color.BLACK, outlineWidth: 1, disableDepthTestDistance: Number.POSITIVE_INFINITY });
    const flat = m.points.map((p) => Cartesian3.fromDegrees(p[0], p[1]));
    if (m.mode === 'height') {
      // A stem from the ground up to the picked point shows what was measured.
      for (const p of m.points) {
        stems.add({
          positions: [Cartesian3.fromDegrees(p[0], p[1], 0), Cartesian3.fromDegrees(p[0], p[1], p[2])],
          width: 2,
          material: Material.fromType('Color', { color }),
        });
      }
    } else if (flat.length >= 2) {
      const line = m.mode === 'area' && flat.length >= 3 ? [...flat, flat[0]] : flat;
      ground.push(
        ctx.ground.add(
          new GroundPolylinePrimitive({
            geometryInstances: new GeometryInstance({
              geometry: new GroundPolylineGeometry({ positions: line, width: LINE_WIDTH_PX }),
              attributes: { color: ColorGeometryInstanceAttribute.fromColor(color) },
            }),
            appearance: new PolylineColorAppearance({ translucent: false }),
          }),
        ) as GroundPolylinePrimitive,
      );
    }
    if (m.mode === 'area' && flat.length >= 3) {
      ground.push(
        ctx.ground.add(
          new GroundPrimitive({
            geometryInstances: new GeometryInstance({
              geometry: new PolygonGeometry({ polygonHierarchy: new PolygonHierarchy(flat), vertexFormat: PerInstanceColorAppearance.VERTEX_FORMAT }),
              attributes: { color: ColorGeometryInstanceAttribute.fromColor(color.withAlpha(0.25)) },
            }),
            appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }),
          }),
        ) as GroundPrimitive,
      );
    }
    const at = cart[cart.length - 1];
    if (label && at) {
      labels.add({
        ...LABEL_SHADER,
        position: at,
        text: label,
        font: '600 14px sans-serif',
        fillColor: Color.WHITE,
        outlineColor: Color.BLACK,
        outlineWidth: 3,
        style: LabelStyle.FILL_AND_OUTLINE,
        verticalOrigin: VerticalOrigin.BOTTOM,
        pixelOffset: new Cartesian2(0, -12),
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
      });
    }
  }

  function redraw() {
    points.removeAll();
    stems.removeAll();
    labels.removeAll();
    for (const g of ground) ctx.ground.remove(g);
    ground = [];
    for (const k of state.kept) drawShape(k, KEPT, k.name);
    drawShape({ mode: currentMode(), points: state.points }, CURRENT, null);
    scene.requestRender();
  }

  /** Where a click lands: on the ellipsoid for ground modes, on the picked surface (model, building) for height. */
  function positionAt(win: Cartesian2, mode: MeasureMode): [number, number, number] | null {
    let world: Cartesian3 | undefined;
    if (mode === 'height' && scene.pickPositionSupported) world = scene.pickPosition(win);
    if (!defined(world)) world = scene.camera.pickEllipsoid(win, scene.globe.ellipsoid);
    if (!defined(world)) return null;
    const c = Cartographic.fromCartesian(world);
    if (!c) return null;
    const heightM = mode === 'height' ? Math.max(0, c.height) : 0;
    return [CesiumMath.toDegrees(c.longitude), CesiumMath.toDegrees(c.latitude), heightM];
  }

  const handler = new ScreenSpaceEventHandler(scene.canvas);
  handler.setInputAction((e: { position: Cartesian2 }) => {
    const mode = state.mode;
    if (!mode) return;
    const p = positionAt(e.position, mode);
    if (!p) return;
    if (mode === 'height') return set({ points: [p], done: true });
    set({ points: state.done ? [p] : [...state.points, p], done: false });
  }, ScreenSpaceEventType.LEFT_CLICK);
  const finish = () => {
    if (state.mode && state.points.length > 0) set({ done: true });
  };
  handler.setInputAction(finish, ScreenSpaceEventType.RIGHT_CLICK);
  handler.setInputAction(finish, ScreenSpaceEventType.LEFT_DOUBLE_CLICK);

  const api: MeasureApi = {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setMode(mode) {
      if (mode) lastMode = mode;
      set({ mode, points: [], done: false });
    },
    measureLonLat(pts, mode) {
      if (mode) lastMode = mode;
      set({ mode: state.mode && mode ? mode : state.mode, points: pts.map((p) => [p[0], p[1], p[2] ?? 0]), done: true });
      // Points given, not clicked, may lie off screen: show them.
      if (state.points.length > 0) ctx.flyToPositions(state.points.map((p) => Cartesian3.fromDegrees(p[0], p[1], p[2])));
      return state.value;
    },
    finish,
    clear: () => set({ points: [], done: false }),
    keep(name) {
      if (state.points.length === 0) return null;
      const id = nextId++;
      const kept: KeptMeasurement = { id, name: name.trim() || `#${id}`, mode: currentMode(), points: state.points, value: state.value };
      set({ kept: [...state.kept, kept], points: [], done: false });
      return id;
    },
    removeKept: (id) => set({ kept: state.kept.filter((k) => k.id !== id) }),
    exportGeoJson() {
      const list = state.kept.length > 0 ? state.kept : state.points.length > 0 ? [{ name: 'measurement', mode: currentMode(), points: state.points, value: state.value }] : [];
      return JSON.stringify(measurementsGeoJson(list), null, 2);
    },
  };

  ctx.onDispose(() => {
    handler.destroy();
    listeners.clear();
  });
  return { api };
}
