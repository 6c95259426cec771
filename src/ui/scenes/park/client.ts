/** The park scene in the browser: danger zones, the park summary, tank-farm models, trails and panels. */
import { createParkLayer } from '../../../scene/cesium/scenes/park/layer';
import { parkSummary, zones } from '../../../state/park';
import type { SceneClient } from '../types';
import { ParkPanels } from './ParkPanels';
import { parkStrings } from './strings';

export const parkClient = {
  resources: [zones, parkSummary],
  globeLayer: async () => createParkLayer,
  panels: async () => ParkPanels,
  strings: parkStrings,
  // Shangyu Hangzhou Bay park, north block.
  camera: { fallback: { west: 120.8, south: 30.12, east: 120.93, north: 30.27 }, pitchDeg: -58 },
} satisfies SceneClient;
