/**
 * The controller's 2D network panel in deck.gl, beside the globe (never laid over it: a flat deck.gl
 * map laid over Cesium's globe was measured drifting off it at regional range). All segments by
 * congestion level (PathLayer, ≤ 66 paths), simulated vehicles whose speed follows each segment's
 * live speed (TripsLayer; the animation only moves `currentTime`), open incidents (Scatterplot)
 * and the travel-time route. Linked with the app: a click on a segment selects it in the store
 * (the globe then highlights it), the store's selected segment is drawn white and wide here; in
 * route mode a click picks a route end instead. Colours change through `updateTriggers` only.
 */
import { Deck, MapView, WebMercatorViewport, type PickingInfo } from '@deck.gl/core';
import { PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import { TripsLayer } from '@deck.gl/geo-layers';
import type { IncidentView, SegmentView } from '../../contracts';
import { incidents, roads, route as routeResource, segments } from '../../state/roads';
import type { TwinStore } from '../../state/store';
import { ACCENT_CSS, SEVERITY_CSS, cssToRgb, segmentCss } from '../../view';
import { Fleet, buildLoops, segmentPaths, type SegmentPath, type Trip } from './trips';

/** Each direction is drawn this far to the right of travel, m (≈ 3 px at the panel's zoom). */
const OFFSET_M = 300;
/** Vehicles in the animation: enough to read the flow, light for SwiftShader. */
const VEHICLES = 160;
/** Simulated seconds per real second: 100 km/h crosses a 5 km segment in ~6 s. */
const SPEEDUP = 30;
/** Trips are built for this much animation time ahead, s (rebuilt at half of it, or on new speeds). */
const WINDOW_S = 1200;
/** Trail behind each vehicle, simulated s. */
const TRAIL_S = 80;
/** Frame cap of the animation: 20 fps is smooth enough and leaves the globe its share of the GPU. */
const FRAME_MS = 50;

export interface NetworkDeckOptions {
  twin: TwinStore;
  /** Called when a segment is clicked (the panel selects it and flies the globe there). */
  onSelectSegment(id: string): void;
}

export interface NetworkDeck {
  /** Segments drawn, vehicles animated (for tests). */
  stats(): { segments: number; vehicles: number; frames: number };
  /** Where a segment's middle vertex is drawn, CSS px from the panel's top left; null if unknown. */
  segmentPixel(id: string): { x: number; y: number } | null;
  /**
   * Follows the globe: centres the panel on this point, keeping the panel's own zoom, when the
   * point lies on the network (an overview centred elsewhere leaves the panel where it is).
   */
  centreOn(lonDeg: number, latDeg: number): boolean;
  /** The panel's view centre now. */
  centre(): { lonDeg: number; latDeg: number };
  destroy(): void;
}

const SELECTED_RGB: [number, number, number] = [255, 255, 255];

export function createNetworkDeck(container: HTMLDivElement, opts: NetworkDeckOptions): NetworkDeck {
  const { twin } = opts;
  const segmentsNow = (): ReadonlyMap<string, SegmentView> => segments.store.getState().data ?? new Map();
  let paths: SegmentPath[] = [];
  let fleet: Fleet | null = null;
  let trips: Trip[] = [];
  let frames = 0;
  const startMs = performance.now();
  const animTime = () => ((performance.now() - startMs) / 1000) * SPEEDUP;
  let builtAt = 0;

  const speedOf = (id: string): number => {
    const s = segmentsNow().get(id);
    // Unknown speed: vehicles drive the usual speed (the colour already says "unknown").
    return s?.smoothedSpeedKmh ?? s?.speedKmh ?? s?.usualSpeedKmh ?? 60;
  };

  const rebuildTrips = () => {
    if (!fleet) return;
    builtAt = animTime();
    trips = fleet.build(builtAt, speedOf, WINDOW_S);
  };

  const fitView = () => {
    let minLon = Infinity;
    let minLat = Infinity;
    let maxLon = -Infinity;
    let maxLat = -Infinity;
    for (const p of paths)
      for (const [lon, lat] of p.path) {
        minLon = Math.min(minLon, lon);
        maxLon = Math.max(maxLon, lon);
        minLat = Math.min(minLat, lat);
        maxLat = Math.max(maxLat, lat);
      }
    const width = container.clientWidth || 340;
    const height = container.clientHeight || 240;
    if (!Number.isFinite(minLon)) return { longitude: 120.24, latitude: 29.72, zoom: 9.5 };
    bounds = [minLon, minLat, maxLon, maxLat];
    const v = new WebMercatorViewport({ width, height }).fitBounds(
      [
        [minLon, minLat],
        [maxLon, maxLat],
      ],
      { padding: 12 },
    );
    return { longitude: v.longitude, latitude: v.latitude, zoom: v.zoom };
  };

  /** The network's extent [west, south, east, north], set by fitView. */
  let bounds: [number, number, number, number] | null = null;
  /** The view as the user (or the globe) left it. */
  let current: { longitude: number; latitude: number; zoom: number } = { longitude: 120.24, latitude: 29.72, zoom: 9.5 };

  const loadRegistry = () => {
    const sites = [...twin.getState().sites.values()];
    paths = segmentPaths(sites, OFFSET_M);
    fleet = new Fleet(buildLoops(sites, OFFSET_M), VEHICLES);
    rebuildTrips();
    current = fitView();
    deck.setProps({ initialViewState: current });
  };

  const layers = () => {
    const segs = segmentsNow();
    const segmentsVersion = segments.store.getState().version;
    const selected = twin.getState().selectedSiteId;
    const route = routeResource.store.getState().data?.geometry.coordinates;
    return [
      new PathLayer<SegmentPath>({
        id: 'segments',
        data: paths,
        getPath: (d) => d.path,
        getColor: (d) => (d.id === selected ? SELECTED_RGB : cssToRgb(segmentCss(segs.get(d.id)))),
        getWidth: (d) => (d.id === selected ? 8 : 5),
        widthUnits: 'pixels',
        capRounded: true,
        jointRounded: true,
        pickable: true,
        autoHighlight: true,
        highlightColor: [255, 255, 255, 120],
        updateTriggers: { getColor: [segmentsVersion, selected], getWidth: selected },
      }),
      new TripsLayer<Trip>({
        id: 'vehicles',
        data: trips,
        getPath: (d) => d.path,
        getTimestamps: (d) => d.timestamps,
        // Pale and thin over the level colour, so the jam's red still reads under its slow traffic.
        getColor: [240, 246, 255, 150],
        widthMinPixels: 1,
        capRounded: true,
        fadeTrail: true,
        trailLength: TRAIL_S,
        currentTime: animTime(),
      }),
      new PathLayer<{ path: [number, number][] }>({
        id: 'route',
        data: route && route.length >= 2 ? [{ path: route }] : [],
        getPath: (d) => d.path,
        getColor: [...cssToRgb(ACCENT_CSS), 230],
        getWidth: 6,
        widthUnits: 'pixels',
        capRounded: true,
        jointRounded: true,
      }),
      new ScatterplotLayer<IncidentView>({
        id: 'incidents',
        data: (incidents.store.getState().data ?? []).filter((i) => i.state === 'open'),
        getPosition: (d) => [d.lonDeg, d.latDeg],
        getFillColor: (d) => cssToRgb(d.kind === 'roadworks' ? SEVERITY_CSS.major : SEVERITY_CSS.critical),
        getLineColor: [255, 255, 255],
        stroked: true,
        lineWidthMinPixels: 2,
        radiusUnits: 'pixels',
        getRadius: 7,
        pickable: true,
      }),
    ];
  };

  const onClick = (info: PickingInfo) => {
    const r = roads.getState();
    if (r.routeMode !== 'off' && info.coordinate) {
      r.pickPoint([info.coordinate[0], info.coordinate[1]]);
      return;
    }
    const obj = info.object as (SegmentPath | IncidentView | undefined);
    if (!obj) return;
    if ('path' in obj && info.layer?.id === 'segments') opts.onSelectSegment(obj.id);
    else if ('segmentId' in obj) opts.onSelectSegment(obj.segmentId);
  };

  const lang = () => twin.getState().lang;
  const tooltip = (info: PickingInfo): string | null => {
    const obj = info.object as (SegmentPath | IncidentView | undefined);
    if (!obj) return null;
    if ('path' in obj && info.layer?.id === 'segments') {
      const seg: SegmentView | undefined = segmentsNow().get(obj.id);
      const site = twin.getState().sites.get(obj.id);
      const name = (lang() === 'zh' ? site?.nameZh : site?.name) ?? site?.name ?? obj.id;
      const v = seg?.smoothedSpeedKmh ?? seg?.speedKmh;
      return `${name}\n${v === null || v === undefined ? '—' : Math.round(v)} km/h`;
    }
    if ('segmentId' in obj) return `${obj.kind} · ${obj.segmentId}`;
    return null;
  };

  const deck = new Deck({
    parent: container,
    width: '100%',
    height: '100%',
    views: new MapView({ repeat: false }),
    initialViewState: { longitude: 120.24, latitude: 29.72, zoom: 9.5 },
    controller: { doubleClickZoom: false },
    useDevicePixels: 1,
    // Paths are a few pixels wide and both carriageways sit side by side: be forgiving.
    pickingRadius: 6,
    layers: [],
    onClick,
    onViewStateChange: ({ viewState }) => {
      const v = viewState as { longitude: number; latitude: number; zoom: number };
      current = { longitude: v.longitude, latitude: v.latitude, zoom: v.zoom };
      return viewState;
    },
    getTooltip: (info) => {
      const text = tooltip(info);
      return text ? { text, style: { background: '#0b1220', color: '#eef3fb', fontSize: '12px', border: '1px solid #34476b', borderRadius: '4px' } } : null;
    },
    getCursor: ({ isHovering, isDragging }) => (isDragging ? 'grabbing' : isHovering || roads.getState().routeMode !== 'off' ? 'pointer' : 'grab'),
  });

  loadRegistry();

  // Store changes: new speeds rebuild the trips (from where each vehicle is now); colours follow
  // through updateTriggers on the next frame.
  const unsubRoads = segments.store.subscribe((s, prev) => {
    if (s.version !== prev.version) rebuildTrips();
  });
  const unsubTwin = twin.subscribe((s, prev) => {
    if (s.sites !== prev.sites) loadRegistry();
  });

  let raf = 0;
  let lastFrame = 0;
  const frame = (now: number) => {
    raf = requestAnimationFrame(frame);
    if (now - lastFrame < FRAME_MS) return;
    lastFrame = now;
    if (animTime() - builtAt > WINDOW_S / 2) rebuildTrips();
    deck.setProps({ layers: layers() });
    frames++;
  };
  raf = requestAnimationFrame(frame);

  return {
    stats: () => ({ segments: paths.length, vehicles: trips.length, frames }),
    segmentPixel(id) {
      const p = paths.find((x) => x.id === id);
      const viewport = deck.getViewports()[0];
      if (!p || !viewport) return null;
      const a = p.path[Math.floor((p.path.length - 1) / 2)];
      const b = p.path[Math.ceil((p.path.length - 1) / 2)];
      const [x, y] = viewport.project([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
      return { x, y };
    },
    centreOn(lonDeg, latDeg) {
      if (!bounds) return false;
      // A margin of a tenth of the network's size: a view just off its edge still belongs to it.
      const mx = (bounds[2] - bounds[0]) / 10;
      const my = (bounds[3] - bounds[1]) / 10;
      const inside = lonDeg >= bounds[0] - mx && lonDeg <= bounds[2] + mx && latDeg >= bounds[1] - my && latDeg <= bounds[3] + my;
      if (!inside) return false;
      current = { ...current, longitude: lonDeg, latitude: latDeg };
      deck.setProps({ initialViewState: { ...current } });
      return true;
    },
    centre: () => ({ lonDeg: current.longitude, latDeg: current.latitude }),
    destroy() {
      cancelAnimationFrame(raf);
      unsubRoads();
      unsubTwin();
      deck.finalize();
    },
  };
}
