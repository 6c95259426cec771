/**
 * The registry as the database holds it, and every change to it (registry management): seeded from
 * the registry file on first start, versioned, each change checked against the whole registry it
 * would make, stored in one transaction with the next version, then put in force at once — the
 * shared RegistryIndex is refilled (broker ACL, ingest, rules and API read it) and the retained
 * `citytwin/v1/registry` `{version}` tells every open browser to reload.
 */
import { createHash } from 'node:crypto';
import { REGISTRY_TOPIC, cameraProblem, type Device, type Person, type Registry, type RegistryVersion, type Site, type ThresholdOverride } from '../contracts';
import { limitsWithOverrides } from '../domain';
import type { Bus } from './bus';
import type { RegistryIndex } from './registry';
import type { RegistryProblem } from './registryTexts';
import type { RegistryHead, RegistryRow, RegistryStore } from './storage/registryStore';

/** What one change does; every part optional. An upsert of a retired id brings it back. */
export interface RegistryChange {
  sites?: Site[];
  devices?: Device[];
  retireSites?: string[];
  retireDevices?: string[];
  /** A site's or device's threshold override, or null to remove it. */
  overrides?: { targetId: string; override: ThresholdOverride | null }[];
}

/** Another instance changed the registry between the check and the write: ask again. */
export class RegistryConflict extends Error {
  override name = 'RegistryConflict';
}

export interface ManagerOptions {
  store: RegistryStore;
  index: RegistryIndex;
  bus: () => Bus | null;
  /** The registry a database without one is seeded with (the demo's, REGISTRY's, or an empty one under DEMO=0). */
  seed: Registry;
  now: () => number;
  info: (message: string) => void;
  warn: (message: string) => void;
}

const hashOf = (r: Registry) => createHash('sha256').update(JSON.stringify(r)).digest('hex');

export class RegistryManager {
  private readonly sites = new Map<string, Site>();
  private readonly devices = new Map<string, Device>();
  private readonly retiredSites = new Map<string, Site>();
  private readonly retiredDevices = new Map<string, Device>();
  private readonly overrides = new Map<string, ThresholdOverride>();
  private persons: Person[] = [];
  private head: RegistryHead = { version: 0, updatedAt: 0, seedHash: null, managed: false };
  /** Changes are made one at a time (each checks against the state the one before left). */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly o: ManagerOptions) {}

  /** Loads the stored registry (seeding or reseeding it first) and puts it in force. */
  static async open(o: ManagerOptions): Promise<RegistryManager> {
    const m = new RegistryManager(o);
    const hash = hashOf(o.seed);
    const head = await o.store.head();
    if (head === null || (!head.managed && head.seedHash !== hash)) {
      // A registry never changed through the API follows its file: a new demo build or REGISTRY applies on restart.
      const next: RegistryHead = { version: (head?.version ?? 0) + 1, updatedAt: o.now(), seedHash: hash, managed: false };
      const rows: RegistryRow[] = [
        ...o.seed.sites.map((s) => row('site', s.id, s, null)),
        ...o.seed.devices.map((d) => row('device', d.id, d, null)),
        ...(o.seed.persons ?? []).map((p) => row('person', p.id, p, null)),
      ];
      if (!(await o.store.write(head?.version ?? 0, next, rows, true))) throw new Error('registry: another instance seeded it at the same time; start again');
      o.info(`registry: seeded with ${o.seed.sites.length} sites and ${o.seed.devices.length} devices (version ${next.version})`);
    } else if (head.managed && head.seedHash !== hash) {
      o.warn('registry: the registry file differs from the one managed in the database; the database is in force');
    }
    await m.load();
    return m;
  }

  get version(): number {
    return this.head.version;
  }

  site(id: string): Site | undefined {
    return this.sites.get(id);
  }

  /** A live device as registered (its own `limits`, without overrides). */
  device(id: string): Device | undefined {
    return this.devices.get(id);
  }

  isRetired(kind: 'site' | 'device', id: string): boolean {
    return (kind === 'site' ? this.retiredSites : this.retiredDevices).has(id);
  }

  /** Live sites and devices, in the order they were registered (the export's order). */
  all(): { sites: Site[]; devices: Device[] } {
    return { sites: [...this.sites.values()], devices: [...this.devices.values()] };
  }

  override(targetId: string): ThresholdOverride | undefined {
    return this.overrides.get(targetId);
  }

  /** The overrides that apply to a device, nearest first: its own, its site's, the sites above. */
  chainOf(device: Pick<Device, 'id' | 'siteId'>): ThresholdOverride[] {
    const out: ThresholdOverride[] = [];
    const own = this.overrides.get(device.id);
    if (own?.target === 'device') out.push(own);
    const seen = new Set<string>();
    for (let id: string | null | undefined = device.siteId; id && !seen.has(id); id = this.sites.get(id)?.parentId) {
      seen.add(id);
      const o = this.overrides.get(id);
      if (o?.target === 'site') out.push(o);
    }
    return out;
  }

  /** The live devices at or below a site. */
  devicesUnder(siteId: string): Device[] {
    return [...this.devices.values()].filter((d) => this.isUnder(d.siteId, siteId));
  }

  private isUnder(siteId: string, ancestor: string): boolean {
    const seen = new Set<string>();
    for (let id: string | null | undefined = siteId; id && !seen.has(id); id = this.sites.get(id)?.parentId) {
      if (id === ancestor) return true;
      seen.add(id);
    }
    return false;
  }

  /**
   * What is wrong with the registry `change` would make: references to sites that would not be live,
   * scenes that differ, loops of parents, retirements that would orphan something. `lineOf` gives
   * the line of an upserted id (`site:ID`, `device:ID`) for an import; 0 otherwise. References to
   * `unread` sites (an import's rows that have errors of their own) are not judged: they will be.
   */
  check(change: RegistryChange, lineOf: (key: string) => number = () => 0, unread: ReadonlySet<string> = new Set()): RegistryProblem[] {
    const problems: RegistryProblem[] = [];
    const sites = new Map(this.sites);
    const devices = new Map(this.devices);
    for (const s of change.sites ?? []) sites.set(s.id, s);
    for (const d of change.devices ?? []) devices.set(d.id, d);
    for (const id of change.retireSites ?? []) {
      if (!sites.delete(id)) problems.push({ line: 0, field: 'id', code: 'not_found', params: { value: id } });
    }
    for (const id of change.retireDevices ?? []) {
      if (!devices.delete(id)) problems.push({ line: 0, field: 'id', code: 'not_found', params: { value: id } });
    }
    for (const s of change.sites ?? []) {
      const line = lineOf(`site:${s.id}`);
      if (s.parentId !== null && !sites.has(s.parentId) && !unread.has(s.parentId)) problems.push({ line, field: 'siteId', code: 'unknown_site', params: { value: s.parentId } });
      const seen = new Set<string>();
      for (let id: string | null | undefined = s.id; id; id = sites.get(id)?.parentId) {
        if (seen.has(id)) {
          problems.push({ line, field: 'siteId', code: 'parent_cycle', params: { value: id } });
          break;
        }
        seen.add(id);
      }
    }
    for (const d of change.devices ?? []) {
      const line = lineOf(`device:${d.id}`);
      const site = unread.has(d.siteId) ? undefined : sites.get(d.siteId);
      if (!site && !unread.has(d.siteId)) problems.push({ line, field: 'siteId', code: 'unknown_site', params: { value: d.siteId } });
      else if (site && site.scene !== d.scene) problems.push({ line, field: 'scene', code: 'scene_mismatch', params: { value: site.id, scene: site.scene } });
      const camera = d.kind === 'camera' ? cameraProblem(d) : null;
      if (camera) problems.push({ line, field: 'kind', code: 'invalid', params: { detail: camera } });
    }
    // Retiring a site would orphan what is still live below it.
    for (const id of change.retireSites ?? []) {
      const used = [...devices.values()].some((d) => d.siteId === id) || [...sites.values()].some((s) => s.parentId === id);
      if (used) problems.push({ line: 0, field: 'id', code: 'in_use', params: { value: id } });
    }
    return problems;
  }

  /**
   * Stores `change` with the next version and puts it in force; answers the new version. Throws
   * RegistryConflict when another instance changed the registry first (this one reloads it).
   */
  apply(change: RegistryChange): Promise<number> {
    const run = this.queue.then(() => this.write(change));
    this.queue = run.catch(() => {});
    return run;
  }

  /** Reloads from the database when another instance moved the version (a standby, or after a conflict). */
  async refresh(): Promise<boolean> {
    const head = await this.o.store.head();
    if (!head || head.version === this.head.version) return false;
    await this.load();
    return true;
  }

  private async write(change: RegistryChange): Promise<number> {
    const now = this.o.now();
    const rows: RegistryRow[] = [];
    for (const s of change.sites ?? []) rows.push(row('site', s.id, s, null));
    for (const d of change.devices ?? []) rows.push(row('device', d.id, d, null));
    for (const id of change.retireSites ?? []) rows.push(row('site', id, this.sites.get(id), now));
    for (const id of change.retireDevices ?? []) rows.push(row('device', id, this.devices.get(id), now));
    for (const { targetId, override } of change.overrides ?? []) {
      const old = this.overrides.get(targetId);
      if (override) rows.push(row('threshold', targetId, override, null));
      else if (old) rows.push(row('threshold', targetId, old, now));
    }
    const head: RegistryHead = { ...this.head, version: this.head.version + 1, updatedAt: now, managed: true };
    if (!(await this.o.store.write(this.head.version, head, rows))) {
      await this.load();
      throw new RegistryConflict('the registry was changed by another instance: check and try again');
    }
    for (const s of change.sites ?? []) (this.sites.set(s.id, s), this.retiredSites.delete(s.id));
    for (const d of change.devices ?? []) (this.devices.set(d.id, d), this.retiredDevices.delete(d.id));
    for (const id of change.retireSites ?? []) (this.retiredSites.set(id, this.sites.get(id)!), this.sites.delete(id));
    for (const id of change.retireDevices ?? []) (this.retiredDevices.set(id, this.devices.get(id)!), this.devices.delete(id));
    for (const { targetId, override } of change.overrides ?? []) {
      if (override) this.overrides.set(targetId, override);
      else this.overrides.delete(targetId);
    }
    this.head = head;
    this.putInForce();
    return head.version;
  }

  private async load(): Promise<void> {
    const [head, rows] = await Promise.all([this.o.store.head(), this.o.store.rows()]);
    for (const m of [this.sites, this.devices, this.retiredSites, this.retiredDevices, this.overrides]) m.clear();
    this.persons = [];
    for (const r of rows) {
      const body = JSON.parse(r.body);
      if (r.kind === 'site') (r.retiredAt === null ? this.sites : this.retiredSites).set(r.id, body as Site);
      else if (r.kind === 'device') (r.retiredAt === null ? this.devices : this.retiredDevices).set(r.id, body as Device);
      else if (r.kind === 'person' && r.retiredAt === null) this.persons.push(body as Person);
      else if (r.kind === 'threshold' && r.retiredAt === null) this.overrides.set(r.id, body as ThresholdOverride);
    }
    this.head = head ?? this.head;
    this.putInForce();
  }

  /** Refills the shared index (devices carry their overrides in `limits`) and tells the browsers. */
  private putInForce(): void {
    const devices = [...this.devices.values()].map((d) => {
      const limits = limitsWithOverrides(d, this.chainOf(d));
      return limits === d.limits ? d : { ...d, limits };
    });
    const registry: Registry = { version: 1, sites: [...this.sites.values()], devices, persons: this.persons };
    this.o.index.replace(registry, { sites: [...this.retiredSites.values()], devices: [...this.retiredDevices.values()] }, this.head.version, this.head.updatedAt);
    this.announce();
  }

  /** Publishes the retained version (again, once the broker is up). */
  announce(): void {
    const msg: RegistryVersion = { version: this.head.version, updatedAt: this.head.updatedAt };
    this.o.bus()
      ?.publish(REGISTRY_TOPIC, JSON.stringify(msg), { qos: 1, retain: true })
      .catch((err: Error) => this.o.warn(`registry: version ${msg.version} not announced: ${err.message}`));
  }
}

function row(kind: RegistryRow['kind'], id: string, body: unknown, retiredAt: number | null): RegistryRow {
  return { kind, id, body: JSON.stringify(body), retiredAt };
}
