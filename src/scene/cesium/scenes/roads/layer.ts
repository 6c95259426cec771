/**
 * The roads scene's own drawing on the globe (see ../../sceneLayer.ts): each segment's congestion colour
 * through the site layer's per-instance colour attribute (never rebuilt geometry), open incidents
 * as markers with a label, and the travel-time tool — two clicks on the globe while the route mode
 * is on, the route drawn as a ground polyline. Reads the road resources the session polls
 * (src/state/roads.ts), so the globe is coloured in every view, not only while the roads panels show.
 *
 * api (globe.scenes.roads): segmentColorCss(id) — the CSS hex the segment is drawn in now, or null
 * for an unknown id; incidentCount() — markers drawn; incidentLabels() — their labels, in the
 * operator's language; routeDrawn() — whether a route line is shown.
 */
import {
  Cartesian2,
  Cartesian3,
  Cartographic,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  GroundPolylineGeometry,
  GroundPolylinePrimitive,
  LabelCollection,
  LabelStyle,
  Math as CesiumMath,
  PointPrimitiveCollection,
  PolylineColorAppearance,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
  VerticalOrigin,
  type Label,
  type PointPrimitive,
} from 'cesium';
import type { IncidentView, Route, SegmentView } from '../../../../contracts';
import { incidents, roads, route as routeResource, segments } from '../../../../state/roads';
import { ACCENT_CSS, INCIDENT_CSS, INCIDENT_ICON, SEVERITY_CSS, segmentCss } from '../../../../view';
import type { SiteLayer } from '../../sites';
import { afterNextFrame } from '../../afterFrame';
import { LABEL_FAMILIES } from '../../colors';
import type { SceneLayerContext } from '../../sceneLayer';
import { createLabelCollection, createMarkerPoints, LABEL_SHADER } from '../../labelShader';

// Translucent and wide: the segments' level colours still show through the route.
const ROUTE_COLOR = Color.fromCssColorString(ACCENT_CSS).withAlpha(0.5);
const ROUTE_WIDTH_PX = 14;
const HALO_PREFIX = 'roads-halo:';
const HALO_WIDTH_PX = 16;
/** Halo opacity by level: only a mild jam or worse glows, a severe one most. */
const HALO_ALPHA: Record<number, number> = { 3: 0.3, 4: 0.4, 5: 0.55 };

export function createRoadsLayer(ctx: SceneLayerContext) {
  const { scene } = ctx;
  const store = roads;
  const segmentsNow = (): ReadonlyMap<string, SegmentView> => segments.store.getState().data ?? new Map();

  // ——— jam halos ———
  // At city range both directions of a road fall within a pixel, so a jam on one carriageway could
  // hide under the other's green. Each segment also gets a wide translucent halo, invisible unless
  // its level is mild or worse; only its colour attribute changes (built once per registry).
  let halo: GroundPolylinePrimitive | null = null;
  const haloPending = new Map<string, Color>();
  const buildHalos = () => {
    if (halo) ctx.ground.remove(halo);
    halo = null;
    haloPending.clear();
    const instances: GeometryInstance[] = [];
    for (const site of ctx.store.getState().sites.values()) {
      if (site.kind !== 'segment' || site.geometry.type !== 'LineString' || site.geometry.coordinates.length < 2) continue;
      instances.push(
        new GeometryInstance({
          id: `${HALO_PREFIX}${site.id}`,
          geometry: new GroundPolylineGeometry({ positions: Cartesian3.fromDegreesArray(site.geometry.coordinates.flat()), width: HALO_WIDTH_PX }),
          attributes: { color: ColorGeometryInstanceAttribute.fromColor(Color.TRANSPARENT) },
        }),
      );
    }
    if (instances.length === 0) return;
    halo = ctx.ground.add(
      new GroundPolylinePrimitive({ geometryInstances: instances, appearance: new PolylineColorAppearance({ translucent: true }), allowPicking: false }),
    ) as GroundPolylinePrimitive;
  };
  const setHalo = (id: string, color: Color) => {
    const attrs = halo?.ready ? (halo.getGeometryInstanceAttributes(`${HALO_PREFIX}${id}`) as { color?: Uint8Array } | undefined) : undefined;
    if (!attrs) return void haloPending.set(id, color);
    attrs.color = ColorGeometryInstanceAttribute.toValue(color, attrs.color);
    haloPending.delete(id);
  };
  let wasBuilding = false;
  const removeHaloPostRender = scene.postRender.addEventListener(() => {
    // Ground polylines build asynchronously; in request-render mode keep frames coming until they show.
    // (and one frame more: the frame that makes a primitive ready does not draw it yet).
    const building = (halo !== null && !halo.ready) || (routePrim !== null && !routePrim.ready);
    if (building || wasBuilding) scene.requestRender();
    wasBuilding = building;
    if (haloPending.size === 0 || !halo?.ready) return;
    for (const [id, c] of [...haloPending]) setHalo(id, c);
    scene.requestRender();
  });

  // ——— segment colours ———
  /** What each segment is drawn in now (CSS), as last handed to the site layer. */
  const drawn = new Map<string, string>();
  let colouredLayer: SiteLayer | null = null;
  const recolour = (force = false) => {
    const segs = segmentsNow();
    const layer = ctx.sites();
    if (!layer) return;
    // A rebuilt site layer starts from its neutral colour: hand it every segment again.
    const all = force || layer !== colouredLayer;
    colouredLayer = layer;
    const twinSites = ctx.store.getState().sites;
    for (const [id, site] of twinSites) {
      if (site.kind !== 'segment') continue;
      const css = segmentCss(segs.get(id));
      if (!all && drawn.get(id) === css) continue;
      drawn.set(id, css);
      layer.setSegmentColor(id, Color.fromCssColorString(css));
      const level = segs.get(id)?.level ?? 0;
      setHalo(id, level >= 3 ? Color.fromCssColorString(css).withAlpha(HALO_ALPHA[level] ?? 0.5) : Color.TRANSPARENT);
    }
    scene.requestRender();
  };

  // ——— incidents ———
  const points = ctx.primitives.add(createMarkerPoints()) as PointPrimitiveCollection;
  const labels = ctx.primitives.add(createLabelCollection(scene)) as LabelCollection;
  const markers = new Map<string, { point: PointPrimitive; label: Label }>();
  /** The kind in the operator's language ("交通事故"); a kind this app does not know is a road incident. */
  const incidentWord = (kind: string) => {
    const key = `roadsUi.incidentKind.${kind}`;
    const word = ctx.t(key);
    return word === key ? ctx.t('rule.incident') : word;
  };
  const drawIncidents = (list: readonly IncidentView[]) => {
    const open = list.filter((i) => i.state === 'open');
    const keep = new Set(open.map((i) => i.incidentId));
    for (const [id, m] of markers) {
      if (keep.has(id)) continue;
      points.remove(m.point);
      labels.remove(m.label);
      markers.delete(id);
    }
    for (const i of open) {
      const [lon, lat] = ctx.sites()?.shiftedLonLat(i.segmentId, i.lonDeg, i.latDeg) ?? [i.lonDeg, i.latDeg];
      const position = Cartesian3.fromDegrees(lon, lat, 30);
      const color = Color.fromCssColorString(INCIDENT_CSS[i.kind] ?? SEVERITY_CSS.critical);
      const text = `${INCIDENT_ICON[i.kind] ?? '⚠'} ${incidentWord(i.kind)}`;
      const m = markers.get(i.incidentId);
      if (m) {
        m.point.position = position;
        m.point.color = color;
        m.label.position = position;
        m.label.text = text;
        continue;
      }
      markers.set(i.incidentId, {
        point: points.add({
          position,
          color,
          pixelSize: 16,
          outlineColor: Color.WHITE,
          outlineWidth: 3,
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
          id: `site:${i.segmentId}`,
        }),
        label: labels.add({
          ...LABEL_SHADER,
          position,
          text,
          font: `600 14px ${LABEL_FAMILIES}`,
          fillColor: Color.WHITE,
          outlineColor: Color.BLACK,
          outlineWidth: 3,
          style: LabelStyle.FILL_AND_OUTLINE,
          showBackground: true,
          backgroundColor: color.withAlpha(0.85),
          verticalOrigin: VerticalOrigin.BOTTOM,
          pixelOffset: new Cartesian2(0, -14),
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
        }),
      });
    }
    scene.requestRender();
  };

  // ——— route ———
  let routePrim: GroundPolylinePrimitive | null = null;
  const endPoints = ctx.primitives.add(createMarkerPoints()) as PointPrimitiveCollection;
  let routeKey = '';
  const drawRoute = (route: Route | null) => {
    // Segment joins repeat a point; a ground polyline needs distinct consecutive points.
    const coords: number[][] = [];
    for (const p of route?.geometry.coordinates ?? []) {
      const q = coords[coords.length - 1];
      if (!q || Math.abs(q[0] - p[0]) > 1e-7 || Math.abs(q[1] - p[1]) > 1e-7) coords.push(p);
    }
    // The route is re-fetched with every slow poll; the same path keeps its (already built) line.
    const key = coords.map((c) => `${c[0].toFixed(6)},${c[1].toFixed(6)}`).join(';');
    if (key === routeKey && (routePrim !== null) === coords.length >= 2) return;
    routeKey = key;
    if (routePrim) ctx.ground.remove(routePrim);
    routePrim = null;
    if (coords.length >= 2) {
      routePrim = ctx.ground.add(
        new GroundPolylinePrimitive({
          geometryInstances: new GeometryInstance({
            geometry: new GroundPolylineGeometry({ positions: Cartesian3.fromDegreesArray(coords.flat()), width: ROUTE_WIDTH_PX }),
            attributes: { color: ColorGeometryInstanceAttribute.fromColor(ROUTE_COLOR) },
          }),
          appearance: new PolylineColorAppearance({ translucent: true }),
        }),
      ) as GroundPolylinePrimitive;
    }
    scene.requestRender();
  };
  const drawEnds = (s: { routeFrom: readonly number[] | null; routeTo: readonly number[] | null }) => {
    endPoints.removeAll();
    for (const [p, css] of [
      [s.routeFrom, ACCENT_CSS],
      [s.routeTo, '#ffffff'],
    ] as const) {
      if (!p) continue;
      endPoints.add({
        position: Cartesian3.fromDegrees(p[0], p[1], 20),
        color: Color.fromCssColorString(css),
        pixelSize: 12,
        outlineColor: Color.BLACK,
        outlineWidth: 2,
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
      });
    }
    scene.requestRender();
  };

  // Route mode: a left click on the globe picks a point (the app's own picking still selects).
  // The app's picking handler (registered earlier) has already acted on the click by then: a route
  // pick is not a selection, so the selection from before the press is put back.
  const handler = new ScreenSpaceEventHandler(scene.canvas);
  let beforeClick: { deviceId: string | null; siteId: string | null } | null = null;
  handler.setInputAction(() => {
    const t = ctx.store.getState();
    beforeClick = { deviceId: t.selectedDeviceId, siteId: t.selectedSiteId };
  }, ScreenSpaceEventType.LEFT_DOWN);
  handler.setInputAction((e: { position: Cartesian2 }) => {
    if (store.getState().routeMode === 'off') return;
    if (beforeClick) ctx.store.getState().select(beforeClick);
    const cart = scene.camera.pickEllipsoid(e.position, scene.globe.ellipsoid);
    if (!cart) return;
    const c = Cartographic.fromCartesian(cart);
    store.getState().pickPoint([CesiumMath.toDegrees(c.longitude), CesiumMath.toDegrees(c.latitude)]);
  }, ScreenSpaceEventType.LEFT_CLICK);

  buildHalos();
  recolour(true);
  drawIncidents(incidents.store.getState().data ?? []);
  drawRoute(routeResource.store.getState().data);
  drawEnds(store.getState());

  const unsubs = [
    segments.store.subscribe((s, prev) => void (s.data !== prev.data && recolour())),
    incidents.store.subscribe((s, prev) => void (s.data !== prev.data && drawIncidents(s.data ?? []))),
    routeResource.store.subscribe((s, prev) => void (s.data !== prev.data && drawRoute(s.data))),
    store.subscribe((s, prev) => void ((s.routeFrom !== prev.routeFrom || s.routeTo !== prev.routeTo) && drawEnds(s))),
    ctx.store.subscribe((t, prev) => void (t.lang !== prev.lang && drawIncidents(incidents.store.getState().data ?? []))),
  ];
  // A rebuilt site layer (new sites, or only new devices: the globe rebuilds both) starts from its
  // neutral colours: colour it again. Watching the store's sites alone missed a devices-only reload,
  // and the segments stayed grey on the globe while this layer believed them red.
  // New halos are made in a task after the registry's first frame, not in its task (~25 ms at
  // 25,000 devices): they are made in workers and drawn frames later anyway.
  let haloSites = ctx.store.getState().sites;
  let cancelHalos = (): void => {};
  ctx.onRegistryBuilt(() => {
    const sites = ctx.store.getState().sites;
    if (sites !== haloSites) {
      haloSites = sites;
      cancelHalos();
      cancelHalos = afterNextFrame(scene, () => (buildHalos(), recolour(true)));
    }
    recolour(true);
  });
  ctx.onDispose(() => {
    cancelHalos();
    for (const u of unsubs) u();
    handler.destroy();
    removeHaloPostRender();
  });

  return {
    api: {
      segmentColorCss: (id: string): string | null => {
        const site = ctx.store.getState().sites.get(id);
        if (!site || site.kind !== 'segment') return null;
        // Asked of the site layer that draws it: a rebuilt one starts neutral until coloured again.
        return ctx.sites()?.segmentColorCss(id) ?? null;
      },
      incidentCount: (): number => markers.size,
      /** The incident markers' labels as drawn ("⚠ 交通事故"). */
      incidentLabels: (): string[] => [...markers.values()].map((m) => m.label.text),
      routeDrawn: (): boolean => routePrim !== null,
    },
  };
}
