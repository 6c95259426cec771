/**
 * glTF in Node: three.js's GLTFExporter writes GLB through the browser's FileReader, which Node
 * lacks, so a stand-in reads Blobs with `Blob.arrayBuffer()`. Plus a reader of a
 * GLB's JSON chunk (for the element index and the tests), and the IFC-like ids of elements.
 */
import { createHash } from 'node:crypto';
import type { Object3D } from 'three';
import { GLTFExporter } from 'three/examples/jsm/exporters/GLTFExporter.js';

/** Just what GLTFExporter calls: readAsArrayBuffer / readAsDataURL, then onloadend. */
class NodeFileReader {
  result: ArrayBuffer | string | null = null;
  onload: (() => void) | null = null;
  onloadend: (() => void) | null = null;
  readAsArrayBuffer(blob: Blob): void {
    void blob.arrayBuffer().then((buf) => this.done(buf));
  }
  readAsDataURL(blob: Blob): void {
    void blob.arrayBuffer().then((buf) => this.done(`data:${blob.type || 'application/octet-stream'};base64,${Buffer.from(buf).toString('base64')}`));
  }
  private done(result: ArrayBuffer | string): void {
    this.result = result;
    this.onload?.();
    this.onloadend?.();
  }
}

/** Exports a scene (or any object) as GLB bytes. */
export async function exportGlb(root: Object3D): Promise<Uint8Array> {
  const g = globalThis as { FileReader?: unknown };
  g.FileReader ??= NodeFileReader;
  const out = await new GLTFExporter().parseAsync(root, { binary: true, onlyVisible: true });
  if (!(out instanceof ArrayBuffer)) throw new Error('GLTFExporter did not return GLB bytes');
  return new Uint8Array(out);
}

/** The part of a glTF document the tools here read. */
export interface GltfJson {
  asset: { version: string; generator?: string; extras?: Record<string, unknown> };
  scenes?: { nodes?: number[]; extras?: Record<string, unknown> }[];
  nodes?: { name?: string; mesh?: number; children?: number[]; extras?: Record<string, unknown> }[];
  meshes?: { primitives: { attributes: Record<string, number>; indices?: number }[] }[];
  accessors?: { count: number; min?: number[]; max?: number[] }[];
}

/** The JSON chunk of a GLB (glTF 2.0 §4.4: 12-byte header, then a JSON chunk first). */
export function readGlbJson(glb: Uint8Array | ArrayBuffer): GltfJson {
  const bytes = glb instanceof Uint8Array ? glb : new Uint8Array(glb);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 20 || view.getUint32(0, true) !== 0x46546c67) throw new Error('not a GLB file');
  const length = view.getUint32(12, true);
  if (view.getUint32(16, true) !== 0x4e4f534a) throw new Error('GLB does not start with a JSON chunk');
  return JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + length))) as GltfJson;
}

/** BIM metadata of one element, as carried in glTF `extras` (three.js `userData`). */
export interface ElementExtras {
  /** 22 characters, IFC GlobalId alphabet. */
  globalId: string;
  /** IFC entity name: IfcTank, IfcBuilding, IfcSlab, IfcWall, IfcRoof, IfcDuctSegment, … */
  ifcType: string;
  name: string;
  nameZh?: string;
  /** Where the element is (part of) a confined space of the registry. */
  spaceId?: string;
  [key: string]: unknown;
}

/** Node name → extras of every node that carries a globalId (what Cesium picking gives back is the node name). */
export function elementIndex(json: GltfJson): Record<string, ElementExtras> {
  const out: Record<string, ElementExtras> = {};
  for (const n of json.nodes ?? []) {
    const x = n.extras as ElementExtras | undefined;
    if (x && typeof x.globalId === 'string') out[n.name ?? x.globalId] = x;
  }
  return out;
}

const IFC_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_$';

/**
 * A stable IFC-style GlobalId for an element key: the 128-bit MD5 of the key in the IFC base-64
 * compression (22 characters, the first one carrying the top 2 bits). Same key, same id, every build.
 */
export function ifcGlobalId(key: string): string {
  let n = BigInt(`0x${createHash('md5').update(`citytwin:${key}`).digest('hex')}`);
  let out = '';
  for (let i = 0; i < 22; i++) {
    out = IFC_ALPHABET[Number(n & 63n)] + out;
    n >>= 6n;
  }
  return out;
}
