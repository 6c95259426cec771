/**
 * The model manifest (`/models/index.json`, written by scripts/build-models.ts, see
 * scripts/models/README.md): every placed glTF model with its anchor, heading and, for BIM models,
 * its element table. The confined plants and the park's tank farms each take their own entries.
 */

/** One manifest entry. Model frame: +X east, +Y up, +Z south, metres from the anchor. */
export interface ModelEntry {
  id: string;
  file: string;
  siteId: string | null;
  lonDeg: number;
  latDeg: number;
  heightM: number;
  headingDeg: number;
  /** A BIM model's element table (node name = GlobalId → metadata), beside the model. */
  elements?: string;
  source: 'generated' | 'tankfarm' | 'imported' | string;
}

/** Loads the manifest; rejects when it is missing or not a list (a static file, not the API). */
export async function fetchModelManifest(signal: AbortSignal): Promise<ModelEntry[]> {
  const res = await fetch('/models/index.json', { signal, cache: 'no-cache' });
  if (!res.ok) throw new Error(`/models/index.json: HTTP ${res.status}`);
  const list = (await res.json()) as unknown;
  if (!Array.isArray(list)) throw new Error('/models/index.json is not a list');
  return list as ModelEntry[];
}
