/**
 * Plant outlines coloured by risk (red / orange / yellow / blue), drawn on the ground so that the
 * colour reads at scene zoom, where the models are only a few pixels. Colours change rarely (a
 * space's status changing its plant's worst), so a cell's primitives are simply rebuilt then.
 */
import {
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  GroundPolylineGeometry,
  GroundPolylinePrimitive,
  GroundPrimitive,
  PerInstanceColorAppearance,
  PolygonGeometry,
  PolygonHierarchy,
  PolylineColorAppearance,
  type PrimitiveCollection,
  type Scene,
} from 'cesium';
import type { Site } from '../../../../contracts';
import { createSiteCells, groupKeyOf, placeOf, type BuiltGroup, type Placed, type SiteCells } from '../../siteCells';

/** Outline width, px, and fill opacity of a plant's risk colour. */
const LINE_WIDTH_PX = 4;
const FILL_ALPHA = 0.22;

export interface PlantRiskLayer {
  /** Redraws with these colours (plant id → CSS); a no-op when nothing changed. */
  set(colors: ReadonlyMap<string, string>, sites: ReadonlyMap<string, Site>): void;
  destroy(): void;
}

function outerRing(site: Site): { lonLat: number[][]; positions: Cartesian3[] } | null {
  const g = site.geometry as { type: string; coordinates: unknown };
  const ring = g.type === 'Polygon' ? (g.coordinates as number[][][])[0] : g.type === 'MultiPolygon' ? (g.coordinates as number[][][][])[0][0] : null;
  if (!ring || ring.length < 4) return null;
  return { lonLat: ring, positions: Cartesian3.fromDegreesArray(ring.flatMap((p) => [p[0], p[1]])) };
}

/**
 * The tints are built by cell when the camera comes to them, like the sites under them
 * (siteCells.ts): a city has hundreds of plants, whose ground primitives' first updates Cesium
 * paid before the first live frame though none shows from the city view. A change rebuilds only
 * the cells whose colours changed. Parcels are not tinted above `ceilingM()` (parcelCeilingM); a
 * cell out of view is hidden and, not seen for a while, destroyed (siteCells.ts).
 */
export function createPlantRiskLayer(scene: Scene, ground: PrimitiveCollection, ceilingM: () => number): PlantRiskLayer {
  const requestRender = () => scene.requestRender();
  let key = '';
  /** The tints built, per cell group: what they were built from and their primitives. */
  const drawn = new Map<string, { sig: string; prims: (GroundPrimitive | GroundPolylinePrimitive)[]; handle: BuiltGroup }>();
  /** What each group is to be built from (plant id → CSS, joined), for the groups of the last set. */
  let sigs = new Map<string, string>();
  let cells: SiteCells<[string, Cartesian3[], string]> | null = null;
  let frames: ReturnType<typeof setInterval> | null = null;
  const stopFrames = () => {
    if (frames) clearInterval(frames);
    frames = null;
  };
  const drop = (group: string) => {
    for (const p of drawn.get(group)?.prims ?? []) ground.remove(p);
    drawn.delete(group);
  };
  const build = (plants: [string, Cartesian3[], string][], group: string) => {
    const lines: GeometryInstance[] = [];
    const fills: GeometryInstance[] = [];
    for (const [plantId, ring, css] of plants) {
      const color = Color.fromCssColorString(css);
      lines.push(new GeometryInstance({ id: `site:${plantId}#risk`, geometry: new GroundPolylineGeometry({ positions: ring, width: LINE_WIDTH_PX }), attributes: { color: ColorGeometryInstanceAttribute.fromColor(color) } }));
      fills.push(
        new GeometryInstance({
          id: `site:${plantId}#riskfill`,
          geometry: new PolygonGeometry({ polygonHierarchy: new PolygonHierarchy(ring.slice(0, -1)) }),
          attributes: { color: ColorGeometryInstanceAttribute.fromColor(color.withAlpha(FILL_ALPHA)) },
        }),
      );
    }
    const prims: (GroundPrimitive | GroundPolylinePrimitive)[] = [];
    if (fills.length > 0) {
      prims.push(ground.add(new GroundPrimitive({ geometryInstances: fills, appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }) })) as GroundPrimitive);
      prims.push(ground.add(new GroundPolylinePrimitive({ geometryInstances: lines, appearance: new PolylineColorAppearance() })) as GroundPolylinePrimitive);
    }
    const handle: BuiltGroup = {
      show(visible) {
        for (const p of prims) p.show = visible;
      },
      destroy: () => drop(group),
    };
    drawn.set(group, { sig: sigs.get(group) ?? '', prims, handle });
    return handle;
  };
  const update = () => cells?.update(scene.camera, scene.canvas.clientHeight || scene.drawingBufferHeight) ?? false;
  const removePreRender = scene.preRender.addEventListener(() => {
    if (update()) requestRender();
  });
  return {
    set(colors, sites) {
      const next = [...colors].sort().map(([k, v]) => `${k}=${v}`).join(',') + `#${sites.size}`;
      if (next === key) return;
      key = next;
      const groups = new Map<string, { place: Placed; item: [string, Cartesian3[], string] }[]>();
      for (const [plantId, css] of colors) {
        const site = sites.get(plantId);
        const ring = site ? outerRing(site) : null;
        const place = ring ? placeOf(ring.lonLat, 'parcel') : null;
        if (!ring || !place) continue;
        const g = groupKeyOf(place);
        const list = groups.get(g) ?? [];
        list.push({ place, item: [plantId, ring.positions, css] });
        groups.set(g, list);
      }
      sigs = new Map([...groups].map(([g, list]) => [g, list.map(({ item }) => `${item[0]}=${item[2]}`).sort().join(',')]));
      // Groups whose colours are unchanged stay as drawn; the others are dropped and wait for the camera.
      for (const [g, d] of [...drawn]) if (sigs.get(g) !== d.sig) drop(g);
      cells = createSiteCells(build, ceilingM());
      // Groups drawn already are the new cells' too, as built (hidden and destroyed as the camera goes).
      for (const [g, list] of groups) {
        for (const { place, item } of list) cells.add(item, place);
        const kept = drawn.get(g);
        if (kept) cells.adopt(g, kept.handle);
      }
      update();
      requestRender();
      // Ground primitives build asynchronously: ask for a few frames so they appear without a camera move.
      // The timer is stopped on destroy: a logout destroys the scene, which then throws on requestRender.
      stopFrames();
      let n = 0;
      frames = setInterval(() => {
        requestRender();
        if (++n >= 10) stopFrames();
      }, 200);
    },
    destroy() {
      stopFrames();
      removePreRender();
      cells = null;
      for (const g of [...drawn.keys()]) drop(g);
    },
  };
}
