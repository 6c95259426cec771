/** How sites look: which kinds are filled, their colours, tank shapes. */
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
import { assessedLevel } from '../../domain';
import { RISK_CSS } from '../../view';
import { PALETTE } from './colors';
import { polygonsOf, ringCentre } from './geojson';

export const FILL_KINDS = new Set(['plant', 'enterprise', 'space', 'lot', 'tankfarm']);
/** Filled kinds that lie inside another filled site, drawn over it. */
export const INNER_KINDS = new Set(['space', 'tankfarm']);
/** The four-colour map's colour of an enterprise: its assessed level, never its alarms (those are drawn over it). */
function assessedCss(site: Site): string | null {
  const level = site.kind === 'enterprise' ? assessedLevel(site) : null;
  return level ? RISK_CSS[level] : null;
}

/** Fill of a site: enterprises by assessed risk level, spaces violet, the rest a dim slate. */
export function fillColor(site: Site): Color {
  const risk = assessedCss(site);
  if (risk) return Color.fromCssColorString(risk).withAlpha(0.5);
  if (site.kind === 'space') return PALETTE.spaceFill;
  return PALETTE.plantFill;
}

/** Outline of a site. */
export function lineColor(site: Site): Color {
  const risk = assessedCss(site);
  if (risk) return Color.fromCssColorString(risk);
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
