/** Every scene's globe layer, created once the base map is up (see ./types.ts). */
import { createConfinedLayer } from './confined';
import { createMeasureLayer } from './measure';
import { createParkLayer } from './park';
import { createRoadsLayer } from './roads';
import type { SceneLayerFactory } from './types';

export const SCENE_LAYERS: Record<string, SceneLayerFactory> = {
  confined: createConfinedLayer,
  park: createParkLayer,
  roads: createRoadsLayer,
  measure: createMeasureLayer,
};
export type { SceneLayer, SceneLayerContext, SceneLayerFactory } from './types';
