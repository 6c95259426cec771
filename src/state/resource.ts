/**
 * One way to poll the service: a polled resource is an HTTP answer kept in a small vanilla store,
 * fetched with the session's token every `periodMs` while anyone holds it, and checked against its
 * contract schema. Every scene's data (spaces, zones, segments, the route on screen…) is one.
 *
 * It follows the display clock: in replay every request asks `?at=<replayed instant>`, a new
 * instant is fetched at once and what was still on its way for the old one is aborted; a past
 * instant does not change, so once answered it is not polled again. An answer for an older request
 * never overwrites a newer one, nor one for an instant (or a path) the app has left. Live, a change
 * in the scene's alarms fetches soon (a raised alarm changes a space's status or a zone) instead
 * of waiting for the period.
 *
 * Holding is reference-counted (`retain` returns the release): the session holds every scene's
 * resources from the registry's first load to logout, so panels are filled whether or not the
 * globe could start. The HTTP client is handed in by whoever holds it, which keeps this module
 * free of I/O.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { z } from 'zod';
import type { AlarmRecord, Scene } from '../contracts';
import { atQuery, clockIsReplay, nowMs, onClockChange } from './clock';
import type { TwinStore } from './store';

/** Fetches `path` with `token` and checks the answer against `schema`; rejects with a message. */
export type FetchAnswer = <A>(path: string, schema: z.ZodType<A>, opts: { token: string; signal: AbortSignal }) => Promise<A>;

/** What a holder hands the resource: the app store (token, alarms) and the HTTP client. */
export interface ResourceContext {
  twin: TwinStore;
  fetch: FetchAnswer;
}

/** Why the last request failed: the network, an HTTP error status, or an answer off the contract. */
export interface ResourceError {
  kind: 'network' | 'http' | 'answer';
  /** HTTP status; 0 when no answer came. */
  status: number;
  message: string;
}

export interface ResourceState<T> {
  /** The latest answer applied, null before the first (and after a logout). */
  data: T | null;
  /** Bumped whenever `data` changes. */
  version: number;
  /** The replayed instant `data` stands for (epoch ms); null when it is the live answer. */
  shownAt: number | null;
  /** A request for the current instant is on its way. */
  loading: boolean;
  /** The last request's failure; null once one succeeds. `data` keeps the last good answer. */
  error: ResourceError | null;
}

export interface ResourceOptions<A, T> {
  /** Poll period while live, ms. */
  periodMs: number;
  /** The contract schema of the answer. */
  schema: z.ZodType<A>;
  /** What the store keeps of an answer (a list made a Map, the features of a collection). @default the answer */
  select?: (answer: A) => T;
  /** Fetch soon after an alarm of this scene is raised, changes state or closes (live only). */
  refetchOnAlarmsOf?: Scene;
}

export interface PolledResource<T> {
  /** The path asked now (its `?at=` added per request), or null when there is nothing to ask. */
  path(): string | null;
  readonly store: StoreApi<ResourceState<T>>;
  /** Polls while held; the returned function releases this hold (the last release stops polling). */
  retain(ctx: ResourceContext): () => void;
  /** Fetches now (after the path changed, or an action changed what the answer would say). */
  refresh(): void;
}

/** Any resource, for lists of them (the session holds every scene's). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list mixes answers of every type; each is read through its own typed handle
export type AnyResource = PolledResource<any>;

/** After an alarm change, fetch this soon: one request for a burst of changes, ms. */
export const ALARM_DEBOUNCE_MS = 300;

const EMPTY = { data: null, version: 0, shownAt: null, loading: false, error: null };

/** `path` with the display clock's `at` query (`?at=<epoch ms>` in replay, nothing live) appended. */
export function withAt(path: string, at: string = atQuery()): string {
  return at ? `${path}${path.includes('?') ? '&' : '?'}${at}` : path;
}

/**
 * A resource at `path` (a fixed path, or a function of the app's state that may say null: nothing
 * to ask, e.g. no route picked), polled every `periodMs` live and checked against `schema`.
 */
export function createPolledResource<A, T = A>(path: string | (() => string | null), opts: ResourceOptions<A, T>): PolledResource<T> {
  const store = createStore<ResourceState<T>>()(() => ({ ...EMPTY }));
  const pathNow = typeof path === 'string' ? () => path : path;
  let holders = 0;
  let running: { refresh(): void; stop(): void } | null = null;

  const start = (ctx: ResourceContext) => {
    const { twin } = ctx;
    let issued = 0;
    let applied = 0;
    /** Aborted when the instant, the path or the session changes: what was asked before is not wanted. */
    let cursor = new AbortController();
    let asked: string | null = null;
    let debounce: ReturnType<typeof setTimeout> | null = null;
    /** The latest applied answer as JSON, to tell a repeated answer. */
    let appliedJson: string | null = null;
    let appliedAnswer: unknown = undefined;
    const token = () => twin.getState().auth?.token ?? null;

    const fetchNow = async () => {
      const tok = token();
      const p = pathNow();
      if (!tok || p === null) {
        const s = store.getState();
        if (p === null && (s.data !== null || s.error !== null)) store.setState({ ...EMPTY, version: s.version + 1 });
        return;
      }
      const at = atQuery();
      const key = withAt(p, at);
      if (key !== asked) {
        // Another instant or path: what was asked for the old one is not wanted, nor its error.
        cursor.abort();
        cursor = new AbortController();
        asked = key;
        if (store.getState().error) store.setState({ error: null });
      }
      const signal = cursor.signal;
      const shownAt = clockIsReplay() ? nowMs() : null;
      const mine = ++issued;
      // Still what the app would ask now, from the same session, and nothing newer applied.
      const current = () => mine > applied && !signal.aborted && token() === tok && withAt(pathNow() ?? '', atQuery()) === key;
      store.setState({ loading: true });
      try {
        const answer = await ctx.fetch(key, opts.schema, { token: tok, signal });
        if (!current()) return;
        applied = mine;
        const prev = store.getState();
        // The same answer again keeps the same object: nothing downstream redraws. An unchanged
        // answer the service said so of (304) is the very object applied last; any other is plain
        // JSON, written once per answer (with a replacer and twice, it was 13 % of the page's main
        // thread at 25,000 devices).
        const json = answer === appliedAnswer ? appliedJson : JSON.stringify(answer);
        const same = prev.data !== null && prev.shownAt === shownAt && json === appliedJson;
        appliedJson = json;
        appliedAnswer = answer;
        if (same) store.setState({ loading: false, error: null });
        else store.setState({ data: opts.select ? opts.select(answer) : (answer as unknown as T), version: prev.version + 1, shownAt, loading: false, error: null });
      } catch (e) {
        if (!current()) return;
        store.setState({ loading: false, error: asError(e) });
      }
    };

    const tick = () => {
      // A replayed instant does not change: once answered it is not asked again.
      const s = store.getState();
      if (clockIsReplay() && s.shownAt === nowMs() && s.error === null) return;
      void fetchNow();
    };
    const soon = () => {
      if (debounce) clearTimeout(debounce);
      debounce = setTimeout(() => {
        debounce = null;
        void fetchNow();
      }, ALARM_DEBOUNCE_MS);
    };

    let alarmKey = opts.refetchOnAlarmsOf ? sceneAlarmKey(twin.getState().alarms.values(), opts.refetchOnAlarmsOf) : '';
    const unsubTwin = twin.subscribe((s, prev) => {
      if (s.auth?.token !== prev.auth?.token) {
        cursor.abort();
        if (!s.auth) store.setState((st) => ({ ...EMPTY, version: st.version + 1 }));
        else void fetchNow();
        return;
      }
      // In replay the alarm list is the replayed instant's, replaced with each new instant: the clock change fetches.
      if (!opts.refetchOnAlarmsOf || s.alarmsVersion === prev.alarmsVersion || clockIsReplay()) return;
      const key = sceneAlarmKey(s.alarms.values(), opts.refetchOnAlarmsOf);
      if (key === alarmKey) return;
      alarmKey = key;
      soon();
    });
    const unClock = onClockChange(() => void fetchNow());
    const timer = setInterval(tick, opts.periodMs);
    void fetchNow();
    return {
      refresh: () => void fetchNow(),
      stop() {
        clearInterval(timer);
        if (debounce) clearTimeout(debounce);
        unsubTwin();
        unClock();
        cursor.abort();
        store.setState({ loading: false });
      },
    };
  };

  return {
    path: pathNow,
    store,
    retain(ctx) {
      holders++;
      if (!running) running = start(ctx);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holders--;
        if (holders === 0 && running) {
          running.stop();
          running = null;
        }
      };
    },
    refresh: () => running?.refresh(),
  };
}

/** The scene's open alarms and their states, as one comparable string. */
function sceneAlarmKey(alarms: Iterable<AlarmRecord>, scene: Scene): string {
  const parts: string[] = [];
  for (const a of alarms) if (a.scene === scene) parts.push(`${a.id}:${a.state}`);
  return parts.sort().join(',');
}

function asError(e: unknown): ResourceError {
  const x = e as { kind?: unknown; status?: unknown; message?: unknown };
  const kind = x.kind === 'answer' || x.kind === 'http' || x.kind === 'network' ? x.kind : 'network';
  return { kind, status: typeof x.status === 'number' ? x.status : 0, message: typeof x.message === 'string' ? x.message : String(e) };
}
