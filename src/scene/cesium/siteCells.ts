/**
 * Site shapes built by cell when the camera comes to them. A city's registry has ~20,000 sites;
 * built all at once, Cesium spent about half a second of main thread in their ground primitives'
 * first updates before the first live frame, though from the city view most are off screen or a
 * pixel wide. Here things are grouped by band and by the cell of their anchor (CELL_DEG), and a
 * group is wanted while
 *  - its box, with a margin, is in the camera's view (frustum), and
 *  - the camera is near enough that its largest thing is at least MIN_PX on screen, and
 *  - for parcels ('near' bands): the camera is below `nearMaxHeightM` (the height beyond which the
 *    device layer's far-zoom marks stand for them, when the registry is aggregated).
 * A group is built the first time it is wanted; shown only while it is wanted (a hidden primitive
 * is skipped by Cesium's update: after a tour of the city every built parcel was drawn from the
 * city view, frames 3× slower); and destroyed once not wanted for EVICT_MS, to be built again
 * (in the colours of then) when the camera comes back. Nothing here draws: `build` is the owner's.
 */
import { BoundingSphere, Cartesian3, Intersect, Math as CesiumMath, PerspectiveFrustum, type Camera } from 'cesium';
import { AGGREGATE_ABOVE, FAR_M } from './deviceClusters';

/** Which group a thing is judged in: roads and scene areas show from any height; parcels split by size. */
export type Band = 'far' | 'big' | 'small';

/** A thing's place: its anchor (which cell), its lon/lat box, degrees, and its size on the ground, m. */
export interface Placed {
  lonDeg: number;
  latDeg: number;
  west: number;
  south: number;
  east: number;
  north: number;
  sizeM: number;
  band: Band;
}

/** A thing is built once it would be this many pixels across. */
export const MIN_PX = 1;
/** Things smaller than this are in the 'small' band (spaces, tanks), m. */
const SMALL_M = 100;
/** Margin around a group's box when testing the view: its radius times this, plus MARGIN_M. */
const MARGIN_SCALE = 1.25;
const MARGIN_M = 2_000;
const M_PER_DEG = 111_320;

/** The camera height beyond which parcels are not built: the far-zoom marks' when the registry has them. */
export function parcelCeilingM(deviceCount: number): number {
  return deviceCount > AGGREGATE_ABOVE ? FAR_M : Number.POSITIVE_INFINITY;
}

/** Box and size of a set of lon/lat points (a sizeM floor for points: a tank's diameter). */
export function placeOf(points: readonly (readonly number[])[], band: 'far' | 'parcel', minSizeM = 0): Placed | null {
  if (points.length === 0) return null;
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of points) {
    if (p[0] < west) west = p[0];
    if (p[0] > east) east = p[0];
    if (p[1] < south) south = p[1];
    if (p[1] > north) north = p[1];
  }
  const mPerDegLon = M_PER_DEG * Math.cos(CesiumMath.toRadians((south + north) / 2));
  const sizeM = Math.max(minSizeM, (east - west) * mPerDegLon, (north - south) * M_PER_DEG);
  return { lonDeg: points[0][0], latDeg: points[0][1], west, south, east, north, sizeM, band: band === 'far' ? 'far' : sizeM < SMALL_M ? 'small' : 'big' };
}

/**
 * Cell size per band, degrees. Each built group is a few primitives, each a few draw calls in every
 * frame after: 10-km cells (siteLabels.ts's) made 212 road groups at the city view of 25,000
 * devices where there was one primitive, and the frames before the first live one drew slower.
 * Roads show from any height, so from the city view they are all built anyway: their cells are
 * ~100 km; parcels' ~20 km.
 */
const CELL_DEG: Readonly<Record<Band, number>> = { far: 1, big: 0.2, small: 0.2 };

/** The group a thing at lon/lat in `band` is built with. */
function groupKey(band: Band, lonDeg: number, latDeg: number): string {
  const d = CELL_DEG[band];
  return `${band}:${Math.floor(lonDeg / d)},${Math.floor(latDeg / d)}`;
}

/** The group a thing is built with: its band and its anchor's cell. */
export function groupKeyOf(place: Placed): string {
  return groupKey(place.band, place.lonDeg, place.latDeg);
}

/** A built group not wanted for this long is destroyed (built again when the camera comes back), ms. */
export const EVICT_MS = 60_000;
/** How often built groups are looked at for eviction while the camera stays put, ms. */
const SWEEP_MS = 5_000;

/** What the owner's `build` gives back for a group: shown or hidden, and destroyed. */
export interface BuiltGroup {
  show(visible: boolean): void;
  destroy(): void;
}

interface Group<T> {
  key: string;
  band: Band;
  items: T[];
  west: number;
  south: number;
  east: number;
  north: number;
  maxSizeM: number;
  sphere: BoundingSphere | null;
  /** Its primitives while built (KEPT for an owner that gives back nothing). */
  built: BuiltGroup | null;
  shown: boolean;
  /** When it was last wanted (or built), ms. */
  seenMs: number;
}

export interface SiteCells<T> {
  /** Adds a thing to its group (before that group is built). */
  add(item: T, place: Placed): void;
  /**
   * Builds every group the camera now calls for (see above), shows the built ones it calls for and
   * hides the others, destroys those not called for since EVICT_MS before `nowMs`; true when any
   * group was built, shown or destroyed (a frame is due).
   */
  update(camera: Camera, heightPx: number, nowMs?: number): boolean;
  /**
   * Builds a group now and keeps it shown and built wherever the camera is (groupKeyOf: a selected
   * site must show at once); null lets the pinned group go. True when its group was built or shown.
   */
  pin(key: string | null): boolean;
  /** Takes a group the owner built before (its things added here already) as built and shown, with its handle. */
  adopt(key: string, built: BuiltGroup): void;
  /** Groups built (of them shown) and waiting. */
  readonly counts: { built: number; shown: number; waiting: number };
}

/** What a group is built as when its owner gives back nothing: built once, always shown, never destroyed. */
const KEPT: BuiltGroup = { show() {}, destroy() {} };

export function createSiteCells<T>(build: (items: T[], groupKey: string) => BuiltGroup | void, nearMaxHeightM: number): SiteCells<T> {
  const groups = new Map<string, Group<T>>();
  const waiting = new Set<Group<T>>();
  const built = new Set<Group<T>>();
  /** The camera state last judged; an unchanged camera with no new group costs nothing. */
  let last = { pos: new Cartesian3(NaN), dir: new Cartesian3(), up: new Cartesian3(), px: 0, fovy: 0, aspect: 0 };
  let added = false;
  let lastSweepMs = -Infinity;
  let pinned: Group<T> | null = null;

  const run = (g: Group<T>, nowMs: number) => {
    waiting.delete(g);
    built.add(g);
    g.built = build(g.items, g.key) ?? KEPT;
    g.shown = true;
    g.seenMs = nowMs;
  };
  const setShown = (g: Group<T>, visible: boolean): boolean => {
    if (!g.built || g.shown === visible) return false;
    g.shown = visible;
    g.built.show(visible);
    return true;
  };
  const evict = (g: Group<T>) => {
    g.built?.destroy();
    g.built = null;
    g.shown = false;
    built.delete(g);
    waiting.add(g);
  };
  const sphereOf = (g: Group<T>): BoundingSphere => {
    if (!g.sphere) {
      const corners = Cartesian3.fromDegreesArrayHeights([g.west, g.south, 0, g.east, g.south, 0, g.west, g.north, 0, g.east, g.north, 0, (g.west + g.east) / 2, (g.south + g.north) / 2, 100]);
      g.sphere = BoundingSphere.fromPoints(corners);
    }
    return g.sphere;
  };

  return {
    add(item, place) {
      const key = groupKeyOf(place);
      let g = groups.get(key);
      if (g?.built) throw new Error(`site cell ${key} is built already`);
      if (!g) {
        g = { key, band: place.band, items: [], west: place.west, south: place.south, east: place.east, north: place.north, maxSizeM: 0, sphere: null, built: null, shown: false, seenMs: 0 };
        groups.set(key, g);
      }
      g.items.push(item);
      g.west = Math.min(g.west, place.west);
      g.south = Math.min(g.south, place.south);
      g.east = Math.max(g.east, place.east);
      g.north = Math.max(g.north, place.north);
      g.maxSizeM = Math.max(g.maxSizeM, place.sizeM);
      g.sphere = null;
      waiting.add(g);
      added = true;
    },
    update(camera, heightPx, nowMs = performance.now()) {
      if (waiting.size === 0 && built.size === 0) return false;
      const f = camera.frustum as PerspectiveFrustum;
      const fovy = f.fovy ?? CesiumMath.PI_OVER_THREE;
      const pos = camera.positionWC;
      const same =
        !added &&
        heightPx === last.px &&
        fovy === last.fovy &&
        f.aspectRatio === last.aspect &&
        Cartesian3.equalsEpsilon(pos, last.pos, 0, 0.01) &&
        Cartesian3.equalsEpsilon(camera.directionWC, last.dir, 1e-9) &&
        Cartesian3.equalsEpsilon(camera.upWC, last.up, 1e-9);
      // An unchanged camera wants what it wanted: only the eviction clock moves (looked at now and then).
      if (same && nowMs - lastSweepMs < SWEEP_MS) return false;
      lastSweepMs = nowMs;
      added = false;
      last = { pos: Cartesian3.clone(pos), dir: Cartesian3.clone(camera.directionWC), up: Cartesian3.clone(camera.upWC), px: heightPx, fovy, aspect: f.aspectRatio ?? 0 };
      /** Pixels per metre at 1 m distance (the focal length in pixels). */
      const focalPx = heightPx / 2 / Math.tan(fovy / 2);
      const cull = f.computeCullingVolume(pos, camera.directionWC, camera.upWC);
      const height = camera.positionCartographic.height;
      const widened = new BoundingSphere();
      const wanted = (g: Group<T>): boolean => {
        if (g === pinned) return true;
        if (g.band !== 'far' && height > nearMaxHeightM) return false;
        const s = sphereOf(g);
        const dist = Math.max(0, Cartesian3.distance(pos, s.center) - s.radius);
        if (g.maxSizeM * focalPx < MIN_PX * Math.max(dist, 1)) return false;
        widened.center = s.center;
        widened.radius = s.radius * MARGIN_SCALE + MARGIN_M;
        return cull.computeVisibility(widened) !== Intersect.OUTSIDE;
      };
      let changed = false;
      for (const g of [...built]) {
        if (g.built === KEPT) continue;
        if (wanted(g)) {
          g.seenMs = nowMs;
          changed = setShown(g, true) || changed;
        } else if (nowMs - g.seenMs >= EVICT_MS) {
          evict(g);
          changed = true;
        } else changed = setShown(g, false) || changed;
      }
      for (const g of [...waiting]) {
        if (!g.built && wanted(g)) {
          run(g, nowMs);
          changed = true;
        }
      }
      return changed;
    },
    adopt(key, handle) {
      const g = groups.get(key);
      if (!g || g.built) return;
      waiting.delete(g);
      built.add(g);
      g.built = handle;
      g.shown = true;
      g.seenMs = performance.now();
      handle.show(true);
      added = true;
    },
    pin(key) {
      pinned = key === null ? null : groups.get(key) ?? null;
      const g = pinned;
      if (!g) return false;
      if (!g.built) {
        run(g, performance.now());
        return true;
      }
      return setShown(g, true);
    },
    get counts() {
      let shown = 0;
      for (const g of built) if (g.shown) shown++;
      return { built: built.size, shown, waiting: waiting.size };
    },
  };
}
