/**
 * Cameras as view cones: the ground each camera covers (its range across its field of view, the
 * same wedge the service's linkage counts) as a translucent fan, and the camera's view drawn from
 * the pole: rays to the wedge's edges and to the point it is aimed at (its pitch). Only the
 * current scene's cameras are drawn (all of them in the overview). A click on a cone selects its
 * camera, which opens its picture.
 */
import {
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  Material,
  PerInstanceColorAppearance,
  PolygonGeometry,
  PolygonHierarchy,
  PolylineCollection,
  Primitive,
  type PrimitiveCollection,
} from 'cesium';
import { isValidCamera, type CameraDevice, type Device } from '../../contracts';
import { aimPoint, coverageWedge } from '../../domain';
import type { View } from '../../state/store';

/** Pick ids of cones: a cone yields to device points and sites under it (a wide cone must not hide them). */
export const CONE_PICK_PREFIX = 'camera-cone:';

export function cameraIdOfPick(id: unknown): string | null {
  return typeof id === 'string' && id.startsWith(CONE_PICK_PREFIX) ? id.slice(CONE_PICK_PREFIX.length) : null;
}

const CONE_CSS = '#4cc9f0';
const FILL = Color.fromCssColorString(CONE_CSS).withAlpha(0.16);
const FILL_SELECTED = Color.fromCssColorString(CONE_CSS).withAlpha(0.38);
const RAY = Color.fromCssColorString(CONE_CSS).withAlpha(0.75);
const RAY_SELECTED = Color.WHITE.withAlpha(0.9);
/** The fan is drawn this far above the ground, m, so it is not lost in the base map's ground polygons. */
const FAN_HEIGHT_M = 0.6;

export interface CameraLayer {
  /** Redraws for this view and selection. */
  update(view: View, selectedId: string | null): void;
  destroy(): void;
}

export function createCameraLayer(primitives: PrimitiveCollection, devices: ReadonlyMap<string, Device>): CameraLayer {
  const cameras = [...devices.values()].filter(isValidCamera);
  let fans: Primitive | null = null;
  let rays: PolylineCollection | null = null;
  let drawn: string | null = null;

  const clear = () => {
    if (fans) primitives.remove(fans);
    if (rays) primitives.remove(rays);
    fans = null;
    rays = null;
  };

  return {
    update(view, selectedId) {
      const key = `${view}|${selectedId}`;
      if (key === drawn) return;
      drawn = key;
      clear();
      try {
        draw(view, selectedId);
      } catch (e) {
        // The cones are an extra: a failure must not reach the store's other listeners.
        console.error('camera cones not drawn', e);
        clear();
      }
    },
    destroy: clear,
  };

  function draw(view: View, selectedId: string | null): void {
      const shown = cameras.filter((c) => view === 'overview' || c.scene === view);
      if (shown.length === 0) return;
      const instances = shown.map(
        (c) =>
          new GeometryInstance({
            id: CONE_PICK_PREFIX + c.id,
            geometry: new PolygonGeometry({
              polygonHierarchy: new PolygonHierarchy(Cartesian3.fromDegreesArray(coverageWedge(c).flat())),
              height: FAN_HEIGHT_M,
              vertexFormat: PerInstanceColorAppearance.FLAT_VERTEX_FORMAT,
            }),
            attributes: { color: ColorGeometryInstanceAttribute.fromColor(c.id === selectedId ? FILL_SELECTED : FILL) },
          }),
      );
      // Built at once (a few dozen small fans): no worker round trip, nothing half-drawn in request-render mode.
      fans = primitives.add(
        new Primitive({ geometryInstances: instances, appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }), asynchronous: false }),
      ) as Primitive;
      rays = primitives.add(new PolylineCollection()) as PolylineCollection;
      for (const c of shown) {
        const eye = Cartesian3.fromDegrees(c.position[0], c.position[1], Math.max(0, c.position[2]));
        const wedge = coverageWedge(c, 2);
        const ends = c.fovDeg >= 360 ? [aimPoint(c)] : [wedge[1], aimPoint(c), wedge[wedge.length - 2]];
        const sel = c.id === selectedId;
        for (const end of ends) {
          // Each polyline owns (and destroys) its material.
          const material = Material.fromType('Color', { color: sel ? RAY_SELECTED : RAY });
          rays.add({ id: CONE_PICK_PREFIX + c.id, positions: [eye, Cartesian3.fromDegrees(end[0], end[1], FAN_HEIGHT_M)], width: sel ? 2 : 1.2, material });
        }
      }
  }
}
