/** The roads scene in the browser: segment colours, incidents, the route tool, the network panel and lists. */
import { incidents, network, route, segments, weather } from '../../../state/roads';
import type { SceneClient } from '../types';
import { roadsStrings } from './strings';

export const roadsClient = {
  resources: [segments, network, incidents, weather, route],
  // Own chunks: the layer is fetched when the globe starts, the panels when the view first opens.
  globeLayer: async () => (await import('../../../scene/cesium/scenes/roads/layer')).createRoadsLayer,
  panels: async () => (await import('./RoadsPanels')).RoadsPanels,
  strings: roadsStrings,
  // Zhuji: G60 and the Zhuji–Yongjia expressway; steep, so the network reads as a map.
  camera: { fallback: { west: 120.08, south: 29.42, east: 120.38, north: 29.89 }, pitchDeg: -70 },
} satisfies SceneClient;
