/**
 * The road scene's own state (issue 5): a small vanilla zustand store filled by polling the road
 * API while someone is logged in — segments every 3 s, network index / incidents / weather every
 * 10 s — plus the controller's travel-time tool (two picked points and the route between them).
 * The globe layer, the deck.gl network panel and the React panels all read it; nothing here draws.
 *
 * In replay (issue 6) every call carries the display clock's `at` (clock.ts `atQuery()`), so the
 * service answers as things stood at the replayed instant, and a clock change fetches everything
 * again at once; an answer for an instant no longer shown is dropped.
 */
import { createStore } from 'zustand/vanilla';
import type { IncidentView, LonLat, NetworkView, Route, SegmentView, WeatherStationView } from '../domain';
import { atQuery, clockIsReplay, onClockChange } from './clock';
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

/** `path` with the replayed instant's `at` query (clock.ts `atQuery()`; '' when live) appended. */
export function withAt(path: string, at: string = atQuery()): string {
  return at ? `${path}${path.includes('?') ? '&' : '?'}${at}` : path;
}

/** A route between two points, as a query string. */
const routeQuery = (from: LonLat, to: LonLat) => `from=${from[0].toFixed(6)},${from[1].toFixed(6)}&to=${to[0].toFixed(6)},${to[1].toFixed(6)}`;

/**
 * Orders the answers of one kind of request: `issue()` at the start of a request gives the `at`
 * query to ask with and the check to run on its answer — true only while the display still shows
 * that instant and no later request of the kind has been answered (so a slow answer for an older
 * cursor, or an older poll, never overwrites a newer one).
 */
function answerOrder() {
  let issued = 0;
  let applied = 0;
  return {
    issue(): { at: string; fresh: () => boolean } {
      const mine = ++issued;
      const at = atQuery();
      const fresh = () => {
        if (mine < applied || at !== atQuery()) return false;
        applied = mine;
        return true;
      };
      return { at, fresh };
    },
  };
}

export function createRoadsStore() {
  let token: string | null = null;
  return createStore<Roads>()((set, get) => {
    const fetchRoute = async (from: LonLat, to: LonLat) => {
      if (!token) return;
      set({ routeBusy: true, routeError: null });
      try {
        // In replay, on the speeds of the replayed instant (the slow poll keeps it following the cursor).
        const at = atQuery();
        const route = await roadApi<Route>(withAt(`/api/route?${routeQuery(from, to)}`, at), token);
        // A newer pick may have replaced these points meanwhile; a moved cursor asks again for its instant.
        if (get().routeFrom !== from || get().routeTo !== to) return;
        if (at !== atQuery()) return void fetchRoute(from, to);
        set({ route, routeBusy: false });
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
 * follows the speeds. In replay the calls ask for the replayed instant and a clock change fetches
 * at once (and drops what was still on its way); an instant already answered is not polled again.
 */
export function startRoadPolling(twin: TwinStore, store: RoadsStore = roads): () => void {
  let timers: ReturnType<typeof setInterval>[] = [];
  let abort: AbortController | null = null;
  let stopClock: (() => void) | null = null;

  const stopTimers = () => {
    for (const t of timers) clearInterval(t);
    timers = [];
    abort?.abort();
    abort = null;
    stopClock?.();
    stopClock = null;
  };

  const begin = (token: string) => {
    stopTimers();
    store.getState().setToken(token);
    const ac = new AbortController();
    abort = ac;
    /** Replaced on every clock change: what was asked for the instant before is not wanted any more. */
    let cursor = new AbortController();
    const get = <T>(path: string, at: string) =>
      roadApi<T>(withAt(path, at), token, AbortSignal.any([ac.signal, cursor.signal, AbortSignal.timeout(15_000)]));
    const dropped = (e: unknown) => ac.signal.aborted || (e as Error).name === 'AbortError';
    const segmentsOrder = answerOrder();
    const slowOrder = answerOrder();
    /** The `at` query of the last answers applied: a replayed instant does not change, so it is asked once. */
    let segmentsAt: string | null = null;
    let slowAt: string | null = null;
    const answered = (shown: string | null) => clockIsReplay() && shown === atQuery();

    const pollSegments = async () => {
      if (answered(segmentsAt)) return;
      const { at, fresh } = segmentsOrder.issue();
      try {
        const list = await get<SegmentView[]>('/api/segments', at);
        if (ac.signal.aborted || !fresh()) return;
        segmentsAt = at;
        store.setState((s) => ({
          segments: new Map(list.map((x) => [x.id, x])),
          segmentsVersion: s.segmentsVersion + 1,
          updatedAt: Date.now(),
          error: null,
        }));
      } catch (e) {
        if (!dropped(e) && at === atQuery()) store.setState({ error: (e as Error).message });
      }
    };
    const pollSlow = async () => {
      if (answered(slowAt)) return;
      const { at, fresh } = slowOrder.issue();
      const [network, incidents, weather] = await Promise.allSettled([
        get<NetworkView>(`/api/network?hours=${NETWORK_HOURS}`, at),
        get<IncidentView[]>('/api/incidents', at),
        get<WeatherStationView[]>('/api/weather', at),
      ]);
      if (ac.signal.aborted || !fresh()) return;
      const patch: Partial<RoadsState> = {};
      if (network.status === 'fulfilled') patch.network = network.value;
      if (incidents.status === 'fulfilled' && Array.isArray(incidents.value)) patch.incidents = incidents.value;
      if (weather.status === 'fulfilled' && Array.isArray(weather.value)) patch.weather = weather.value;
      if (network.status === 'fulfilled' && incidents.status === 'fulfilled' && weather.status === 'fulfilled') slowAt = at;
      store.setState(patch);
      const s = store.getState();
      if (s.route && s.routeFrom && s.routeTo && !s.routeBusy) {
        get<Route>(`/api/route?${routeQuery(s.routeFrom, s.routeTo)}`, at).then(
          (route) => {
            const now = store.getState();
            if (now.routeFrom === s.routeFrom && now.routeTo === s.routeTo && at === atQuery()) store.setState({ route });
          },
          () => undefined,
        );
      }
    };
    void pollSegments();
    void pollSlow();
    timers.push(setInterval(() => void pollSegments(), SEGMENTS_POLL_MS), setInterval(() => void pollSlow(), SLOW_POLL_MS));
    // A new replayed instant, or back to live: fetch everything for it now.
    stopClock = onClockChange(() => {
      cursor.abort();
      cursor = new AbortController();
      void pollSegments();
      void pollSlow();
    });
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
