/**
 * End-to-end tests drive and inspect the app through `window.__citytwin`:
 *   store — the zustand store (`store.getState().live`, `.alarms`, `.select(…)`, `.setView(…)`);
 *   globe — the Cesium adapter (`screenPositionOf(id)`, `deviceColorCss(id)`), null until created.
 * Set in main.tsx and updated by GlobeView; nothing in the app reads it.
 */
import type { Globe } from '../scene/cesium';
import type { TwinStore } from '../state';

export interface TestHook {
  store: TwinStore;
  globe: Globe | null;
}

declare global {
  interface Window {
    __citytwin?: TestHook;
  }
}

export function exposeForTests(patch: Partial<TestHook>): void {
  if (typeof window === 'undefined') return;
  window.__citytwin = { ...(window.__citytwin as TestHook), ...patch };
}
