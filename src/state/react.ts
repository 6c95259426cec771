/**
 * React binding of the vanilla store. Panels select small slices; live data re-renders a panel only
 * when its selector's result changes (by Object.is), so selectors must return stored values, not
 * fresh arrays or objects — derive those with useMemo keyed on a version counter.
 */
import { useStore } from 'zustand';
import { useSyncExternalStore } from 'react';
import { twin, type Twin } from './store';

export { twin };

/** Selects a slice of the app store and re-renders when it changes. */
export function useTwin<T>(selector: (s: Twin) => T): T {
  return useStore(twin, selector);
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
const tickers = new Map<number, Ticker>();

function ticker(periodMs: number): Ticker {
  const existing = tickers.get(periodMs);
  if (existing) return existing;
  const t: Ticker = {
    now: Date.now(),
    listeners: new Set(),
    timer: null,
    subscribe(listener) {
      t.listeners.add(listener);
      if (!t.timer) {
        t.timer = setInterval(() => {
          t.now = Date.now();
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
  tickers.set(periodMs, t);
  return t;
}

/** The current time, updated every `periodMs` (default 1 s) while any component uses it. */
export function useNow(periodMs = 1000): number {
  const t = ticker(periodMs);
  return useSyncExternalStore(t.subscribe, t.snapshot);
}
