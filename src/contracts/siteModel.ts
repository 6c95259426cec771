/**
 * A site's own 3D model (docs/contract.md "Models for your own sites"): a GLB, or an IFC converted
 * to one, uploaded by an admin for a site and placed on the globe. It is stored with the site in
 * the registry (`props.model`), so every change is versioned, audited and reaches every browser.
 */
import { z } from 'zod';

/** Where the model's origin sits and how it is turned and scaled. */
export interface ModelPlacement {
  lonDeg: number;
  latDeg: number;
  /** Height of the model origin above the ellipsoid-ground, m (0 = ground). */
  heightM: number;
  /** Clockwise from north, degrees, about the origin (Cesium heading). */
  headingDeg: number;
  /** Uniform scale (1 = the file's metres). */
  scale: number;
}

/** The model's extent in its own frame (glTF: +X east, +Y up, +Z south), m, before placement. */
export interface ModelBounds {
  min: [number, number, number];
  max: [number, number, number];
}

/** `props.model` of a site. */
export interface SiteModel extends ModelPlacement {
  /** The stored GLB, served at `/api/models/{file}`: `{siteId}-{16 hex of its SHA-256}.glb`. */
  file: string;
  /** What was uploaded: a GLB as it was, or an IFC converted to GLB. */
  format: 'glb' | 'ifc';
  /** SHA-256 (hex) and size of the uploaded file. */
  sha256: string;
  bytes: number;
  /** The name the uploader gave, as a label only (never a path). */
  label: string | null;
  uploadedAt: number;
  uploadedBy: string;
  bounds: ModelBounds;
}

/** How much of the placed footprint lies outside the site's outline (a warning, never a refusal). */
export interface OutlineCheck {
  /** The footprint (the model's box, turned, scaled and placed) on the ground, m². */
  footprintM2: number;
  outsideM2: number;
  /** 0–100, one decimal. */
  outsidePct: number;
  /** The footprint's corners, `[lonDeg, latDeg]`, the first repeated last. */
  footprint: [number, number][];
}

/** Answer of the model routes: the site's model, the version that holds it, the outline check (null: the site has no outline). */
export interface SiteModelAnswer {
  siteId: string;
  model: SiteModel;
  version: number;
  check: OutlineCheck | null;
}

/** Stored model file names: derived from the site id and the content hash, never from the client. */
export const MODEL_FILE_PATTERN = /^[A-Za-z0-9_-]{1,64}-[0-9a-f]{16}\.glb$/;

/** PATCH /api/sites/{id}/model: any of the placement fields; what is absent stays. */
export const modelPlacementPatch = z
  .object({
    lonDeg: z.number().finite().min(-180).max(180),
    latDeg: z.number().finite().min(-90).max(90),
    heightM: z.number().finite().min(-11_000).max(10_000),
    headingDeg: z.number().finite().min(-360).max(360),
    // A thousandth (mm drawn as m) up to a thousand (km drawn as m).
    scale: z.number().finite().min(0.001).max(1000),
  })
  .partial()
  .strict();
export type ModelPlacementPatch = z.infer<typeof modelPlacementPatch>;
