/**
 * Tank-farm models for the park scene: one binary glTF per tank farm of the
 * registry, with vertical tanks (cone or dome roof), spheres on legs, horizontal tanks on saddles,
 * the dike walls round the farm and a pipe rack beside it. Each tank is one mesh whose node
 * `extras` carry its identity ({globalId, ifcType 'IfcTank', name, tankId, siteId, …}), so a pick
 * in the scene resolves to the registry site and its sensor.
 *
 * Frame: metres in a local east-north-up frame at the farm's anchor (the centre of its dike), glTF
 * Y-up: +X east, +Y up, +Z south (−north). That is the 3D Tiles convention (Y-up → Z-up only), so in
 * Cesium place it with `Model.fromGltfAsync({ url, modelMatrix:
 * Transforms.eastNorthUpToFixedFrame(Cartesian3.fromDegrees(lonDeg, latDeg, heightM)), forwardAxis: Axis.X })`
 * (Cesium's default forwardAxis Z would turn it 90°), then rotate by headingDeg (0 for the demo:
 * the park grid is north-aligned).
 *
 * Writes nothing: scripts/build-models.ts calls buildTankFarms and writes the files to public/models/.
 * GlobalIds are ifcGlobalId of the tank's site id (stable across builds).
 */
import * as THREE from 'three';
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js';
import type { Registry, Site } from '../../src/contracts';
// The shared GLB writer (with Node's FileReader stand-in) and GlobalId scheme of scripts/models.
import { exportGlb, ifcGlobalId } from './gltf';

export interface TankFarmModel {
  /** The tank farm's site id, e.g. `sy-tf1`. */
  id: string;
  /** File name for public/models/, e.g. `sy-tf1.glb`. */
  file: string;
  glb: ArrayBuffer;
  /** The site the model stands for (the tank farm). */
  siteId: string;
  /** Anchor of the local frame (the model's origin), WGS84. */
  lonDeg: number;
  latDeg: number;
  /** Anchor height above the ground, m (0: the model stands on the ground). */
  heightM: number;
  /** Clockwise from north about the anchor; 0 when the farm is laid out north-aligned. */
  headingDeg: number;
}

const M_PER_DEG_LAT = 111_320;

/** Local frame of a farm: lon/lat → [x east, z south] metres from the anchor. */
function localFrame(lon0: number, lat0: number) {
  const kx = M_PER_DEG_LAT * Math.cos((lat0 * Math.PI) / 180);
  return (c: readonly number[]): [number, number] => [(c[0] - lon0) * kx, -(c[1] - lat0) * M_PER_DEG_LAT];
}

const SEGMENTS = 32;
const MATERIALS = {
  tank: new THREE.MeshStandardMaterial({ color: 0xd9dde3, metalness: 0.3, roughness: 0.5 }),
  sphere: new THREE.MeshStandardMaterial({ color: 0xeef1f4, metalness: 0.3, roughness: 0.45 }),
  steel: new THREE.MeshStandardMaterial({ color: 0x5b6b7a, metalness: 0.6, roughness: 0.5 }),
  pipe: new THREE.MeshStandardMaterial({ color: 0xb9853f, metalness: 0.5, roughness: 0.5 }),
  concrete: new THREE.MeshStandardMaterial({ color: 0x9a9a94, metalness: 0, roughness: 0.9 }),
};

const merged = (parts: THREE.BufferGeometry[]): THREE.BufferGeometry => {
  // Caps and sides come as groups; one mesh with one material needs none.
  for (const p of parts) p.clearGroups();
  const g = mergeGeometries(parts, false);
  if (!g) throw new Error('tank geometry parts do not merge');
  return g;
};

/**
 * A vertical fixed-roof tank: shell of `heightM`, a self-supporting cone roof of slope 1:5 (11°; API 650
 * allows 9.5–37°), or for 5,000 m³ and more a dome of radius 1.2 × diameter (API 650: 0.8–1.2 D).
 */
function verticalTank(r: number, h: number, capacityM3: number): THREE.BufferGeometry {
  const shell = new THREE.CylinderGeometry(r, r, h, SEGMENTS).translate(0, h / 2, 0);
  if (capacityM3 >= 5000) {
    const R = 2.4 * r;
    const theta = Math.asin(r / R);
    const dome = new THREE.SphereGeometry(R, SEGMENTS, 6, 0, Math.PI * 2, 0, theta).translate(0, h - R * Math.cos(theta), 0);
    return merged([shell, dome]);
  }
  const roofH = r / 5;
  return merged([shell, new THREE.ConeGeometry(r * 1.01, roofH, SEGMENTS).translate(0, h + roofH / 2, 0)]);
}

/** A pressure sphere whose bottom is `heightM − 2r` (about 3 m) up, on columns round its equator. */
function sphereTank(r: number, h: number): THREE.BufferGeometry {
  const lift = Math.max(1, h - 2 * r);
  const centreY = lift + r;
  const parts: THREE.BufferGeometry[] = [new THREE.SphereGeometry(r, SEGMENTS, SEGMENTS / 2).translate(0, centreY, 0)];
  const legs = Math.max(4, Math.round((2 * Math.PI * r) / 5)); // a column about every 5 m of equator
  for (let i = 0; i < legs; i++) {
    const a = (2 * Math.PI * i) / legs;
    parts.push(new THREE.CylinderGeometry(0.35, 0.35, centreY, 8).translate(r * Math.cos(a), centreY / 2, r * Math.sin(a)));
  }
  return merged(parts);
}

/** A horizontal tank along x: a capsule (hemispherical heads) of the capacity's length, on two saddles. */
function horizontalTank(r: number, capacityM3: number | undefined): THREE.BufferGeometry {
  const body = capacityM3 ? Math.max(r, (capacityM3 - (4 / 3) * Math.PI * r ** 3) / (Math.PI * r * r)) : 4 * r;
  const y = r + 0.8;
  const shell = new THREE.CapsuleGeometry(r, body, 8, SEGMENTS).rotateZ(Math.PI / 2).translate(0, y, 0);
  const saddle = (x: number) => new THREE.BoxGeometry(0.6, y, 1.6 * r).translate(x, y / 2, 0);
  return merged([shell, saddle(-body / 3), saddle(body / 3)]);
}

/** Dike walls along every edge of the farm's ring (GB 50351: 1.0–2.2 m high; 1.5 m here). */
function dikeWalls(ring: [number, number][]): THREE.BufferGeometry {
  const H = 1.5;
  const T = 0.4;
  const parts: THREE.BufferGeometry[] = [];
  for (let i = 1; i < ring.length; i++) {
    const [x0, z0] = ring[i - 1];
    const [x1, z1] = ring[i];
    const len = Math.hypot(x1 - x0, z1 - z0);
    if (len < 0.01) continue;
    const wall = new THREE.BoxGeometry(len + T, H, T).rotateY(-Math.atan2(z1 - z0, x1 - x0)).translate((x0 + x1) / 2, H / 2, (z0 + z1) / 2);
    parts.push(wall);
  }
  return merged(parts);
}

/** A pipe rack 8 m south of the dike along its length: portal frames every 6 m, three pipes on top. */
function pipeRack(minX: number, maxX: number, southZ: number): { rack: THREE.BufferGeometry; pipes: THREE.BufferGeometry } {
  const z = southZ + 8;
  const H = 6;
  const rack: THREE.BufferGeometry[] = [];
  for (let x = minX; x <= maxX + 0.01; x += 6) {
    rack.push(new THREE.BoxGeometry(0.3, H, 0.3).translate(x, H / 2, z - 2), new THREE.BoxGeometry(0.3, H, 0.3).translate(x, H / 2, z + 2));
    rack.push(new THREE.BoxGeometry(0.3, 0.3, 4.3).translate(x, H, z));
  }
  const len = maxX - minX;
  const pipes = [-1.2, 0, 1.2].map((dz, i) =>
    new THREE.CylinderGeometry(0.15 + 0.05 * i, 0.15 + 0.05 * i, len, 12).rotateZ(Math.PI / 2).translate((minX + maxX) / 2, H + 0.35, z + dz),
  );
  return { rack: merged(rack), pipes: merged(pipes) };
}

function mesh(geometry: THREE.BufferGeometry, material: THREE.Material, name: string, userData: Record<string, unknown>): THREE.Mesh {
  const m = new THREE.Mesh(geometry, material);
  m.name = name;
  m.userData = userData;
  return m;
}

/** Three.js scene of one farm, and its anchor. */
function farmScene(farm: Site, tanks: Site[], sensorOf: Map<string, string>): { scene: THREE.Scene; lonDeg: number; latDeg: number } {
  const ring = farm.geometry.type === 'Polygon' ? farm.geometry.coordinates[0] : tanks.map((t) => t.geometry.coordinates as number[]);
  const lons = ring.map((c) => c[0]);
  const lats = ring.map((c) => c[1]);
  const lonDeg = (Math.min(...lons) + Math.max(...lons)) / 2;
  const latDeg = (Math.min(...lats) + Math.max(...lats)) / 2;
  const toLocal = localFrame(lonDeg, latDeg);
  const scene = new THREE.Scene();
  const root = new THREE.Group();
  root.name = farm.name;
  root.userData = { globalId: ifcGlobalId(farm.id), ifcType: 'IfcSite', name: farm.name, nameZh: farm.nameZh, siteId: farm.id };
  scene.add(root);

  for (const t of tanks) {
    if (t.geometry.type !== 'Point') continue;
    const p = t.props ?? {};
    const r = p.radiusM ?? 5;
    const h = p.heightM ?? 10;
    const type = p.tankType ?? 'vertical';
    const geometry = type === 'sphere' ? sphereTank(r, h) : type === 'horizontal' ? horizontalTank(r, p.capacityM3) : verticalTank(r, h, p.capacityM3 ?? 0);
    const [x, z] = toLocal(t.geometry.coordinates);
    const m = mesh(geometry, type === 'sphere' ? MATERIALS.sphere : MATERIALS.tank, t.name, {
      globalId: ifcGlobalId(t.id),
      ifcType: 'IfcTank',
      name: t.name,
      nameZh: t.nameZh,
      // The registry site this node stands for (a tank is a site): picks resolve every node alike.
      siteId: t.id,
      tankId: t.id,
      farmId: farm.id,
      deviceId: sensorOf.get(t.id) ?? null,
      tankType: type,
      substance: p.substance ?? null,
      capacityM3: p.capacityM3 ?? null,
    });
    m.position.set(x, 0, z);
    root.add(m);
  }

  const local = ring.map(toLocal);
  root.add(mesh(dikeWalls(local), MATERIALS.concrete, `${farm.name} dike`, { globalId: ifcGlobalId(`${farm.id}/dike`), ifcType: 'IfcWall', name: 'dike wall', siteId: farm.id }));
  const xs = local.map((c) => c[0]);
  const { rack, pipes } = pipeRack(Math.min(...xs), Math.max(...xs), Math.max(...local.map((c) => c[1])));
  root.add(mesh(rack, MATERIALS.steel, `${farm.name} pipe rack`, { globalId: ifcGlobalId(`${farm.id}/rack`), ifcType: 'IfcMember', name: 'pipe rack', siteId: farm.id }));
  root.add(mesh(pipes, MATERIALS.pipe, `${farm.name} pipes`, { globalId: ifcGlobalId(`${farm.id}/pipes`), ifcType: 'IfcPipeSegment', name: 'pipes', siteId: farm.id }));
  return { scene, lonDeg, latDeg };
}

/** One GLB per tank farm of the registry (park scene), in registry order. */
export async function buildTankFarms(registry: Registry): Promise<TankFarmModel[]> {
  const sensorOf = new Map(registry.devices.filter((d) => d.kind === 'tank_sensor').map((d) => [d.siteId, d.id]));
  const out: TankFarmModel[] = [];
  for (const farm of registry.sites.filter((s) => s.kind === 'tankfarm')) {
    const tanks = registry.sites.filter((s) => s.kind === 'tank' && s.parentId === farm.id);
    const { scene, lonDeg, latDeg } = farmScene(farm, tanks, sensorOf);
    const bytes = await exportGlb(scene);
    const glb = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const r7 = (x: number) => Math.round(x * 1e7) / 1e7;
    out.push({ id: farm.id, file: `${farm.id}.glb`, glb, siteId: farm.id, lonDeg: r7(lonDeg), latDeg: r7(latDeg), heightM: 0, headingDeg: 0 });
  }
  return out;
}
