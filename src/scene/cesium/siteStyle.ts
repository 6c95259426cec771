/** How sites look: which kinds are filled and labelled, their colours, label text, tank shapes. */
import {
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  CylinderGeometry,
  EllipsoidGeometry,
  GeometryInstance,
  PerInstanceColorAppearance,
  Transforms,
} from 'cesium';
import type { Site } from '../../contracts';
import type { Lang } from '../../state/store';
import { PALETTE, RISK_CSS } from './colors';
import { linesOf, polygonsOf, ringCentre } from './geojson';

export const FILL_KINDS = new Set(['plant', 'enterprise', 'space', 'lot', 'tankfarm']);
/** Filled kinds that lie inside another filled site, drawn over it. */
export const INNER_KINDS = new Set(['space', 'tankfarm']);
export const LABEL_KINDS = new Set(['plant', 'enterprise', 'tankfarm', 'area']);
/** Camera distance under which a kind's name shows, m. */
export const LABEL_RANGE_M: Partial<Record<string, number>> = { plant: 12_000, enterprise: 14_000, tankfarm: 3_500 };

/** A site's name in the language, wrapped into short lines (parcels are narrow on screen). */
export function siteLabel(site: Site, lang: Lang): string {
  const text = lang === 'zh' ? site.nameZh || site.name : site.name || site.nameZh;
  const cjk = /[\u3400-\u9fff]/.test(text);
  const max = cjk ? WRAP_CJK : WRAP_LATIN;
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

/** Fill of a site: enterprises by risk level, spaces violet, the rest a dim slate. */
export function fillColor(site: Site): Color {
  if (site.kind === 'enterprise' && site.props?.riskLevel) return Color.fromCssColorString(RISK_CSS[site.props.riskLevel]).withAlpha(0.55);
  if (site.kind === 'space') return PALETTE.spaceFill;
  return PALETTE.plantFill;
}

/** Outline of a site. */
export function lineColor(site: Site): Color {
  if (site.kind === 'enterprise' && site.props?.riskLevel) return Color.fromCssColorString(RISK_CSS[site.props.riskLevel]);
  if (site.kind === 'area') return PALETTE.areaLine.withAlpha(0.45);
  if (site.kind === 'space') return PALETTE.spaceLine;
  return PALETTE.plantLine.withAlpha(0.75);
}

/** Width of a road segment by class, px. */
export function segmentWidthPx(site: Site): number {
  const cls = site.props?.roadClass;
  return cls === 'expressway' ? 5 : cls === 'arterial' ? 4 : 3;
}

/** A site's point, or the mean of its first polygon's outer ring. */
export function centreOf(site: Site): [number, number] | null {
  const g = site.geometry;
  if (g.type === 'Point') return [g.coordinates[0], g.coordinates[1]];
  const polys = polygonsOf(g);
  if (polys.length > 0) return ringCentre(polys[0][0]);
  return null;
}

/** A tank as a short cylinder (a sphere for spherical tanks) standing on the ground. */
export function tankInstance(site: Site, pickId: string): GeometryInstance | null {
  const c = centreOf(site);
  if (!c) return null;
  const radiusM = site.props?.radiusM ?? 10;
  const heightM = site.props?.heightM ?? 14;
  const sphere = site.props?.tankType === 'sphere';
  const centre = Cartesian3.fromDegrees(c[0], c[1], sphere ? radiusM + 2 : heightM / 2);
  return new GeometryInstance({
    id: pickId,
    geometry: sphere
      ? new EllipsoidGeometry({ radii: new Cartesian3(radiusM, radiusM, radiusM), vertexFormat: PerInstanceColorAppearance.VERTEX_FORMAT })
      : new CylinderGeometry({ length: heightM, topRadius: radiusM, bottomRadius: radiusM, slices: 24, vertexFormat: PerInstanceColorAppearance.VERTEX_FORMAT }),
    modelMatrix: Transforms.eastNorthUpToFixedFrame(centre),
    attributes: { color: ColorGeometryInstanceAttribute.fromColor(PALETTE.tank) },
  });
}
