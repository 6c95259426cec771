/**
 * The park's tank-farm models (public/models/index.json entries with `source: "tankfarm"`, made by
 * scripts/build-models.ts) placed at their anchors, and a red translucent sleeve around every tank
 * with an open alarm (drawn at the tank's registry position, so it needs no per-node styling).
 *
 * Model frame (scripts/models/README.md): +X east, +Y up, +Z south, metres from the anchor.
 */
import {
  Axis,
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  CylinderGeometry,
  GeometryInstance,
  HeadingPitchRoll,
  Math as CesiumMath,
  Model,
  PerInstanceColorAppearance,
  Primitive,
  Transforms,
  type PrimitiveCollection,
} from 'cesium';
import type { Site } from '../../../../contracts';
import { SEVERITY_CSS } from '../../../../view';
import { fetchModelManifest } from '../../modelManifest';
import { centreOf } from '../../siteStyle';

/** Loads the tank-farm models of the park into `primitives`; resolves with the models added. */
export async function loadTankFarmModels(primitives: PrimitiveCollection, signal: AbortSignal, onReady: () => void): Promise<Model[]> {
  const entries = (await fetchModelManifest(signal)).filter((e) => e.source === 'tankfarm');
  const out: Model[] = [];
  await Promise.all(
    entries.map(async (e) => {
      const model = await Model.fromGltfAsync({
        url: `/models/${e.file}`,
        modelMatrix: Transforms.headingPitchRollToFixedFrame(
          Cartesian3.fromDegrees(e.lonDeg, e.latDeg, e.heightM),
          new HeadingPitchRoll(CesiumMath.toRadians(e.headingDeg), 0, 0),
        ),
        upAxis: Axis.Y,
        forwardAxis: Axis.X, // Cesium's default (Z) would turn every model 90°
        // No atmosphere-lit environment map (its probe reads the frame back: see confined/models.ts).
        environmentMapOptions: { enabled: false },
        id: `site:${e.siteId}`,
      });
      if (signal.aborted) return void model.destroy();
      model.readyEvent.addEventListener(onReady);
      primitives.add(model);
      out.push(model);
    }),
  );
  return out;
}

const ALARM_SLEEVE = Color.fromCssColorString(SEVERITY_CSS.critical).withAlpha(0.45);
/** The sleeve stands this much wider and taller than the tank, m, so it shows around the model. */
const SLEEVE_MARGIN_M = 3;

/** A primitive of red sleeves around the given tanks (null when there are none). */
export function tankAlarmSleeves(tanks: readonly Site[]): Primitive | null {
  const instances: GeometryInstance[] = [];
  for (const t of tanks) {
    const c = centreOf(t);
    if (!c) continue;
    const radiusM = (t.props?.radiusM ?? 10) + SLEEVE_MARGIN_M;
    const heightM = (t.props?.heightM ?? 14) + SLEEVE_MARGIN_M * 2;
    instances.push(
      new GeometryInstance({
        id: `site:${t.id}`,
        geometry: new CylinderGeometry({ length: heightM, topRadius: radiusM, bottomRadius: radiusM, slices: 32, vertexFormat: PerInstanceColorAppearance.VERTEX_FORMAT }),
        modelMatrix: Transforms.eastNorthUpToFixedFrame(Cartesian3.fromDegrees(c[0], c[1], heightM / 2)),
        attributes: { color: ColorGeometryInstanceAttribute.fromColor(ALARM_SLEEVE) },
      }),
    );
  }
  if (instances.length === 0) return null;
  return new Primitive({ geometryInstances: instances, appearance: new PerInstanceColorAppearance({ translucent: true, closed: true }), asynchronous: false });
}
