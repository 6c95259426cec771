/**
 * The road scene's state: segments (polled every 3 s), the network index, incidents and road
 * weather (every 10 s), and the controller's travel-time tool — two picked points and the route
 * between them, itself a polled resource, so its time follows the speeds (and, in replay, the
 * replayed instant). The globe layer, the deck.gl network panel and the React panels all read it;
 * nothing here draws.
 */
import { createStore } from 'zustand/vanilla';
import {
  incidentListSchema,
  networkViewSchema,
  routeSchema,
  segmentListAnswerSchema,
  weatherListSchema,
  type IncidentView,
  type NetworkView,
  type Route,
  type SegmentView,
  type WeatherStationView,
} from '../contracts';
import type { LonLat } from '../domain';
import { createPolledResource } from './resource';

/** Segment speeds change with every detector reading (30 s interval): a few seconds' lag is enough. */
export const SEGMENTS_POLL_MS = 3000;
/** Index, incidents, weather and the route move slowly. */
export const SLOW_POLL_MS = 10_000;
/** Hours of network index history the panel charts. */
export const NETWORK_HOURS = 6;

/** Every segment by id. */
export const segments = createPolledResource<SegmentView[], ReadonlyMap<string, SegmentView>>('/api/segments', {
  periodMs: SEGMENTS_POLL_MS,
  schema: segmentListAnswerSchema,
  select: (list) => new Map(list.map((s) => [s.id, s])),
});
export const network = createPolledResource<NetworkView>(`/api/network?hours=${NETWORK_HOURS}`, { periodMs: SLOW_POLL_MS, schema: networkViewSchema });
export const incidents = createPolledResource<IncidentView[]>('/api/incidents', { periodMs: SLOW_POLL_MS, schema: incidentListSchema });
export const weather = createPolledResource<WeatherStationView[]>('/api/weather', { periodMs: SLOW_POLL_MS, schema: weatherListSchema });

/** The travel-time tool: off, waiting for the first or second point. */
export type RouteMode = 'off' | 'from' | 'to';

export interface RouteTool {
  routeMode: RouteMode;
  routeFrom: LonLat | null;
  routeTo: LonLat | null;
  /** Starts picking two points (clears the previous route). */
  startRoute(): void;
  /** A point picked on the globe or the network panel, in route mode. */
  pickPoint(at: LonLat): void;
  clearRoute(): void;
}

export const roads = createStore<RouteTool>()((set, get) => ({
  routeMode: 'off',
  routeFrom: null,
  routeTo: null,
  startRoute: () => {
    set({ routeMode: 'from', routeFrom: null, routeTo: null });
    route.refresh();
  },
  pickPoint: (at) => {
    const s = get();
    if (s.routeMode === 'from') set({ routeMode: 'to', routeFrom: at });
    else if (s.routeMode === 'to' && s.routeFrom) {
      set({ routeMode: 'off', routeTo: at });
      route.refresh();
    }
  },
  clearRoute: () => {
    set({ routeMode: 'off', routeFrom: null, routeTo: null });
    route.refresh();
  },
}));

const coords = (p: LonLat) => `${p[0].toFixed(6)},${p[1].toFixed(6)}`;

/** The fastest route between the two picked points, on the speeds of the instant shown; null until both are picked. */
export const route = createPolledResource<Route>(
  () => {
    const { routeFrom, routeTo } = roads.getState();
    return routeFrom && routeTo ? `/api/route?from=${coords(routeFrom)}&to=${coords(routeTo)}` : null;
  },
  { periodMs: SLOW_POLL_MS, schema: routeSchema },
);
