/** The confined scene in the browser: the inspector's spaces, plant models and markers, and panels. */
import { spaces } from '../../../state/confined';
import type { SceneClient } from '../types';
import { confinedStrings } from './strings';

export const confinedClient = {
  resources: [spaces],
  // Own chunks: the layer is fetched when the globe starts, the panels when the view first opens.
  globeLayer: async () => (await import('../../../scene/cesium/scenes/confined/layer')).createConfinedLayer,
  panels: async () => (await import('./ConfinedPanels')).ConfinedPanels,
  strings: confinedStrings,
  // Keqiao dyeing cluster (Binhai / Ma'an); tilted so the plant models read as 3D.
  camera: { fallback: { west: 120.676, south: 30.196, east: 120.73, north: 30.231 }, pitchDeg: -50 },
} satisfies SceneClient;
