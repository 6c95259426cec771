/**
 * React binding of the vanilla store. Panels select small slices; live data re-renders a panel only
 * when its selector's result changes (by Object.is), so selectors must return stored values, not
 * fresh arrays or objects — derive those with useMemo keyed on a version counter.
 */
import { useStore } from 'zustand';
import { useSyncExternalStore } from 'react';
import { clockIsReplay, nowMs, onClockChange } from './clock';
import type { PolledResource, ResourceState } from './resource';
import { twin, type Twin } from './store';
import { sayOf } from './texts';
import type { Say } from '../domain/texts';

export { twin };

/** Selects a slice of the app store and re-renders when it changes. */
export function useTwin<T>(selector: (s: Twin) => T): T {
  return useStore(twin, selector);
}

/** Selects a slice of a polled resource (its data, error, instant) and re-renders when it changes. */
export function useResource<T, U>(resource: PolledResource<T>, selector: (s: ResourceState<T>) => U): U {
  return useStore(resource.store, selector);
}

const replayedAt = () => (clockIsReplay() ? nowMs() : null);

/** The replayed instant the display clock is pinned to (epoch ms), or null when live. */
export function useReplayAt(): number | null {
  return useSyncExternalStore(onClockChange, replayedAt);
}

// One shared ticker for clocks and "n s ago" labels, so a list of 50 alarms sets one interval, not 50.
interface Ticker {
  now: number;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | null;
  /** Stable per period: a fresh function each render would make React resubscribe every render. */
  subscribe(listener: () => void): () => void;
  snapshot(): number;
}
const tickers = new Map<string, Ticker>();

function ticker(periodMs: number, wall: boolean): Ticker {
  const key = `${periodMs}:${wall ? 'wall' : 'display'}`;
  const existing = tickers.get(key);
  if (existing) return existing;
  const read = wall ? Date.now : nowMs;
  const t: Ticker = {
    now: read(),
    listeners: new Set(),
    timer: null,
    subscribe(listener) {
      t.listeners.add(listener);
      if (!t.timer) {
        t.timer = setInterval(() => {
          t.now = read();
          for (const l of t.listeners) l();
        }, periodMs);
      }
      return () => {
        t.listeners.delete(listener);
        if (t.listeners.size === 0 && t.timer) {
          clearInterval(t.timer);
          t.timer = null;
        }
      };
    },
    snapshot: () => t.now,
  };
  tickers.set(key, t);
  return t;
}

// A replay cursor that moves (or a return to live) updates every ticker at once, not at its next tick.
onClockChange(() => {
  for (const [key, t] of tickers) {
    if (t.listeners.size === 0 || key.endsWith(':wall')) continue;
    t.now = nowMs();
    for (const l of t.listeners) l();
  }
});

/** The display's current time (`nowMs()`: the replay cursor in replay), updated every `periodMs` (default 1 s) while any component uses it. */
export function useNow(periodMs = 1000): number {
  const t = ticker(periodMs, false);
  return useSyncExternalStore(t.subscribe, t.snapshot);
}

/** The wall clock (never the replay cursor), updated every `periodMs` while any component uses it. */
export function useWallNow(periodMs = 1000): number {
  const t = ticker(periodMs, true);
  return useSyncExternalStore(t.subscribe, t.snapshot);
}

/** The phrase-makers of the reader's language over the loaded registry (alarm details, reasons, names). */
export function useSay(): Say {
  const lang = useTwin((s) => s.lang);
  const devices = useTwin((s) => s.devices);
  const sites = useTwin((s) => s.sites);
  const persons = useTwin((s) => s.persons);
  return sayOf({ lang, devices, sites, persons });
}
