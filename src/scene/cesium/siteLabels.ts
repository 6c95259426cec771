/**
 * Site names as one LabelCollection: parcels (plants, enterprises, tank farms) when the camera is
 * close, scene areas from afar (the city cockpit), in the store's language.
 */
import {
  Cartesian2,
  Cartesian3,
  DistanceDisplayCondition,
  HorizontalOrigin,
  LabelCollection,
  LabelStyle,
  Math as CesiumMath,
  VerticalOrigin,
  type Label,
  type Scene,
} from 'cesium';
import type { Site } from '../../contracts';
import type { Lang } from '../../state/store';
import { LABEL_FAMILIES, PALETTE } from './colors';
import { linesOf } from './geojson';
import { centreOf } from './siteStyle';
import { LABEL_SHADER, createLabelCollection } from './labelShader';

/** Kinds whose name is shown. */
const LABEL_KINDS = new Set(['plant', 'enterprise', 'tankfarm', 'area']);
/** Camera distance under which a kind's name shows, m. */
const LABEL_RANGE_M: Partial<Record<string, number>> = { plant: 12_000, enterprise: 14_000, tankfarm: 3_500 };

/** A site's name in the language, wrapped into short lines (parcels are narrow on screen). */
export function siteLabel(site: Site, lang: Lang): string {
  const text = lang === 'zh' ? site.nameZh || site.name : site.name || site.nameZh;
  const cjk = /[\u3400-\u9fff]/.test(text);
  // Scene areas are labelled from afar, where there is room for longer lines.
  const max = (cjk ? WRAP_CJK : WRAP_LATIN) * (site.kind === 'area' ? 2 : 1);
  if (text.length <= max) return text;
  if (cjk) {
    const n = Math.ceil(text.length / max);
    const per = Math.ceil(text.length / n);
    return Array.from({ length: n }, (_, i) => text.slice(i * per, (i + 1) * per)).join('\n');
  }
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= max) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.join('\n');
}

/** Longest label line, characters (about 90 px at 12 px). */
const WRAP_LATIN = 15;
const WRAP_CJK = 8;

/**
 * Where a site's name goes: parcels stand it on their north edge (above it), clear of the device
 * points and camera icons inside the parcel, which covered it at a scene's default range; scene
 * areas put it above their box, or below when another area lies close to the north (their names
 * would overlap at city scale).
 */
export function labelPlace(site: Site, areas: readonly Site[]): { lonDeg: number; latDeg: number; below: boolean } | null {
  const c = centreOf(site);
  if (!c) return null;
  const lats = linesOf(site.geometry).flat().map((p) => p[1]);
  if (lats.length === 0) return { lonDeg: c[0], latDeg: c[1], below: true };
  const [south, north] = [Math.min(...lats), Math.max(...lats)];
  if (site.kind !== 'area') return { lonDeg: c[0], latDeg: north, below: false };
  const crowded = areas.some((a) => {
    const o = a !== site ? centreOf(a) : null;
    return o !== null && o[1] > c[1] && Math.hypot(o[0] - c[0], o[1] - c[1]) < AREA_NEAR_DEG;
  });
  return crowded ? { lonDeg: c[0], latDeg: south, below: true } : { lonDeg: c[0], latDeg: north, below: false };
}

/** Scene areas closer than this (centre to centre, degrees ≈ 30 km) label on opposite sides. */
const AREA_NEAR_DEG = 0.3;

export interface SiteLabels {
  setLang(lang: Lang): void;
  /** Names made now, parcels' cells made and waiting. */
  readonly counts: { labels: number; cellsMade: number; cellsWaiting: number };
  destroy(): void;
}

/** A cell's names are removed once the camera is farther than this many times their range from it. */
const KEEP_SCALE = 1.5;
/** Grid cells parcels' names are made by, degrees (about 10 km). */
const CELL_DEG = 0.1;
/** Metres in a degree of latitude (and of longitude at the equator). */
const M_PER_DEG = 111_320;
const EARTH_RADIUS_M = 6_371_000;
/** The farthest a parcel's name shows from, m. */
const PARCEL_RANGE_MAX_M = Math.max(...Object.values(LABEL_RANGE_M).map((m) => m ?? 0), 9_000);

/** The grid cell a name at lon/lat (degrees) is made with. */
export function cellOf(lonDeg: number, latDeg: number): string {
  return `${Math.floor(lonDeg / CELL_DEG)},${Math.floor(latDeg / CELL_DEG)}`;
}

/** Every cell holding a point within `rangeM` (horizontally) of lon/lat, degrees. */
export function cellsWithin(lonDeg: number, latDeg: number, rangeM: number): string[] {
  const x = Math.floor(lonDeg / CELL_DEG);
  const y = Math.floor(latDeg / CELL_DEG);
  const ny = Math.ceil(rangeM / M_PER_DEG / CELL_DEG);
  // A degree of longitude is shortest at the range's edge nearest the pole.
  const cosLat = Math.cos(Math.min(1.5, CesiumMath.toRadians(Math.abs(latDeg)) + rangeM / EARTH_RADIUS_M));
  const nx = Math.ceil(rangeM / (M_PER_DEG * cosLat) / CELL_DEG);
  const out: string[] = [];
  for (let i = x - nx; i <= x + nx; i++) for (let j = y - ny; j <= y + ny; j++) out.push(`${i},${j}`);
  return out;
}

/**
 * Site names. Scene areas' are made at once (they show from afar). A parcel's name shows only
 * within its kind's range (at most PARCEL_RANGE_MAX_M), so parcels' names are made by grid cell,
 * the first time the camera comes within that range of the cell: a city has thousands (4,174 at
 * 25,000 devices, about 50,000 glyphs), whose first layout cost Cesium a second of the frame
 * after the registry landed, while not one of them shows from the city view. A cell's names are
 * removed again once the camera is beyond KEEP_SCALE × that range (made again when it comes back;
 * the collection keeps the glyphs): after a tour of the city every name stayed in the collection,
 * each glyph put through the shader in every frame to be hidden by its distance there.
 */
export function createSiteLabels(scene: Scene, sites: ReadonlyMap<string, Site>, lang: Lang): SiteLabels {
  let labels = scene.primitives.add(createLabelCollection(scene)) as LabelCollection;
  type Place = { lonDeg: number; latDeg: number; below: boolean };
  type Named = { label: Label; site: Site; place: Place };
  type Waiting = { site: Site; place: Place };
  /** Scene areas' names, and each made cell's with what it was made from. */
  let areaNames: Named[] = [];
  const made = new Map<string, { names: Named[]; from: Waiting[] }>();
  let current = lang;
  const areas = [...sites.values()].filter((s) => s.kind === 'area');
  const add = (site: Site, place: Place): Named => {
    const area = site.kind === 'area';
    const label = labels.add({
      ...LABEL_SHADER,
      position: Cartesian3.fromDegrees(place.lonDeg, place.latDeg, 30),
      text: siteLabel(site, current),
      font: `${area ? '600 13px' : '500 12px'} ${LABEL_FAMILIES}`,
      fillColor: area ? PALETTE.areaLabel : PALETTE.siteLabel,
      outlineColor: PALETTE.background,
      outlineWidth: 3,
      style: LabelStyle.FILL_AND_OUTLINE,
      horizontalOrigin: HorizontalOrigin.CENTER,
      verticalOrigin: place.below ? VerticalOrigin.TOP : VerticalOrigin.BOTTOM,
      pixelOffset: new Cartesian2(0, place.below ? 4 : -4),
      disableDepthTestDistance: Number.POSITIVE_INFINITY,
      // Scene areas are named from afar (the city cockpit); parcels only when close.
      distanceDisplayCondition: area ? new DistanceDisplayCondition(25_000, 600_000) : new DistanceDisplayCondition(0, LABEL_RANGE_M[site.kind] ?? 9_000),
    });
    return { label, site, place };
  };

  // Parcels waiting for the camera, by cell.
  const waiting = new Map<string, Waiting[]>();
  for (const site of sites.values()) {
    if (!LABEL_KINDS.has(site.kind)) continue;
    const place = labelPlace(site, areas);
    if (!place) continue;
    if (site.kind === 'area') {
      areaNames.push(add(site, place));
      continue;
    }
    const key = cellOf(place.lonDeg, place.latDeg);
    const list = waiting.get(key);
    if (list) list.push({ site, place });
    else waiting.set(key, [{ site, place }]);
  }

  // Before each frame is drawn (so a name made now is in it): when the camera is within range of
  // the ground, the names of every cell within range of it are made; the names of cells beyond
  // KEEP_SCALE × that range are removed (the camera above it: all parcels' names). Unchanged cell
  // and band, no work.
  let lastAt = '-';
  const makeNear = (): boolean => {
    const c = scene.camera.positionCartographic;
    const keepM = PARCEL_RANGE_MAX_M * KEEP_SCALE;
    const near = c.height <= PARCEL_RANGE_MAX_M;
    const lonDeg = CesiumMath.toDegrees(c.longitude);
    const latDeg = CesiumMath.toDegrees(c.latitude);
    const at = c.height <= keepM ? `${near ? 'near' : 'kept'}:${cellOf(lonDeg, latDeg)}` : '';
    if (at === lastAt) return false;
    lastAt = at;
    let changed = false;
    const keep = new Set(at ? cellsWithin(lonDeg, latDeg, keepM) : []);
    for (const [key, cell] of made) {
      if (keep.has(key)) continue;
      for (const { label } of cell.names) labels.remove(label);
      made.delete(key);
      waiting.set(key, cell.from);
      changed = true;
    }
    // Cesium keeps a removed label's glyph quads in the collection, hidden, for the next label: they
    // would still go through the shader in every frame. With no parcel's name left (the camera far
    // up), the collection is made anew with the areas' names alone.
    if (changed && made.size === 0) {
      scene.primitives.remove(labels);
      labels = scene.primitives.add(createLabelCollection(scene)) as LabelCollection;
      areaNames = areaNames.map((n) => add(n.site, n.place));
    }
    if (!near) return changed;
    for (const key of cellsWithin(lonDeg, latDeg, PARCEL_RANGE_MAX_M)) {
      const list = waiting.get(key);
      if (!list) continue;
      waiting.delete(key);
      made.set(key, { names: list.map((w) => add(w.site, w.place)), from: list });
      changed = true;
    }
    return changed;
  };
  const removePreRender = scene.preRender.addEventListener(() => {
    if (makeNear()) scene.requestRender();
  });
  if (makeNear()) scene.requestRender();

  return {
    setLang(l) {
      current = l;
      for (const { label, site } of [...areaNames, ...[...made.values()].flatMap((c) => c.names)]) label.text = siteLabel(site, l);
      scene.requestRender();
    },
    get counts() {
      return { labels: labels.length, cellsMade: made.size, cellsWaiting: waiting.size };
    },
    destroy() {
      removePreRender();
      scene.primitives.remove(labels);
    },
  };
}
