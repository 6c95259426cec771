/**
 * Loads the registry of sites and devices and indexes it for the hot path (a Map lookup per message).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEVICE_ID_PATTERN, SCENES, cameraProblem, isQuantity, type Device, type Person, type Registry, type Site } from '../contracts';

/** Just enough shape checking that a hand-edited registry fails at start, not on the first message. */
const registrySchema = z.object({
  version: z.literal(1),
  sites: z.array(
    z.looseObject({
      id: z.string().min(1),
      scene: z.enum(SCENES),
      kind: z.string().min(1),
      name: z.string(),
      parentId: z.string().nullable(),
      geometry: z.looseObject({ type: z.string() }),
    }),
  ),
  persons: z
    .array(z.looseObject({ id: z.string().min(1).max(64), name: z.string(), nameZh: z.string(), role: z.enum(['worker', 'attendant', 'supervisor']) }))
    .optional(),
  devices: z.array(
    z.looseObject({
      id: z.string().regex(DEVICE_ID_PATTERN, 'device id must match [A-Za-z0-9_-]{1,64}'),
      scene: z.enum(SCENES),
      siteId: z.string(),
      kind: z.string().min(1),
      position: z.array(z.number()).length(3),
      quantities: z.array(z.string().refine(isQuantity, 'unknown quantity')),
      intervalS: z.number().positive(),
    }),
  ),
});

/**
 * The registry in force, indexed for the hot path (a Map lookup per message). One instance lives as
 * long as the service: a change (registry management) refills its maps in place and tells the
 * listeners, so whoever holds it (broker ACL, ingest, rules, API) sees the change at once.
 */
export class RegistryIndex {
  readonly devices = new Map<string, Device>();
  readonly sites = new Map<string, Site>();
  /** The roster by badge id (empty when the registry has none). */
  readonly persons = new Map<string, Person>();
  /** Traffic detectors by the segment they measure. */
  readonly detectorsBySegment = new Map<string, Device[]>();
  /** Retired devices and sites: gone from the live registry, still named in history and replay. */
  readonly retiredDevices = new Map<string, Device>();
  readonly retiredSites = new Map<string, Site>();
  /** Bumped by every change; 0 for a registry never stored. */
  version = 0;
  updatedAt = 0;
  registry!: Registry;
  private readonly listeners: (() => void)[] = [];

  constructor(registry: Registry) {
    this.fill(registry);
  }

  /** Replaces what is in force and tells the listeners (each failure is its own). */
  replace(registry: Registry, retired: { sites: Site[]; devices: Device[] }, version: number, updatedAt: number): void {
    this.fill(registry);
    this.retiredDevices.clear();
    this.retiredSites.clear();
    for (const d of retired.devices) if (!this.devices.has(d.id)) this.retiredDevices.set(d.id, d);
    for (const s of retired.sites) if (!this.sites.has(s.id)) this.retiredSites.set(s.id, s);
    this.version = version;
    this.updatedAt = updatedAt;
    for (const l of this.listeners) l();
  }

  /** Called after every change, once the maps hold the new registry. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** A device live or retired (history and replay still name a retired one). */
  deviceEver(id: string): Device | undefined {
    return this.devices.get(id) ?? this.retiredDevices.get(id);
  }

  siteEver(id: string): Site | undefined {
    return this.sites.get(id) ?? this.retiredSites.get(id);
  }

  private fill(registry: Registry): void {
    const devices = new Map<string, Device>();
    for (const d of registry.devices) {
      if (devices.has(d.id)) throw new Error(`registry: device id ${d.id} is used twice`);
      const camera = d.kind === 'camera' ? cameraProblem(d) : null;
      if (camera) throw new Error(`registry: camera ${d.id}: ${camera}`);
      devices.set(d.id, d);
    }
    this.registry = registry;
    this.devices.clear();
    this.sites.clear();
    this.persons.clear();
    this.detectorsBySegment.clear();
    for (const s of registry.sites) this.sites.set(s.id, s);
    for (const p of registry.persons ?? []) this.persons.set(p.id, p);
    for (const d of devices.values()) {
      this.devices.set(d.id, d);
      if (d.kind === 'traffic_detector') {
        const list = this.detectorsBySegment.get(d.siteId) ?? [];
        list.push(d);
        this.detectorsBySegment.set(d.siteId, list);
      }
    }
  }

  /** The road segments, in registry order (made once: a reading's rules look segments up per message). */
  segments(): readonly Site[] {
    return (this.segmentList ??= this.registry.sites.filter((s) => s.kind === 'segment'));
  }

  private segmentList: Site[] | null = null;
}

/** The registry of an empty twin (DEMO=0 without REGISTRY): sites and devices come through the API. */
export const EMPTY_REGISTRY: Registry = { version: 1, sites: [], devices: [], persons: [] };

/** Reads and checks the registry file; the error names the file and the first problem. */
export function loadRegistry(path: string): Registry {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`registry not found at ${path} (generate the demo one with: npx tsx scripts/gen-data.ts)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`registry ${path} is not JSON: ${(err as Error).message}`);
  }
  const parsed = registrySchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`registry ${path}: ${i?.path.join('.')}: ${i?.message}`);
  }
  return json as Registry;
}
