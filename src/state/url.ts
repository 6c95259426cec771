/**
 * The page's address holds what the operator is looking at: the view, the selected device and
 * site, and the replayed instant (`?view=park&device=sy-tf1-t1-sensor&site=sy-tf1-t1&at=…`). A
 * reload comes back to it, and a link sent to a colleague opens the same picture once they have
 * logged in. Without a view in the address, each user starts in the scene they own.
 *
 * Ids are checked against the loaded registry before they are selected: an address is input.
 */
import { isScene, type Role } from '../contracts';
import { replay as replayStore } from './replay';
import type { TwinStore, View } from './store';

export interface UrlState {
  view?: View;
  device?: string;
  site?: string;
  /** Replayed instant, epoch ms; absent while live. */
  at?: number;
}

/** Where each role lands after login: the scene it owns, the admin over all three. */
export const HOME_VIEW: Record<Role, View> = { inspector: 'confined', park_manager: 'park', traffic: 'roads', admin: 'overview' };

const ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Reads the address's search part; anything malformed is left out rather than guessed. */
export function parseUrlState(search: string): UrlState {
  const p = new URLSearchParams(search);
  const out: UrlState = {};
  const view = p.get('view');
  if (view === 'overview' || isScene(view)) out.view = view;
  const device = p.get('device');
  if (device && ID.test(device)) out.device = device;
  const site = p.get('site');
  if (site && ID.test(site)) out.site = site;
  const at = p.get('at');
  const ms = at ? Date.parse(at) : NaN;
  if (Number.isFinite(ms)) out.at = ms;
  return out;
}

/** The search part for `s`, keeping parameters of others (e.g. a `lang`) in `base`. */
export function formatUrlState(s: UrlState, base = ''): string {
  const p = new URLSearchParams(base);
  for (const k of ['view', 'device', 'site', 'at']) p.delete(k);
  if (s.view) p.set('view', s.view);
  if (s.device) p.set('device', s.device);
  if (s.site) p.set('site', s.site);
  if (s.at !== undefined) p.set('at', new Date(s.at).toISOString());
  const q = p.toString();
  return q ? `?${q}` : '';
}

/** The browser's address, or a stand-in in tests. */
export interface AddressBar {
  search(): string;
  /** Replaces the current entry (no new history entry per click). */
  replace(search: string): void;
}

/** How long the address waits for the state to rest (a playing replay moves every frame). */
const WRITE_DELAY_MS = 300;

/**
 * Applies the address to the stores at login (the view at once, the selection once the registry
 * is loaded, the replayed instant at once), then keeps the address in step with them. Logging out
 * empties it: the next user starts in their own scene. Returns the stop function.
 */
export function bindUrlState(twin: TwinStore, role: Role, bar: AddressBar, replay = replayStore): () => void {
  const wanted = parseUrlState(bar.search());
  twin.getState().setView(wanted.view ?? HOME_VIEW[role]);
  if (wanted.at !== undefined) replay.getState().enter(wanted.at);

  let pendingSelection = wanted.device !== undefined || wanted.site !== undefined;
  const applySelection = () => {
    const s = twin.getState();
    if (!pendingSelection || !s.registryLoaded) return;
    pendingSelection = false;
    const deviceId = wanted.device && s.devices.has(wanted.device) ? wanted.device : null;
    const siteId = wanted.site && s.sites.has(wanted.site) ? wanted.site : deviceId ? (s.devices.get(deviceId)?.siteId ?? null) : null;
    if (deviceId || siteId) s.select({ deviceId, siteId });
  };
  applySelection();

  let timer: ReturnType<typeof setTimeout> | null = null;
  const write = () => {
    timer = null;
    const s = twin.getState();
    if (!s.auth) return;
    const r = replay.getState();
    const next = formatUrlState(
      {
        view: s.view,
        // Until the registry has let the address's selection apply, the address keeps it.
        device: (pendingSelection ? wanted.device : s.selectedDeviceId) ?? undefined,
        site: (pendingSelection ? wanted.site : s.selectedSiteId) ?? undefined,
        at: r.mode === 'replay' ? r.at : undefined,
      },
      bar.search(),
    );
    if (next !== bar.search()) bar.replace(next);
  };
  const schedule = () => {
    if (timer === null) timer = setTimeout(write, WRITE_DELAY_MS);
  };

  const offTwin = twin.subscribe((s, prev) => {
    if (prev.auth && !s.auth) {
      if (timer) clearTimeout(timer);
      timer = null;
      bar.replace(formatUrlState({}, bar.search()));
      return;
    }
    if (s.registryLoaded && !prev.registryLoaded) applySelection();
    if (s.view !== prev.view || s.selectedDeviceId !== prev.selectedDeviceId || s.selectedSiteId !== prev.selectedSiteId) schedule();
  });
  const offReplay = replay.subscribe((r, prev) => {
    if (r.mode !== prev.mode || r.at !== prev.at) schedule();
  });
  return () => {
    offTwin();
    offReplay();
    if (timer) clearTimeout(timer);
    timer = null;
  };
}

/** The browser's own address bar. */
export const browserAddressBar: AddressBar = {
  search: () => window.location.search,
  replace: (search) => window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}${window.location.hash}`),
};
