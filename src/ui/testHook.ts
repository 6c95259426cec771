/**
 * End-to-end tests drive and inspect the app through `window.__citytwin`, typed here so the tests
 * are checked against the app they drive:
 *   store — the app store (`store.getState().live`, `.alarms`, `.select(…)`, `.setView(…)`);
 *   globe — the Cesium adapter (`screenPositionOf(id)`, `deviceColorCss(id)`, `scenes.roads?.…`,
 *           `measure`), null until created (and without WebGL);
 *   deck — the roads scene's deck.gl network panel while it is open, else null.
 * Set in main.tsx and updated by the components that own each part; nothing in the app reads it.
 */
import type { NetworkDeck } from '../scene/deck/network';
import type { TwinStore } from '../state';
import type { AppGlobe } from './globe';

export interface TestHook {
  store: TwinStore;
  globe: AppGlobe | null;
  deck: NetworkDeck | null;
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
