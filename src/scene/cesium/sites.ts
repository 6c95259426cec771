/**
 * The registry's sites as primitives: plant / enterprise / space / lot polygons (enterprises
 * filled by risk level), tanks as short cylinders (spheres for spherical tanks), road segments as
 * ground polylines with a per-instance colour that can be changed later (congestion), and name
 * labels when close. Pick ids are `site:{siteId}` (with `#n` for extra parts).
 */
import {
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  CorridorGeometry,
  GeometryInstance,
  GroundPolylineGeometry,
  GroundPolylinePrimitive,
  GroundPrimitive,
  PerInstanceColorAppearance,
  PolygonGeometry,
  PolylineColorAppearance,
  Primitive,
  PrimitiveCollection,
  type Scene,
} from 'cesium';
import type { Site } from '../../contracts';
import type { Lang } from '../../state/store';
import { PALETTE } from './colors';
import { cleanLine, linesOf, offsetLine, polygonsOf, toCartesians, toHierarchy, undirectedKey, type Position } from './geojson';
import { createSiteLabels, type SiteLabels } from './siteLabels';
import { FILL_KINDS, INNER_KINDS, fillColor, lineColor, segmentWidthPx, tankInstance } from './siteStyle';

export const SITE_PICK_PREFIX = 'site:';
/**
 * Directed road segments whose reverse also exists are drawn this far to the right of their
 * direction of travel, so both directions (and their detectors) show side by side, m.
 */
export const DIRECTION_OFFSET_M = 25;
/** A bridge deck spans both directions of its road and a margin, m. */
const BRIDGE_WIDTH_M = 2 * DIRECTION_OFFSET_M + 40;

/** The site id of a pick id made here, or null. */
export function siteIdOfPick(id: unknown): string | null {
  if (typeof id !== 'string' || !id.startsWith(SITE_PICK_PREFIX)) return null;
  const rest = id.slice(SITE_PICK_PREFIX.length);
  const hash = rest.lastIndexOf('#');
  return hash >= 0 ? rest.slice(0, hash) : rest;
}

export interface SiteLayer {
  /** Sets a road segment's colour (per-instance attribute; no rebuild). */
  setSegmentColor(segmentId: string, color: Color): void;
  /** The colour this layer draws a segment in (CSS hex; its neutral colour until one is set), or null for no segment. */
  segmentColorCss(segmentId: string): string | null;
  /** Highlights one site (null: none). */
  highlight(siteId: string | null): void;
  /** Where a point on a site is drawn, for its devices: shifted with a two-way segment. */
  shiftedLonLat(siteId: string, lonDeg: number, latDeg: number): [number, number];
  /** All positions of a site's geometry, for framing it. */
  positionsOf(siteId: string): Cartesian3[];
  setLang(lang: Lang): void;
  destroy(): void;
}

/** Which primitive an instance is in: outer fills (plants, enterprises), inner fills drawn over them (spaces, tank farms), segments, tanks. */
type Role = 'fill' | 'inner' | 'segment' | 'tank';
type Colored = { primitive: Primitive | GroundPrimitive | GroundPolylinePrimitive; color: Color };

/** Builds the site primitives for `sites`: ground ones into `ground` (drawn over the base map), the rest into `scene`. */
export function createSiteLayer(scene: Scene, ground: PrimitiveCollection, sites: ReadonlyMap<string, Site>, lang: Lang): SiteLayer {
  const fills: GeometryInstance[] = [];
  const inner: GeometryInstance[] = []; // a second ground primitive: overlapping instances of one do not both draw
  const outlines: GeometryInstance[] = [];
  const segments: GeometryInstance[] = [];
  const tanks: GeometryInstance[] = [];
  /** Pick ids and colours per site id, per primitive role, for highlight and recolouring. */
  const instanceIds = new Map<string, { role: Role; id: string; color: Color }[]>();
  /** Colours set on segments, and the highlighted site: kept across the build, which may come after them. */
  const segmentColors = new Map<string, Color>();
  let highlighted: string | null = null;
  const note = (siteId: string, role: Role, id: string, color: Color) => {
    const list = instanceIds.get(siteId) ?? [];
    list.push({ role, id, color });
    instanceIds.set(siteId, list);
  };

  // Two-way roads: segments whose reverse is also a segment are offset to their right.
  const lineCount = new Map<string, number>();
  for (const site of sites.values()) {
    if (site.kind === 'segment' && site.geometry.type === 'LineString') {
      const k = undirectedKey(site.geometry.coordinates);
      lineCount.set(k, (lineCount.get(k) ?? 0) + 1);
    }
  }
  /** Drawn offset per segment id, as a shift in degrees at the segment's middle. */
  const shifts = new Map<string, [number, number]>();
  const moved = new Map<string, Position[]>();
  const segmentLine = (site: Site, line: Position[]): Position[] => {
    if (site.geometry.type !== 'LineString' || (lineCount.get(undirectedKey(site.geometry.coordinates)) ?? 0) < 2) return line;
    const done = moved.get(site.id);
    if (done) return done;
    const m = offsetLine(line, DIRECTION_OFFSET_M);
    moved.set(site.id, m);
    shifts.set(site.id, [m[0][0] - line[0][0], m[0][1] - line[0][1]]);
    return m;
  };
  // The shifts now (the device points are placed with them); the primitives in a later task below.
  for (const site of sites.values()) {
    const clean = site.kind === 'segment' && site.geometry.type === 'LineString' ? cleanLine(site.geometry.coordinates) : null;
    if (clean) segmentLine(site, clean);
  }

  let fillPrim: GroundPrimitive | null = null;
  let innerPrim: GroundPrimitive | null = null;
  let linePrim: GroundPolylinePrimitive | null = null;
  let segPrim: GroundPolylinePrimitive | null = null;
  let tankPrim: Primitive | null = null;
  let labels: SiteLabels | null = null;
  let labelLang = lang;
  const primitiveOf = (role: Role) => ({ fill: fillPrim, inner: innerPrim, segment: segPrim, tank: tankPrim })[role];

  // At 20,000 sites the instances take most of a second of script: they are made after the task
  // that loads the registry, so its first frame (the device marks, the panels) does not wait. The
  // primitives are asynchronous anyway (geometry made in Cesium's workers, drawn frames later).
  const build = () => {
    for (const site of sites.values()) {
      const id = SITE_PICK_PREFIX + site.id;
      if (site.kind === 'tank') {
        const t = tankInstance(site, id);
        if (t) (tanks.push(t), note(site.id, 'tank', id, PALETTE.tank));
        continue;
      }
      if (site.kind === 'segment') {
        linesOf(site.geometry).forEach((line, k) => {
          const clean = cleanLine(line);
          if (!clean) return;
          const drawn = segmentLine(site, clean);
          const pid = k === 0 ? id : `${id}#${k}`;
          segments.push(
            new GeometryInstance({
              id: pid,
              geometry: new GroundPolylineGeometry({ positions: toCartesians(drawn), width: segmentWidthPx(site) }),
              // A colour set before this build (the road layer colours a new site layer at once) is built in.
              attributes: { color: ColorGeometryInstanceAttribute.fromColor(segmentColors.get(site.id) ?? PALETTE.segment) },
            }),
          );
          note(site.id, 'segment', pid, PALETTE.segment);
        });
        continue;
      }
      const polys = polygonsOf(site.geometry);
      if (FILL_KINDS.has(site.kind)) {
        const color = fillColor(site);
        polys.forEach((rings, k) => {
          if (!rings[0] || rings[0].length < 4) return;
          const pid = k === 0 ? id : `${id}#${k}`;
          (INNER_KINDS.has(site.kind) ? inner : fills).push(
            new GeometryInstance({
              id: pid,
              geometry: new PolygonGeometry({ polygonHierarchy: toHierarchy(rings) }),
              attributes: { color: ColorGeometryInstanceAttribute.fromColor(color) },
            }),
          );
          note(site.id, INNER_KINDS.has(site.kind) ? 'inner' : 'fill', pid, color);
        });
      }
      if (site.kind === 'bridge') {
        // A pale deck in metres, as wide as both directions of its road (they are offset in metres).
        linesOf(site.geometry).forEach((line, k) => {
          const clean = cleanLine(line);
          if (!clean) return;
          const pid = k === 0 ? id : `${id}#${k}`;
          inner.push(
            new GeometryInstance({
              id: pid,
              geometry: new CorridorGeometry({ positions: toCartesians(clean), width: BRIDGE_WIDTH_M }),
              attributes: { color: ColorGeometryInstanceAttribute.fromColor(PALETTE.bridge) },
            }),
          );
          note(site.id, 'inner', pid, PALETTE.bridge);
        });
        continue;
      }
      if (FILL_KINDS.has(site.kind) || site.kind === 'area') {
        const color = lineColor(site);
        const width = site.kind === 'enterprise' ? 2.5 : site.kind === 'area' ? 2 : 1.5;
        for (const rings of polys) {
          const clean = cleanLine(rings[0]);
          if (!clean) continue;
          outlines.push(
            new GeometryInstance({
              id: site.kind === 'area' ? undefined : id,
              geometry: new GroundPolylineGeometry({ positions: toCartesians(clean), width }),
              attributes: { color: ColorGeometryInstanceAttribute.fromColor(color) },
            }),
          );
        }
      }
    }

    const groundFill = (instances: GeometryInstance[]) =>
      instances.length
        ? (ground.add(
            new GroundPrimitive({ geometryInstances: instances, appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }) }),
          ) as GroundPrimitive)
        : null;
    fillPrim = groundFill(fills);
    innerPrim = groundFill(inner);
    linePrim = outlines.length
      ? (ground.add(new GroundPolylinePrimitive({ geometryInstances: outlines, appearance: new PolylineColorAppearance({ translucent: true }) })) as GroundPolylinePrimitive)
      : null;
    segPrim = segments.length
      ? (ground.add(new GroundPolylinePrimitive({ geometryInstances: segments, appearance: new PolylineColorAppearance({ translucent: true }) })) as GroundPolylinePrimitive)
      : null;
    tankPrim = tanks.length
      ? (scene.primitives.add(new Primitive({ geometryInstances: tanks, appearance: new PerInstanceColorAppearance({ translucent: false, closed: true }) })) as Primitive)
      : null;
    labels = createSiteLabels(scene, sites, labelLang);
    if (highlighted) restyle(highlighted);
    scene.requestRender();
  };
  const buildTimer = setTimeout(build, 0);

  /** Sets a colour attribute; false while the primitive is still being built. */
  const setColor = (prim: Colored['primitive'] | null, pickId: string, color: Color): boolean => {
    if (!prim || !prim.ready) return false;
    const attrs = prim.getGeometryInstanceAttributes(pickId) as { color?: Uint8Array } | undefined;
    if (!attrs) return false;
    attrs.color = ColorGeometryInstanceAttribute.toValue(color, attrs.color);
    return true;
  };

  // Attribute changes asked for before the primitives were ready are applied once they are.
  const pending = new Map<string, { role: Role; color: Color }>();
  const apply = (pickId: string, role: Role, color: Color) => {
    if (setColor(primitiveOf(role), pickId, color)) pending.delete(pickId);
    else pending.set(pickId, { role, color });
  };
  const removePostRender = scene.postRender.addEventListener(() => {
    if (pending.size === 0) return;
    for (const [pickId, { role, color }] of [...pending]) apply(pickId, role, color);
    if (pending.size === 0) scene.requestRender();
  });

  const restyle = (siteId: string) => {
    for (const inst of instanceIds.get(siteId) ?? []) {
      let color = inst.role === 'segment' ? segmentColors.get(siteId) ?? inst.color : inst.color;
      if (siteId === highlighted) {
        color = inst.role === 'segment' ? Color.WHITE : inst.role === 'tank' ? Color.fromCssColorString('#e6f0ff') : Color.lerp(color, Color.WHITE, 0.35, new Color()).withAlpha(Math.max(color.alpha, 0.45));
      }
      apply(inst.id, inst.role, color);
    }
    scene.requestRender();
  };

  return {
    setSegmentColor(segmentId, color) {
      segmentColors.set(segmentId, color);
      restyle(segmentId);
    },
    segmentColorCss(segmentId) {
      if (sites.get(segmentId)?.kind !== 'segment') return null;
      // Read back from the primitive once it is drawn: what the operator sees, not what was asked.
      const inst = instanceIds.get(segmentId)?.[0];
      const attrs = inst && segPrim?.ready ? (segPrim.getGeometryInstanceAttributes(inst.id) as { color?: Uint8Array } | undefined) : undefined;
      if (attrs?.color) return Color.fromBytes(attrs.color[0], attrs.color[1], attrs.color[2], attrs.color[3]).toCssHexString();
      return (segmentColors.get(segmentId) ?? PALETTE.segment).toCssHexString();
    },
    highlight(siteId) {
      if (siteId === highlighted) return;
      const prev = highlighted;
      highlighted = siteId;
      if (prev) restyle(prev);
      if (siteId) restyle(siteId);
    },
    shiftedLonLat(siteId, lonDeg, latDeg) {
      const d = shifts.get(siteId);
      return d ? [lonDeg + d[0], latDeg + d[1]] : [lonDeg, latDeg];
    },
    positionsOf(siteId) {
      const site = sites.get(siteId);
      if (!site) return [];
      const g = site.geometry;
      if (g.type === 'Point') return [Cartesian3.fromDegrees(g.coordinates[0], g.coordinates[1], 0)];
      return linesOf(g).flatMap((line) => toCartesians(line));
    },
    setLang(l) {
      labelLang = l;
      labels?.setLang(l);
    },
    destroy() {
      clearTimeout(buildTimer);
      removePostRender();
      if (fillPrim) ground.remove(fillPrim);
      if (innerPrim) ground.remove(innerPrim);
      if (linePrim) ground.remove(linePrim);
      if (segPrim) ground.remove(segPrim);
      if (tankPrim) scene.primitives.remove(tankPrim);
      labels?.destroy();
    },
  };
}
