/** React binding of the road store (src/state/roads.ts): select a slice, re-render when it changes. */
import { useSyncExternalStore } from 'react';
import { useStore } from 'zustand';
import { clockIsReplay, nowMs, onClockChange } from '../../../state/clock';
import { roads, type Roads } from '../../../state/roads';

export { roads };

export function useRoads<T>(selector: (s: Roads) => T): T {
  return useStore(roads, selector);
}

const replayedAt = () => (clockIsReplay() ? nowMs() : null);

/** The replayed instant the display clock is pinned to (epoch ms), or null when live (issue 6). */
export function useReplayAt(): number | null {
  return useSyncExternalStore(onClockChange, replayedAt);
}
