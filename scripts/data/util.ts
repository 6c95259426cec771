/**
 * Small shared helpers of the demo-data generator: a seeded PRNG, GeoJSON feature types and
 * builders for registry records with a fixed key order (so the output is byte-identical every run).
 */
import type { Device, DeviceKind, GasLevel, Geometry, Limits, Quantity, Scene, Site, SiteKind, SiteProps } from '../../src/contracts';

/** A pseudo-random source in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32: a tiny 32-bit seeded PRNG (Tommy Ettinger), good enough for demo layouts and,
 * unlike Math.random, the same sequence for the same seed on every machine.
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform number in [min, max). */
export const between = (rng: Rng, min: number, max: number): number => min + (max - min) * rng();

/** A uniform integer in [min, max], both included. */
export const intBetween = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));

/** One element of a non-empty list. */
export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

/** `x` rounded to `digits` decimals (and -0 turned into 0, so JSON never says "-0"). */
export function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r;
}

/** 1 → "01". */
export const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Properties every base-layer feature carries (the test and the layer legend rely on them). */
export interface FeatureProps {
  kind: string;
  name: string;
  nameZh: string;
  [key: string]: unknown;
}

export interface Feature {
  type: 'Feature';
  properties: FeatureProps;
  geometry: Geometry;
}

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
}

/** A feature; its coordinates are rounded to 1e-6° (about 0.1 m), enough for a footprint. */
export function feature(properties: FeatureProps, geometry: Geometry): Feature {
  return { type: 'Feature', properties, geometry: roundGeometry(geometry) };
}

type Pos = [number, number];
const roundPos = (p: Pos | [number, number, number]): Pos => [round(p[0], 6), round(p[1], 6)];

/** The geometry with every coordinate rounded to 6 decimals (about 0.1 m): stable, short output. */
export function roundGeometry(g: Geometry): Geometry {
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: g.coordinates.length === 3 ? [...roundPos(g.coordinates), round(g.coordinates[2], 2)] : roundPos(g.coordinates) };
    case 'LineString':
      return { type: 'LineString', coordinates: g.coordinates.map(roundPos) };
    case 'Polygon':
      return { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map(roundPos)) };
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map((r) => r.map(roundPos))) };
  }
}

export function fc(features: Feature[]): FeatureCollection {
  return { type: 'FeatureCollection', features };
}

/** What each scene module hands back to gen-data. */
export interface SceneData {
  sites: Site[];
  devices: Device[];
}

/** A site record with the key order of the contract; `props` omitted when empty. */
export function site(
  scene: Scene,
  kind: SiteKind,
  id: string,
  name: string,
  nameZh: string,
  parentId: string | null,
  geometry: Geometry,
  props?: SiteProps,
): Site {
  const s: Site = { id, scene, kind, name, nameZh, parentId, geometry: roundGeometry(geometry) };
  if (props && Object.keys(props).length > 0) s.props = props;
  return s;
}

/**
 * A device record with the key order of the contract; `level` and `limits` only when given.
 * Position rounded to 1e-6° and 0.01 m.
 */
export function device(
  scene: Scene,
  kind: DeviceKind,
  id: string,
  siteId: string,
  name: string,
  nameZh: string,
  position: [number, number, number],
  quantities: Quantity[],
  intervalS: number,
  extra: { level?: GasLevel; limits?: Limits } = {},
): Device {
  const pos: [number, number, number] = [round(position[0], 6), round(position[1], 6), round(position[2], 2)];
  const d: Device = { id, scene, siteId, kind, name, nameZh, position: pos, quantities, intervalS };
  if (extra.level) d.level = extra.level;
  if (extra.limits) d.limits = extra.limits;
  return d;
}
