/**
 * `public/models/index.json`: every model the app places on the globe. Built by build-models
 * (generated plants, tank farms) and import-ifc (imported IFC, also kept in `imported.json` so a
 * rebuild keeps them). See scripts/models/README.md for the frame and how Cesium places a model.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ModelEntry {
  /** Unique; the GLB is `{id}.glb` for generated and imported models. */
  id: string;
  /** Relative to the manifest (served at /models/{file}). */
  file: string;
  /** Registry site the model shows (a plant, a tank farm), or null for a model of its own. */
  siteId: string | null;
  /** The model origin on WGS84 (height above the ellipsoid-ground, as registry positions). */
  lonDeg: number;
  latDeg: number;
  heightM: number;
  /** Compass rotation of the model about its origin, clockwise from north (Cesium heading). */
  headingDeg: number;
  /** glTF axes for Cesium's Model.fromGltfAsync: `upAxis: Axis.Y, forwardAxis: Axis.X` (x east, y up, z south). */
  upAxis: 'Y';
  forwardAxis: 'X';
  /** Node name → element metadata (`{id}.elements.json`), for Cesium picking, which returns node names. */
  elements?: string;
  source: 'generated' | 'tankfarm' | 'imported';
}

export const MANIFEST = 'index.json';
export const IMPORTED = 'imported.json';

function readList(path: string): ModelEntry[] {
  if (!existsSync(path)) return [];
  const json = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (!Array.isArray(json)) throw new Error(`${path} is not a JSON array`);
  return json as ModelEntry[];
}

export const readManifest = (dir: string): ModelEntry[] => readList(join(dir, MANIFEST));
export const readImported = (dir: string): ModelEntry[] => readList(join(dir, IMPORTED));

/** One entry a line, sorted by id: stable bytes, readable diffs. */
export function listJson(entries: readonly ModelEntry[]): string {
  const sorted = [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return `[\n${sorted.map((e) => '  ' + JSON.stringify(e)).join(',\n')}\n]\n`;
}

/** Writes through a temporary file, so the app never reads half a manifest. */
export function writeAtomic(path: string, text: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Replaces entries with the same id (later wins). */
export function upsert(entries: readonly ModelEntry[], ...more: ModelEntry[]): ModelEntry[] {
  const byId = new Map(entries.map((e) => [e.id, e]));
  for (const e of more) byId.set(e.id, e);
  return [...byId.values()];
}
