/** The park scene's own drawing on the globe (see ./types.ts). */
import type { SceneLayer, SceneLayerContext } from './types';

export function createParkLayer(_ctx: SceneLayerContext): SceneLayer {
  return { destroy() {} };
}
