/**
 * Leak danger zones on the ground: one translucent polygon per zone from
 * GET /api/zones, a solid red outline while the gas is still over its limit, a dashed orange one
 * once it has cleared but nobody has acknowledged it, and a label with the wind and the people count.
 * Zones are few (one per station in level-2 alarm), so any change rebuilds them all: nothing is
 * diffed, and nothing leaks (every primitive made here is removed from its collection, which
 * destroys it).
 */
import {
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  GroundPolylineGeometry,
  GroundPolylinePrimitive,
  GroundPrimitive,
  HorizontalOrigin,
  LabelCollection,
  LabelStyle,
  Material,
  PerInstanceColorAppearance,
  PolygonGeometry,
  PolygonHierarchy,
  PolylineMaterialAppearance,
  VerticalOrigin,
  Cartesian2,
  type PrimitiveCollection,
  type Scene,
} from 'cesium';
import type { ZoneFeature } from '../../../../contracts';
import { SEVERITY_CSS } from '../../../../view';
import { LABEL_FAMILIES } from '../../colors';
import type { SceneLayerContext } from '../../sceneLayer';
import { LABEL_SHADER, createLabelCollection } from '../../labelShader';

const ACTIVE_FILL = Color.fromCssColorString(SEVERITY_CSS.critical).withAlpha(0.4);
/** A lighter red, so the outline reads over the zone's own fill. */
const ACTIVE_LINE = Color.fromCssColorString('#ff6b70');
const CLEARED_FILL = Color.fromCssColorString(SEVERITY_CSS.major).withAlpha(0.28);
const CLEARED_LINE = Color.fromCssColorString(SEVERITY_CSS.major);
/** Label height above ground, m: over the 30 m enterprise buildings. */
const LABEL_HEIGHT_M = 60;

/** Compass arrow pointing where the wind blows TO (the zone's direction), 8 sectors. */
export function windArrow(fromDeg: number | null): string {
  if (fromDeg === null || !Number.isFinite(fromDeg)) return '○';
  const toDeg = (((fromDeg + 180) % 360) + 360) % 360;
  return ['↑', '↗', '→', '↘', '↓', '↙', '←', '↖'][Math.round(toDeg / 45) % 8];
}

/** The label of a zone: "危险区 · → 3.0 m/s · 1234 人". */
export function zoneLabel(p: ZoneFeature['properties'], t: SceneLayerContext['t']): string {
  const wind = p.calm || p.windSpeedMs === null ? t('parkUi.globe.calm') : `${windArrow(p.windFromDeg)} ${p.windSpeedMs.toFixed(1)} m/s`;
  return `${t('parkUi.globe.zone')} · ${wind} · ${t('parkUi.globe.people', { count: p.peopleCount })}`;
}

export interface ZoneLayer {
  /** Replaces the drawn zones. */
  set(zones: readonly ZoneFeature[]): void;
  /** Writes the labels again (in the language now). */
  relabel(): void;
  count(): number;
  /** Union of the drawn zones' affected site ids, sorted. */
  affected(): string[];
  /** Outline positions of one zone (for framing), or all zones when id is undefined. */
  positions(alarmId?: string): Cartesian3[];
  destroy(): void;
}

/** What makes a zone look different on the ground (not its people count or timestamp). */
const shapeKey = (z: ZoneFeature) => `${z.properties.alarmId}|${z.properties.active}|${JSON.stringify(z.geometry.coordinates)}`;

interface Drawn {
  zone: ZoneFeature;
  fill: GroundPrimitive;
  line: GroundPolylinePrimitive;
  ring: Cartesian3[];
}

/**
 * Ground primitives are built in web workers and take a few frames (seconds in software WebGL):
 * a changed zone is built beside the one drawn, which stays until its successor is ready, so the
 * zone never blinks out while the wind turns.
 */
export function createZoneLayer(scene: Scene, ground: PrimitiveCollection, primitives: PrimitiveCollection, t: SceneLayerContext['t']): ZoneLayer {
  let drawn: Drawn[] = [];
  let pending: Drawn[] | null = null;
  let latest: readonly ZoneFeature[] = [];
  const labels = primitives.add(createLabelCollection()) as LabelCollection;

  const removeAll = (list: Drawn[]) => {
    for (const d of list) {
      ground.remove(d.fill);
      ground.remove(d.line);
    }
  };

  const build = (zone: ZoneFeature): Drawn | null => {
    const ring = zone.geometry.coordinates[0];
    if (!ring || ring.length < 4) return null;
    const positions = Cartesian3.fromDegreesArray(ring.slice(0, -1).flat());
    const active = zone.properties.active;
    const fill = ground.add(
      new GroundPrimitive({
        geometryInstances: new GeometryInstance({
          id: `zone:${zone.properties.alarmId}`,
          geometry: new PolygonGeometry({ polygonHierarchy: new PolygonHierarchy(positions) }),
          attributes: { color: ColorGeometryInstanceAttribute.fromColor(active ? ACTIVE_FILL : CLEARED_FILL) },
        }),
        appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }),
      }),
    ) as GroundPrimitive;
    const line = ground.add(
      new GroundPolylinePrimitive({
        geometryInstances: new GeometryInstance({ geometry: new GroundPolylineGeometry({ positions, loop: true, width: active ? 3 : 2.5 }) }),
        appearance: new PolylineMaterialAppearance({
          material: active
            ? Material.fromType('Color', { color: ACTIVE_LINE })
            : Material.fromType('PolylineDash', { color: CLEARED_LINE, gapColor: Color.TRANSPARENT, dashLength: 16 }),
        }),
      }),
    ) as GroundPolylinePrimitive;
    return { zone, fill, line, ring: positions };
  };

  const addLabels = () => {
    labels.removeAll();
    for (const zone of latest) {
      const ring = zone.geometry.coordinates[0];
      if (!ring || ring.length < 4) continue;
      // The middle of the ring's vertices: inside the sector, away from the source.
      let lon = 0;
      let lat = 0;
      for (const [x, y] of ring) (lon += x), (lat += y);
      labels.add({
        ...LABEL_SHADER,
        position: Cartesian3.fromDegrees(lon / ring.length, lat / ring.length, LABEL_HEIGHT_M),
        text: zoneLabel(zone.properties, t),
        font: `600 15px ${LABEL_FAMILIES}`,
        fillColor: Color.WHITE,
        outlineColor: Color.BLACK,
        outlineWidth: 3,
        style: LabelStyle.FILL_AND_OUTLINE,
        showBackground: true,
        backgroundColor: (zone.properties.active ? ACTIVE_FILL : CLEARED_FILL).withAlpha(0.85),
        backgroundPadding: new Cartesian2(8, 5),
        horizontalOrigin: HorizontalOrigin.CENTER,
        verticalOrigin: VerticalOrigin.BOTTOM,
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
      });
    }
  };

  // Swap in the pending set once all its primitives can draw; keep rendering until then.
  const removePostRender = scene.postRender.addEventListener(() => {
    if (!pending) return;
    if (!pending.every((d) => d.fill.ready && d.line.ready)) return void scene.requestRender();
    removeAll(drawn);
    drawn = pending;
    pending = null;
    scene.requestRender();
  });

  return {
    set(zones) {
      latest = zones;
      addLabels();
      const keys = (list: readonly ZoneFeature[]) => list.map(shapeKey).join('\n');
      const target = pending ?? drawn;
      if (keys(zones) === keys(target.map((d) => d.zone))) {
        for (const d of target) d.zone = zones.find((z) => z.properties.alarmId === d.zone.properties.alarmId) ?? d.zone;
      } else {
        if (pending) removeAll(pending);
        pending = null;
        if (zones.length === 0) {
          removeAll(drawn);
          drawn = [];
        } else {
          pending = zones.map(build).filter((d): d is Drawn => d !== null);
        }
      }
      scene.requestRender();
    },
    relabel() {
      addLabels();
      scene.requestRender();
    },
    count: () => drawn.length,
    affected: () => [...new Set(drawn.flatMap((d) => d.zone.properties.affectedSiteIds))].sort(),
    positions: (alarmId) => drawn.filter((d) => alarmId === undefined || d.zone.properties.alarmId === alarmId).flatMap((d) => d.ring),
    destroy() {
      removePostRender();
      removeAll(drawn);
      if (pending) removeAll(pending);
      drawn = [];
      pending = null;
      primitives.remove(labels);
    },
  };
}
