/**
 * The app's one vanilla zustand store (no React here): the render loop and the live pipeline read
 * and write it with getState()/setState(); React panels subscribe to slices through
 * `useTwin(selector)` in ./react.ts.
 *
 * Live readings are high-rate, so they are kept in a mutable Map (`live`) that the live pipeline
 * folds into once per animation frame, then bumps `liveVersion` and lists the ids it touched in
 * `changedIds`. Renderers recolour only those ids; panels that show one device re-render when
 * `liveVersion` changes and they are selected.
 */
import { createStore } from 'zustand/vanilla';
import { clearSavedAuth, saveAuth } from './session';
import type { AlarmRecord, Device, DeviceLive, Person, Registry, Role, Scene, Site } from '../contracts';
import { isOpen } from '../contracts';

export type Lang = 'zh' | 'en';
/** What the camera and panels show: one operator scene, or the city overview of all three. */
export type View = 'overview' | Scene;
export type Connection = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface Auth {
  token: string;
  role: Role;
  username: string;
}

export interface TwinState {
  lang: Lang;
  auth: Auth | null;
  view: View;
  /** Registry as loaded from the API (devices and sites of all scenes). */
  devices: Map<string, Device>;
  sites: Map<string, Site>;
  /** The roster by badge id. */
  persons: Map<string, Person>;
  registryLoaded: boolean;
  /** Latest live state per device id; mutated in place by the live pipeline, see liveVersion. */
  live: Map<string, DeviceLive>;
  /** Incremented once per animation frame that changed `live`. */
  liveVersion: number;
  /** Device ids whose live state changed in the last folded frame. */
  changedIds: string[];
  /** Open alarms by id (closed ones are removed). */
  alarms: Map<string, AlarmRecord>;
  alarmsVersion: number;
  connection: Connection;
  /** Readings rejected by the browser's own contract check (should stay 0). */
  rejectedInBrowser: number;
  selectedDeviceId: string | null;
  selectedSiteId: string | null;
  /** A short message for the user (errors, confirmations); null hides the toast. */
  notice: Notice | null;
}

/**
 * A toast. `key` (with `params`) is an i18n key translated when shown, so a message raised before a
 * language switch still follows it; `text` is shown as is when there is no key (e.g. a server message).
 */
export interface Notice {
  kind: 'error' | 'info';
  text: string;
  key?: string;
  params?: Record<string, string | number>;
}

export interface TwinActions {
  setLang(lang: Lang): void;
  setAuth(auth: Auth | null): void;
  setView(view: View): void;
  loadRegistry(registry: Pick<Registry, 'devices' | 'sites' | 'persons'>): void;
  /** Folds a frame's worth of live updates; `ids` are the devices touched. */
  commitLive(ids: string[]): void;
  upsertAlarm(alarm: AlarmRecord): void;
  removeAlarm(id: string): void;
  replaceAlarms(alarms: AlarmRecord[]): void;
  setConnection(c: Connection): void;
  select(sel: { deviceId?: string | null; siteId?: string | null }): void;
  notify(notice: TwinState['notice']): void;
  /** Adds to `rejectedInBrowser` (messages that failed the contract check in the page). */
  countRejected(n: number): void;
  /**
   * Applies a frame's alarm changes at once (id → record, or null for closed), so a burst of
   * retained alarms on subscribe costs one store update instead of hundreds.
   */
  applyAlarmChanges(changes: ReadonlyMap<string, AlarmRecord | null>): void;
  /** Ends the session: forgets the token and everything loaded with it; `notice` explains why. */
  logout(notice?: Notice | null): void;
}

export type Twin = TwinState & TwinActions;

const initialLang = (): Lang => {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('citytwin.lang') : null;
  if (saved === 'zh' || saved === 'en') return saved;
  return typeof navigator !== 'undefined' && navigator.language?.startsWith('en') ? 'en' : 'zh';
};

/** Creates a store; the app uses the `twin` singleton, tests may make their own. */
export function createTwinStore() {
  return createStore<Twin>()((set, get) => ({
    lang: initialLang(),
    auth: null,
    view: 'overview',
    devices: new Map(),
    sites: new Map(),
    persons: new Map(),
    registryLoaded: false,
    live: new Map(),
    liveVersion: 0,
    changedIds: [],
    alarms: new Map(),
    alarmsVersion: 0,
    connection: 'offline',
    rejectedInBrowser: 0,
    selectedDeviceId: null,
    selectedSiteId: null,
    notice: null,

    setLang: (lang) => {
      if (typeof localStorage !== 'undefined') localStorage.setItem('citytwin.lang', lang);
      set({ lang });
    },
    // The token is kept in sessionStorage so a reload keeps the session (and a closed tab ends it).
    setAuth: (auth) => {
      if (auth) saveAuth(auth);
      else clearSavedAuth();
      set({ auth });
    },
    setView: (view) => set({ view }),
    loadRegistry: ({ devices, sites, persons }) =>
      set({
        devices: new Map(devices.map((d) => [d.id, d])),
        sites: new Map(sites.map((s) => [s.id, s])),
        persons: new Map((persons ?? []).map((p) => [p.id, p])),
        registryLoaded: true,
      }),
    commitLive: (ids) => set({ liveVersion: get().liveVersion + 1, changedIds: ids }),
    upsertAlarm: (alarm) => {
      const alarms = get().alarms;
      if (isOpen(alarm)) alarms.set(alarm.id, alarm);
      else alarms.delete(alarm.id);
      set({ alarms, alarmsVersion: get().alarmsVersion + 1 });
    },
    removeAlarm: (id) => {
      const alarms = get().alarms;
      if (alarms.delete(id)) set({ alarms, alarmsVersion: get().alarmsVersion + 1 });
    },
    replaceAlarms: (list) =>
      set({ alarms: new Map(list.filter(isOpen).map((a) => [a.id, a])), alarmsVersion: get().alarmsVersion + 1 }),
    setConnection: (connection) => set({ connection }),
    select: ({ deviceId, siteId }) =>
      set({
        selectedDeviceId: deviceId === undefined ? get().selectedDeviceId : deviceId,
        selectedSiteId: siteId === undefined ? get().selectedSiteId : siteId,
      }),
    notify: (notice) => set({ notice }),
    countRejected: (n) => {
      if (n > 0) set({ rejectedInBrowser: get().rejectedInBrowser + n });
    },
    applyAlarmChanges: (changes) => {
      if (changes.size === 0) return;
      const alarms = get().alarms;
      for (const [id, rec] of changes) {
        if (rec && isOpen(rec)) alarms.set(id, rec);
        else alarms.delete(id);
      }
      set({ alarms, alarmsVersion: get().alarmsVersion + 1 });
    },
    logout: (notice = null) => {
      clearSavedAuth();
      get().live.clear();
      set({
        auth: null,
        devices: new Map(),
        sites: new Map(),
        persons: new Map(),
        registryLoaded: false,
        liveVersion: get().liveVersion + 1,
        changedIds: [],
        alarms: new Map(),
        alarmsVersion: get().alarmsVersion + 1,
        connection: 'offline',
        selectedDeviceId: null,
        selectedSiteId: null,
        notice,
      });
    },
  }));
}

export type TwinStore = ReturnType<typeof createTwinStore>;

/** The app's store. */
export const twin: TwinStore = createTwinStore();
