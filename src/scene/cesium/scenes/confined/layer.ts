/**
 * The confined scene's own drawing on the globe (see ../../sceneLayer.ts): the plants' BIM models tinted by
 * their worst space (red / orange / yellow / blue), a marker per space coloured by its status with
 * the head count when people are inside, and, for an evacuate alarm, a camera flight to the space
 * and a pulsing marker until the alarm is acknowledged. Picking a model element selects its space.
 *
 * Reads the space list the session polls (src/state/confined.ts).
 */
import {
  Cartesian2,
  Cartesian3,
  Color,
  Ellipsoid,
  LabelCollection,
  LabelStyle,
  NearFarScalar,
  PointPrimitiveCollection,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
  VerticalOrigin,
  type Label,
  type PointPrimitive,
} from 'cesium';
import type { SpaceStatus, SpaceSummary } from '../../../../contracts';
import { spaces as spacesResource, unackedEvacuateAlarms } from '../../../../state/confined';
import { SEVERITY_CSS, plantRisk, spaceStatusCss } from '../../../../view';
import { createPlantRiskLayer } from './plants';
import { fetchManifest, placeModel, spaceOfPick, tintModel, type PlacedModel } from './models';
import { LABEL_FAMILIES } from '../../colors';
import { parcelCeilingM } from '../../siteCells';
import type { SceneLayerContext } from '../../sceneLayer';
import { hasOwnModel } from '../../siteModels';
import { createLabelCollection, createMarkerPoints, LABEL_SHADER } from '../../labelShader';

/** Marker id prefix for picking (`confined-space:{spaceId}`). */
const MARKER_PREFIX = 'confined-space:';
/** Marker height above the space's ground, m: pits are below ground, the marker floats over the opening. */
const MARKER_HEIGHT_M = 6;
/** Pulse period and update step, ms (software WebGL: a few frames a second is all we ask for). */
const PULSE_PERIOD_MS = 1000;
const PULSE_STEP_MS = 500;

interface Marker {
  point: PointPrimitive;
  label: Label;
  status: SpaceStatus;
  inside: number;
  css: string;
  /** What was last drawn (status, count, colour, pulse, language): an unchanged space is not restyled. */
  drawn: string;
}

export function createConfinedLayer(ctx: SceneLayerContext) {
  const { scene, store } = ctx;
  const abort = new AbortController();
  const points = ctx.primitives.add(createMarkerPoints()) as PointPrimitiveCollection;
  const labels = ctx.primitives.add(createLabelCollection(scene)) as LabelCollection;
  const models: PlacedModel[] = [];
  const markers = new Map<string, Marker>();
  /** Spaces with an unacknowledged evacuate alarm: their markers pulse, their plants stay red. */
  const pulsing = new Set<string>();
  const plantCss = new Map<string, string>();
  const plantTints = createPlantRiskLayer(scene, ctx.ground, () => parcelCeilingM(store.getState().devices.size));
  let failed = 0;

  // Models load in the background: the factory must not hold up the other scene layers.
  void (async () => {
    const entries = await fetchManifest(abort.signal);
    await Promise.all(
      entries.map(async (e) => {
        try {
          const m = await placeModel(scene, ctx.primitives, e, abort.signal);
          if (abort.signal.aborted) return;
          models.push(m);
          applyTints();
          scene.requestRender();
        } catch (err) {
          if (!abort.signal.aborted) {
            failed++;
            console.error(`confined model ${e.id} failed to load`, err);
          }
        }
      }),
    );
  })();

  /** Where a space's marker goes: the centre of its outline, a few metres up. */
  const markerPosition = (spaceId: string): Cartesian3 | null => {
    const ps = ctx.sites()?.positionsOf(spaceId) ?? [];
    if (ps.length === 0) return null;
    const sum = ps.reduce((acc, p) => Cartesian3.add(acc, p, acc), new Cartesian3());
    const c = Ellipsoid.WGS84.cartesianToCartographic(Cartesian3.divideByScalar(sum, ps.length, sum));
    if (!c) return null;
    return Cartesian3.fromRadians(c.longitude, c.latitude, MARKER_HEIGHT_M);
  };

  const labelText = (n: number) => ctx.t('confinedUi.globe.inside', { n });

  function applyTints() {
    // A plant with a model of its own (uploaded by an admin) shows that one instead.
    const sites = store.getState().sites;
    for (const m of models) m.model.show = !hasOwnModel(sites, m.entry.siteId);
    for (const m of models) {
      const css = m.entry.siteId ? plantCss.get(m.entry.siteId) : undefined;
      tintModel(m, css ? Color.fromCssColorString(css) : null);
    }
  }

  // Colours by CSS string, made once: a sync at city scale styles thousands of markers.
  const colours = new Map<string, Color>();
  const colour = (css: string, alpha = 1): Color => {
    const key = `${css}/${alpha}`;
    let c = colours.get(key);
    if (!c) colours.set(key, (c = Color.fromCssColorString(css).withAlpha(alpha)));
    return c;
  };
  /** The plant tints last applied and the sites they were applied over, to skip an unchanged one. */
  let tinted = { key: '', sites: null as unknown, models: -1 };

  function sync() {
    const spaces = spacesResource.store.getState().data ?? [];
    const byPlant = new Map<string, SpaceSummary[]>();
    for (const s of spaces) {
      if (!s.plantId) continue;
      // Until an evacuate alarm is acknowledged its plant stays red, even once everyone is out.
      const judged = pulsing.has(s.id) ? { ...s, status: 'evacuate' as const } : s;
      const list = byPlant.get(s.plantId);
      if (list) list.push(judged);
      else byPlant.set(s.plantId, [judged]);
    }
    plantCss.clear();
    for (const [plant, list] of byPlant) plantCss.set(plant, SEVERITY_CSS[plantRisk(list)]);
    const sites = store.getState().sites;
    const tintKey = [...plantCss].join();
    if (tintKey !== tinted.key || sites !== tinted.sites || models.length !== tinted.models) {
      tinted = { key: tintKey, sites, models: models.length };
      applyTints();
      plantTints.set(plantCss, sites);
    }

    const lang = store.getState().lang;
    let changed = false;
    for (const s of spaces) {
      let m = markers.get(s.id);
      if (!m) {
        const position = markerPosition(s.id);
        if (!position) continue;
        const point = points.add({
          position,
          id: MARKER_PREFIX + s.id,
          pixelSize: 12,
          outlineColor: colour('#05070d'),
          outlineWidth: 2,
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
        });
        const label = labels.add({
          ...LABEL_SHADER,
          position,
          id: MARKER_PREFIX + s.id,
          text: '',
          font: `bold 15px ${LABEL_FAMILIES}`,
          fillColor: Color.WHITE,
          outlineColor: Color.BLACK,
          outlineWidth: 3,
          style: LabelStyle.FILL_AND_OUTLINE,
          showBackground: true,
          backgroundColor: colour('#0b1220', 0.85),
          verticalOrigin: VerticalOrigin.BOTTOM,
          pixelOffset: new Cartesian2(0, -14),
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
          translucencyByDistance: new NearFarScalar(20_000, 1, 60_000, 0),
        });
        m = { point, label, status: s.status, inside: 0, css: '', drawn: '' };
        markers.set(s.id, m);
      }
      const css = spaceStatusCss(s.status, s.worstSeverity);
      const drawn = `${s.status}|${s.inside.length}|${css}|${pulsing.has(s.id)}|${lang}`;
      if (drawn === m.drawn) continue;
      m.drawn = drawn;
      m.status = s.status;
      m.inside = s.inside.length;
      m.css = css;
      m.point.color = colour(css);
      m.point.pixelSize = s.status === 'evacuate' ? 20 : s.inside.length > 0 ? 16 : s.status === 'idle' ? 9 : 12;
      m.label.show = s.inside.length > 0 || s.status === 'evacuate';
      // Only shown labels need their text (a translation per space is most of a sync at city scale).
      if (m.label.show) m.label.text = s.status === 'evacuate' ? `⚠ ${labelText(s.inside.length)}` : labelText(s.inside.length);
      m.label.backgroundColor = colour(s.status === 'evacuate' ? SEVERITY_CSS.critical : '#0b1220', 0.9);
      changed = true;
    }
    if (changed) scene.requestRender();
  }

  // Evacuate: fly to a newly raised alarm's space; pulse its marker while it is unacknowledged.
  const seen = new Set<string>();
  let pulseTimer: ReturnType<typeof setInterval> | null = null;
  function checkEvacuate() {
    const s = store.getState();
    const unacked = unackedEvacuateAlarms(store);
    const before = [...pulsing].join();
    pulsing.clear();
    for (const id of unacked) {
      const a = s.alarms.get(id);
      if (!a?.siteId) continue;
      pulsing.add(a.siteId);
      if (!seen.has(id)) {
        seen.add(id);
        // Fly only for whoever watches the confined scene: other operators keep their camera.
        if (s.view === 'confined' || s.auth?.role === 'inspector') {
          const ps = ctx.sites()?.positionsOf(a.siteId) ?? [];
          if (ps.length > 0) ctx.flyToPositions(ps);
        }
      }
    }
    // Only a change in which spaces pulse changes what is drawn: any other alarm leaves the markers
    // as they are (their statuses come with the space list, which syncs when it changes).
    if ([...pulsing].join() !== before || markers.size === 0) sync();
    if (pulsing.size > 0 && !pulseTimer) {
      pulseTimer = setInterval(() => {
        // Two steps a period (big, small): enough to catch the eye, cheap to draw.
        const big = Math.floor(Date.now() / (PULSE_PERIOD_MS / 2)) % 2 === 0;
        const size = big ? 32 : 18;
        for (const id of pulsing) {
          const m = markers.get(id);
          if (m) m.point.pixelSize = size;
        }
        scene.requestRender();
      }, PULSE_STEP_MS);
    } else if (pulsing.size === 0 && pulseTimer) {
      clearInterval(pulseTimer);
      pulseTimer = null;
    }
  }

  const unsubConfined = spacesResource.store.subscribe((st, prev) => {
    if (st.data !== prev.data) sync();
  });
  const unsubTwin = store.subscribe((s, prev) => {
    if (s.alarmsVersion !== prev.alarmsVersion) checkEvacuate();
    if (s.lang !== prev.lang || s.sites !== prev.sites) {
      if (s.sites !== prev.sites) {
        // Site outlines changed: markers are rebuilt at their new places.
        points.removeAll();
        labels.removeAll();
        markers.clear();
      }
      sync();
    }
  });
  checkEvacuate(); // also draws (sync)

  // Picking: runs after the globe's own handler (made earlier), so a model or marker click wins.
  const handler = new ScreenSpaceEventHandler(scene.canvas);
  ctx.onDispose(() => {
    abort.abort();
    unsubConfined();
    unsubTwin();
    handler.destroy();
    if (pulseTimer) clearInterval(pulseTimer);
    plantTints.destroy();
  });
  handler.setInputAction((e: { position: Cartesian2 }) => {
    const picked = scene.pick(e.position) as { id?: unknown } | undefined;
    if (!picked) return;
    const fromMarker = typeof picked.id === 'string' && picked.id.startsWith(MARKER_PREFIX) ? picked.id.slice(MARKER_PREFIX.length) : null;
    const spaceId = fromMarker ?? spaceOfPick(models, picked);
    if (spaceId) store.getState().select({ siteId: spaceId, deviceId: null });
  }, ScreenSpaceEventType.LEFT_CLICK);

  return {
    api: {
      /** Models placed and ready to draw. */
      modelCount: () => models.length,
      /** Their manifest ids, e.g. ['kq-p1', …, 'ifc-sample']. */
      modelIds: () => models.map((m) => m.entry.id).sort(),
      /** Models that failed to load. */
      modelFailures: () => failed,
      /** A space's marker as drawn: status, head count, colour, whether it pulses. */
      spaceMarker: (spaceId: string) => {
        const m = markers.get(spaceId);
        return m ? { status: m.status, inside: m.inside, colorCss: m.css, label: m.label.show ? m.label.text : null, pulsing: pulsing.has(spaceId) } : null;
      },
      /** A plant's risk tint as CSS, or null when none of its spaces is known. */
      plantColorCss: (plantId: string) => plantCss.get(plantId) ?? null,
      /** The space of a model element (GlobalId), as picking resolves it. */
      spaceOfElement: (modelId: string, globalId: string) => models.find((m) => m.entry.id === modelId)?.elements[globalId]?.spaceId ?? null,
      /** The model element ids (GlobalIds) of a model. */
      elementIds: (modelId: string) => Object.keys(models.find((m) => m.entry.id === modelId)?.elements ?? {}),
    },
  };
}
