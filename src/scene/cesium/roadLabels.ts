/**
 * Road, ramp and interchange names on the base map, shown only when the camera is close (a view
 * zoomed to an incident), so the overview stays clean: a road's name every ~10 km along it (at
 * least once, at its middle), an interchange's name at its point. Ramps are drawn, not named.
 */
import { Cartesian2, Cartesian3, DistanceDisplayCondition, HorizontalOrigin, LabelStyle, VerticalOrigin, type Label, type LabelCollection } from 'cesium';
import { LABEL_FAMILIES, PALETTE } from './colors';
import type { Feature, Position } from './geojson';
import { LABEL_SHADER } from './labelShader';

/** A road name repeats about this often along the road, m. */
const LABEL_EVERY_M = 10_000;
/** Road names appear below this camera distance, m; interchange names closer still. */
const ROAD_LABEL_FAR_M = 40_000;
const INTERCHANGE_LABEL_FAR_M = 25_000;
/** No road or interchange name shows while the camera is higher than this above the ground, m (a name sits 30 m up). */
export const ROAD_LABELS_SHOWN_BELOW_M = Math.max(ROAD_LABEL_FAR_M, INTERCHANGE_LABEL_FAR_M) + 30;
const FONT = `500 13px ${LABEL_FAMILIES}`;

export interface NamedLabel {
  label: Label;
  name: string;
  nameZh: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Metres between two lon/lat positions (equirectangular: plenty for label spacing). */
function stepM(a: Position, b: Position): number {
  const x = (b[0] - a[0]) * Math.cos(((a[1] + b[1]) / 2) * (Math.PI / 180)) * 111_320;
  const y = (b[1] - a[1]) * 111_320;
  return Math.hypot(x, y);
}

/** Points along a line at the middles of `n` equal stretches, with n = length / LABEL_EVERY_M (at least 1). */
export function labelPoints(line: readonly Position[]): Position[] {
  const steps = line.slice(1).map((p, i) => stepM(line[i], p));
  const total = steps.reduce((s, d) => s + d, 0);
  if (!(total > 0)) return [];
  const n = Math.max(1, Math.round(total / LABEL_EVERY_M));
  const out: Position[] = [];
  for (let k = 0; k < n; k++) {
    let want = ((k + 0.5) / n) * total;
    let i = 0;
    while (i < steps.length - 1 && want > steps[i]) want -= steps[i++];
    const t = steps[i] > 0 ? want / steps[i] : 0;
    out.push([line[i][0] + (line[i + 1][0] - line[i][0]) * t, line[i][1] + (line[i + 1][1] - line[i][1]) * t]);
  }
  return out;
}

/** Adds the names of the roads layer's roads and interchanges to `labels`; the caller switches their language. */
export function addRoadLabels(labels: LabelCollection, features: readonly Feature[], lang: 'zh' | 'en'): NamedLabel[] {
  const named: NamedLabel[] = [];
  const add = (at: Position, name: string, nameZh: string, farM: number, colour = PALETTE.siteLabel) => {
    const label = labels.add({
      ...LABEL_SHADER,
      position: Cartesian3.fromDegrees(at[0], at[1], 30),
      text: lang === 'zh' ? nameZh || name : name || nameZh,
      font: FONT,
      fillColor: colour,
      outlineColor: PALETTE.background,
      outlineWidth: 3,
      style: LabelStyle.FILL_AND_OUTLINE,
      horizontalOrigin: HorizontalOrigin.CENTER,
      verticalOrigin: VerticalOrigin.BOTTOM,
      pixelOffset: new Cartesian2(0, -4),
      disableDepthTestDistance: Number.POSITIVE_INFINITY,
      distanceDisplayCondition: new DistanceDisplayCondition(0, farM),
    });
    named.push({ label, name, nameZh });
  };
  for (const f of features) {
    const p = f.properties ?? {};
    const name = str(p.name);
    const nameZh = str(p.nameZh);
    if (!name && !nameZh) continue;
    const g = f.geometry;
    if (g?.type === 'Point' && p.kind === 'interchange') add(g.coordinates as Position, name, nameZh, INTERCHANGE_LABEL_FAR_M, PALETTE.areaLabel);
    else if (g?.type === 'LineString' && p.kind !== 'ramp') {
      for (const at of labelPoints(g.coordinates as Position[])) add(at, name, nameZh, ROAD_LABEL_FAR_M);
    }
  }
  return named;
}
