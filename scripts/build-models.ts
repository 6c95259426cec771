/**
 * `npm run build-models [-- --out DIR]`: the GLB models of the demo plants ("BIM models")
 * with three.js's GLTFExporter, into public/models/ (served at /models/…), and the manifest
 * public/models/index.json that tells the app where each one goes on the globe.
 *
 * Inputs: public/data/registry.json and public/data/layers/buildings.geojson (npx tsx
 * scripts/gen-data.ts), scripts/models/ (tankfarms.ts when present), public/models/imported.json.
 * Outputs: public/models/{plantId}.glb and {plantId}.elements.json per confined plant, the tank
 * farms' GLBs, public/models/index.json. Deterministic: the same inputs give the same bytes.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Registry } from '../src/contracts';
import type { Feature, FeatureCollection } from './data/util';
import { anchorOf } from './models/anchor';
import { elementIndex, exportGlb, readGlbJson } from './models/gltf';
import { IMPORTED, MANIFEST, listJson, readImported, upsert, writeAtomic, type ModelEntry } from './models/manifest';
import { buildPlant, plantInputs } from './models/plant';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUT = join(root, 'public', 'models');
const TANK_FARMS = join(root, 'scripts', 'models', 'tankfarms.ts');

/** scripts/models/tankfarms.ts: a GLB per tank farm, with its placement when it knows it. */
type BuildTankFarms = (registry: Registry) => Promise<({ file: string; glb: ArrayBuffer | Uint8Array } & Partial<Placement>)[]>;

export interface BuildOptions {
  registry: Registry;
  /** Features of public/data/layers/buildings.geojson (those with a plant's `siteId` are drawn). */
  buildings: Feature[];
  outDir: string;
  /** The tank-farm builder; by default scripts/models/tankfarms.ts when it exists. null: none. */
  tankFarms?: BuildTankFarms | null;
  log?: (message: string) => void;
}

/** Builds every model and writes the manifest; returns its entries. */
export async function buildModels(opts: BuildOptions): Promise<ModelEntry[]> {
  const log = opts.log ?? (() => {});
  mkdirSync(opts.outDir, { recursive: true });
  const imported = readImported(opts.outDir);
  const taken = new Set(imported.map((e) => e.id));
  const entries: ModelEntry[] = [];

  for (const input of plantInputs(opts.registry, opts.buildings)) {
    const id = input.plant.id;
    // A plant that brought its own BIM (npm run import:ifc -- … --id kq-p1) keeps it.
    if (taken.has(id)) continue;
    const scene = buildPlant(input);
    const glb = await exportGlb(scene);
    entries.push(write(opts.outDir, id, glb, { siteId: id, ...(scene.userData as { lonDeg: number; latDeg: number; heightM: number; headingDeg: number }) }, 'generated'));
    log(`${id}.glb: ${input.buildings.length} buildings, ${input.spaces.length} spaces, ${(glb.byteLength / 1024).toFixed(0)} KiB`);
  }

  const tankFarms = opts.tankFarms === undefined ? await loadTankFarms() : opts.tankFarms;
  for (const farm of tankFarms ? await tankFarms(opts.registry) : []) {
    const { file, glb } = farm;
    const bytes = glb instanceof Uint8Array ? glb : new Uint8Array(glb);
    const id = basename(file).replace(/\.glb$/i, '');
    const placed = placement(opts.registry, id, bytes, farm);
    if (!placed) {
      log(`${file}: no anchor (no scene extras lonDeg/latDeg and no site ${id}): left out of the manifest`);
      continue;
    }
    entries.push(write(opts.outDir, id, bytes, placed, 'tankfarm', basename(file)));
    log(`${basename(file)}: tank farm ${placed.siteId ?? id}`);
  }

  const all = upsert(entries, ...imported);
  writeAtomic(join(opts.outDir, MANIFEST), listJson(all));
  log(`${MANIFEST}: ${all.length} models (${imported.length} imported, kept from ${IMPORTED})`);
  return all;
}

type Placement = Pick<ModelEntry, 'siteId' | 'lonDeg' | 'latDeg' | 'heightM' | 'headingDeg'>;

/** Writes `{id}.glb` (or `file`) and `{id}.elements.json`; the manifest entry. */
export function write(outDir: string, id: string, glb: Uint8Array, at: Placement, source: ModelEntry['source'], file = `${id}.glb`): ModelEntry {
  mkdirSync(outDir, { recursive: true });
  writeAtomic(join(outDir, file), glb);
  const elements = `${id}.elements.json`;
  writeAtomic(join(outDir, elements), JSON.stringify(elementIndex(readGlbJson(glb)), null, 1) + '\n');
  return { id, file, siteId: at.siteId, lonDeg: at.lonDeg, latDeg: at.latDeg, heightM: at.heightM, headingDeg: at.headingDeg, upAxis: 'Y', forwardAxis: 'X', elements, source };
}

/**
 * Where a tank farm's GLB goes: what the builder says (or its glTF scene `extras`) {lonDeg, latDeg,
 * heightM?, headingDeg?, siteId?}, else the anchor (bounding-box centre) of the site named like the file.
 */
function placement(registry: Registry, id: string, glb: Uint8Array, given: Partial<Placement>): Placement | null {
  const x: Record<string, unknown> = given.lonDeg !== undefined ? given : (readGlbJson(glb).scenes?.[0]?.extras ?? {});
  const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  const site = registry.sites.find((s) => s.id === (typeof x.siteId === 'string' ? x.siteId : id));
  if (typeof x.lonDeg === 'number' && typeof x.latDeg === 'number') {
    return { siteId: site?.id ?? null, lonDeg: x.lonDeg, latDeg: x.latDeg, heightM: num(x.heightM, 0), headingDeg: num(x.headingDeg, 0) };
  }
  if (!site) return null;
  const [lonDeg, latDeg] = anchorOf(site.geometry);
  return { siteId: site.id, lonDeg, latDeg, heightM: 0, headingDeg: 0 };
}

/** scripts/models/tankfarms.ts (another part of the work) when it exists. */
async function loadTankFarms(): Promise<BuildTankFarms | null> {
  if (!existsSync(TANK_FARMS)) return null;
  const mod = (await import(pathToFileURL(TANK_FARMS).href)) as { buildTankFarms?: BuildTankFarms };
  if (typeof mod.buildTankFarms !== 'function') throw new Error(`${TANK_FARMS} does not export buildTankFarms(registry)`);
  return mod.buildTankFarms;
}

function readJson<T>(path: string, hint: string): T {
  if (!existsSync(path)) throw new Error(`${path} is missing (${hint})`);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
  const data = join(root, 'public', 'data');
  const hint = 'generate it with: npx tsx scripts/gen-data.ts';
  const registry = readJson<Registry>(join(data, 'registry.json'), hint);
  const buildings = readJson<FeatureCollection>(join(data, 'layers', 'buildings.geojson'), hint).features;
  const outDir = values.out ? resolve(values.out) : DEFAULT_OUT;
  await buildModels({ registry, buildings, outDir, log: (m) => console.log(`[build-models] ${m}`) });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
