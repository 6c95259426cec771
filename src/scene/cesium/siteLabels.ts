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
  VerticalOrigin,
  type Label,
  type Scene,
} from 'cesium';
import type { Site } from '../../contracts';
import type { Lang } from '../../state/store';
import { PALETTE } from './colors';
import { linesOf } from './geojson';
import { centreOf } from './siteStyle';

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
 * Where a site's name goes: parcels hang it just inside their north edge (below it), so
 * neighbouring parcels' names do not collide; scene areas put it above their box, or below when
 * another area lies close to the north (their names would overlap at city scale).
 */
export function labelPlace(site: Site, areas: readonly Site[]): { lonDeg: number; latDeg: number; below: boolean } | null {
  const c = centreOf(site);
  if (!c) return null;
  const lats = linesOf(site.geometry).flat().map((p) => p[1]);
  if (lats.length === 0) return { lonDeg: c[0], latDeg: c[1], below: true };
  const [south, north] = [Math.min(...lats), Math.max(...lats)];
  if (site.kind !== 'area') return { lonDeg: c[0], latDeg: north, below: true };
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
  destroy(): void;
}

export function createSiteLabels(scene: Scene, sites: ReadonlyMap<string, Site>, lang: Lang): SiteLabels {
  const labels = scene.primitives.add(new LabelCollection({ scene })) as LabelCollection;
  const named: { label: Label; site: Site }[] = [];
  const areas = [...sites.values()].filter((s) => s.kind === 'area');
  for (const site of sites.values()) {
    if (!LABEL_KINDS.has(site.kind)) continue;
    const place = labelPlace(site, areas);
    if (!place) continue;
    const area = site.kind === 'area';
    const label = labels.add({
      position: Cartesian3.fromDegrees(place.lonDeg, place.latDeg, 30),
      text: siteLabel(site, lang),
      font: `${area ? '600 13px' : '500 12px'} "Noto Sans SC", "Microsoft YaHei", system-ui, sans-serif`,
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
    named.push({ label, site });
  }

  return {
    setLang(l) {
      for (const { label, site } of named) label.text = siteLabel(site, l);
      scene.requestRender();
    },
    destroy() {
      scene.primitives.remove(labels);
    },
  };
}
