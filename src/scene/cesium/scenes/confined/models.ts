/**
 * The confined plants' BIM models on the globe: reads /models/index.json (scripts/models/README.md),
 * places each plant's GLB geo-referenced (+X east, +Y up, +Z south; forwardAxis X) and keeps each
 * model's element table (node name = GlobalId → metadata with `spaceId`) for picking. The park's
 * tank farms (siteId `sy-…`, source `tankfarm`) belong to the park layer and are skipped.
 */
import {
  Axis,
  Cartesian3,
  Color,
  ColorBlendMode,
  HeadingPitchRoll,
  Math as CesiumMath,
  Model,
  Transforms,
  type PrimitiveCollection,
  type Scene,
} from 'cesium';
import { fetchModelManifest, type ModelEntry } from '../../modelManifest';

export type { ModelEntry };

export interface ElementMeta {
  globalId: string;
  ifcType?: string;
  name?: string;
  nameZh?: string;
  spaceId?: string;
}

export interface PlacedModel {
  entry: ModelEntry;
  model: Model;
  elements: Record<string, ElementMeta>;
}

/** How strongly a plant's risk colour tints its model (0: own colours, 1: flat colour). */
const RISK_TINT = 0.45;

/** Whether a manifest entry is this layer's: confined plants and imported IFC, not the park's tank farms. */
export function isConfinedModel(e: ModelEntry): boolean {
  return e.source !== 'tankfarm' && !(e.siteId ?? '').startsWith('sy-');
}

/** This layer's manifest entries; an absent or broken manifest gives no models (the globe still works). */
export async function fetchManifest(signal: AbortSignal): Promise<ModelEntry[]> {
  return fetchModelManifest(signal).then((list) => list.filter(isConfinedModel), () => []);
}

/** Loads and places one model into `collection`; resolves once it is ready to draw. */
export async function placeModel(scene: Scene, collection: PrimitiveCollection, e: ModelEntry, signal: AbortSignal): Promise<PlacedModel> {
  // Handled at once: an abort while the model loads must not leave a rejected promise unhandled.
  const elementsP: Promise<Record<string, ElementMeta>> = e.elements
    ? fetch(`/models/${e.elements}`, { signal }).then(
        (r) => (r.ok ? (r.json() as Promise<Record<string, ElementMeta>>) : {}),
        () => ({}),
      )
    : Promise.resolve({});
  const model = await Model.fromGltfAsync({
    url: `/models/${e.file}`,
    modelMatrix: Transforms.headingPitchRollToFixedFrame(
      Cartesian3.fromDegrees(e.lonDeg, e.latDeg, e.heightM),
      new HeadingPitchRoll(CesiumMath.toRadians(e.headingDeg), 0, 0),
    ),
    upAxis: Axis.Y,
    forwardAxis: Axis.X, // Cesium's default (Z) would turn every model 90° (README)
    // No atmosphere-lit environment map: its probe reads the frame back (readPixels, waiting for the
    // renderer), 21 of 60 s of an idle page's main thread at 25,000 devices; the scene has no sky anyway.
    environmentMapOptions: { enabled: false },
    id: `confined-model:${e.id}`,
    colorBlendMode: ColorBlendMode.MIX,
    colorBlendAmount: 0,
  });
  const elements = await elementsP.catch(() => ({}) as Record<string, ElementMeta>);
  if (signal.aborted) {
    model.destroy();
    throw new Error('aborted');
  }
  collection.add(model);
  // Render-on-request: a loading model needs frames to progress, so ask for some until it is ready.
  await new Promise<void>((resolve) => {
    if (model.ready) return resolve();
    const timer = setInterval(() => {
      if (model.ready || model.isDestroyed() || signal.aborted) {
        clearInterval(timer);
        resolve();
      } else scene.requestRender();
    }, 100);
  });
  return { entry: e, model, elements };
}

/** Tints a model with a risk colour (null: its own colours). */
export function tintModel(m: PlacedModel, color: Color | null): void {
  m.model.color = color ?? Color.WHITE;
  m.model.colorBlendAmount = color ? RISK_TINT : 0;
}

/** The space of a picked model node (pick.detail.node.node.name = GlobalId), or null. */
export function spaceOfPick(models: readonly PlacedModel[], picked: unknown): string | null {
  if (!picked || typeof picked !== 'object') return null;
  const p = picked as { primitive?: unknown; detail?: { node?: { node?: { name?: string } } } };
  const m = models.find((x) => x.model === p.primitive);
  const name = p.detail?.node?.node?.name;
  if (!m || !name) return null;
  return m.elements[name]?.spaceId ?? null;
}
