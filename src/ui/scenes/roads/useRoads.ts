/** React bindings of the road state (src/state/roads.ts): the travel-time tool's picks and mode. */
import { useStore } from 'zustand';
import { roads, type RouteTool } from '../../../state/roads';

export { roads };

export function useRouteTool<T>(selector: (s: RouteTool) => T): T {
  return useStore(roads, selector);
}
