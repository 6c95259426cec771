/**
 * The road scene's own state (issue 5): a small vanilla zustand store filled by polling the road
 * API while someone is logged in — segments every 3 s, network index / incidents / weather every
 * 10 s — plus the controller's travel-time tool (two picked points and the route between them).
 * The globe layer, the deck.gl network panel and the React panels all read it; nothing here draws.
 */
import { createStore } from 'zustand/vanilla';
import type { IncidentView, LonLat, NetworkView, Route, SegmentView, WeatherStationView } from '../domain';
import type { TwinStore } from './store';

/** Segment speeds change with every detector reading (30 s interval): a few seconds' lag is enough. */
export const SEGMENTS_POLL_MS = 3000;
/** Index, incidents and weather move slowly. */
export const SLOW_POLL_MS = 10_000;
/** Hours of network index history the panel charts. */
export const NETWORK_HOURS = 6;

/** The travel-time tool: off, waiting for the first or second point, or showing a route. */
export type RouteMode = 'off' | 'from' | 'to';

export interface RoadsState {
  segments: Map<string, SegmentView>;
  /** Bumped whenever `segments` is replaced. */
  segmentsVersion: number;
  network: NetworkView | null;
  incidents: IncidentView[];
  weather: WeatherStationView[];
  /** Epoch ms of the last successful segments poll, null before. */
  updatedAt: number | null;
  /** The last poll's failure, null when it worked. */
  error: string | null;
  routeMode: RouteMode;
  routeFrom: LonLat | null;
  routeTo: LonLat | null;
  route: Route | null;
  /** Why no route could be shown (HTTP message), null otherwise. */
  routeError: string | null;
  routeBusy: boolean;
}

export interface RoadsActions {
  /** Starts picking two points for a route (clears the previous one). */
  startRoute(): void;
  /** A point picked on the globe or the network panel, in route mode. */
  pickPoint(at: LonLat): void;
  clearRoute(): void;
  /** Sets the token the route call uses (the poller keeps it current). */
  setToken(token: string | null): void;
}

export type Roads = RoadsState & RoadsActions;

const EMPTY: RoadsState = {
  segments: new Map(),
  segmentsVersion: 0,
  network: null,
  incidents: [],
  weather: [],
  updatedAt: null,
  error: null,
  routeMode: 'off',
  routeFrom: null,
  routeTo: null,
  route: null,
  routeError: null,
  routeBusy: false,
};

/** GET a road API path with the session's token; throws with the service's message. */
export async function roadApi<T>(path: string, token: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, signal: signal ?? AbortSignal.timeout(15_000) });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { message?: string };
      if (body.message) message = body.message;
    } catch {
      // not JSON: keep the status
    }
    throw Object.assign(new Error(message), { status: res.status });
  }
  return (await res.json()) as T;
}

export function createRoadsStore() {
  let token: string | null = null;
  return createStore<Roads>()((set, get) => {
    const fetchRoute = async (from: LonLat, to: LonLat) => {
      if (!token) return;
      set({ routeBusy: true, routeError: null });
      try {
        const q = `from=${from[0].toFixed(6)},${from[1].toFixed(6)}&to=${to[0].toFixed(6)},${to[1].toFixed(6)}`;
        const route = await roadApi<Route>(`/api/route?${q}`, token);
        // A newer pick may have replaced these points meanwhile.
        if (get().routeFrom === from && get().routeTo === to) set({ route, routeBusy: false });
      } catch (e) {
        if (get().routeFrom === from && get().routeTo === to) set({ route: null, routeBusy: false, routeError: (e as Error).message });
      }
    };
    return {
      ...EMPTY,
      startRoute: () => set({ routeMode: 'from', routeFrom: null, routeTo: null, route: null, routeError: null }),
      pickPoint: (at) => {
        const s = get();
        if (s.routeMode === 'from') set({ routeMode: 'to', routeFrom: at });
        else if (s.routeMode === 'to' && s.routeFrom) {
          set({ routeMode: 'off', routeTo: at });
          void fetchRoute(s.routeFrom, at);
        }
      },
      clearRoute: () => set({ routeMode: 'off', routeFrom: null, routeTo: null, route: null, routeError: null, routeBusy: false }),
      setToken: (t) => {
        token = t;
      },
    };
  });
}

export type RoadsStore = ReturnType<typeof createRoadsStore>;

/** The app's road store. */
export const roads: RoadsStore = createRoadsStore();

/**
 * Polls the road API into `store` while `twin` has a session; returns the function that stops.
 * A logout empties the store. The route on screen is recomputed with each slow poll, so its time
 * follows the live speeds.
 */
/** While replaying (state/replay.ts), segment levels come from the replay: polls leave them alone. */
let segmentsPaused = false;
export function pauseSegmentPolling(paused: boolean): void {
  segmentsPaused = paused;
}

export function startRoadPolling(twin: TwinStore, store: RoadsStore = roads): () => void {
  let timers: ReturnType<typeof setInterval>[] = [];
  let abort: AbortController | null = null;

  const stopTimers = () => {
    for (const t of timers) clearInterval(t);
    timers = [];
    abort?.abort();
    abort = null;
  };

  const begin = (token: string) => {
    stopTimers();
    store.getState().setToken(token);
    const ac = new AbortController();
    abort = ac;
    const get = <T>(path: string) => roadApi<T>(path, token, AbortSignal.any([ac.signal, AbortSignal.timeout(15_000)]));
    const pollSegments = async () => {
      try {
        if (segmentsPaused) return;
        const list = await get<SegmentView[]>('/api/segments');
        if (ac.signal.aborted || segmentsPaused) return;
        store.setState((s) => ({
          segments: new Map(list.map((x) => [x.id, x])),
          segmentsVersion: s.segmentsVersion + 1,
          updatedAt: Date.now(),
          error: null,
        }));
      } catch (e) {
        if (!ac.signal.aborted) store.setState({ error: (e as Error).message });
      }
    };
    const pollSlow = async () => {
      const [network, incidents, weather] = await Promise.allSettled([
        get<NetworkView>(`/api/network?hours=${NETWORK_HOURS}`),
        get<IncidentView[]>('/api/incidents'),
        get<WeatherStationView[]>('/api/weather'),
      ]);
      if (ac.signal.aborted) return;
      const patch: Partial<RoadsState> = {};
      if (network.status === 'fulfilled') patch.network = network.value;
      if (incidents.status === 'fulfilled' && Array.isArray(incidents.value)) patch.incidents = incidents.value;
      if (weather.status === 'fulfilled' && Array.isArray(weather.value)) patch.weather = weather.value;
      store.setState(patch);
      const s = store.getState();
      if (s.route && s.routeFrom && s.routeTo && !s.routeBusy) {
        const q = `from=${s.routeFrom.join(',')}&to=${s.routeTo.join(',')}`;
        get<Route>(`/api/route?${q}`).then(
          (route) => {
            if (store.getState().routeFrom === s.routeFrom && store.getState().routeTo === s.routeTo) store.setState({ route });
          },
          () => undefined,
        );
      }
    };
    void pollSegments();
    void pollSlow();
    timers.push(setInterval(() => void pollSegments(), SEGMENTS_POLL_MS), setInterval(() => void pollSlow(), SLOW_POLL_MS));
  };

  const follow = (token: string | null) => {
    if (token) begin(token);
    else {
      stopTimers();
      store.getState().setToken(null);
      store.setState({ ...EMPTY, segmentsVersion: store.getState().segmentsVersion + 1 });
    }
  };

  let current = twin.getState().auth?.token ?? null;
  if (current) begin(current);
  const unsubscribe = twin.subscribe((s) => {
    const next = s.auth?.token ?? null;
    if (next === current) return;
    current = next;
    follow(next);
  });
  return () => {
    unsubscribe();
    stopTimers();
  };
}
