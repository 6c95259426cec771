/**
 * The confined scene's own small store: every space as `GET /api/spaces` answers it (worst first),
 * polled every 2 s while anyone uses it and refetched at once when a confined alarm changes, plus
 * the inspector's plant filter and which evacuate alarms have been silenced in this page.
 *
 * Vanilla (no React): the globe layer and the panels both read it. Polling is reference-counted,
 * so the layer and the panel can each start it and the last one to stop ends it.
 *
 * In replay (issue 6) it follows the display clock: every change of the replayed instant fetches
 * `/api/spaces?at=<instant>` (the spaces as they stood then, rebuilt by the service), and an answer
 * for an instant the clock has since left is dropped, so a slow answer never overwrites a newer
 * one. The 2 s poll rests in replay (a past instant does not change); back to live it fetches the
 * live list at once.
 */
import { createStore } from 'zustand/vanilla';
import type { AlarmRecord } from '../contracts';
import type { SpaceSummary } from '../domain';
import { atQuery, clockIsReplay, nowMs, onClockChange } from './clock';
import type { TwinStore } from './store';

/** Poll period of /api/spaces, ms: head counts and permits change by events, a few seconds is fine. */
export const SPACES_POLL_MS = 2000;

export interface ConfinedState {
  /** Worst first, as the service sorts them. */
  spaces: SpaceSummary[];
  /** Bumped on every successful fetch. */
  version: number;
  /** The replayed instant the list shows (epoch ms), or null for the live list. */
  shownAt: number | null;
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
  shownAt: null,
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

/** Requests issued so far, and the newest one applied: an older answer never replaces a newer one. */
let issued = 0;
let applied = 0;

/**
 * Fetches the space list now, at the display clock's instant (live, or `?at=` in replay); also
 * used after an ack so the row updates without waiting.
 */
export async function refreshSpaces(store: TwinStore): Promise<void> {
  const token = store.getState().auth?.token;
  if (!token) return;
  const mine = ++issued;
  const query = atQuery();
  const shownAt = clockIsReplay() ? nowMs() : null;
  try {
    const res = await fetch(`/api/spaces${query ? `?${query}` : ''}`, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return;
    const list = (await res.json()) as unknown;
    // The clock may have moved (or gone live) while this was in flight: then it is not the instant shown.
    if (!Array.isArray(list) || mine < applied || atQuery() !== query) return;
    applied = mine;
    confined.setState({ spaces: list as SpaceSummary[], shownAt, version: confined.getState().version + 1 });
  } catch {
    // network trouble: the connection badge says so; keep the last list
  }
}

function poll(store: TwinStore): () => void {
  void refreshSpaces(store);
  const timer = setInterval(() => {
    // A past instant does not change: in replay only a new instant fetches (below).
    if (!clockIsReplay()) void refreshSpaces(store);
  }, SPACES_POLL_MS);
  // A confined alarm raised, acknowledged or cleared changes a space's status: fetch at once.
  let confinedAlarmsKey = alarmKey(store);
  const unsub = store.subscribe((s, prev) => {
    if (s.auth !== prev.auth && s.auth) void refreshSpaces(store);
    // In replay the alarm list is the replayed instant's, replaced with each new instant: the clock change fetches.
    if (s.alarmsVersion === prev.alarmsVersion || clockIsReplay()) return;
    const key = alarmKey(store);
    if (key !== confinedAlarmsKey) {
      confinedAlarmsKey = key;
      void refreshSpaces(store);
    }
  });
  // A new replayed instant, or back to live: the list of that moment at once.
  const unClock = onClockChange(() => void refreshSpaces(store));
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

/**
 * What the evacuate banner shows: every evacuate alarm still unacknowledged, and every acknowledged
 * one whose space still has people inside (acknowledging silences the siren; it does not make the
 * pit safe). `unacked` are the ones the siren sounds for; `inside` is the head count of their spaces.
 */
export function evacuateBanner(alarms: Iterable<AlarmRecord>, spaces: readonly SpaceSummary[]): { ids: string[]; unacked: string[]; inside: number } {
  const insideOf = new Map(spaces.map((s) => [s.id, s.inside.length]));
  const ids: string[] = [];
  const unacked: string[] = [];
  let inside = 0;
  for (const a of alarms) {
    if (a.scene !== 'confined' || a.rule !== 'evacuate' || a.state === 'closed') continue;
    const people = a.siteId ? (insideOf.get(a.siteId) ?? 0) : 0;
    const isUnacked = a.state === 'active_unack' || a.state === 'cleared_unack';
    if (!isUnacked && people === 0) continue;
    ids.push(a.id);
    if (isUnacked) unacked.push(a.id);
    inside += people;
  }
  return { ids: ids.sort(), unacked: unacked.sort(), inside };
}
