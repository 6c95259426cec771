/**
 * How a scene adds its own drawing to the globe (road colours, zones, models…) without the core
 * adapter knowing about it, on the model of Cesium's DataSourceDisplay: each layer gets primitive
 * collections of its own and a dispose list. Whatever it adds to its collections is destroyed with
 * them, and whatever it registers with `onDispose` (store subscriptions, input handlers, timers) is
 * undone, last registered first, when the globe goes — so a layer needs no `destroy` of its own.
 * What it returns as `api` is reachable as `globe.scenes[scene]` (for panels and end-to-end tests).
 */
import type { Cartesian3, PrimitiveCollection, Scene } from 'cesium';
import type { TwinStore } from '../../state/store';
import type { DeviceLayer } from './devices';
import type { SiteLayer } from './sites';

export interface SceneLayerContext {
  scene: Scene;
  store: TwinStore;
  /** This layer's ground-clamped primitives, drawn over the base map and the sites (zones, routes, segment colours). */
  ground: PrimitiveCollection;
  /** This layer's 3D primitives (models, trails, markers, labels). */
  primitives: PrimitiveCollection;
  /** Registers what to undo when the globe goes (unsubscribe, remove a handler, clear a timer). */
  onDispose(undo: () => void): void;
  /** A string of the app in the current language (i18n key and parameters). */
  t(key: string, params?: Record<string, string | number>): string;
  /** The current registry layers (rebuilt when the registry changes). */
  sites(): SiteLayer | null;
  devices(): DeviceLayer | null;
  /**
   * Calls `listener` each time the registry layers are rebuilt (new devices or new sites: the site
   * layer starts again from its neutral colours), after the new ones are in place. A layer that
   * styles the site layer (road colours) restyles it here, not on its own reading of the store.
   */
  onRegistryBuilt(listener: () => void): void;
  /** Flies over the area of the app's canvas that its panels leave uncovered. */
  flyToPositions(positions: Cartesian3[]): void;
}

/** What a layer offers panels and tests: functions such as `segmentColorCss(id)`. */
export type LayerApi = object;

export interface SceneLayer<Api extends LayerApi = LayerApi> {
  api: Api;
}

export type SceneLayerFactory<Api extends LayerApi = LayerApi> = (ctx: SceneLayerContext) => SceneLayer<Api> | Promise<SceneLayer<Api>>;

/** Where a view's camera looks: a box to frame until the registry's sites say better, and the pitch. */
export interface SceneCamera {
  /** Lon/lat bounds, degrees. */
  fallback: { west: number; south: number; east: number; north: number };
  /** Degrees below the horizon: close views tilt more, so buildings and tanks read as 3D. */
  pitchDeg: number;
}
