/** React binding of the road store (src/state/roads.ts): select a slice, re-render when it changes. */
import { useStore } from 'zustand';
import { roads, type Roads } from '../../../state/roads';

export { roads };

export function useRoads<T>(selector: (s: Roads) => T): T {
  return useStore(roads, selector);
}
