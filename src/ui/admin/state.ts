/** Which admin page or account dialog is open: UI state only, a small store of its own. */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export type AdminTab = 'users' | 'devices' | 'audit';

export interface AdminUiState {
  /** The open admin page; null when the drawer is closed. */
  tab: AdminTab | null;
  /** The own-password dialog is open. */
  passwordOpen: boolean;
  set(patch: Partial<Omit<AdminUiState, 'set'>>): void;
}

export const adminUi = createStore<AdminUiState>()((set) => ({
  tab: null,
  passwordOpen: false,
  set: (patch) => set(patch),
}));

export function useAdminUi<T>(selector: (s: AdminUiState) => T): T {
  return useStore(adminUi, selector);
}
