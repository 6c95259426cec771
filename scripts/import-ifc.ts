/**
 * `npm run import:ifc -- plant.ifc --at <lonDeg>,<latDeg>[,<headingDeg>] [--id name]` ("IFC in"):
 * converts an IFC file with web-ifc into public/models/{id}.glb with the element metadata of the
 * generated models (GlobalId, IFC type, Name in node extras, plus {id}.elements.json), and
 * registers it: an entry in public/models/index.json and a record in public/models/imported.json,
 * which build-models keeps when it regenerates the manifest. The IFC origin goes at --at; heading
 * turns the model clockwise from north (the IFC's +Y points that way).
 *
 * Options: --height M (origin height, default 0) · --site ID (registry site it shows; default the
 * --id when the registry has such a site) · --space GlobalId=spaceId (repeatable; also an element
 * whose Name or Tag is a registry space id is that space) · --to-origin (move a model drawn in
 * projected coordinates to the origin first) · --out DIR (default public/models).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Registry } from '../src/contracts';
import { DEFAULT_OUT, write } from './build-models';
import { ifcToGlb } from './models/ifc';
import { IMPORTED, MANIFEST, listJson, readImported, readManifest, upsert, writeAtomic, type ModelEntry } from './models/manifest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface ImportOptions {
  ifcPath: string;
  lonDeg: number;
  latDeg: number;
  headingDeg?: number;
  heightM?: number;
  /** Model id and file name; default: the IFC file name. */
  id?: string;
  siteId?: string | null;
  /** GlobalId → registry space id. */
  spaces?: Record<string, string>;
  toOrigin?: boolean;
  outDir?: string;
  /** For space ids and the default site; default public/data/registry.json when present. */
  registry?: Registry | null;
}

/** Imports one IFC file; the manifest entry written. */
export async function importIfc(o: ImportOptions): Promise<ModelEntry & { elements: string; count: number }> {
  const outDir = o.outDir ?? DEFAULT_OUT;
  const registry = o.registry === undefined ? defaultRegistry() : o.registry;
  const id = o.id ?? basename(o.ifcPath).replace(/\.ifc$/i, '').replace(/[^A-Za-z0-9_-]+/g, '-');
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new Error(`--id must be [A-Za-z0-9_-]{1,64}, got ${id}`);
  const spaceIds = new Set((registry?.sites ?? []).filter((s) => s.kind === 'space').map((s) => s.id));
  const siteId = o.siteId !== undefined ? o.siteId : (registry?.sites.find((s) => s.id === id)?.id ?? null);
  const at = { siteId, lonDeg: o.lonDeg, latDeg: o.latDeg, heightM: o.heightM ?? 0, headingDeg: o.headingDeg ?? 0 };
  const { glb, elements } = await ifcToGlb(new Uint8Array(readFileSync(o.ifcPath)), {
    toOrigin: o.toOrigin,
    spaceOf: (e) => o.spaces?.[e.globalId] ?? [e.tag, e.name].find((x): x is string => x !== null && spaceIds.has(x)),
    sceneExtras: at,
  });
  if (elements === 0) throw new Error(`${o.ifcPath}: no element with geometry`);
  const entry = write(outDir, id, glb, at, 'imported');
  // imported.json first: a build-models run in between keeps the model either way.
  writeAtomic(join(outDir, IMPORTED), listJson(upsert(readImported(outDir), entry)));
  writeAtomic(join(outDir, MANIFEST), listJson(upsert(readManifest(outDir), entry)));
  return { ...entry, elements: entry.elements!, count: elements };
}

function defaultRegistry(): Registry | null {
  const path = join(root, 'public', 'data', 'registry.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Registry) : null;
}

const USAGE = 'usage: npm run import:ifc -- plant.ifc --at <lonDeg>,<latDeg>[,<headingDeg>] [--id name] [--height m] [--site id] [--space GlobalId=spaceId]… [--to-origin] [--out dir]';

/** Reads the command line; throws with a readable message. */
export function parseImportArgs(argv: string[]): ImportOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      at: { type: 'string' },
      id: { type: 'string' },
      height: { type: 'string' },
      site: { type: 'string' },
      space: { type: 'string', multiple: true },
      'to-origin': { type: 'boolean' },
      out: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new Error('give exactly one IFC file');
  const at = (values.at ?? '').split(',').map(Number);
  const [lonDeg, latDeg, headingDeg = 0] = at;
  if (at.length < 2 || at.length > 3 || at.some((x) => !Number.isFinite(x)) || Math.abs(lonDeg) > 180 || Math.abs(latDeg) > 90) {
    throw new Error(`--at must be <lonDeg>,<latDeg>[,<headingDeg>], got ${values.at ?? '(nothing)'}`);
  }
  const heightM = values.height === undefined ? 0 : Number(values.height);
  if (!Number.isFinite(heightM)) throw new Error(`--height must be metres, got ${values.height}`);
  const spaces: Record<string, string> = {};
  for (const s of values.space ?? []) {
    const [gid, spaceId] = s.split('=');
    if (!gid || !spaceId) throw new Error(`--space must be GlobalId=spaceId, got ${s}`);
    spaces[gid] = spaceId;
  }
  return {
    ifcPath: resolve(positionals[0]),
    lonDeg,
    latDeg,
    headingDeg,
    heightM,
    id: values.id,
    siteId: values.site,
    spaces,
    toOrigin: values['to-origin'] ?? false,
    outDir: values.out ? resolve(values.out) : undefined,
  };
}

async function main(): Promise<void> {
  let opts: ImportOptions;
  try {
    opts = parseImportArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const r = await importIfc(opts);
  console.log(`[import-ifc] ${r.file}: ${r.count} elements at ${r.lonDeg}, ${r.latDeg} heading ${r.headingDeg}°; registered in ${MANIFEST} and ${IMPORTED}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
