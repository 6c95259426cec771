/**
 * Shader programs linked while the page waits for the registry, not in the frames after it.
 *
 * Cesium links a program lazily, on the first draw of the first command that uses it, and in
 * software WebGL a link blocks the main thread for 15–300 ms (more while the GPU process is busy).
 * The layers the registry brings (the camera cones, rays and icons, the label backgrounds, the
 * device points) used to link theirs in the frames between the registry and the first live frame.
 * `warmShaders` draws one throw-away item of each of those kinds in a frame before the registry,
 * built with the same options as the real ones (Cesium's shader cache shares a program between
 * identical sources), so those programs are linked then; every item is invisible (alpha 0 in a
 * translucent pass, or hidden) and is removed as soon as that frame is drawn. The programs are
 * held in the shader cache until the registry's layers have drawn (`release`), then let go as any
 * unused program is.
 *
 * Keep the options here in step with cameras.ts, deviceClusters.ts / deviceLabels.ts and
 * devices.ts: an item that differs links a program nobody uses (the e2e test
 * tests/e2e/shader-warm.test.ts counts the programs linked after the registry).
 */
import {
  BillboardCollection,
  BlendOption,
  Cartesian2,
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  Ellipsoid,
  GeometryInstance,
  LabelStyle,
  Material,
  NearFarScalar,
  PerInstanceColorAppearance,
  PointPrimitiveCollection,
  PolygonGeometry,
  PolygonHierarchy,
  PolylineCollection,
  Primitive,
  PrimitiveCollection,
  VerticalOrigin,
  type Scene,
} from 'cesium';
import { createLabelCollection, LABEL_SHADER } from './labelShader';

/** Invisible in a translucent pass: blended at alpha 0, the frame's pixels are left exactly as they were. */
const NONE = new Color(0, 0, 0, 0);
/** Frames at most before giving up on an item that never got drawn (an icon's image still loading). */
const MAX_FRAMES = 30;

/** Cesium's shader cache entry (private API: Renderer/ShaderCache.js). */
interface CachedShader {
  count: number;
  shaderProgram: { _program?: unknown };
  cache: { releaseShaderProgram(p: unknown): void };
}
interface ShaderCache {
  _shaders: Record<string, CachedShader>;
}

export interface ShaderWarm {
  /** Lets the held programs go (the registry's layers have drawn with them). Idempotent. */
  release(): void;
  /** What the warm-up still has: its items in the scene, the programs it holds. */
  left(): { items: number; programs: number };
}

function shaderCache(scene: Scene): ShaderCache | null {
  const cache = (scene as unknown as { context?: { shaderCache?: ShaderCache } }).context?.shaderCache;
  return cache && typeof cache._shaders === 'object' ? cache : null;
}

/**
 * Draws the registry's layers' kinds of item once, invisibly, near the centre of the view, so their
 * programs are linked now. Call after the globe's first frame; `release()` after the registry drew.
 */
export function warmShaders(scene: Scene): ShaderWarm {
  const cache = shaderCache(scene);
  // Without the cache to hold them in, linked programs would be freed with the items: nothing to gain.
  if (!cache) return { left: () => ({ items: 0, programs: 0 }), release() {} };
  const before = new Set(Object.keys(cache._shaders));
  const held: CachedShader[] = [];
  let released = false;

  // Where the camera looks (the view's centre on the ellipsoid), or 1 km in front of it.
  const canvas = scene.canvas;
  const centre =
    scene.camera.pickEllipsoid(new Cartesian2(canvas.clientWidth / 2, canvas.clientHeight / 2), Ellipsoid.WGS84) ??
    Cartesian3.add(scene.camera.positionWC, Cartesian3.multiplyByScalar(scene.camera.directionWC, 1000, new Cartesian3()), new Cartesian3());
  const carto = Ellipsoid.WGS84.cartesianToCartographic(centre);
  const lon = (carto.longitude * 180) / Math.PI;
  const lat = (carto.latitude * 180) / Math.PI;
  const at = Cartesian3.fromDegrees(lon, lat, 1);
  const d = 1e-5; // ~1 m

  const root = scene.primitives.add(new PrimitiveCollection()) as PrimitiveCollection;
  // Camera cones (cameras.ts): a flat translucent fan built at once, a coloured instance each.
  root.add(
    new Primitive({
      geometryInstances: new GeometryInstance({
        id: 'shader-warm',
        geometry: new PolygonGeometry({
          polygonHierarchy: new PolygonHierarchy(Cartesian3.fromDegreesArray([lon, lat, lon + d, lat, lon, lat + d])),
          height: 0.6,
          vertexFormat: PerInstanceColorAppearance.FLAT_VERTEX_FORMAT,
        }),
        attributes: { color: ColorGeometryInstanceAttribute.fromColor(NONE) },
      }),
      appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }),
      asynchronous: false,
    }),
  );
  // The cameras' rays: polylines with a colour material of their own.
  const rays = root.add(new PolylineCollection()) as PolylineCollection;
  rays.add({ positions: [at, Cartesian3.fromDegrees(lon + d, lat, 1)], width: 1.2, material: Material.fromType('Color', { color: NONE }) });
  // The cameras' icons: turned to a heading, scaled and faded by distance, drawn over the ground.
  const image = document.createElement('canvas');
  image.width = image.height = 2;
  const icons = root.add(new BillboardCollection()) as BillboardCollection;
  const icon = icons.add({
    position: at,
    image,
    color: NONE,
    width: 2,
    height: 2,
    alignedAxis: Cartesian3.UNIT_Z,
    verticalOrigin: VerticalOrigin.BOTTOM,
    scaleByDistance: new NearFarScalar(1_500, 1, 25_000, 0.5),
    translucencyByDistance: new NearFarScalar(120, 0.15, 600, 1),
    disableDepthTestDistance: 1_000_000,
  });
  // Labels with a background (device labels, cluster counts): the background's program.
  const labels = root.add(createLabelCollection(scene));
  labels.add({
    ...LABEL_SHADER,
    position: at,
    text: '0',
    fillColor: NONE,
    style: LabelStyle.FILL,
    showBackground: true,
    backgroundColor: NONE,
  });
  // The device points (devices.ts): opaque, drawn over the ground; this one hidden (its shader draws a hidden point with no size at no position).
  const points = root.add(new PointPrimitiveCollection({ blendOption: BlendOption.OPAQUE })) as PointPrimitiveCollection;
  points.add({ position: at, disableDepthTestDistance: 1_000_000, show: false });

  let frames = 0;
  let seen = -1;
  const allLinked = () => Object.entries(cache._shaders).every(([k, s]) => before.has(k) || s.shaderProgram._program !== undefined);
  const finish = () => {
    removeFrame();
    if (!released) {
      // Hold every program the warm-up frame made, so removing its items does not free them.
      for (const [k, s] of Object.entries(cache._shaders)) {
        if (before.has(k) || s.count === 0) continue; // derived programs go with their base
        s.count++;
        held.push(s);
      }
    }
    scene.primitives.remove(root); // destroys the items
    scene.requestRender();
  };
  const removeFrame = scene.postRender.addEventListener(() => {
    frames++;
    // The icon and the label wait for their images in the texture atlas before they are drawn.
    // Done once a frame made no new program and every new one is linked.
    const count = Object.keys(cache._shaders).length;
    const settled = count === seen;
    seen = count;
    const ready = (icon as unknown as { ready?: boolean }).ready !== false && frames >= 2 && settled;
    if ((ready && allLinked()) || frames >= MAX_FRAMES) finish();
    else scene.requestRender();
  });
  scene.requestRender();

  return {
    left: () => ({ items: root.isDestroyed() ? 0 : root.length, programs: held.length }),
    release() {
      if (released) return;
      released = true;
      for (const s of held.splice(0)) s.cache.releaseShaderProgram(s.shaderProgram);
    },
  };
}
