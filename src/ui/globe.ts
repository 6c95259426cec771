/**
 * The Cesium globe, once created, for panels that move the camera (scene tabs, alarm rows).
 * A context rather than store state: the store stays plain data that the adapter itself reads.
 */
import { createContext, useContext } from 'react';
import type { Globe } from '../scene/cesium';

export const GlobeContext = createContext<Globe | null>(null);

/** The globe, or null while it is starting (or failed to start: then the panels still work). */
export function useGlobe(): Globe | null {
  return useContext(GlobeContext);
}
