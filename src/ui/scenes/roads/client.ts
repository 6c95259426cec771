/** The roads scene in the browser: segment colours, incidents, the route tool, the network panel and lists. */
import { createRoadsLayer } from '../../../scene/cesium/scenes/roads/layer';
import { incidents, network, route, segments, weather } from '../../../state/roads';
import type { SceneClient } from '../types';
import { RoadsPanels } from './RoadsPanels';
import { roadsStrings } from './strings';

export const roadsClient = {
  resources: [segments, network, incidents, weather, route],
  globeLayer: async () => createRoadsLayer,
  panels: async () => RoadsPanels,
  strings: roadsStrings,
  // Zhuji: G60 and the Zhuji–Yongjia expressway; steep, so the network reads as a map.
  camera: { fallback: { west: 120.08, south: 29.42, east: 120.38, north: 29.89 }, pitchDeg: -70 },
} satisfies SceneClient;
