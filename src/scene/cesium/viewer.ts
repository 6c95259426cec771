/**
 * Creates the Cesium widget for CityTwin, fully offline.
 *
 * Base map: the vector GeoJSON layers (baseLayers.ts) over a dark globe, with Cesium's bundled
 * NaturalEarthII (served from /cesium/Assets) only as a darkened far-zoom backdrop. No ion token,
 * no ion or default online imagery, no geocoder: every request stays on the host.
 *
 * Optional imagery override (off by default), read once here from the Vite build environment:
 *   VITE_IMAGERY_URL     XYZ template such as `/tiles/{z}/{x}/{y}.png` (UrlTemplateImageryProvider),
 *                        or a WMTS endpoint when VITE_IMAGERY_TYPE=wmts.
 *   VITE_IMAGERY_TYPE    `xyz` (default) or `wmts`.
 *   VITE_IMAGERY_LAYER   WMTS layer name (required for wmts).
 *   VITE_IMAGERY_STYLE   WMTS style (default `default`).
 *   VITE_IMAGERY_MATRIX_SET  WMTS TileMatrixSet id (default `GoogleMapsCompatible`, Web Mercator).
 *   VITE_IMAGERY_MAX_LEVEL   deepest zoom level the server has (default 18).
 * When set, that imagery replaces the NaturalEarthII backdrop and the vector base fills
 * (districts, water, roads); district outlines, buildings, sites and devices are still drawn.
 */
import 'cesium/Build/Cesium/Widgets/widgets.css';
import {
  buildModuleUrl,
  CesiumWidget,
  EllipsoidTerrainProvider,
  ImageryLayer,
  Ion,
  TileMapServiceImageryProvider,
  UrlTemplateImageryProvider,
  WebMapTileServiceImageryProvider,
  WebMercatorTilingScheme,
  type ImageryProvider,
} from 'cesium';
import { PALETTE } from './colors';

export interface ImageryConfig {
  url: string;
  type: 'xyz' | 'wmts';
  layer: string;
  style: string;
  matrixSet: string;
  maxLevel: number;
}

/** The imagery override from import.meta.env, or null (the default: vector base map). */
export function imageryConfig(): ImageryConfig | null {
  const env = import.meta.env;
  const url = typeof env.VITE_IMAGERY_URL === 'string' ? env.VITE_IMAGERY_URL.trim() : '';
  if (!url) return null;
  const type = env.VITE_IMAGERY_TYPE === 'wmts' ? 'wmts' : 'xyz';
  return {
    url,
    type,
    layer: String(env.VITE_IMAGERY_LAYER ?? ''),
    style: String(env.VITE_IMAGERY_STYLE ?? 'default'),
    matrixSet: String(env.VITE_IMAGERY_MATRIX_SET ?? 'GoogleMapsCompatible'),
    maxLevel: Number.parseInt(String(env.VITE_IMAGERY_MAX_LEVEL ?? '18'), 10) || 18,
  };
}

function overrideProvider(cfg: ImageryConfig): ImageryProvider {
  if (cfg.type === 'wmts') {
    return new WebMapTileServiceImageryProvider({
      url: cfg.url,
      layer: cfg.layer,
      style: cfg.style,
      tileMatrixSetID: cfg.matrixSet,
      tilingScheme: new WebMercatorTilingScheme(),
      maximumLevel: cfg.maxLevel,
    });
  }
  return new UrlTemplateImageryProvider({ url: cfg.url, maximumLevel: cfg.maxLevel });
}

function baseLayer(cfg: ImageryConfig | null): ImageryLayer {
  if (cfg) return new ImageryLayer(overrideProvider(cfg), { brightness: 0.8 });
  // NaturalEarthII is only a backdrop at continental zoom: darkened so the vector layers lead.
  return ImageryLayer.fromProviderAsync(
    TileMapServiceImageryProvider.fromUrl(buildModuleUrl('Assets/Textures/NaturalEarthII')),
    { brightness: 0.3, saturation: 0, contrast: 1.1 },
  );
}

/**
 * A CesiumWidget (no Viewer widgets at all: no geocoder, base-layer picker, home, scene-mode,
 * navigation help, animation, timeline, fullscreen, info box or selection indicator), tuned for
 * software WebGL (SwiftShader runs at 1–12 fps): no MSAA, sky, sun, moon, atmosphere or fog, and
 * render on request only — callers must call scene.requestRender() after changing anything.
 */
export function createWidget(container: HTMLElement, imagery: ImageryConfig | null): CesiumWidget {
  Ion.defaultAccessToken = '';
  const widget = new CesiumWidget(container, {
    baseLayer: baseLayer(imagery),
    terrainProvider: new EllipsoidTerrainProvider(),
    skyBox: false,
    skyAtmosphere: false,
    scene3DOnly: true,
    shouldAnimate: false,
    requestRenderMode: true,
    maximumRenderTimeChange: Number.POSITIVE_INFINITY,
    msaaSamples: 1,
    orderIndependentTranslucency: false,
    // Cesium's own error panel is English only and covers the panels; the app says it in the
    // operator's language instead (a toast from createGlobe's failure or the scene's renderError).
    showRenderLoopErrors: false,
  });
  widget.resolutionScale = 1; // keep label text crisp; SwiftShader copes at 1280×720
  const scene = widget.scene;
  scene.backgroundColor = PALETTE.background;
  scene.fog.enabled = false;
  if (scene.sun) scene.sun.show = false;
  if (scene.moon) scene.moon.show = false;
  scene.highDynamicRange = false;
  scene.postProcessStages.fxaa.enabled = false;
  const globe = scene.globe;
  globe.baseColor = PALETTE.globe;
  globe.showGroundAtmosphere = false;
  globe.enableLighting = false;
  globe.depthTestAgainstTerrain = true;
  globe.showWaterEffect = false;
  const ctl = scene.screenSpaceCameraController;
  ctl.minimumZoomDistance = 40; // m: closer than a pit opening is of no use
  ctl.maximumZoomDistance = 3_000_000; // m: beyond that Zhejiang is a dot
  return widget;
}
