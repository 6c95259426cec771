/**
 * Confined-space entry rules in the service (issue 3; DESIGN "Entry rules"): keeps the entry state
 * of every space (permit, last gas test, who is inside), folds in the access terminals' events,
 * and asserts the `evacuate` (critical) and `permit` (major) alarms of each space. It evaluates a
 * space on each of its events, whenever one of its detectors' alarms changes, and once a second
 * (a detector going silent is noticed by the clock, not by a message).
 */
import Database from 'better-sqlite3';
import type { AlarmRecord, Device, DeviceEvent, Site } from '../../contracts';
import {
  EMPTY_SPACE,
  applyEntryEvent,
  evaluateSpace,
  limitsFor,
  type DetectorContext,
  type SpaceContext,
  type SpaceEntryState,
} from '../../domain';
import type { AlarmEngine, EventRule, Subject } from '../alarms';
import type { Ingest } from '../ingest';
import type { RegistryIndex } from '../registry';
import type { Storage } from '../storage';

/** Events replayed at start: a permit lasts a shift, so a day covers every one still open. */
export const RESTORE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ConfinedDeps {
  registry: RegistryIndex;
  ingest: Ingest;
  alarms: AlarmEngine;
  storage: Storage;
  /** Service start: silence is counted from here for detectors not heard since (DESIGN "stale"). */
  startedAt: number;
  log?: (message: string) => void;
}

/** A space of the registry with the devices the rules need. */
export interface SpaceIndex {
  site: Site;
  /** Its access terminal: the `deviceId` of its evacuate and permit alarms. */
  access: Device | null;
  detectors: Device[];
}

export class ConfinedRules {
  readonly spaces = new Map<string, SpaceIndex>();
  private readonly states = new Map<string, SpaceEntryState>();
  private readonly reasonsOf = new Map<string, string[]>();
  private readonly spaceOfDetector = new Map<string, string>();

  constructor(private readonly d: ConfinedDeps) {
    for (const site of d.registry.registry.sites) {
      if (site.scene === 'confined' && site.kind === 'space') this.spaces.set(site.id, { site, access: null, detectors: [] });
    }
    for (const dev of d.registry.devices.values()) {
      const space = this.spaces.get(dev.siteId);
      if (!space || dev.scene !== 'confined') continue;
      if (dev.kind === 'access') space.access ??= dev;
      else if (dev.kind === 'gas_detector') {
        space.detectors.push(dev);
        this.spaceOfDetector.set(dev.id, dev.siteId);
      }
    }
  }

  /** Registers with the alarm engine: every event, and every change of another alarm. */
  attach(): this {
    this.d.alarms.addEventRule(this.eventRule);
    this.d.alarms.onChange(this.onAlarmChange);
    return this;
  }

  /**
   * Rebuilds the entry state from the stored events of the last 24 h. A suspension by an evacuate
   * alarm is not an event: a space whose evacuate alarm is still open comes back suspended.
   */
  restore(nowMs: number): number {
    let rows: { deviceId: string; payload: string }[] = [];
    try {
      // A second, read-only connection: Storage has no query for events, and WAL lets readers in.
      const db = new Database(this.d.storage.path, { readonly: true, fileMustExist: true });
      try {
        rows = db
          .prepare('SELECT device_id AS deviceId, payload FROM events WHERE scene = ? AND ts >= ? ORDER BY ts, device_id')
          .all('confined', nowMs - RESTORE_WINDOW_MS) as typeof rows;
      } finally {
        db.close();
      }
    } catch (err) {
      this.d.log?.(`confined: entry state not restored: ${(err as Error).message}`);
    }
    let applied = 0;
    for (const r of rows) {
      const device = this.d.registry.devices.get(r.deviceId);
      if (!device) continue;
      const event = JSON.parse(r.payload) as DeviceEvent;
      if (this.fold(device, event, event.ts)) applied++;
    }
    for (const [id, st] of this.states) {
      const evac = this.d.alarms.openAlarm(`${id}|evacuate`);
      if (st.permit && !st.permit.suspended && evac && evac.active !== false) {
        this.states.set(id, { ...st, permit: { ...st.permit, suspended: true, suspendReason: 'evacuate alarm open at restart' } });
      }
    }
    return applied;
  }

  /** Runs on every stored event (AlarmEngine.addEventRule). */
  readonly eventRule: EventRule = (device, event, nowMs) => {
    const spaceId = this.fold(device, event, nowMs);
    if (spaceId) this.evaluate(spaceId, nowMs);
  };

  /** A detector alarm raised, changed or cleared: its space's conditions may have changed. */
  readonly onAlarmChange = (alarm: AlarmRecord): void => {
    const spaceId = alarm.deviceId ? this.spaceOfDetector.get(alarm.deviceId) : undefined;
    if (spaceId) this.evaluate(spaceId, alarm.updatedAt);
  };

  /** Once a second: silence is noticed by the clock. */
  tick(nowMs: number): void {
    for (const id of this.spaces.keys()) this.evaluate(id, nowMs);
  }

  state(spaceId: string): SpaceEntryState {
    return this.states.get(spaceId) ?? EMPTY_SPACE;
  }

  /** Why the space's evacuate condition holds, as of the last evaluation (empty when it does not). */
  reasons(spaceId: string): string[] {
    return this.reasonsOf.get(spaceId) ?? [];
  }

  /** What the domain rules need to know of a space's detectors now. */
  context(space: SpaceIndex): SpaceContext {
    const detectors = space.detectors.map((dev): DetectorContext => {
      const st = this.d.ingest.state(dev.id);
      // Silence counts from the service start at the earliest: it could not hear anything before.
      const heard = Math.max(st?.heardAt ?? this.d.startedAt, this.d.startedAt);
      return { deviceId: dev.id, level: dev.level, intervalS: dev.intervalS, lastHeardMs: heard, offline: st?.online === false, alarms: this.activeAlarms(dev) };
    });
    const maxPersons = space.site.props?.maxPersons;
    return { maxPersons: typeof maxPersons === 'number' ? maxPersons : undefined, detectors };
  }

  /** Folds an event into its space's state; the space id, or null when it is not about a space. */
  private fold(device: Device, event: DeviceEvent, nowMs: number): string | null {
    if (device.scene !== 'confined') return null;
    const spaceId = this.spaceOf(device, event);
    if (!spaceId) return null;
    const before = this.state(spaceId);
    const after = applyEntryEvent(before, event, nowMs);
    if (after !== before) this.states.set(spaceId, after);
    return spaceId;
  }

  /** The space an event is about: its `spaceId`, the space holding the permit it closes, or the terminal's. */
  private spaceOf(device: Device, event: DeviceEvent): string | null {
    const named = (event as { spaceId?: unknown }).spaceId;
    if (typeof named === 'string' && this.spaces.has(named)) return named;
    if (event.type === 'permit.close') {
      const permitId = (event as { permitId?: unknown }).permitId;
      if (this.state(device.siteId).permit?.permitId === permitId && this.spaces.has(device.siteId)) return device.siteId;
      for (const [id, st] of this.states) if (st.permit?.permitId === permitId) return id;
    }
    return this.spaces.has(device.siteId) ? device.siteId : null;
  }

  private evaluate(spaceId: string, nowMs: number): void {
    const space = this.spaces.get(spaceId);
    if (!space) return;
    const r = evaluateSpace(this.state(spaceId), this.context(space), nowMs);
    if (r.state !== this.state(spaceId)) this.states.set(spaceId, r.state);
    this.reasonsOf.set(spaceId, r.reasons);
    // Derived from events and from alarms that had their own on-delay: no further delay.
    this.d.alarms.assert(this.subject(space, 'evacuate'), r.evacuate, nowMs, 0);
    this.d.alarms.assert(this.subject(space, 'permit'), r.permit, nowMs, 0);
  }

  private subject(space: SpaceIndex, rule: 'evacuate' | 'permit'): Subject {
    return { key: `${space.site.id}|${rule}`, scene: 'confined', siteId: space.site.id, deviceId: space.access?.id ?? null };
  }

  /** A detector's active threshold alarms (shelved ones too: shelving hides, it does not make safe). */
  private activeAlarms(dev: Device): DetectorContext['alarms'] {
    const out: { rule: string; severity: AlarmRecord['severity']; message: string }[] = [];
    for (const q of Object.keys(limitsFor(dev))) {
      for (const rule of [`${q}_high`, `${q}_low`]) {
        const a = this.d.alarms.openAlarm(`${dev.id}|${rule}`);
        if (a && a.active !== false && a.state !== 'cleared_unack') out.push({ rule, severity: a.severity, message: a.message });
      }
    }
    return out;
  }
}
