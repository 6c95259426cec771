/**
 * The vector base map from /data/layers/*.geojson, drawn in a dark control-room style with
 * primitives (not Entities): district fills and outlines with name labels, water, main roads,
 * park roads, and extruded building footprints in one Primitive.
 */
import {
  Cartesian2,
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  CorridorGeometry,
  DistanceDisplayCondition,
  GeometryInstance,
  GroundPolylineGeometry,
  GroundPolylinePrimitive,
  GroundPrimitive,
  HorizontalOrigin,
  LabelCollection,
  LabelStyle,
  NearFarScalar,
  PerInstanceColorAppearance,
  PolygonGeometry,
  PolylineColorAppearance,
  Primitive,
  PrimitiveCollection,
  VerticalOrigin,
  type Scene,
} from 'cesium';
import type { Lang } from '../../state/store';
import { LABEL_FAMILIES, PALETTE } from './colors';
import { addRoadLabels, ROAD_LABELS_SHOWN_BELOW_M } from './roadLabels';
import {
  cleanLine,
  fetchLayer,
  linesOf,
  polygonsOf,
  ringCentre,
  toCartesians,
  toHierarchy,
  type Feature,
} from './geojson';
import { LABEL_SHADER, createLabelCollection } from './labelShader';

export interface BaseLayers {
  setLang(lang: Lang): void;
  destroy(): void;
}

export interface BaseLayerOptions {
  /** Base URL of the layer files (default /data/layers). */
  url?: string;
  /** Where the ground primitives go: a collection drawn under the sites' (order matters on the ground). */
  ground: PrimitiveCollection;
  /** An imagery override is on: skip the vector fills that would hide it. */
  imagery: boolean;
  lang: Lang;
}

/** Ground polyline width in px by road class (any class-like property; unknown → secondary). */
function roadWidthPx(cls: string): number {
  if (/express|motorway|highway|^g\d/i.test(cls)) return 3.5;
  if (/national|arterial|trunk|primary|provincial/i.test(cls)) return 2.5;
  // Interchange ramps: thin, but in the major roads' colour, so a close view shows where traffic leaves and joins.
  if (/ramp/i.test(cls)) return 2;
  return 1.5;
}

function roadColor(cls: string): Color {
  return roadWidthPx(cls) >= 2 ? PALETTE.roadMajor : PALETTE.roadMinor;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const roadClass = (f: Feature): string => {
  const p = f.properties ?? {};
  return str(p.class ?? p.roadClass ?? p.highway ?? p.kind ?? p.type);
};

/** Slate / blue-grey, lighter for taller buildings so height reads at a glance. */
function buildingColor(heightM: number): Color {
  const t = Math.min(1, heightM / 120);
  const c = Color.lerp(Color.fromCssColorString('#3a4a63'), Color.fromCssColorString('#8a9bb8'), t, new Color());
  return c.withAlpha(0.88);
}

function polygonInstances(features: Feature[], color: Color, idPrefix: string): GeometryInstance[] {
  const out: GeometryInstance[] = [];
  const attr = ColorGeometryInstanceAttribute.fromColor(color);
  features.forEach((f, i) => {
    for (const rings of polygonsOf(f.geometry)) {
      if (!rings[0] || rings[0].length < 4) continue;
      out.push(
        new GeometryInstance({
          id: `${idPrefix}:${i}`,
          geometry: new PolygonGeometry({ polygonHierarchy: toHierarchy(rings) }),
          attributes: { color: attr },
        }),
      );
    }
  });
  return out;
}

/** Line features as ground corridors of their `widthM` (default 30 m). */
function corridorInstances(features: Feature[], color: Color): GeometryInstance[] {
  const attr = ColorGeometryInstanceAttribute.fromColor(color);
  return features.flatMap((f) =>
    linesOf(f.geometry).flatMap((line) => {
      const clean = cleanLine(line);
      if (!clean) return [];
      const widthM = num(f.properties?.widthM) ?? 30;
      return [new GeometryInstance({ geometry: new CorridorGeometry({ positions: toCartesians(clean), width: widthM }), attributes: { color: attr } })];
    }),
  );
}

function lineInstances(lines: { line: number[][]; widthPx: number; color: Color }[]): GeometryInstance[] {
  const out: GeometryInstance[] = [];
  for (const { line, widthPx, color } of lines) {
    const clean = cleanLine(line);
    if (!clean) continue;
    out.push(
      new GeometryInstance({
        geometry: new GroundPolylineGeometry({ positions: toCartesians(clean), width: widthPx }),
        attributes: { color: ColorGeometryInstanceAttribute.fromColor(color) },
      }),
    );
  }
  return out;
}

function groundFill(instances: GeometryInstance[]): GroundPrimitive | null {
  if (instances.length === 0) return null;
  return new GroundPrimitive({
    geometryInstances: instances,
    appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }),
    asynchronous: true,
  });
}

function groundLines(instances: GeometryInstance[]): GroundPolylinePrimitive | null {
  if (instances.length === 0) return null;
  return new GroundPolylinePrimitive({
    geometryInstances: instances,
    appearance: new PolylineColorAppearance({ translucent: true }),
    asynchronous: true,
  });
}

function buildings(features: Feature[]): Primitive | null {
  const instances: GeometryInstance[] = [];
  features.forEach((f, i) => {
    const p = f.properties ?? {};
    const heightM = num(p.heightM) ?? num(p.height) ?? 12;
    for (const rings of polygonsOf(f.geometry)) {
      if (!rings[0] || rings[0].length < 4) continue;
      instances.push(
        new GeometryInstance({
          id: `building:${i}`,
          geometry: new PolygonGeometry({
            polygonHierarchy: toHierarchy(rings),
            height: 0,
            extrudedHeight: heightM,
            vertexFormat: PerInstanceColorAppearance.VERTEX_FORMAT,
          }),
          attributes: { color: ColorGeometryInstanceAttribute.fromColor(buildingColor(heightM)) },
        }),
      );
    }
  });
  if (instances.length === 0) return null;
  return new Primitive({
    geometryInstances: instances,
    appearance: new PerInstanceColorAppearance({ translucent: true, closed: true }),
    asynchronous: true,
  });
}

/** Loads the five layers and adds their primitives to `scene`. */
export async function createBaseLayers(scene: Scene, opts: BaseLayerOptions, signal: AbortSignal): Promise<BaseLayers> {
  const base = opts.url ?? '/data/layers';
  const [districts, water, roads, blds, parkRoads] = await Promise.all(
    ['districts', 'water', 'roads', 'buildings', 'park-roads'].map((n) => fetchLayer(`${base}/${n}.geojson`, signal)),
  );
  if (signal.aborted) return { setLang() {}, destroy() {} };
  const ground: (GroundPrimitive | GroundPolylinePrimitive)[] = [];
  const add = <T extends GroundPrimitive | GroundPolylinePrimitive>(p: T | null) => {
    if (p && !signal.aborted) ground.push(opts.ground.add(p) as T);
  };

  // Order matters for ground primitives: fills first, then water, then lines on top.
  if (!opts.imagery) {
    add(groundFill(polygonInstances(districts.features, PALETTE.districtFill, 'district')));
    // Rivers and canals: their true width in metres close up, and at least a 2 px line from afar.
    const rivers = water.features.filter((f) => f.geometry?.type.includes('LineString'));
    add(groundFill([...polygonInstances(water.features, PALETTE.water, 'water'), ...corridorInstances(rivers, PALETTE.water)]));
    add(groundLines(lineInstances(rivers.flatMap((f) => linesOf(f.geometry).map((line) => ({ line, widthPx: 2, color: PALETTE.water }))))));
  }
  add(
    groundLines(
      lineInstances(districts.features.flatMap((f) => linesOf(f.geometry).map((line) => ({ line, widthPx: 1.5, color: PALETTE.districtLine })))),
    ),
  );
  if (!opts.imagery) {
    const roadLines = roads.features.flatMap((f) => {
      const cls = roadClass(f);
      return linesOf(f.geometry).map((line) => ({ line, widthPx: roadWidthPx(cls), color: roadColor(cls) }));
    });
    add(groundLines(lineInstances(roadLines)));
  }
  // Park streets by width; the permitted hazmat route stands out in muted amber.
  const parkLines = parkRoads.features.flatMap((f) => {
    const p = f.properties ?? {};
    const hazmat = str(p.kind) === 'hazmat_route';
    const widthPx = hazmat ? 3 : (num(p.widthM) ?? 12) >= 20 ? 2 : 1.5;
    return linesOf(f.geometry).map((line) => ({ line, widthPx, color: hazmat ? PALETTE.hazmatRoute : PALETTE.parkRoad }));
  });
  add(groundLines(lineInstances(parkLines)));

  const bldPrimitive = buildings(blds.features);
  if (bldPrimitive && !signal.aborted) scene.primitives.add(bldPrimitive);

  // District names: one label per district at the mean of its largest ring.
  const labels = scene.primitives.add(createLabelCollection(scene)) as LabelCollection;
  const named: { label: ReturnType<LabelCollection['add']>; name: string; nameZh: string }[] = [];
  for (const f of districts.features) {
    const polys = polygonsOf(f.geometry);
    if (polys.length === 0) continue;
    const largest = polys.reduce((a, b) => (b[0].length > a[0].length ? b : a));
    const [lon, lat] = ringCentre(largest[0]);
    const p = f.properties ?? {};
    const name = str(p.name ?? p.nameEn);
    const nameZh = str(p.nameZh ?? p.name_zh ?? p.name);
    const label = labels.add({
      ...LABEL_SHADER,
      position: Cartesian3.fromDegrees(lon, lat, 50),
      text: opts.lang === 'zh' ? nameZh : name,
      font: `600 15px ${LABEL_FAMILIES}`,
      fillColor: PALETTE.districtLabel,
      outlineColor: PALETTE.background,
      outlineWidth: 3,
      style: LabelStyle.FILL_AND_OUTLINE,
      horizontalOrigin: HorizontalOrigin.CENTER,
      verticalOrigin: VerticalOrigin.CENTER,
      pixelOffset: Cartesian2.ZERO,
      disableDepthTestDistance: Number.POSITIVE_INFINITY,
      distanceDisplayCondition: new DistanceDisplayCondition(8_000, 600_000),
      translucencyByDistance: new NearFarScalar(8_000, 0.4, 150_000, 1),
    });
    named.push({ label, name, nameZh });
  }
  // Road and interchange names, shown close up (./roadLabels.ts): made before the first frame the
  // camera is low enough for one to show. From the city view none does, and their 44 glyphs (a
  // canvas and a distance field each) were ~0.25 s of the cold start's frames after the registry.
  let lang = opts.lang;
  let removePreRender: (() => void) | null = null;
  const makeRoadLabels = (): boolean => {
    if (scene.camera.positionCartographic.height > ROAD_LABELS_SHOWN_BELOW_M) return false;
    removePreRender?.();
    removePreRender = null;
    named.push(...addRoadLabels(labels, roads.features, lang === 'zh' ? 'zh' : 'en'));
    return true;
  };
  if (!makeRoadLabels()) removePreRender = scene.preRender.addEventListener(() => void makeRoadLabels());
  scene.requestRender();

  return {
    setLang(l) {
      lang = l;
      for (const n of named) n.label.text = l === 'zh' ? n.nameZh || n.name : n.name || n.nameZh;
      scene.requestRender();
    },
    destroy() {
      removePreRender?.();
      for (const p of ground) opts.ground.remove(p);
      if (bldPrimitive) scene.primitives.remove(bldPrimitive);
      scene.primitives.remove(labels);
    },
  };
}
