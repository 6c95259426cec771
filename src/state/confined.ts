/**
 * The confined scene's state: every space as `GET /api/spaces` answers it (worst first), polled
 * every 2 s and soon after a confined alarm changes (a raised or acknowledged alarm changes a
 * space's status), at the replayed instant in replay; plus the inspector's plant filter and which
 * evacuate alarms have been silenced in this page. Vanilla (no React): the globe layer and the
 * panels both read it.
 */
import { createStore } from 'zustand/vanilla';
import { spaceListAnswerSchema, type AlarmRecord, type SpaceSummary } from '../contracts';
import { createPolledResource } from './resource';
import type { TwinStore } from './store';

/** Poll period of /api/spaces, ms: head counts and permits change by events, a few seconds is fine. */
export const SPACES_POLL_MS = 2000;

/** The space list, worst first, as the service sorts it. */
export const spaces = createPolledResource<SpaceSummary[]>('/api/spaces', { periodMs: SPACES_POLL_MS, schema: spaceListAnswerSchema, refetchOnAlarmsOf: 'confined' });

export interface ConfinedState {
  /** Plant id shown in the list, or null for all plants. */
  plantFilter: string | null;
  /** Evacuate alarm ids the operator muted here (the alarm itself stays until acknowledged). */
  muted: ReadonlySet<string>;
  setPlantFilter(id: string | null): void;
  mute(alarmId: string): void;
}

export const confined = createStore<ConfinedState>()((set, get) => ({
  plantFilter: null,
  muted: new Set(),
  setPlantFilter: (plantFilter) => set({ plantFilter }),
  mute: (id) => set({ muted: new Set([...get().muted, id]) }),
}));

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
