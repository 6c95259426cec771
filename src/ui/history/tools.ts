/**
 * Which shared tools are open (alarm history, measurement) and how critical-alarm alerts behave
 * (sound muted, desktop notifications asked for): UI state only, so a small store of its own
 * rather than fields in the twin store. Mute is remembered in localStorage.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export interface ToolsState {
  historyOpen: boolean;
  measureOpen: boolean;
  /** Alert sound off. */
  muted: boolean;
  /** The operator turned alerts on (a click, which browsers require for permission and audio). */
  alertsOn: boolean;
  /** New critical alarms alerted since the page loaded. */
  alertCount: number;
  set(patch: Partial<Omit<ToolsState, 'set'>>): void;
}

const MUTE_KEY = 'citytwin.muted';

export const tools = createStore<ToolsState>()((set) => ({
  historyOpen: false,
  measureOpen: false,
  muted: typeof localStorage !== 'undefined' && localStorage.getItem(MUTE_KEY) === '1',
  alertsOn: false,
  alertCount: 0,
  set: (patch) => {
    if (patch.muted !== undefined && typeof localStorage !== 'undefined') localStorage.setItem(MUTE_KEY, patch.muted ? '1' : '0');
    set(patch);
  },
}));

export function useTools<T>(selector: (s: ToolsState) => T): T {
  return useStore(tools, selector);
}
