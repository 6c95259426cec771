/**
 * IFC → three.js scene with web-ifc (OpenModel, StreamAllMeshes, GetGeometry; the
 * geometry comes out Y-up for glTF already, +X east and −Z north when the IFC's +Y is north).
 * One mesh per element and colour, its `userData` the element's BIM metadata (GlobalId, IFC type,
 * Name), which GLTFExporter writes as node `extras` — the same metadata the generated plants carry.
 */
import { BufferAttribute, BufferGeometry, Matrix3, Matrix4, Mesh, MeshStandardMaterial, SRGBColorSpace, Scene, Vector3 } from 'three';
import { IFC4, IfcAPI, type PlacedGeometry } from 'web-ifc';
import { exportGlb, type ElementExtras } from './gltf';

export interface IfcToSceneOptions {
  /** Let web-ifc move a far-off model to the origin (IFC files in projected coordinates). @default false */
  toOrigin?: boolean;
  /** The registry space an element stands for, if any (by its GlobalId, Name or Tag). */
  spaceOf?: (element: { globalId: string; name: string; tag: string | null }) => string | undefined;
}

/**
 * Converts IFC bytes to GLB bytes (npm run import:ifc, and the service's model upload through
 * scripts/ifc-to-glb.ts); `sceneExtras` go into the glTF scene's `extras`.
 */
export async function ifcToGlb(bytes: Uint8Array, opts: IfcToSceneOptions & { sceneExtras?: Record<string, unknown> } = {}): Promise<{ glb: Uint8Array; elements: number }> {
  const { scene, elements } = await ifcToScene(bytes, opts);
  if (opts.sceneExtras) scene.userData = opts.sceneExtras;
  return { glb: elements === 0 ? new Uint8Array() : await exportGlb(scene), elements };
}

/** IFC entity names in their schema spelling: IFCTANK → IfcTank. */
const IFC_NAMES = new Map(Object.keys(IFC4).filter((k) => k.startsWith('Ifc')).map((k) => [k.toUpperCase(), k]));

interface Part {
  positions: number[];
  normals: number[];
  indices: number[];
}

/** Converts IFC bytes to a scene of element meshes; `elements` counts the elements with geometry. */
export async function ifcToScene(bytes: Uint8Array, opts: IfcToSceneOptions = {}): Promise<{ scene: Scene; elements: number }> {
  const api = new IfcAPI();
  await api.Init();
  const model = api.OpenModel(bytes, { COORDINATE_TO_ORIGIN: opts.toOrigin ?? false });
  if (model < 0) throw new Error('web-ifc could not open the file (not IFC, or an unsupported schema)');
  const scene = new Scene();
  const materials = new Map<string, MeshStandardMaterial>();
  let elements = 0;
  try {
    api.StreamAllMeshes(model, (flat) => {
      const line = api.GetLine(model, flat.expressID) as { GlobalId?: { value: string }; Name?: { value: string } | null; Tag?: { value: string } | null };
      const typeCode = api.GetLineType(model, flat.expressID);
      const upper = api.GetNameFromTypeCode(typeCode);
      const globalId = line.GlobalId?.value ?? `express-${flat.expressID}`;
      const name = line.Name?.value ?? '';
      const tag = line.Tag?.value ?? null;
      // Same colour, same mesh: most elements become exactly one node.
      const parts = new Map<string, Part>();
      for (let i = 0; i < flat.geometries.size(); i++) {
        const placed = flat.geometries.get(i);
        const c = placed.color;
        const key = [c.x, c.y, c.z, c.w].map((v) => v.toFixed(3)).join(',');
        const part = parts.get(key) ?? { positions: [], normals: [], indices: [] };
        appendGeometry(api, model, placed, part);
        parts.set(key, part);
      }
      if (parts.size === 0) return;
      elements++;
      const extras: ElementExtras = { globalId, ifcType: IFC_NAMES.get(upper) ?? upper, name, expressId: flat.expressID };
      if (tag) extras.tag = tag;
      const spaceId = opts.spaceOf?.({ globalId, name, tag });
      if (spaceId) extras.spaceId = spaceId;
      let k = 0;
      for (const [key, part] of parts) {
        const g = new BufferGeometry();
        g.setAttribute('position', new BufferAttribute(new Float32Array(part.positions), 3));
        g.setAttribute('normal', new BufferAttribute(new Float32Array(part.normals), 3));
        g.setIndex(new BufferAttribute(new Uint32Array(part.indices), 1));
        const mesh = new Mesh(g, materialFor(materials, key));
        mesh.name = k === 0 ? globalId : `${globalId}/${k + 1}`;
        mesh.userData = { ...extras };
        scene.add(mesh);
        k++;
      }
    });
  } finally {
    api.CloseModel(model);
  }
  return { scene, elements };
}

/** Appends one placed geometry (6 floats a vertex: position, normal) transformed to model space. */
function appendGeometry(api: IfcAPI, model: number, placed: PlacedGeometry, part: Part): void {
  const geometry = api.GetGeometry(model, placed.geometryExpressID);
  try {
    const v = api.GetVertexArray(geometry.GetVertexData(), geometry.GetVertexDataSize());
    const idx = api.GetIndexArray(geometry.GetIndexData(), geometry.GetIndexDataSize());
    const m = new Matrix4().fromArray(placed.flatTransformation); // column-major, as three reads it
    const nm = new Matrix3().getNormalMatrix(m);
    const base = part.positions.length / 3;
    const p = new Vector3();
    for (let i = 0; i < v.length; i += 6) {
      p.set(v[i], v[i + 1], v[i + 2]).applyMatrix4(m);
      part.positions.push(p.x, p.y, p.z);
      p.set(v[i + 3], v[i + 4], v[i + 5]).applyMatrix3(nm).normalize();
      part.normals.push(p.x, p.y, p.z);
    }
    for (const i of idx) part.indices.push(base + i);
  } finally {
    geometry.delete();
  }
}

function materialFor(cache: Map<string, MeshStandardMaterial>, key: string): MeshStandardMaterial {
  let m = cache.get(key);
  if (!m) {
    const [r, g, b, a] = key.split(',').map(Number);
    m = new MeshStandardMaterial({ name: `ifc ${key}`, roughness: 0.85, metalness: 0, transparent: a < 1, opacity: a });
    m.color.setRGB(r, g, b, SRGBColorSpace); // IFC colours are sRGB; glTF stores linear
    cache.set(key, m);
  }
  return m;
}
