/**
 * The BIM-like model of one dyeing plant ("BIM models"): boundary wall, workshop
 * buildings with roofs, and the wastewater works with every confined space as real geometry at its
 * registry position — open basins and round tanks going down `depthM`, covered sumps, a covered
 * duct. Every mesh carries its element's metadata in `userData` (glTF `extras`).
 */
import { type BufferGeometry, Mesh, MeshStandardMaterial, Scene } from 'three';
import type { Registry, Site } from '../../src/contracts';
import type { Feature } from '../data/util';
import { anchorOf, localRing } from './anchor';
import { ifcGlobalId, type ElementExtras } from './gltf';
import { block, disc, footprintOf, gableRoof, merge, place, rectWalls, ringWall, slabWithOpening, type Footprint } from './shapes';

/** Concrete wall of a wastewater structure, m (typical for 3–6 m deep reinforced basins). */
const WALL_M = 0.3;
const FLOOR_M = 0.4;
/** Upstand of an open basin above ground, m; guard rails go on top (GB 4053.3: 1.05 m or more). */
const UPSTAND_M = 0.5;
/** Manhole opening of a covered space, m (GB 30871 spaces: at least 0.6–0.8 m to get a person out). */
const MANHOLE_M = 0.8;
const COVER_M = 0.25;
const BOUNDARY_WALL = { heightM: 2.2, thicknessM: 0.24, gateM: 8 };

const mat = (name: string, color: number, roughness = 0.9) => new MeshStandardMaterial({ name, color, roughness, metalness: 0 });

/** Materials of one model (new per scene: the exporter writes each once). */
function materials() {
  return {
    concrete: mat('concrete', 0xa9a59b),
    cover: mat('cover slab', 0x7d7a73),
    wall: mat('rendered wall', 0xe6e3dc),
    // Blue profiled-steel roofs: the look of Chinese industrial estates from the air.
    steelRoof: mat('steel roof', 0x2f5f8f, 0.6),
    flatRoof: mat('flat roof', 0x9c9c98),
    boundary: mat('boundary wall', 0xd3cdbf),
  };
}
type Materials = ReturnType<typeof materials>;

/** A mesh for one element; its node name is the GlobalId (the name Cesium's picking returns). */
function element(geometry: BufferGeometry, material: MeshStandardMaterial, key: string, meta: Omit<ElementExtras, 'globalId'>): Mesh {
  const m = new Mesh(geometry, material);
  const globalId = ifcGlobalId(key);
  m.name = globalId;
  m.userData = { globalId, ...meta };
  return m;
}

export interface PlantInput {
  plant: Site;
  spaces: Site[];
  buildings: Feature[];
}

/** The plant, its spaces and its buildings from the registry and the buildings layer. */
export function plantInputs(registry: Registry, buildings: Feature[]): PlantInput[] {
  return registry.sites
    .filter((s) => s.scene === 'confined' && s.kind === 'plant' && s.geometry.type === 'Polygon')
    .map((plant) => ({
      plant,
      spaces: registry.sites.filter((s) => s.kind === 'space' && s.parentId === plant.id && s.geometry.type === 'Polygon'),
      buildings: buildings.filter((b) => b.properties.siteId === plant.id && b.geometry.type === 'Polygon'),
    }));
}

/** The plant as a three.js scene in its local frame (origin at `anchorOf(plant)`). */
export function buildPlant({ plant, spaces, buildings }: PlantInput): Scene {
  const anchor = anchorOf(plant.geometry);
  const m = materials();
  const scene = new Scene();
  scene.name = plant.id;
  scene.userData = { siteId: plant.id, lonDeg: anchor[0], latDeg: anchor[1], heightM: 0, headingDeg: 0 };
  scene.add(boundaryWall(plant, localRing(anchor, plant.geometry), m));
  for (const b of buildings) scene.add(...building(b, localRing(anchor, b.geometry), m));
  for (const s of spaces) scene.add(...space(s, footprintOf(localRing(anchor, s.geometry)), m));
  return scene;
}

function boundaryWall(plant: Site, ring: [number, number][], m: Materials): Mesh {
  const { heightM, thicknessM, gateM } = BOUNDARY_WALL;
  const edges = ring.slice(0, -1).map((a, i) => [a, ring[i + 1]] as const);
  // The gate is in the middle of the southernmost side.
  const south = edges.reduce((best, e, i) => ((e[0][1] + e[1][1]) < (edges[best][0][1] + edges[best][1][1]) ? i : best), 0);
  const parts: BufferGeometry[] = [];
  edges.forEach(([a, b], i) => {
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const angleRad = Math.atan2(b[1] - a[1], b[0] - a[0]);
    const [ux, uy] = [(b[0] - a[0]) / len, (b[1] - a[1]) / len];
    const runs: [number, number][] = i === south ? [[0, (len - gateM) / 2], [(len + gateM) / 2, len]] : [[0, len]];
    for (const [s0, s1] of runs) {
      const mid = (s0 + s1) / 2;
      parts.push(place(block(s1 - s0 + thicknessM, thicknessM, 0, heightM), { cx: a[0] + ux * mid, cy: a[1] + uy * mid, angleRad }));
    }
  });
  return element(merge(parts), m.boundary, `${plant.id}/boundary-wall`, { ifcType: 'IfcWall', name: `${plant.name} boundary wall`, nameZh: `${plant.nameZh}围墙` });
}

function building(b: Feature, ring: [number, number][], m: Materials): Mesh[] {
  const p = b.properties;
  const id = String(p.id);
  const f = footprintOf(ring);
  const h = typeof p.heightM === 'number' ? p.heightM : 10;
  const flat = /office|laboratory/i.test(String(p.use ?? p.name));
  const body = element(place(block(f.widthM, f.depthM, 0, h), f), m.wall, `${id}/body`, { ifcType: 'IfcBuilding', name: p.name, nameZh: p.nameZh });
  const roofGeometry = flat ? block(f.widthM + 0.4, f.depthM + 0.4, h, h + 0.3) : gableRoof(f.widthM, f.depthM, h);
  const roof = element(place(roofGeometry, f), flat ? m.flatRoof : m.steelRoof, `${id}/roof`, { ifcType: 'IfcRoof', name: `${p.name} roof`, nameZh: `${p.nameZh}屋面` });
  return [body, roof];
}

/** What a space is built as, from its registry `spaceType`. */
export type SpaceForm = 'open-basin' | 'round-tank' | 'covered-sump' | 'covered-duct';

export function spaceForm(spaceType: string): SpaceForm {
  if (/duct|trench|tunnel|管沟/i.test(spaceType)) return 'covered-duct';
  if (/sump|manhole|well|chamber|井/i.test(spaceType)) return 'covered-sump';
  if (/sludge|thicken|round|污泥/i.test(spaceType)) return 'round-tank';
  return 'open-basin';
}

function space(s: Site, f: Footprint, m: Materials): Mesh[] {
  const depth = typeof s.props?.depthM === 'number' ? s.props.depthM : 3;
  const form = spaceForm(String(s.props?.spaceType ?? ''));
  const meta = (ifcType: string, what: string, whatZh: string, extra: Record<string, unknown> = {}) => ({
    ifcType,
    name: what ? `${s.name} ${what}` : s.name,
    nameZh: `${s.nameZh}${whatZh}`,
    spaceId: s.id,
    ...extra,
  });
  const floor = block(f.widthM, f.depthM, -depth - FLOOR_M, -depth);
  switch (form) {
    case 'open-basin': {
      const shell = merge([rectWalls(f.widthM, f.depthM, WALL_M, -depth, UPSTAND_M), floor]);
      return [element(place(shell, f), m.concrete, `${s.id}/shell`, meta('IfcTank', '', '', { predefinedType: 'BASIN' }))];
    }
    case 'round-tank': {
      const r = Math.min(f.widthM, f.depthM) / 2;
      const shell = merge([ringWall(r, WALL_M, -depth, UPSTAND_M), disc(r, -depth - FLOOR_M, -depth)]);
      return [element(place(shell, f), m.concrete, `${s.id}/shell`, meta('IfcTank', '', '', { predefinedType: 'BASIN' }))];
    }
    case 'covered-sump': {
      const shell = merge([rectWalls(f.widthM, f.depthM, WALL_M, -depth, 0), floor]);
      const cover = slabWithOpening(f.widthM, f.depthM, MANHOLE_M, 0, 0, 0, COVER_M);
      return [
        element(place(shell, f), m.concrete, `${s.id}/shell`, meta('IfcDistributionChamberElement', '', '', { predefinedType: 'SUMP' })),
        element(place(cover, f), m.cover, `${s.id}/cover`, meta('IfcSlab', 'cover slab', '盖板', { predefinedType: 'ROOF' })),
      ];
    }
    case 'covered-duct': {
      // Long side is the run of the duct; a manhole at one end is the way in.
      const along = f.widthM >= f.depthM;
      const len = along ? f.widthM : f.depthM;
      const at = len / 2 - MANHOLE_M;
      const shell = merge([rectWalls(f.widthM, f.depthM, WALL_M * 0.8, -depth, 0), floor]);
      const cover = slabWithOpening(f.widthM, f.depthM, Math.min(MANHOLE_M, Math.min(f.widthM, f.depthM) - 0.4), along ? -at : 0, along ? 0 : -at, 0, COVER_M);
      return [
        element(place(shell, f), m.concrete, `${s.id}/shell`, meta('IfcDuctSegment', '', '')),
        element(place(cover, f), m.cover, `${s.id}/cover`, meta('IfcSlab', 'cover slab', '盖板', { predefinedType: 'ROOF' })),
      ];
    }
  }
}
