/**
 * Placing things on the globe for the registry pages: while a mode is on, left clicks on the ground
 * set a point (`point`) or add vertices (`polyline`, `polygon`; a right or double click finishes).
 * The shape stays drawn, in the accent colour, until `stop()`, so typed coordinates can be shown
 * too (`show`). Positions are WGS84 on the ellipsoid, which is the demo terrain.
 *
 * Its state is a tiny observable (`getState` / `subscribe`) that the admin pages follow.
 */
import {
  Cartesian2,
  Cartesian3,
  Cartographic,
  Color,
  ColorGeometryInstanceAttribute,
  Ellipsoid,
  GeometryInstance,
  GroundPolylineGeometry,
  GroundPolylinePrimitive,
  GroundPrimitive,
  Math as CesiumMath,
  PerInstanceColorAppearance,
  PointPrimitiveCollection,
  PolygonGeometry,
  PolygonHierarchy,
  PolylineColorAppearance,
  SceneTransforms,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
  defined,
} from 'cesium';
import { ACCENT_CSS } from '../../view';
import type { SceneLayer, SceneLayerContext } from './sceneLayer';
import { createMarkerPoints } from './labelShader';

export type DrawMode = 'point' | 'polyline' | 'polygon';

export interface DrawState {
  /** The mode clicks add points for; null when clicks are not taken (a shape may still be shown). */
  mode: DrawMode | null;
  /** The shape, `[lonDeg, latDeg]`. */
  points: [number, number][];
  /** A point was set, or a line / outline finished with a right or double click. */
  done: boolean;
}

/** What `globe.draw` offers the admin pages and tests. */
export interface DrawApi {
  getState(): DrawState;
  subscribe(listener: () => void): () => void;
  /** Takes clicks in `mode`, starting from `points` (an outline being edited) or nothing. */
  start(mode: DrawMode, points?: [number, number][]): void;
  /** Shows a shape without taking clicks (typed coordinates), and flies to it when `fly`. */
  show(mode: DrawMode, points: [number, number][], fly?: boolean): void;
  /** Ends a line or outline being drawn. */
  finish(): void;
  /** Removes the last vertex. */
  undo(): void;
  /** Stops taking clicks and removes the shape. */
  stop(): void;
  /** Where a ground position is on the page (client CSS px), or null when off screen or behind the globe. */
  screenPositionOfLonLat(lonDeg: number, latDeg: number): { x: number; y: number } | null;
}

const COLOR = Color.fromCssColorString(ACCENT_CSS);
const LINE_WIDTH_PX = 3;

export function createDrawLayer(ctx: SceneLayerContext): SceneLayer<DrawApi> {
  const { scene } = ctx;
  let state: DrawState = { mode: null, points: [], done: false };
  let shownMode: DrawMode = 'point';
  const listeners = new Set<() => void>();
  const vertices = ctx.primitives.add(createMarkerPoints()) as PointPrimitiveCollection;
  let ground: (GroundPrimitive | GroundPolylinePrimitive)[] = [];

  const set = (patch: Partial<DrawState>) => {
    state = { ...state, ...patch };
    if (state.mode) shownMode = state.mode;
    redraw();
    for (const l of listeners) l();
  };

  function redraw() {
    vertices.removeAll();
    for (const g of ground) ctx.ground.remove(g);
    ground = [];
    const flat = state.points.map((p) => Cartesian3.fromDegrees(p[0], p[1]));
    for (const c of flat) {
      vertices.add({ position: c, pixelSize: shownMode === 'point' ? 14 : 9, color: COLOR, outlineColor: Color.WHITE, outlineWidth: 2, disableDepthTestDistance: Number.POSITIVE_INFINITY });
    }
    if (shownMode !== 'point' && flat.length >= 2) {
      const line = shownMode === 'polygon' && flat.length >= 3 ? [...flat, flat[0]] : flat;
      ground.push(
        ctx.ground.add(
          new GroundPolylinePrimitive({
            geometryInstances: new GeometryInstance({
              geometry: new GroundPolylineGeometry({ positions: line, width: LINE_WIDTH_PX }),
              attributes: { color: ColorGeometryInstanceAttribute.fromColor(COLOR) },
            }),
            appearance: new PolylineColorAppearance({ translucent: false }),
          }),
        ) as GroundPolylinePrimitive,
      );
    }
    if (shownMode === 'polygon' && flat.length >= 3) {
      ground.push(
        ctx.ground.add(
          new GroundPrimitive({
            geometryInstances: new GeometryInstance({
              geometry: new PolygonGeometry({ polygonHierarchy: new PolygonHierarchy(flat), vertexFormat: PerInstanceColorAppearance.VERTEX_FORMAT }),
              attributes: { color: ColorGeometryInstanceAttribute.fromColor(COLOR.withAlpha(0.25)) },
            }),
            appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }),
          }),
        ) as GroundPrimitive,
      );
    }
    scene.requestRender();
  }

  const handler = new ScreenSpaceEventHandler(scene.canvas);
  handler.setInputAction((e: { position: Cartesian2 }) => {
    if (!state.mode) return;
    const world = scene.camera.pickEllipsoid(e.position, scene.globe.ellipsoid);
    if (!defined(world)) return;
    const c = Cartographic.fromCartesian(world);
    if (!c) return;
    const p: [number, number] = [CesiumMath.toDegrees(c.longitude), CesiumMath.toDegrees(c.latitude)];
    if (state.mode === 'point') return set({ points: [p], done: true });
    set({ points: state.done ? [p] : [...state.points, p], done: false });
  }, ScreenSpaceEventType.LEFT_CLICK);
  const finish = () => {
    const min = state.mode === 'polygon' ? 3 : 2;
    if (state.mode && state.mode !== 'point' && state.points.length >= min) set({ done: true });
  };
  handler.setInputAction(finish, ScreenSpaceEventType.RIGHT_CLICK);
  handler.setInputAction(finish, ScreenSpaceEventType.LEFT_DOUBLE_CLICK);

  const scratch = new Cartesian2();
  const api: DrawApi = {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start: (mode, points = []) => set({ mode, points, done: false }),
    show(mode, points, fly = false) {
      shownMode = mode;
      set({ mode: null, points, done: true });
      if (fly && points.length > 0) ctx.flyToPositions(points.map((p) => Cartesian3.fromDegrees(p[0], p[1])));
    },
    finish,
    undo: () => set({ points: state.points.slice(0, -1), done: false }),
    stop: () => set({ mode: null, points: [], done: false }),
    screenPositionOfLonLat(lonDeg, latDeg) {
      const p = Cartesian3.fromDegrees(lonDeg, latDeg);
      const toCamera = Cartesian3.subtract(scene.camera.positionWC, p, new Cartesian3());
      if (Cartesian3.dot(Ellipsoid.WGS84.geodeticSurfaceNormal(p), toCamera) <= 0) return null;
      const w = SceneTransforms.worldToWindowCoordinates(scene, p, scratch);
      if (!w || w.x < 0 || w.y < 0 || w.x > scene.canvas.clientWidth || w.y > scene.canvas.clientHeight) return null;
      const rect = scene.canvas.getBoundingClientRect();
      return { x: rect.left + w.x, y: rect.top + w.y };
    },
  };

  ctx.onDispose(() => {
    handler.destroy();
    listeners.clear();
  });
  return { api };
}
