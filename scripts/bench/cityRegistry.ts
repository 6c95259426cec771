/**
 * A city-scale registry for the scale bench: the demo registry as it is, plus copies of each scene's
 * clusters (a dyeing plant with its spaces and detectors, a tank farm with its sensors and trucks, a
 * stretch of road with its detectors) placed on a grid across the prefecture, until `devices` is
 * reached. Shares follow what a whole city has: most sensors are gas detectors in confined spaces,
 * then road detectors, then the chemical parks'. Deterministic; the demo registry is not touched.
 *
 * The copies report every `CITY_INTERVAL_S` at least: a prefecture's estate on NB-IoT or LoRa
 * links reports every 30–60 s (the demo's 5 s detectors are a showcase plant's wired ones). Left at
 * 5 s, a city-wide stream had to reach every device every 15 s or raise a stale alarm for it, and
 * the browser bench measured a storm of ~10,000 stale alarms instead of the stream.
 *
 * `npx tsx scripts/bench/cityRegistry.ts --devices 25000 [--out dir]` writes `<dir>/registry.json`
 * and `<dir>/layers/` (the demo layers, so the park's hazmat route is there for the truck rules).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Device, Registry, Scene, Site } from '../../src/contracts';
import { registryJson } from '../gen-data';

/** Share of the city's devices per scene (cameras are the demo's only: their streams cost CPU). */
export const CITY_SHARES: Readonly<Record<Scene, number>> = { confined: 0.45, roads: 0.3, park: 0.25 };

/** Grid of copies: each copy of a scene's clusters sits this far from the previous, degrees. */
const STEP_DEG: Readonly<Record<Scene, [number, number]>> = { confined: [0.06, 0.04], park: [0.08, 0.05], roads: [0.12, 0.1] };

type Rec = Site | Device;

/** The shortest reporting interval of a copied device, s (see above). */
export const CITY_INTERVAL_S = 30;

/** Copy `k` (1, 2, …) of records: ids suffixed, references to ids of the same set suffixed, moved by `d`. */
function copyOf<T extends Rec>(recs: readonly T[], ids: ReadonlySet<string>, k: number, d: [number, number]): T[] {
  const suffix = `-c${k}`;
  const move = (c: unknown): unknown => {
    if (Array.isArray(c) && typeof c[0] === 'number') return c.map((v, i) => (i === 0 ? round6(v + d[0]) : i === 1 ? round6(v + d[1]) : v));
    if (Array.isArray(c)) return c.map(move);
    return c;
  };
  const rename = (v: unknown, key: string): unknown => {
    if (typeof v === 'string') return ids.has(v) || key === 'fromNode' || key === 'toNode' ? v + suffix : v;
    if (Array.isArray(v)) return v.map((x) => rename(x, key));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([kk, x]) => [kk, kk === 'coordinates' || kk === 'position' ? move(x) : rename(x, kk)]));
    return v;
  };
  return recs.map((r) => ({ ...(rename(r, '') as T), id: r.id + suffix }));
}

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

/** The demo registry grown to `devices` devices (or the demo itself when it already has that many). */
export function cityRegistry(demo: Registry, devices: number): Registry {
  const sites: Site[] = [...demo.sites];
  const out: Device[] = [...demo.devices];
  for (const scene of ['confined', 'park', 'roads'] as const) {
    // Areas stay single (one Keqiao cluster, one park, one Zhuji network); their children are copied.
    const cSites = demo.sites.filter((s) => s.scene === scene && s.kind !== 'area');
    const cDevices = demo.devices.filter((d) => d.scene === scene && d.kind !== 'camera');
    const ids = new Set<string>([...cSites, ...cDevices].map((r) => r.id));
    const target = Math.round(devices * CITY_SHARES[scene]) - demo.devices.filter((d) => d.scene === scene).length;
    const cols = Math.max(1, Math.ceil(Math.sqrt(target / cDevices.length)));
    let made = 0;
    for (let k = 1; made < target; k++) {
      const d: [number, number] = [((k % cols) - cols / 2) * STEP_DEG[scene][0], (Math.floor(k / cols) - cols / 2) * STEP_DEG[scene][1]];
      sites.push(...copyOf(cSites, ids, k, d));
      const devs = copyOf(cDevices, ids, k, d)
        .slice(0, target - made)
        .map((dev) => (dev.intervalS < CITY_INTERVAL_S ? { ...dev, intervalS: CITY_INTERVAL_S } : dev));
      out.push(...devs);
      made += devs.length;
    }
  }
  return { ...demo, sites, devices: out.slice(0, Math.max(devices, demo.devices.length)) };
}

/** Writes the city registry for `devices` beside a copy of the demo layers; returns the registry path. */
export function writeCityRegistry(devices: number, dir = `bench-results/city-${devices}`, demoPath = 'public/data/registry.json'): string {
  const demo = JSON.parse(readFileSync(demoPath, 'utf8')) as Registry;
  mkdirSync(dir, { recursive: true });
  const layers = join(resolve(demoPath, '..'), 'layers');
  if (existsSync(layers)) cpSync(layers, join(dir, 'layers'), { recursive: true });
  const path = join(dir, 'registry.json');
  writeFileSync(path, registryJson(cityRegistry(demo, devices)));
  return path;
}

if (process.argv[1]?.endsWith('cityRegistry.ts')) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const n = Number(arg('--devices') ?? 25_000);
  const path = writeCityRegistry(n, arg('--out'));
  const r = JSON.parse(readFileSync(path, 'utf8')) as Registry;
  console.log(`${path}: ${r.sites.length} sites, ${r.devices.length} devices`);
}
