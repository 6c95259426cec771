/**
 * How a scene adds its own drawing to the globe (road colours, zones, models…) without the core
 * adapter knowing about it: a factory gets the Cesium scene, the store and the shared layers, and
 * returns something to destroy. Whatever it puts in `api` is reachable as `globe.scenes[name]`
 * (for panels and for end-to-end tests).
 */
import type { PrimitiveCollection, Scene } from 'cesium';
import type { TwinStore } from '../../../state/store';
import type { SiteLayer } from '../sites';
import type { DeviceLayer } from '../devices';

export interface SceneLayerContext {
  scene: Scene;
  store: TwinStore;
  /** Ground-clamped primitives drawn over the sites (zones, routes, segment colours). */
  ground: PrimitiveCollection;
  /** 3D primitives (models, trails, markers). */
  primitives: PrimitiveCollection;
  /** The current registry layers (rebuilt when the registry changes). */
  sites(): SiteLayer | null;
  devices(): DeviceLayer | null;
  /** Flies over the area of the app's canvas that its panels leave uncovered. */
  flyToPositions(positions: import('cesium').Cartesian3[]): void;
}

export interface SceneLayer {
  /** Functions a panel or a test may call, e.g. `segmentColorCss(id)`. */
  api?: Record<string, (...args: never[]) => unknown>;
  destroy(): void;
}

export type SceneLayerFactory = (ctx: SceneLayerContext) => SceneLayer | Promise<SceneLayer>;
