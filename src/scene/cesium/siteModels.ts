/**
 * Sites' own uploaded models (`props.model` of a registry site, served at `/api/models/{file}`
 * behind the login): each placed at its origin, heading and scale, in the model frame of the
 * generated plants (+X east, +Y up, +Z south; forwardAxis X). Follows the registry: a new version
 * adds, moves, replaces or removes models. The admin pages may show a placement before it is saved
 * (`preview`). A click on a model selects its site.
 */
import { Axis, Cartesian3, HeadingPitchRoll, Math as CesiumMath, Model, Resource, Transforms, type Matrix4 } from 'cesium';
import type { ModelPlacement, Site, SiteModel } from '../../contracts';
import type { SceneLayer, SceneLayerContext } from './sceneLayer';
import { SITE_PICK_PREFIX } from './sites';

/** What `globe.siteModels` offers the admin pages and tests. */
export interface SiteModelApi {
  /** Sites whose model is loaded and drawn. */
  ids(): string[];
  /** The stored file a site's drawn model came from, or null. */
  fileOf(siteId: string): string | null;
  /** Draws a site's model at a placement not yet saved; null returns it to the stored one. */
  preview(siteId: string, at: ModelPlacement | null): void;
}

/** Whether a site has a model of its own (a generated model of the same site then steps aside). */
export function hasOwnModel(sites: ReadonlyMap<string, Site>, siteId: string | null): boolean {
  return !!siteId && !!sites.get(siteId)?.props?.model;
}

function matrixOf(at: ModelPlacement): Matrix4 {
  return Transforms.headingPitchRollToFixedFrame(Cartesian3.fromDegrees(at.lonDeg, at.latDeg, at.heightM), new HeadingPitchRoll(CesiumMath.toRadians(at.headingDeg), 0, 0));
}

interface Placed {
  file: string;
  model: Model | null;
  stored: SiteModel;
  preview: ModelPlacement | null;
}

export function createSiteModelLayer(ctx: SceneLayerContext): SceneLayer<SiteModelApi> {
  const { scene, store } = ctx;
  const placed = new Map<string, Placed>();

  const place = (p: Placed) => {
    if (!p.model) return;
    const at = p.preview ?? p.stored;
    p.model.modelMatrix = matrixOf(at);
    p.model.scale = at.scale;
    scene.requestRender();
  };

  async function load(siteId: string, p: Placed) {
    const token = store.getState().auth?.token;
    const url = new Resource({ url: `/api/models/${encodeURIComponent(p.file)}`, headers: token ? { Authorization: `Bearer ${token}` } : {} });
    try {
      const model = await Model.fromGltfAsync({
        url,
        modelMatrix: matrixOf(p.stored),
        scale: p.stored.scale,
        upAxis: Axis.Y,
        forwardAxis: Axis.X, // Cesium's default (Z) would turn the model 90°
        id: `${SITE_PICK_PREFIX}${siteId}`,
      });
      if (placed.get(siteId) !== p) return void model.destroy(); // replaced or removed while it loaded
      p.model = ctx.primitives.add(model) as Model;
      place(p);
      // Render-on-request: a loading model needs frames to get ready.
      const timer = setInterval(() => {
        if (model.isDestroyed() || model.ready) clearInterval(timer);
        scene.requestRender();
      }, 200);
    } catch (e) {
      console.error(`the model of site ${siteId} failed to load`, e);
    }
  }

  function sync(sites: ReadonlyMap<string, Site>) {
    for (const [id, p] of placed) {
      const m = sites.get(id)?.props?.model;
      if (m && m.file === p.file) continue;
      if (p.model) ctx.primitives.remove(p.model); // removing destroys it
      placed.delete(id);
    }
    for (const [id, site] of sites) {
      const m = site.props?.model;
      if (!m) continue;
      const p = placed.get(id);
      if (p) {
        p.stored = m;
        place(p);
        continue;
      }
      const fresh: Placed = { file: m.file, model: null, stored: m, preview: null };
      placed.set(id, fresh);
      void load(id, fresh);
    }
    scene.requestRender();
  }

  sync(store.getState().sites);
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.sites !== prev.sites) sync(s.sites);
  });
  ctx.onDispose(unsubscribe);

  return {
    api: {
      ids: () => [...placed].filter(([, p]) => p.model?.ready).map(([id]) => id).sort(),
      fileOf: (siteId) => (placed.get(siteId)?.model?.ready ? placed.get(siteId)!.file : null),
      preview(siteId, at) {
        const p = placed.get(siteId);
        if (!p) return;
        p.preview = at;
        place(p);
      },
    },
  };
}
