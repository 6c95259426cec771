/** Which admin page or account dialog is open: UI state only, a small store of its own. */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { DrawMode } from '../../scene/cesium';
import type { RegistryRowType } from '../../state/registryRows';

export type AdminTab = 'registry' | 'import' | 'users' | 'devices' | 'audit';

/** The registry entry being edited: an existing one by id, or a new one (`id` null). */
export interface Editing {
  type: RegistryRowType;
  id: string | null;
}

export interface AdminUiState {
  /** The open admin page; null when the drawer is closed. */
  tab: AdminTab | null;
  /** The own-password dialog is open. */
  passwordOpen: boolean;
  /** The registry form open in the registry page, if any. */
  editing: Editing | null;
  /** The globe takes clicks for the form (the drawer steps aside meanwhile); null when not. */
  picking: DrawMode | null;
  /** What the click is for: the form's shape, or a site model's origin. */
  pickFor: 'shape' | 'model';
  set(patch: Partial<Omit<AdminUiState, 'set'>>): void;
}

export const adminUi = createStore<AdminUiState>()((set) => ({
  tab: null,
  passwordOpen: false,
  editing: null,
  picking: null,
  pickFor: 'shape',
  set: (patch) => set(patch),
}));

export function useAdminUi<T>(selector: (s: AdminUiState) => T): T {
  return useStore(adminUi, selector);
}
