/**
 * Demo-data generator: `npx tsx scripts/gen-data.ts` writes public/data/registry.json (the demo
 * Registry of sites and devices of the three scenes) and the base layers in public/data/layers/.
 * Deterministic: a seeded PRNG, rounded coordinates, fixed key order — the same bytes every run.
 * `generate()` builds everything in memory (used by tests/unit/registry.test.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Registry } from '../src/contracts';
import { demoCameras } from './data/cameras';
import { confinedScene } from './data/confined';
import { DEMO_PERSONS } from './data/persons';
import { districtsLayer, roadsLayer, waterLayer, cityBuildings } from './data/layers';
import { parkScene } from './data/park';
import { parkRoadsLayer } from './data/parkGrid';
import { roadsScene } from './data/roads';
import { fc, mulberry32, type FeatureCollection } from './data/util';

export const SEED = 20251128;

export type LayerName = 'districts' | 'water' | 'roads' | 'buildings' | 'park-roads';

export interface Generated {
  registry: Registry;
  layers: Record<LayerName, FeatureCollection>;
}

export function generate(seed = SEED): Generated {
  const rng = mulberry32(seed);
  const confined = confinedScene(rng);
  const park = parkScene(rng);
  const roads = roadsScene();
  const sites = [...confined.sites, ...park.sites, ...roads.sites];
  const devices = [...confined.devices, ...park.devices, ...roads.devices];
  // Cameras last: each is aimed at something the scenes placed (an opening, a tank farm, the crash site).
  const registry: Registry = { version: 1, sites, devices: [...devices, ...demoCameras(sites, devices)], persons: DEMO_PERSONS };
  const water = waterLayer();
  const roadLayer = roadsLayer();
  const avoid = [...roadLayer, ...water];
  const buildings = [
    ...confined.buildings,
    ...park.buildings,
    ...cityBuildings(rng, 'sx', '绍兴市区', 'Shaoxing centre', [120.578, 29.999], 1500, 30, avoid),
    ...cityBuildings(rng, 'zj', '诸暨城区', 'Zhuji centre', [120.24, 29.716], 1400, 90, avoid),
  ];
  return {
    registry,
    layers: {
      districts: fc(districtsLayer()),
      water: fc(water),
      roads: fc(roadLayer),
      buildings: fc(buildings),
      'park-roads': fc(parkRoadsLayer()),
    },
  };
}

/** Registry JSON with one site or device per line: readable and diff-friendly. */
export function registryJson(r: Registry): string {
  const rows = (xs: unknown[]): string => xs.map((x) => '    ' + JSON.stringify(x)).join(',\n');
  return `{\n  "version": ${r.version},\n  "sites": [\n${rows(r.sites)}\n  ],\n  "devices": [\n${rows(r.devices)}\n  ],\n  "persons": [\n${rows(r.persons ?? [])}\n  ]\n}\n`;
}

/** A FeatureCollection with one feature per line. */
export function layerJson(c: FeatureCollection): string {
  return `{"type":"FeatureCollection","features":[\n${c.features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

export function summary(g: Generated): string {
  const count = <T extends { kind: string }>(xs: T[]): string => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x.kind, (m.get(x.kind) ?? 0) + 1);
    return [...m].map(([k, n]) => `${k} ${n}`).join(', ');
  };
  const { sites, devices } = g.registry;
  const layers = Object.entries(g.layers)
    .map(([k, v]) => `${k} ${v.features.length}`)
    .join(', ');
  return `registry: ${sites.length} sites (${count(sites)}); ${devices.length} devices (${count(devices)}); layers: ${layers}`;
}

function main(): void {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const out = join(root, 'public', 'data');
  mkdirSync(join(out, 'layers'), { recursive: true });
  const g = generate();
  writeFileSync(join(out, 'registry.json'), registryJson(g.registry));
  for (const [name, c] of Object.entries(g.layers)) writeFileSync(join(out, 'layers', `${name}.geojson`), layerJson(c));
  console.log(summary(g));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
