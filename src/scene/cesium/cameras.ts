/**
 * Cameras as view cones: the ground each camera covers (its range across its field of view, the
 * same wedge the service's linkage counts) as a translucent fan, and the camera's view drawn from
 * the pole: rays to the wedge's edges and to the point it is aimed at (its pitch). Only the
 * current scene's cameras are drawn (all of them in the overview). A 60 m fan is a few pixels from
 * the scenes' default height, so each camera also gets an icon of its fan (turned to its heading,
 * shrinking with distance but never below ~20 px, fading out close up where the real fan shows).
 * A click on a cone or an icon selects its camera, which opens its picture.
 */
import {
  BillboardCollection,
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  HorizontalOrigin,
  Material,
  NearFarScalar,
  PerInstanceColorAppearance,
  PolygonGeometry,
  PolygonHierarchy,
  PolylineCollection,
  Primitive,
  Transforms,
  VerticalOrigin,
  type PrimitiveCollection,
  type Scene,
} from 'cesium';
import { afterNextFrame } from './afterFrame';
import { isValidCamera, type CameraDevice, type Device } from '../../contracts';
import { aimPoint, coverageWedge } from '../../domain';
import type { View } from '../../state/store';

/** Pick ids of cones: a cone yields to device points and sites under it (a wide cone must not hide them). */
export const CONE_PICK_PREFIX = 'camera-cone:';

/** Pick ids of the icons: small and aimed at, so an icon wins over a site under it (not over a device point). */
export const ICON_PICK_PREFIX = 'camera-icon:';

export function cameraIdOfPick(id: unknown): string | null {
  return typeof id === 'string' && id.startsWith(CONE_PICK_PREFIX) ? id.slice(CONE_PICK_PREFIX.length) : null;
}

export function cameraIdOfIconPick(id: unknown): string | null {
  return typeof id === 'string' && id.startsWith(ICON_PICK_PREFIX) ? id.slice(ICON_PICK_PREFIX.length) : null;
}

const CONE_CSS = '#4cc9f0';
const FILL = Color.fromCssColorString(CONE_CSS).withAlpha(0.16);
const FILL_SELECTED = Color.fromCssColorString(CONE_CSS).withAlpha(0.38);
const RAY = Color.fromCssColorString(CONE_CSS).withAlpha(0.75);
const RAY_SELECTED = Color.WHITE.withAlpha(0.9);
/** The fan is drawn this far above the ground, m, so it is not lost in the base map's ground polygons. */
const FAN_HEIGHT_M = 0.6;
/** Icon height, px, and its scale from near to far camera distance (m): 44 px close, 22 px at city range. */
const ICON_PX = 44;
const ICON_SCALE = new NearFarScalar(1_500, 1, 25_000, 0.5);
/** Close up the real fan is big enough: the icon fades out (opacity 0.15 at 120 m, full from 600 m). */
const ICON_FADE = new NearFarScalar(120, 0.15, 600, 1);
/** Beyond this camera distance icons are depth-tested (the far side of the globe hides them), m; as device points. */
const NO_DEPTH_TEST_M = 1_000_000;

export interface CameraLayer {
  /** Redraws for this view and selection. */
  update(view: View, selectedId: string | null): void;
  destroy(): void;
}

/**
 * The cones of `devices`' cameras in `primitives`. Given `scene`, they are first drawn in a task
 * after its next frame (a new registry's first frame, with its device marks and live colours, does
 * not wait for them: ~10–20 ms at 25,000 devices), in the view and selection of the latest update.
 */
export function createCameraLayer(
  primitives: PrimitiveCollection,
  devices: ReadonlyMap<string, Device>,
  scene?: Pick<Scene, 'postRender' | 'requestRender'>,
): CameraLayer {
  let cameras: CameraDevice[] | null = null;
  let fans: Primitive | null = null;
  let rays: PolylineCollection | null = null;
  let icons: BillboardCollection | null = null;
  let drawn: string | null = null;
  let wanted: { view: View; selectedId: string | null } | null = null;
  let waiting = scene !== undefined;
  const cancelWait = scene
    ? afterNextFrame(scene, () => {
        waiting = false;
        if (!wanted) return;
        redraw(wanted.view, wanted.selectedId);
        scene.requestRender();
      })
    : undefined;

  const clear = () => {
    if (fans) primitives.remove(fans);
    if (rays) primitives.remove(rays);
    if (icons) primitives.remove(icons);
    fans = null;
    rays = null;
    icons = null;
  };

  return {
    update(view, selectedId) {
      wanted = { view, selectedId };
      if (!waiting) redraw(view, selectedId);
    },
    destroy() {
      cancelWait?.();
      waiting = false;
      clear();
    },
  };

  function redraw(view: View, selectedId: string | null): void {
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
  }

  function draw(view: View, selectedId: string | null): void {
      cameras ??= [...devices.values()].filter(isValidCamera);
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
      icons = primitives.add(new BillboardCollection()) as BillboardCollection;
      for (const c of shown) icons.add(iconOf(c, c.id === selectedId));
  }
}

/** A camera's icon: its fan, apex at the camera, its up axis along the heading on the ground. */
function iconOf(c: CameraDevice, selected: boolean) {
  const position = Cartesian3.fromDegrees(c.position[0], c.position[1], Math.max(0, c.position[2]));
  const full = c.fovDeg >= 360;
  const enu = Transforms.eastNorthUpToFixedFrame(position);
  const east = new Cartesian3(enu[0], enu[1], enu[2]);
  const north = new Cartesian3(enu[4], enu[5], enu[6]);
  const h = (c.headingDeg * Math.PI) / 180;
  const aim = Cartesian3.add(Cartesian3.multiplyByScalar(east, Math.sin(h), new Cartesian3()), Cartesian3.multiplyByScalar(north, Math.cos(h), new Cartesian3()), new Cartesian3());
  return {
    id: ICON_PICK_PREFIX + c.id,
    position,
    image: fanImage(Math.round(c.fovDeg / 5) * 5, selected),
    width: ICON_PX,
    height: ICON_PX,
    alignedAxis: full ? Cartesian3.ZERO : Cartesian3.normalize(aim, aim),
    horizontalOrigin: HorizontalOrigin.CENTER,
    verticalOrigin: full ? VerticalOrigin.CENTER : VerticalOrigin.BOTTOM,
    scaleByDistance: ICON_SCALE,
    translucencyByDistance: ICON_FADE,
    disableDepthTestDistance: NO_DEPTH_TEST_M,
  };
}

const fanImages = new Map<string, HTMLCanvasElement>();

/** A fan of `fovDeg` pointing up from the bottom centre (a disc for 360°), drawn once per angle. */
function fanImage(fovDeg: number, selected: boolean): HTMLCanvasElement {
  const key = `${fovDeg}|${selected}`;
  const cached = fanImages.get(key);
  if (cached) return cached;
  const px = ICON_PX * 2; // drawn at twice the size: crisp on a high-density screen
  const canvas = document.createElement('canvas');
  canvas.width = px;
  canvas.height = px;
  const g = canvas.getContext('2d')!;
  const full = fovDeg >= 360;
  const [cx, cy, r] = full ? [px / 2, px / 2, px / 2 - 4] : [px / 2, px - 6, px - 12];
  const half = (Math.min(fovDeg, 359) * Math.PI) / 360;
  g.beginPath();
  g.moveTo(cx, cy);
  g.arc(cx, cy, r, -Math.PI / 2 - half, -Math.PI / 2 + half);
  g.closePath();
  g.fillStyle = selected ? 'rgba(255,255,255,0.55)' : 'rgba(76,201,240,0.45)';
  g.strokeStyle = selected ? '#ffffff' : CONE_CSS;
  g.lineWidth = 4;
  g.fill();
  g.stroke();
  // The camera itself: a dark dot with a rim at the apex, so the icon reads as "a camera looking that way".
  g.beginPath();
  g.arc(cx, cy, 9, 0, Math.PI * 2);
  g.fillStyle = '#0b1220';
  g.fill();
  g.stroke();
  fanImages.set(key, canvas);
  return canvas;
}
