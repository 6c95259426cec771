/**
 * The Cesium globe, once created, for panels that move the camera (scene tabs, alarm rows).
 * A context rather than store state: the store stays plain data that the adapter itself reads.
 */
import { createContext, useContext } from 'react';
import type { Globe } from '../scene/cesium';
import type { SceneLayerApis } from './scenes';

/** The globe with every scene's layer API typed as that scene's layer returns it. */
export type AppGlobe = Globe<SceneLayerApis>;

export const GlobeContext = createContext<AppGlobe | null>(null);

/** The globe, or null while it is starting (or failed to start: then the panels still work). */
export function useGlobe(): AppGlobe | null {
  return useContext(GlobeContext);
}
