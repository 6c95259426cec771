/**
 * `npx tsx scripts/ifc-to-glb.ts in.ifc out.glb`: converts one IFC file to a GLB with the import
 * code of `npm run import:ifc` (web-ifc, element metadata in node extras), without placing or
 * registering it. The service runs it as a child process for an uploaded IFC, so a slow or hostile
 * file costs that process, never the service's event loop. A model drawn in projected coordinates
 * (kilometres from its origin) is moved to the origin, where it can be placed.
 *
 * Prints `{"elements":N}` on success; exit 1 with a message on stderr when the file cannot be read,
 * 3 when it has no element with geometry.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readGlbJson } from './models/gltf';
import { ifcToGlb } from './models/ifc';
import { gltfBounds } from '../src/domain/modelFootprint';

/** Beyond this from its origin a model is taken to be in projected coordinates, m. */
const FAR_M = 10_000;

async function main(): Promise<void> {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: npx tsx scripts/ifc-to-glb.ts <in.ifc> <out.glb>');
    process.exit(2);
  }
  const bytes = new Uint8Array(readFileSync(resolve(input)));
  let r = await ifcToGlb(bytes);
  if (r.elements === 0) {
    console.error('the IFC file has no element with geometry');
    process.exit(3);
  }
  const b = gltfBounds(readGlbJson(r.glb));
  if (b && [...b.min, ...b.max].some((v) => Math.abs(v) > FAR_M)) r = await ifcToGlb(bytes, { toOrigin: true });
  writeFileSync(resolve(output), r.glb);
  console.log(JSON.stringify({ elements: r.elements }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
