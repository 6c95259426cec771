/**
 * Plant outlines coloured by risk (red / orange / yellow / blue), drawn on the ground so that the
 * colour reads at scene zoom, where the models are only a few pixels. Colours change rarely (a
 * space's status changing its plant's worst), so the primitives are simply rebuilt then.
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
} from 'cesium';
import type { Site } from '../../../../contracts';

/** Outline width, px, and fill opacity of a plant's risk colour. */
const LINE_WIDTH_PX = 4;
const FILL_ALPHA = 0.22;

export interface PlantRiskLayer {
  /** Redraws with these colours (plant id → CSS); a no-op when nothing changed. */
  set(colors: ReadonlyMap<string, string>, sites: ReadonlyMap<string, Site>): void;
  destroy(): void;
}

function outerRing(site: Site): Cartesian3[] | null {
  const g = site.geometry as { type: string; coordinates: unknown };
  const ring = g.type === 'Polygon' ? (g.coordinates as number[][][])[0] : g.type === 'MultiPolygon' ? (g.coordinates as number[][][][])[0][0] : null;
  if (!ring || ring.length < 4) return null;
  return Cartesian3.fromDegreesArray(ring.flatMap((p) => [p[0], p[1]]));
}

export function createPlantRiskLayer(ground: PrimitiveCollection, requestRender: () => void): PlantRiskLayer {
  let key = '';
  let drawn: (GroundPrimitive | GroundPolylinePrimitive)[] = [];
  let frames: ReturnType<typeof setInterval> | null = null;
  const stopFrames = () => {
    if (frames) clearInterval(frames);
    frames = null;
  };
  const clear = () => {
    for (const p of drawn) ground.remove(p);
    drawn = [];
  };
  return {
    set(colors, sites) {
      const next = [...colors].sort().map(([k, v]) => `${k}=${v}`).join(',') + `#${sites.size}`;
      if (next === key) return;
      key = next;
      clear();
      const lines: GeometryInstance[] = [];
      const fills: GeometryInstance[] = [];
      for (const [plantId, css] of colors) {
        const site = sites.get(plantId);
        const ring = site ? outerRing(site) : null;
        if (!ring) continue;
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
      if (fills.length > 0) {
        drawn.push(ground.add(new GroundPrimitive({ geometryInstances: fills, appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }) })) as GroundPrimitive);
        drawn.push(ground.add(new GroundPolylinePrimitive({ geometryInstances: lines, appearance: new PolylineColorAppearance() })) as GroundPolylinePrimitive);
      }
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
      clear();
    },
  };
}
