/** The confined scene's own drawing on the globe (see ./types.ts). */
import type { SceneLayer, SceneLayerContext } from './types';

export function createConfinedLayer(_ctx: SceneLayerContext): SceneLayer {
  return { destroy() {} };
}
