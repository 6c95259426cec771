/**
 * What the operator is watching: the camera dock beside the globe (the cameras of an opened alarm or
 * a clicked camera, one shown at a time) and the per-scene 2×2 video wall. The operator's own
 * choices (pop up the camera of a critical alarm, each scene's wall) are remembered per user in
 * localStorage, so a shared control-room browser keeps each operator's wall.
 */
import { createStore } from 'zustand/vanilla';
import { SCENES, roleOwnsScene, type AlarmRecord, type Role, type Scene } from '../contracts';
import type { View } from './store';

/** Tiles of the wall: 2 × 2. */
export const WALL_TILES = 4;

export interface VideoDock {
  /** The cameras to offer, nearest first; `shown` is the one playing. */
  cameraIds: string[];
  shown: string;
  /** The alarm that opened it, if an alarm did. */
  alarmId: string | null;
}

export interface VideoPrefs {
  /** Open the first camera of a new critical alarm by itself. */
  popupCritical: boolean;
  /** Each scene's wall: a camera id (or null) per tile. */
  wall: Record<Scene, (string | null)[]>;
}

export interface VideoState extends VideoPrefs {
  /** Whose choices these are (the logged-in username), null when nobody is. */
  user: string | null;
  dock: VideoDock | null;
  /** The wall of this scene is open, or null. */
  wallScene: Scene | null;
}

export interface VideoActions {
  /** Loads `user`'s remembered choices (and closes what the previous user had open). */
  useUser(user: string | null): void;
  openCameras(cameraIds: readonly string[], alarmId?: string | null): void;
  show(cameraId: string): void;
  closeDock(): void;
  setPopupCritical(on: boolean): void;
  openWall(scene: Scene | null): void;
  setWallTile(scene: Scene, tile: number, cameraId: string | null): void;
}

const emptyWall = (): Record<Scene, (string | null)[]> => Object.fromEntries(SCENES.map((s) => [s, Array<string | null>(WALL_TILES).fill(null)])) as Record<Scene, (string | null)[]>;
const DEFAULT_PREFS: VideoPrefs = { popupCritical: true, wall: emptyWall() };

export const prefsKey = (user: string) => `citytwin.video.${user}`;

/** A user's remembered choices; defaults for anything missing or malformed. */
export function loadPrefs(user: string | null, storage: Pick<Storage, 'getItem'> | null = globalThis.localStorage ?? null): VideoPrefs {
  const wall = emptyWall();
  if (!user || !storage) return { ...DEFAULT_PREFS, wall };
  try {
    const raw = JSON.parse(storage.getItem(prefsKey(user)) ?? '{}') as Partial<VideoPrefs>;
    for (const s of SCENES) {
      const tiles = raw.wall?.[s];
      if (Array.isArray(tiles)) for (let i = 0; i < WALL_TILES; i++) wall[s][i] = typeof tiles[i] === 'string' ? (tiles[i] as string) : null;
    }
    return { popupCritical: typeof raw.popupCritical === 'boolean' ? raw.popupCritical : DEFAULT_PREFS.popupCritical, wall };
  } catch {
    return { ...DEFAULT_PREFS, wall };
  }
}

function savePrefs(s: VideoState): void {
  if (!s.user || typeof localStorage === 'undefined') return;
  const prefs: VideoPrefs = { popupCritical: s.popupCritical, wall: s.wall };
  localStorage.setItem(prefsKey(s.user), JSON.stringify(prefs));
}

export const video = createStore<VideoState & VideoActions>()((set, get) => {
  const change = (patch: Partial<VideoState>) => {
    set(patch);
    savePrefs(get());
  };
  return {
    user: null,
    dock: null,
    wallScene: null,
    ...DEFAULT_PREFS,
    wall: emptyWall(),
    useUser: (user) => {
      if (user === get().user) return;
      set({ user, dock: null, wallScene: null, ...loadPrefs(user) });
    },
    openCameras: (cameraIds, alarmId = null) => {
      if (cameraIds.length === 0) return;
      set({ dock: { cameraIds: [...cameraIds], shown: cameraIds[0], alarmId } });
    },
    show: (cameraId) => {
      const d = get().dock;
      if (d && d.cameraIds.includes(cameraId)) set({ dock: { ...d, shown: cameraId } });
    },
    closeDock: () => set({ dock: null }),
    setPopupCritical: (on) => change({ popupCritical: on }),
    openWall: (scene) => set({ wallScene: scene }),
    setWallTile: (scene, tile, cameraId) => {
      const tiles = [...get().wall[scene]];
      tiles[tile] = cameraId;
      change({ wall: { ...get().wall, [scene]: tiles } });
    },
  };
});

/** Who is watching what: the alarms whose camera may pop up are those of what is on screen and of the operator's role. */
export interface Watching {
  /** The view on screen: a scene, or the overview of all three. */
  view: View;
  /** The logged-in role; nobody logged in gets no popup. */
  role: Role | null;
}

/**
 * The alarm whose camera should pop up now: an unacknowledged critical alarm with cameras, raised
 * (or turned critical) since `sinceMs` and not seen critical before, while the operator wants that,
 * in the scene on screen (any scene in the overview) and in a scene the operator's role answers
 * for: a park manager's screen is not taken over by a pit's camera.
 * `seen` is updated with every alarm looked at; alarms already open when the page opened stay quiet,
 * and so do alarms that were off screen when they arrived.
 */
export function criticalToPopUp(alarms: Iterable<AlarmRecord>, seen: Set<string>, popupCritical: boolean, sinceMs: number, watching: Watching): AlarmRecord | null {
  let pick: AlarmRecord | null = null;
  const { view, role } = watching;
  for (const a of alarms) {
    const key = `${a.id}|${a.severity}`;
    const fresh = !seen.has(key);
    seen.add(key);
    if (!fresh || !popupCritical || a.severity !== 'critical' || a.state !== 'active_unack' || !a.cameraIds?.length || a.updatedAt < sinceMs) continue;
    if (role === null || !roleOwnsScene(role, a.scene) || (view !== 'overview' && view !== a.scene)) continue;
    if (!pick || a.raisedAt > pick.raisedAt) pick = a;
  }
  return pick;
}
