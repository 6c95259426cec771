/**
 * Makes the generated parts of the twin when they are missing or older than their sources, so that
 * `npm start`, `npm test` and `npm run bench` work on a fresh clone (generated files are not
 * committed: the scripts are the source). `--force` rebuilds everything (`npm run build`).
 *
 * Steps, in order: demo data (registry + GeoJSON layers) → BIM/plant models (GLB) → web app build
 * (Vite, into dist/).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Step {
  name: string;
  /** Files or folders whose newest modification time the outputs must not be older than. */
  inputs: string[];
  outputs: string[];
  /** Command and arguments, run from the repo root with node_modules/.bin on the PATH. */
  run: string[];
}

const STEPS: Step[] = [
  {
    name: 'demo data',
    inputs: ['scripts/gen-data.ts', 'scripts/data', 'src/contracts'],
    outputs: ['public/data/registry.json', 'public/data/layers/buildings.geojson'],
    run: ['tsx', 'scripts/gen-data.ts'],
  },
  {
    name: 'models',
    inputs: ['scripts/build-models.ts', 'scripts/models', 'public/data/registry.json', 'public/data/layers/buildings.geojson'],
    outputs: ['public/models/index.json'],
    run: ['tsx', 'scripts/build-models.ts'],
  },
  {
    name: 'web app',
    inputs: [
      'index.html',
      'vite.config.ts',
      'scripts/build',
      'package-lock.json',
      'src/main.tsx',
      'src/contracts',
      'src/domain',
      'src/live',
      'src/state',
      'src/scene',
      'src/ui',
      'src/view',
      'src/i18n',
      // The build copies public/ into dist/, and the service serves dist/'s copy first.
      'public/data',
      'public/models',
    ],
    outputs: ['dist/index.html'],
    run: ['vite', 'build', '--logLevel', 'warn'],
  },
];

/** Newest mtime (ms) under a path; 0 when it does not exist. */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = st.mtimeMs;
  for (const e of readdirSync(path)) t = Math.max(t, newest(join(path, e)));
  return t;
}

/** Oldest output mtime; 0 when any output is missing. */
function oldestOutput(outputs: string[]): number {
  let t = Infinity;
  for (const o of outputs) {
    const p = join(root, o);
    if (!existsSync(p)) return 0;
    t = Math.min(t, statSync(p).mtimeMs);
  }
  return t;
}

export function prepare(force = false): void {
  const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` };
  for (const step of STEPS) {
    const sourceT = Math.max(...step.inputs.map((i) => newest(join(root, i))));
    const builtT = oldestOutput(step.outputs);
    if (!force && builtT > 0 && builtT >= sourceT) continue;
    const why = force ? 'forced' : builtT === 0 ? 'missing' : 'older than its sources';
    console.log(`[prepare] ${step.name}: ${why}, running ${step.run.join(' ')}`);
    const t0 = Date.now();
    const r = spawnSync(step.run[0], step.run.slice(1), { cwd: root, env, stdio: 'inherit' });
    if (r.status !== 0) {
      throw new Error(`[prepare] ${step.name} failed (exit ${r.status ?? r.signal}); see the output above`);
    }
    console.log(`[prepare] ${step.name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    prepare(process.argv.includes('--force'));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
