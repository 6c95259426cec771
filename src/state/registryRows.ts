/**
 * The registry pages' table: sites and devices of one scene (or all) as flat rows, narrowed by a
 * search that matches ids, names in both languages, kinds and the site a device belongs to. Pure:
 * maps in, rows out, fast enough to run on every keystroke over tens of thousands of entries.
 */
import type { Device, Scene, Site } from '../contracts';

export type RegistryRowType = 'site' | 'device';

export interface RegistryRow {
  type: RegistryRowType;
  id: string;
  scene: Scene;
  kind: string;
  name: string;
  nameZh: string;
  /** A device's site, a site's parent; null when none. */
  parentId: string | null;
  /** A device's position, a site's first vertex (or its point), `[lonDeg, latDeg]`; null when it has none. */
  lonLat: [number, number] | null;
}

export interface RegistryFilter {
  scene: Scene | 'all';
  type: RegistryRowType | 'all';
  /** A kind (`gas_detector`, `space`…), or '' for any. */
  kind: string;
  /** Free text; every word must match somewhere in the row (case-insensitive). */
  query: string;
}

export const NO_FILTER: RegistryFilter = { scene: 'all', type: 'all', kind: '', query: '' };

/** The first position of a geometry, `[lonDeg, latDeg]`. */
export function firstLonLat(g: Site['geometry']): [number, number] | null {
  let c: unknown = g.coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  return Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number' ? [c[0], c[1]] : null;
}

export function siteRow(s: Site): RegistryRow {
  return { type: 'site', id: s.id, scene: s.scene, kind: s.kind, name: s.name, nameZh: s.nameZh, parentId: s.parentId, lonLat: firstLonLat(s.geometry) };
}

export function deviceRow(d: Device): RegistryRow {
  return { type: 'device', id: d.id, scene: d.scene, kind: d.kind, name: d.name, nameZh: d.nameZh, parentId: d.siteId, lonLat: [d.position[0], d.position[1]] };
}

/** Sites first, then devices, each ordered by id; only the rows that pass `f`. */
export function registryRows(sites: ReadonlyMap<string, Site>, devices: ReadonlyMap<string, Device>, f: RegistryFilter): RegistryRow[] {
  const words = f.query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const parentText = (id: string | null) => {
    const p = id ? sites.get(id) : undefined;
    return p ? `${p.id} ${p.name} ${p.nameZh}` : (id ?? '');
  };
  const keep = (r: RegistryRow) => {
    if (f.scene !== 'all' && r.scene !== f.scene) return false;
    if (f.kind && r.kind !== f.kind) return false;
    if (words.length === 0) return true;
    const text = `${r.id} ${r.name} ${r.nameZh} ${r.kind} ${parentText(r.parentId)}`.toLowerCase();
    return words.every((w) => text.includes(w));
  };
  const out: RegistryRow[] = [];
  const byId = (a: RegistryRow, b: RegistryRow) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  if (f.type !== 'device') {
    const part: RegistryRow[] = [];
    for (const s of sites.values()) {
      const r = siteRow(s);
      if (keep(r)) part.push(r);
    }
    out.push(...part.sort(byId));
  }
  if (f.type !== 'site') {
    const part: RegistryRow[] = [];
    for (const d of devices.values()) {
      const r = deviceRow(d);
      if (keep(r)) part.push(r);
    }
    out.push(...part.sort(byId));
  }
  return out;
}

/** The kinds present among sites and devices of a scene (or all), for the kind filter. */
export function kindsIn(sites: ReadonlyMap<string, Site>, devices: ReadonlyMap<string, Device>, scene: Scene | 'all', type: RegistryRowType | 'all'): string[] {
  const kinds = new Set<string>();
  if (type !== 'device') for (const s of sites.values()) if (scene === 'all' || s.scene === scene) kinds.add(s.kind);
  if (type !== 'site') for (const d of devices.values()) if (scene === 'all' || d.scene === scene) kinds.add(d.kind);
  return [...kinds].sort();
}
