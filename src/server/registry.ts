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

export class RegistryIndex {
  readonly devices = new Map<string, Device>();
  readonly sites = new Map<string, Site>();
  /** The roster by badge id (empty when the registry has none). */
  readonly persons = new Map<string, Person>();
  /** Traffic detectors by the segment they measure. */
  readonly detectorsBySegment = new Map<string, Device[]>();

  constructor(readonly registry: Registry) {
    for (const s of registry.sites) this.sites.set(s.id, s);
    for (const p of registry.persons ?? []) this.persons.set(p.id, p);
    for (const d of registry.devices) {
      if (this.devices.has(d.id)) throw new Error(`registry: device id ${d.id} is used twice`);
      const camera = d.kind === 'camera' ? cameraProblem(d) : null;
      if (camera) throw new Error(`registry: camera ${d.id}: ${camera}`);
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
