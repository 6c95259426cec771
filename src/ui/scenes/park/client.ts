/** The park scene in the browser: danger zones, the park summary, tank-farm models, trails and panels. */
import { parkSummary, zones } from '../../../state/park';
import type { SceneClient } from '../types';
import { parkStrings } from './strings';

export const parkClient = {
  resources: [zones, parkSummary],
  // Own chunks: the layer is fetched when the globe starts, the panels when the view first opens.
  globeLayer: async () => (await import('../../../scene/cesium/scenes/park/layer')).createParkLayer,
  panels: async () => (await import('./ParkPanels')).ParkPanels,
  strings: parkStrings,
  // Shangyu Hangzhou Bay park, north block.
  camera: { fallback: { west: 120.8, south: 30.12, east: 120.93, north: 30.27 }, pitchDeg: -58 },
} satisfies SceneClient;
