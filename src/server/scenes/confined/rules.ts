/**
 * Confined-space entry rules in the service: keeps the entry state
 * of every space (permit, last gas test, who is inside), folds in the access terminals' events,
 * and asserts the `evacuate` (critical) and `permit` (major) alarms of each space. It evaluates a
 * space on each of its events, whenever one of its detectors' alarms changes, and once a second
 * (a detector going silent is noticed by the clock, not by a message).
 *
 * The folding (`EntryBook`, `rebuildEntry`) and the detectors' context (`spaceContext`) read only
 * the `DeviceStates` / `OpenAlarms` interfaces, so a replay at a past instant (./replay.ts) runs
 * the very same code on a `TwinAt`.
 */
import type { AlarmRecord, Device, DeviceEvent, Reason, Site } from '../../../contracts';
import {
  EMPTY_SPACE,
  applyEntryEvent,
  badgeTwiceCondition,
  badgesInTwoPlaces,
  evaluateSpace,
  limitsFor,
  type DetectorContext,
  type SpaceContext,
  type SpaceEntryState,
} from '../../../domain';
import type { AlarmEngine, EventRule, Subject } from '../../alarms';
import type { DeviceStates, OpenAlarms } from '../../history/twinAt';
import type { Ingest } from '../../ingest';
import type { RegistryIndex } from '../../registry';
import type { Storage } from '../../storage';

/** Events replayed at start: a permit lasts a shift, so a day covers every one still open. */
export const RESTORE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ConfinedDeps {
  registry: RegistryIndex;
  ingest: Ingest;
  alarms: AlarmEngine;
  storage: Storage;
  /** Service start: silence is counted from here for detectors not heard since (it could hear nothing before). */
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

/** What a space's summary reads of the entry rules: the live `ConfinedRules` or a replay (`ConfinedAt`). */
export interface EntryView {
  state(spaceId: string): SpaceEntryState;
  /** Why the space's evacuate condition holds (empty when it does not). */
  reasons(spaceId: string): string[];
  /** The same reasons as codes, for the app to word in the reader's language. */
  reasonCodes(spaceId: string): Reason[];
}

/**
 * The entry state of every space, folded from access-terminal events in the order they happened.
 * The live rules keep one for the service's life; a replay folds the stored events up to its
 * instant into a fresh one.
 */
export class EntryBook {
  private readonly states = new Map<string, SpaceEntryState>();

  constructor(private readonly spaces: ReadonlyMap<string, SpaceIndex>) {}

  state(spaceId: string): SpaceEntryState {
    return this.states.get(spaceId) ?? EMPTY_SPACE;
  }

  set(spaceId: string, state: SpaceEntryState): void {
    this.states.set(spaceId, state);
  }

  /** Spaces with a state of their own (an event touched them). */
  entries(): IterableIterator<[string, SpaceEntryState]> {
    return this.states.entries();
  }

  /** Folds an event into its space's state; the space id, or null when it is not about a space. */
  fold(device: Device, event: DeviceEvent, nowMs: number): string | null {
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
}

/**
 * Folds stored events (oldest first, each at its own `ts`) into `book`, then suspends the permit of
 * every space whose evacuate alarm is open and active in `alarms`: a suspension by an evacuate
 * alarm is not an event, so it cannot be folded. Used at restart and by the replay.
 * @returns how many events were about a space
 */
export function rebuildEntry(
  book: EntryBook,
  devices: ReadonlyMap<string, Device>,
  events: Iterable<{ deviceId: string; event: DeviceEvent }>,
  alarms: Pick<OpenAlarms, 'openAlarm'>,
  suspendReason: string,
): number {
  let applied = 0;
  for (const e of events) {
    const device = devices.get(e.deviceId);
    if (device && book.fold(device, e.event, e.event.ts)) applied++;
  }
  for (const [id, st] of [...book.entries()]) {
    const evac = alarms.openAlarm(`${id}|evacuate`);
    if (st.permit && !st.permit.suspended && evac && evac.active !== false) {
      book.set(id, { ...st, permit: { ...st.permit, suspended: true, suspendReason, suspendCause: { code: 'evacuate', params: {} } } });
    }
  }
  return applied;
}

/**
 * What the domain rules need to know of a space's detectors, from live or replayed states.
 * @param silenceFromMs silence counts from here at the earliest (live: the service start, which
 *   could hear nothing before); null counts from the last stored reading alone (replay).
 */
export function spaceContext(space: SpaceIndex, devices: DeviceStates, alarms: Pick<OpenAlarms, 'openAlarm'>, silenceFromMs: number | null): SpaceContext {
  const detectors = space.detectors.map((dev): DetectorContext => {
    const st = devices.state(dev.id);
    const heard = silenceFromMs === null ? (st?.heardAt ?? null) : Math.max(st?.heardAt ?? silenceFromMs, silenceFromMs);
    return { deviceId: dev.id, level: dev.level, intervalS: dev.intervalS, lastHeardMs: heard, offline: st?.online === false, alarms: activeAlarms(dev, alarms) };
  });
  const maxPersons = space.site.props?.maxPersons;
  return { maxPersons: typeof maxPersons === 'number' ? maxPersons : undefined, detectors };
}

/** A detector's active threshold alarms (shelved ones too: shelving hides, it does not make safe). */
function activeAlarms(dev: Device, alarms: Pick<OpenAlarms, 'openAlarm'>): DetectorContext['alarms'] {
  const out: DetectorContext['alarms'][number][] = [];
  for (const q of Object.keys(limitsFor(dev))) {
    for (const rule of [`${q}_high`, `${q}_low`]) {
      const a = alarms.openAlarm(`${dev.id}|${rule}`);
      if (a && a.active !== false && a.state !== 'cleared_unack') out.push({ rule, severity: a.severity, message: a.message, value: a.value, threshold: a.threshold });
    }
  }
  return out;
}

/** The confined spaces of a registry with their access terminal and gas detectors. */
export function indexSpaces(registry: RegistryIndex): Map<string, SpaceIndex> {
  const spaces = new Map<string, SpaceIndex>();
  for (const site of registry.registry.sites) {
    if (site.scene === 'confined' && site.kind === 'space') spaces.set(site.id, { site, access: null, detectors: [] });
  }
  for (const dev of registry.devices.values()) {
    const space = spaces.get(dev.siteId);
    if (!space || dev.scene !== 'confined') continue;
    if (dev.kind === 'access') space.access ??= dev;
    else if (dev.kind === 'gas_detector') space.detectors.push(dev);
  }
  return spaces;
}

export class ConfinedRules implements EntryView {
  readonly spaces: Map<string, SpaceIndex>;
  private readonly book: EntryBook;
  private readonly reasonsOf = new Map<string, { text: string[]; codes: Reason[] }>();
  private readonly spaceOfDetector = new Map<string, string>();

  constructor(private readonly d: ConfinedDeps) {
    this.spaces = indexSpaces(d.registry);
    this.book = new EntryBook(this.spaces);
    for (const [id, space] of this.spaces) for (const dev of space.detectors) this.spaceOfDetector.set(dev.id, id);
  }

  /**
   * Rebuilds the entry state from the stored events of the last 24 h. A suspension by an evacuate
   * alarm is not an event: a space whose evacuate alarm is still open comes back suspended.
   */
  restore(nowMs: number): number {
    let events: { deviceId: string; event: DeviceEvent }[] = [];
    try {
      // No upper bound: an event may carry a `ts` up to 5 min ahead of this clock (the contract allows it).
      events = this.d.storage.eventsBetween('confined', nowMs - RESTORE_WINDOW_MS, Number.MAX_SAFE_INTEGER);
    } catch (err) {
      this.d.log?.(`confined: entry state not restored: ${(err as Error).message}`);
    }
    const applied = rebuildEntry(this.book, this.d.registry.devices, events, this.d.alarms, 'evacuate alarm open at restart');
    this.checkBadges(nowMs);
    return applied;
  }

  /** Runs on every stored event of the scene. */
  readonly eventRule: EventRule = (device, event, nowMs) => {
    const spaceId = this.book.fold(device, event, nowMs);
    if (spaceId) this.evaluate(spaceId, nowMs);
    if (spaceId && (event.type === 'entry' || event.type === 'exit')) this.checkBadges(nowMs);
  };

  /** Badges open in two spaces at once: the alarm of each is asserted, and cleared once only one entry is left. */
  private readonly badgesTwice = new Set<string>();
  private checkBadges(nowMs: number): void {
    const twice = badgesInTwoPlaces(this.book.entries());
    for (const personId of new Set([...this.badgesTwice, ...twice.keys()])) {
      const spaceIds = twice.get(personId);
      const first = spaceIds ? this.spaces.get(spaceIds[0]) : undefined;
      const subject: Subject = { key: `${personId}|badge_twice`, scene: 'confined', siteId: spaceIds?.[0] ?? null, deviceId: first?.access?.id ?? null };
      this.d.alarms.assert(subject, spaceIds ? badgeTwiceCondition(personId, spaceIds) : null, nowMs, 0);
      if (spaceIds) this.badgesTwice.add(personId);
      else this.badgesTwice.delete(personId);
    }
  }

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
    return this.book.state(spaceId);
  }

  /** Why the space's evacuate condition holds, as of the last evaluation (empty when it does not). */
  reasons(spaceId: string): string[] {
    return this.reasonsOf.get(spaceId)?.text ?? [];
  }

  reasonCodes(spaceId: string): Reason[] {
    return this.reasonsOf.get(spaceId)?.codes ?? [];
  }

  /** What the domain rules need to know of a space's detectors now. */
  context(space: SpaceIndex): SpaceContext {
    return spaceContext(space, this.d.ingest, this.d.alarms, this.d.startedAt);
  }

  private evaluate(spaceId: string, nowMs: number): void {
    const space = this.spaces.get(spaceId);
    if (!space) return;
    const before = this.book.state(spaceId);
    const r = evaluateSpace(before, this.context(space), nowMs);
    if (r.state !== before) this.book.set(spaceId, r.state);
    this.reasonsOf.set(spaceId, { text: r.reasons, codes: r.reasonCodes });
    // Derived from events and from alarms that had their own on-delay: no further delay.
    this.d.alarms.assert(this.subject(space, 'evacuate'), r.evacuate, nowMs, 0);
    this.d.alarms.assert(this.subject(space, 'permit'), r.permit, nowMs, 0);
  }

  private subject(space: SpaceIndex, rule: 'evacuate' | 'permit'): Subject {
    return { key: `${space.site.id}|${rule}`, scene: 'confined', siteId: space.site.id, deviceId: space.access?.id ?? null };
  }
}
