/**
 * The confined scene's own small store: every space as `GET /api/spaces` answers it (worst first),
 * polled every 2 s while anyone uses it and refetched at once when a confined alarm changes, plus
 * the inspector's plant filter and which evacuate alarms have been silenced in this page.
 *
 * Vanilla (no React): the globe layer and the panels both read it. Polling is reference-counted,
 * so the layer and the panel can each start it and the last one to stop ends it.
 *
 * In replay (issue 6) the service has no history of spaces: polling pauses (the panel says it is a
 * live-only panel) and resumes with a fetch at once on the way back to live.
 */
import { createStore } from 'zustand/vanilla';
import type { SpaceSummary } from '../domain';
import { clockIsReplay, onClockChange } from './clock';
import type { TwinStore } from './store';

/** Poll period of /api/spaces, ms: head counts and permits change by events, a few seconds is fine. */
export const SPACES_POLL_MS = 2000;

export interface ConfinedState {
  /** Worst first, as the service sorts them. */
  spaces: SpaceSummary[];
  /** Bumped on every successful fetch. */
  version: number;
  /** Plant id shown in the list, or null for all plants. */
  plantFilter: string | null;
  /** Evacuate alarm ids the operator muted here (the alarm itself stays until acknowledged). */
  muted: ReadonlySet<string>;
  setPlantFilter(id: string | null): void;
  mute(alarmId: string): void;
}

export const confined = createStore<ConfinedState>()((set, get) => ({
  spaces: [],
  version: 0,
  plantFilter: null,
  muted: new Set(),
  setPlantFilter: (plantFilter) => set({ plantFilter }),
  mute: (id) => set({ muted: new Set([...get().muted, id]) }),
}));

let users = 0;
let stopCurrent: (() => void) | null = null;

/** Starts polling /api/spaces with the twin's token (ref-counted); returns the stop function. */
export function startSpacesPolling(store: TwinStore): () => void {
  users++;
  if (users === 1) stopCurrent = poll(store);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    users--;
    if (users === 0) {
      stopCurrent?.();
      stopCurrent = null;
    }
  };
}

/** Fetches the space list now (also used after an ack so the row updates without waiting). */
export async function refreshSpaces(store: TwinStore): Promise<void> {
  const token = store.getState().auth?.token;
  if (!token || clockIsReplay()) return;
  try {
    const res = await fetch('/api/spaces', { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return;
    const list = (await res.json()) as unknown;
    if (Array.isArray(list) && !clockIsReplay()) confined.setState({ spaces: list as SpaceSummary[], version: confined.getState().version + 1 });
  } catch {
    // network trouble: the connection badge says so; keep the last list
  }
}

function poll(store: TwinStore): () => void {
  void refreshSpaces(store);
  const timer = setInterval(() => void refreshSpaces(store), SPACES_POLL_MS);
  // A confined alarm raised, acknowledged or cleared changes a space's status: fetch at once.
  let confinedAlarmsKey = alarmKey(store);
  const unsub = store.subscribe((s, prev) => {
    if (s.auth !== prev.auth && s.auth) void refreshSpaces(store);
    if (s.alarmsVersion === prev.alarmsVersion) return;
    const key = alarmKey(store);
    if (key !== confinedAlarmsKey) {
      confinedAlarmsKey = key;
      void refreshSpaces(store);
    }
  });
  const unClock = onClockChange(() => {
    if (!clockIsReplay()) void refreshSpaces(store);
  });
  return () => {
    clearInterval(timer);
    unsub();
    unClock();
  };
}

function alarmKey(store: TwinStore): string {
  const parts: string[] = [];
  for (const a of store.getState().alarms.values()) if (a.scene === 'confined') parts.push(`${a.id}:${a.state}`);
  return parts.sort().join(',');
}

/** The open, unacknowledged evacuate alarms (they sound until acknowledged). */
export function unackedEvacuateAlarms(store: TwinStore): string[] {
  const out: string[] = [];
  for (const a of store.getState().alarms.values()) {
    if (a.scene === 'confined' && a.rule === 'evacuate' && (a.state === 'active_unack' || a.state === 'cleared_unack')) out.push(a.id);
  }
  return out.sort();
}
