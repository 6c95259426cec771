/**
 * The registry's sites as primitives: plant / enterprise / space / lot polygons (enterprises
 * filled by risk level), tanks as short cylinders (spheres for spherical tanks), road segments as
 * ground polylines with a per-instance colour that can be changed later (congestion; two-way
 * roads side by side, twoWayRoads.ts), and name labels when close. Pick ids are `site:{siteId}`
 * (with `#n` for extra parts).
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
import { afterNextFrame } from './afterFrame';
import { PALETTE } from './colors';
import { cleanLine, linesOf, polygonsOf, toCartesians, toHierarchy } from './geojson';
import { createSiteLabels, type SiteLabels } from './siteLabels';
import { createSiteCells, groupKeyOf, placeOf, type BuiltGroup, type Placed } from './siteCells';
import { DIRECTION_OFFSET_M, createTwoWayRoads } from './twoWayRoads';
import { FILL_KINDS, INNER_KINDS, centreOf, fillColor, lineColor, segmentWidthPx, tankInstance } from './siteStyle';

export const SITE_PICK_PREFIX = 'site:';
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
  /** What is built now (the bench's tour): cell groups, their primitives, names and their cells. */
  cellCounts(): SiteCellCounts;
  destroy(): void;
}

export interface SiteCellCounts {
  groupsBuilt: number;
  groupsShown: number;
  groupsWaiting: number;
  primitives: number;
  labels: number;
  labelCellsMade: number;
  labelCellsWaiting: number;
}

/** Which primitive an instance is in: outer fills (plants, enterprises), inner fills drawn over them (spaces, tank farms), segments, tanks. */
type Role = 'fill' | 'inner' | 'segment' | 'tank';
type Colored = { primitive: Primitive | GroundPrimitive | GroundPolylinePrimitive; color: Color };

const HIGHLIGHT_TANK = Color.fromCssColorString('#e6f0ff');

/** Where a site is judged for building (siteCells.ts), or null for a site this layer does not draw. */
export function sitePlace(site: Site): Placed | null {
  const g = site.geometry;
  if (site.kind === 'tank') {
    if (g.type === 'Point') return placeOf([g.coordinates], 'parcel', 2 * (site.props?.radiusM ?? 10));
    const c = centreOf(site);
    return c ? placeOf([c], 'parcel', 2 * (site.props?.radiusM ?? 10)) : null;
  }
  const drawn = site.kind === 'segment' || site.kind === 'bridge' || site.kind === 'area' || FILL_KINDS.has(site.kind);
  if (!drawn) return null;
  // Road segments and scene areas are drawn from any height (their widths are in pixels); parcels are not.
  return placeOf(linesOf(g).flat(), site.kind === 'segment' || site.kind === 'area' ? 'far' : 'parcel');
}

/**
 * Builds the site primitives for `sites`, cell by cell as the camera comes to them (siteCells.ts):
 * ground ones into `ground` (drawn over the base map), the rest into `scene`. Parcels are not built
 * above `nearMaxHeightM` (parcelCeilingM: where the far-zoom marks stand for them).
 */
export function createSiteLayer(
  scene: Scene,
  ground: PrimitiveCollection,
  sites: ReadonlyMap<string, Site>,
  lang: Lang,
  nearMaxHeightM = Number.POSITIVE_INFINITY,
): SiteLayer {
  /** Pick ids and colours per site id, per primitive role, for highlight and recolouring. */
  const instanceIds = new Map<string, { role: Role; id: string; color: Color }[]>();
  /** Colours set on segments, and the highlighted site: kept across the build, which may come after them. */
  const segmentColors = new Map<string, Color>();
  let highlighted: string | null = null;
  // Two-way roads: segments whose reverse is also a segment are offset to their right; the shifts
  // now (the device points are placed with them), the offset lines when their cells are built.
  const twoWay = createTwoWayRoads(sites);

  /** Each cell group's primitives (made when the camera comes to it, siteCells.ts), per role. */
  type Built = Partial<Record<Role, Colored['primitive']>>;
  /** Which built primitive each pick id is in. */
  const primOf = new Map<string, Built>();
  // Roles in collections of their own, made in drawing order: a cell built later must not draw its
  // fills over another cell's inner fills, outlines or segments.
  const fillColl = ground.add(new PrimitiveCollection()) as PrimitiveCollection;
  const innerColl = ground.add(new PrimitiveCollection()) as PrimitiveCollection;
  const lineColl = ground.add(new PrimitiveCollection()) as PrimitiveCollection;
  const segColl = ground.add(new PrimitiveCollection()) as PrimitiveCollection;
  const tankColl = scene.primitives.add(new PrimitiveCollection()) as PrimitiveCollection;
  let labels: SiteLabels | null = null;
  let labelLang = lang;

  /** The colour an instance is drawn in now: its own, a segment's set colour, highlighted. */
  const shown = (siteId: string, role: Role, base: Color): Color => {
    const color = role === 'segment' ? segmentColors.get(siteId) ?? base : base;
    if (siteId !== highlighted) return color;
    return role === 'segment' ? Color.WHITE : role === 'tank' ? HIGHLIGHT_TANK : Color.lerp(color, Color.WHITE, 0.35, new Color()).withAlpha(Math.max(color.alpha, 0.45));
  };
  const attr = (siteId: string, role: Role, base: Color) => ({ color: ColorGeometryInstanceAttribute.fromColor(shown(siteId, role, base)) });

  /**
   * Builds the primitives of some sites (one cell group), each instance in the colour it shows now;
   * gives them back to be hidden while out of view and destroyed when not seen for long (siteCells.ts).
   */
  const buildSites = (group: Site[]): BuiltGroup => {
    const fills: GeometryInstance[] = [];
    const inner: GeometryInstance[] = []; // a second ground primitive: overlapping instances of one do not both draw
    const outlines: GeometryInstance[] = [];
    const segments: GeometryInstance[] = [];
    const tanks: GeometryInstance[] = [];
    const ids: string[] = [];
    const note = (siteId: string, role: Role, id: string, color: Color) => {
      const list = instanceIds.get(siteId) ?? [];
      list.push({ role, id, color });
      instanceIds.set(siteId, list);
      ids.push(id);
    };
    for (const site of group) {
      const id = SITE_PICK_PREFIX + site.id;
      if (site.kind === 'tank') {
        const t = tankInstance(site, id);
        if (t) {
          t.attributes.color = attr(site.id, 'tank', PALETTE.tank).color;
          tanks.push(t);
          note(site.id, 'tank', id, PALETTE.tank);
        }
        continue;
      }
      if (site.kind === 'segment') {
        linesOf(site.geometry).forEach((line, k) => {
          const clean = cleanLine(line);
          if (!clean) return;
          const drawn = twoWay.lineOf(site, clean);
          const pid = k === 0 ? id : `${id}#${k}`;
          segments.push(
            new GeometryInstance({
              id: pid,
              geometry: new GroundPolylineGeometry({ positions: toCartesians(drawn), width: segmentWidthPx(site) }),
              // A colour set before this build (the road layer colours a new site layer at once) is built in.
              attributes: attr(site.id, 'segment', PALETTE.segment),
            }),
          );
          note(site.id, 'segment', pid, PALETTE.segment);
        });
        continue;
      }
      const polys = polygonsOf(site.geometry);
      if (FILL_KINDS.has(site.kind)) {
        const color = fillColor(site);
        const role: Role = INNER_KINDS.has(site.kind) ? 'inner' : 'fill';
        polys.forEach((rings, k) => {
          if (!rings[0] || rings[0].length < 4) return;
          const pid = k === 0 ? id : `${id}#${k}`;
          (role === 'inner' ? inner : fills).push(
            new GeometryInstance({ id: pid, geometry: new PolygonGeometry({ polygonHierarchy: toHierarchy(rings) }), attributes: attr(site.id, role, color) }),
          );
          note(site.id, role, pid, color);
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
              attributes: attr(site.id, 'inner', PALETTE.bridge),
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

    const groundFill = (coll: PrimitiveCollection, instances: GeometryInstance[]) =>
      instances.length
        ? (coll.add(new GroundPrimitive({ geometryInstances: instances, appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }) })) as GroundPrimitive)
        : undefined;
    const groundLines = (coll: PrimitiveCollection, instances: GeometryInstance[]) =>
      instances.length
        ? (coll.add(new GroundPolylinePrimitive({ geometryInstances: instances, appearance: new PolylineColorAppearance({ translucent: true }) })) as GroundPolylinePrimitive)
        : undefined;
    const prims: Built = {
      fill: groundFill(fillColl, fills),
      inner: groundFill(innerColl, inner),
      segment: groundLines(segColl, segments),
      tank: tanks.length
        ? (tankColl.add(new Primitive({ geometryInstances: tanks, appearance: new PerInstanceColorAppearance({ translucent: false, closed: true }) })) as Primitive)
        : undefined,
    };
    const lines = groundLines(lineColl, outlines);
    for (const id of ids) primOf.set(id, prims);
    const owned: [PrimitiveCollection, Colored['primitive'] | undefined][] = [
      [fillColl, prims.fill],
      [innerColl, prims.inner],
      [segColl, prims.segment],
      [tankColl, prims.tank],
      [lineColl, lines],
    ];
    return {
      show(visible) {
        for (const [, p] of owned) if (p) p.show = visible;
      },
      destroy() {
        // Removing a primitive from its collection destroys it; its sites' colours stay in
        // segmentColors / highlighted and are built in again when the camera comes back.
        for (const [coll, p] of owned) if (p) coll.remove(p);
        for (const id of ids) (primOf.delete(id), pending.delete(id));
        for (const site of group) instanceIds.delete(site.id);
      },
    };
  };

  // At 20,000 sites the instances took most of a second of script and their primitives' first
  // updates half a second more, though from the city view most are off screen or a pixel wide: the
  // sites are sorted into cells after the task that loads the registry, and a cell's primitives
  // made when the camera comes to it (siteCells.ts), before the frame that shows it. The primitives
  // are asynchronous anyway (geometry made in Cesium's workers, drawn frames later).
  const cells = createSiteCells<Site>(buildSites, nearMaxHeightM);
  /** The group each drawn site is in, for building a selected site's at once. */
  const groupOf = new Map<string, string>();
  let ready = false;
  const prepare = () => {
    for (const site of sites.values()) {
      const place = sitePlace(site);
      if (!place) continue;
      cells.add(site, place);
      groupOf.set(site.id, groupKeyOf(place));
    }
    ready = true;
    labels = createSiteLabels(scene, sites, labelLang);
    if (highlighted) pinCellOf(highlighted);
    scene.requestRender();
  };
  // After the next frame, not before it: that frame is the first with the registry's device marks
  // and live colours, and the sites' sorting and labels (~0.1–0.2 s at 20,000 sites) would delay it.
  const cancelPrepare = afterNextFrame(scene, prepare);
  scene.requestRender();
  /** The selected site's cell is built and kept shown wherever the camera is (null: none). */
  const pinCellOf = (siteId: string | null) => {
    const key = siteId === null ? null : groupOf.get(siteId) ?? null;
    if (cells.pin(key)) scene.requestRender();
  };
  // Before each frame is drawn, so a cell built now is in it (an unchanged camera costs a compare).
  const removePreRender = scene.preRender.addEventListener(() => {
    if (ready && cells.update(scene.camera, scene.canvas.clientHeight || scene.drawingBufferHeight)) scene.requestRender();
  });

  /** Sets a colour attribute; false while the primitive is still being built. */
  const setColor = (prim: Colored['primitive'] | undefined, pickId: string, color: Color): boolean => {
    if (!prim || !prim.ready) return false;
    const attrs = prim.getGeometryInstanceAttributes(pickId) as { color?: Uint8Array } | undefined;
    if (!attrs) return false;
    attrs.color = ColorGeometryInstanceAttribute.toValue(color, attrs.color);
    return true;
  };

  // Attribute changes asked for before the primitives were ready are applied once they are.
  const pending = new Map<string, { role: Role; color: Color }>();
  const apply = (pickId: string, role: Role, color: Color) => {
    if (setColor(primOf.get(pickId)?.[role], pickId, color)) pending.delete(pickId);
    else pending.set(pickId, { role, color });
  };
  const removePostRender = scene.postRender.addEventListener(() => {
    if (pending.size === 0) return;
    for (const [pickId, { role, color }] of [...pending]) apply(pickId, role, color);
    if (pending.size === 0) scene.requestRender();
  });

  // A site whose cell is not built yet has no instances: its colours are built in when it is.
  const restyle = (siteId: string) => {
    for (const inst of instanceIds.get(siteId) ?? []) apply(inst.id, inst.role, shown(siteId, inst.role, inst.color));
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
      const segPrim = inst && primOf.get(inst.id)?.segment;
      const attrs = inst && segPrim?.ready ? (segPrim.getGeometryInstanceAttributes(inst.id) as { color?: Uint8Array } | undefined) : undefined;
      if (attrs?.color) return Color.fromBytes(attrs.color[0], attrs.color[1], attrs.color[2], attrs.color[3]).toCssHexString();
      return (segmentColors.get(segmentId) ?? PALETTE.segment).toCssHexString();
    },
    highlight(siteId) {
      if (siteId === highlighted) return;
      const prev = highlighted;
      highlighted = siteId;
      if (prev) restyle(prev);
      // A selected site shows at once, wherever the camera is: its cell is built now (in its colours).
      if (ready) pinCellOf(siteId);
      if (siteId) restyle(siteId);
    },
    shiftedLonLat(siteId, lonDeg, latDeg) {
      const d = twoWay.shiftOf(siteId);
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
    cellCounts() {
      const l = labels?.counts ?? { labels: 0, cellsMade: 0, cellsWaiting: 0 };
      const primitives = [fillColl, innerColl, lineColl, segColl, tankColl].reduce((n, c) => n + c.length, 0);
      return { groupsBuilt: cells.counts.built, groupsShown: cells.counts.shown, groupsWaiting: cells.counts.waiting, primitives, labels: l.labels, labelCellsMade: l.cellsMade, labelCellsWaiting: l.cellsWaiting };
    },
    destroy() {
      cancelPrepare();
      removePostRender();
      removePreRender();
      for (const c of [fillColl, innerColl, lineColl, segColl]) ground.remove(c);
      scene.primitives.remove(tankColl);
      labels?.destroy();
    },
  };
}
