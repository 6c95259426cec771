/**
 * What an uploaded model file is, by its bytes (never its name): a GLB (glTF 2.0 binary, §4.4 of
 * the glTF 2.0 specification: magic `glTF`, version 2, total length, a JSON chunk first) or an IFC
 * file (an ISO 10303-21 "STEP" exchange file whose FILE_SCHEMA names an IFC schema). And the
 * checks a GLB must pass before it is stored: readable JSON, glTF 2.x, no external files, geometry.
 */
import { gltfBounds, type GltfGeometryJson } from '../../domain';
import type { ModelBounds } from '../../contracts';

export type ModelFormat = 'glb' | 'ifc';

const GLB_MAGIC = 0x46546c67; // 'glTF' little-endian
const CHUNK_JSON = 0x4e4f534a; // 'JSON'

/** The format the bytes are in, or null for anything else. */
export function sniffModel(bytes: Uint8Array): ModelFormat | null {
  if (bytes.byteLength >= 12) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) === GLB_MAGIC) return 'glb';
  }
  // ISO 10303-21 §5: the file starts with its keyword (after a UTF-8 byte-order mark or blanks, which tools write).
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart();
  if (head.startsWith('ISO-10303-21;') && /FILE_SCHEMA\s*\(\s*\(\s*'IFC/i.test(head)) return 'ifc';
  return null;
}

export interface GlbFacts {
  bounds: ModelBounds;
}

/** Why a GLB cannot be shown as it is (a readable sentence), or its facts. */
export function checkGlb(bytes: Uint8Array): { problem: string } | GlbFacts {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 20 || view.getUint32(0, true) !== GLB_MAGIC) return { problem: 'not a GLB file' };
  const version = view.getUint32(4, true);
  if (version !== 2) return { problem: `GLB version ${version}: only glTF 2.0 is supported` };
  if (view.getUint32(8, true) !== bytes.byteLength) return { problem: 'the GLB is cut short or has bytes after its end (its header gives another length)' };
  const jsonLength = view.getUint32(12, true);
  if (view.getUint32(16, true) !== CHUNK_JSON || 20 + jsonLength > bytes.byteLength) return { problem: 'the GLB does not start with a JSON chunk' };
  let json: GltfGeometryJson & { asset?: { version?: unknown }; buffers?: { uri?: string }[]; images?: { uri?: string }[] };
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(20, 20 + jsonLength)));
  } catch {
    return { problem: 'the GLB JSON chunk is not valid JSON' };
  }
  if (!json || typeof json !== 'object' || typeof json.asset?.version !== 'string' || !json.asset.version.startsWith('2.')) {
    return { problem: 'the GLB is not glTF 2.0 (asset.version)' };
  }
  // The model is served alone: a file it names beside it would never be found.
  const external = [...(json.buffers ?? []), ...(json.images ?? [])].find((x) => typeof x?.uri === 'string' && !x.uri.startsWith('data:'));
  if (external) return { problem: `the GLB refers to an outside file (${String(external.uri).slice(0, 80)}): export it with everything embedded` };
  let bounds: ModelBounds | null = null;
  try {
    bounds = gltfBounds(json);
  } catch {
    bounds = null;
  }
  if (!bounds) return { problem: 'the GLB has no geometry with bounds (POSITION min/max)' };
  return { bounds };
}
