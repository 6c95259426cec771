/**
 * Confined-space entry rules in the service: keeps the entry state of every space (permit, last gas
 * test, fan, attendant's post, who is inside), folds in the access terminals' events, and asserts
 * each space's alarms from the domain's `judgeSpace`: `evacuate` (critical), `permit` (major),
 * `attendant` (critical) and `o2_enrichment` (warning), each with a `detail` naming its rule, the
 * space, the permit and the first reason's code as plain data. It evaluates a space on each of its events, whenever one of its detectors' alarms changes,
 * and once a second (silence, a lapsing permit and an absent attendant are noticed by the clock).
 *
 * The folding (`EntryBook`, `rebuildEntry`) and the detectors' context (`spaceContext`) read only
 * the `DeviceStates` / `OpenAlarms` interfaces, so a replay at a past instant (./replay.ts) runs
 * the very same code on a `TwinAt`.
 */
import type { AlarmDetail, AlarmRecord, ChainStep, Device, DeviceEvent, Reason, Site } from '../../../contracts';
import {
  EMPTY_SPACE,
  applyEntryEvent,
  badgeTwiceCondition,
  badgesInTwoPlaces,
  entryRules,
  judgeSpace,
  judgedSameAtAnyTime,
  limitsFor,
  maxInsideMin,
  MAX_INSIDE_MIN_DEFAULT,
  overstayCondition,
  overstays,
  reasonText,
  shelveContext,
  type DetectorContext,
  type EntryRules,
  type RuleHit,
  type ShelveContext,
  type SpaceContext,
  type SpaceEntryState,
  type SpaceJudgement,
} from '../../../domain';
import type { AlarmEngine, EventRule, Subject } from '../../alarms';
import { spaceContext } from './context';
import type { OpenAlarms } from '../../history/twinAt';

export { spaceContext } from './context';
import type { Config } from '../../config';
import type { Ingest } from '../../ingest';
import { eventScopeRefusal } from '../../mqttAccess';
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
  cfg: Pick<Config, 'purgeMinutes' | 'permitValidityMin' | 'requireVentilationRecord'> & Partial<Pick<Config, 'maxInsideMin'>>;
  log?: (message: string) => void;
}

/** The space rules whose alarms the service raises, each on the space's access terminal. */
export const SPACE_RULES = ['evacuate', 'permit', 'attendant', 'o2_enrichment'] as const;
export type SpaceRule = (typeof SPACE_RULES)[number];

/**
 * The entry rules of one space: the registry's `props.purgeMinutes` and `naturalVentilation` over
 * the configured defaults.
 */
export function spaceEntryRules(site: Site, cfg: ConfinedDeps['cfg']): EntryRules {
  const props = site.props ?? {};
  return entryRules(props, {
    ...(typeof props.purgeMinutes === 'number' && props.purgeMinutes >= 0 ? {} : { purgeMinutes: cfg.purgeMinutes }),
    permitValidityMs: cfg.permitValidityMin * 60_000,
    requireVentilationRecord: cfg.requireVentilationRecord,
  });
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
  /** The same reasons as codes, and the chain ventilate → test → permit → attendant → entry. */
  judged(spaceId: string): { reasonCodes: Reason[]; chain: ChainStep[] } | null;
}

/**
 * The entry state of every space, folded from access-terminal events in the order they happened.
 * The live rules keep one for the service's life; a replay folds the stored events up to its
 * instant into a fresh one.
 */
export class EntryBook {
  private readonly states = new Map<string, SpaceEntryState>();

  constructor(
    private readonly spaces: ReadonlyMap<string, SpaceIndex>,
    private readonly rulesOf: (spaceId: string) => EntryRules,
    private readonly registry: Pick<RegistryIndex, 'sites'>,
  ) {}

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
    const after = applyEntryEvent(before, event, nowMs, this.rulesOf(spaceId));
    if (after !== before) this.states.set(spaceId, after);
    return spaceId;
  }

  /**
   * The space an event is about: its `spaceId`, the space holding the permit it closes — among
   * the spaces the terminal serves only —, or the terminal's own.
   */
  private spaceOf(device: Device, event: DeviceEvent): string | null {
    const named = (event as { spaceId?: unknown }).spaceId;
    if (typeof named === 'string' && this.spaces.has(named)) return named;
    if (event.type === 'permit.close') {
      const holder = this.permitHolder((event as { permitId?: unknown }).permitId);
      if (holder && serves(device, holder, this.registry)) return holder;
    }
    return this.spaces.has(device.siteId) ? device.siteId : null;
  }

  /** The space whose open permit has this id, if any. */
  permitHolder(permitId: unknown): string | null {
    if (typeof permitId !== 'string') return null;
    for (const [id, st] of this.states) if (st.permit?.permitId === permitId) return id;
    return null;
  }
}

/** A space rule's alarm detail: the rule as its code, and plain ids and numbers (the app words it). */
function spaceAlarmDetail(rule: SpaceRule, spaceId: string, state: SpaceEntryState, hit: RuleHit): AlarmDetail {
  const where = { spaceId, permitId: state.permit?.permitId ?? null, inside: state.inside.length, reason: hit.reasons[0]?.code ?? null, value: hit.value, threshold: hit.threshold };
  // The rule's own detail (its reasons, for the texts) with the space, permit and first reason beside it.
  return hit.detail ? { code: hit.detail.code, params: { ...where, ...hit.detail.params } } : { code: rule, params: where };
}

/**
 * Whether a device serves a space: its site is the space or a site above it (a plant's terminal),
 * the same scope as an event naming the space (eventScopeRefusal).
 */
export function serves(device: Device, spaceId: string, registry: Pick<RegistryIndex, 'sites'>): boolean {
  return eventScopeRefusal(device, { type: 'permit.close', spaceId }, registry) === null;
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
  private readonly rules = new Map<string, EntryRules>();
  private readonly judgements = new Map<string, SpaceJudgement>();
  private readonly spaceOfDetector = new Map<string, string>();
  /**
   * Spaces the clock may change: judged again every tick. A space nobody is in, with no permit,
   * fan or gas test recorded, judges the same at any instant (its detectors count only while
   * someone is inside), so it waits for an event or a detector alarm instead: at 25,000 devices
   * judging all 2,800 spaces every second held the event loop 30–270 ms.
   */
  private readonly clockBound = new Set<string>();

  constructor(private readonly d: ConfinedDeps) {
    this.spaces = new Map();
    this.book = new EntryBook(this.spaces, this.rulesOf, d.registry);
    this.registryChanged();
  }

  /** (Re)indexes the spaces in place, so the entry book and the routes see a space or detector added or retired. */
  registryChanged(): void {
    this.spaces.clear();
    this.rules.clear();
    this.spaceOfDetector.clear();
    this.clockBound.clear();
    for (const [id, space] of indexSpaces(this.d.registry)) {
      this.spaces.set(id, space);
      // Judged at the next tick with its new rules and detectors; it settles there if nothing is open.
      this.clockBound.add(id);
      this.rules.set(id, spaceEntryRules(space.site, this.d.cfg));
      for (const dev of space.detectors) this.spaceOfDetector.set(dev.id, id);
    }
  }

  /** The entry rules of a space (registry props over the configured defaults). */
  readonly rulesOf = (spaceId: string): EntryRules => this.rules.get(spaceId) ?? entryRules({}, { permitValidityMs: this.d.cfg.permitValidityMin * 60_000 });

  /**
   * Rebuilds the entry state from the stored events of the last 24 h. A suspension by an evacuate
   * alarm is not an event: a space whose evacuate alarm is still open comes back suspended.
   */
  async restore(nowMs: number): Promise<number> {
    let events: { deviceId: string; event: DeviceEvent }[] = [];
    try {
      // No upper bound: an event may carry a `ts` up to 5 min ahead of this clock (the contract allows it).
      events = await this.d.storage.history.eventsBetween('confined', nowMs - RESTORE_WINDOW_MS, Number.MAX_SAFE_INTEGER);
    } catch (err) {
      this.d.log?.(`confined: entry state not restored: ${(err as Error).message}`);
    }
    const applied = rebuildEntry(this.book, this.d.registry.devices, events, this.d.alarms, 'evacuate alarm open at restart');
    // Judged at once, so the first answer already has every space's chain.
    for (const id of this.spaces.keys()) this.evaluate(id, nowMs);
    this.checkBadges(nowMs);
    return applied;
  }

  /**
   * Why an event may not be applied, or null: a `permit.close` (which names no space) for a permit
   * held by a space the terminal does not serve — one terminal must not close another space's
   * permit by knowing its id.
   */
  refuseEvent(device: Device, event: DeviceEvent): string | null {
    if (event.type !== 'permit.close' || typeof (event as { spaceId?: unknown }).spaceId === 'string') return null;
    const permitId = (event as { permitId?: unknown }).permitId;
    const holder = this.book.permitHolder(permitId);
    if (holder === null || serves(device, holder, this.d.registry)) return null;
    return `${device.id} (site ${device.siteId}) may not close permit ${String(permitId)} of ${holder}`;
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

  /** Once a second: silence, a lapsing permit, an absent attendant and an overstay are noticed by the clock. */
  tick(nowMs: number): void {
    for (const id of [...this.clockBound]) this.evaluate(id, nowMs);
    this.checkOverstays(nowMs);
  }

  /** A space's limit on the time inside: its `props.maxInsideMin`, else the configured default. */
  readonly maxInsideMinOf = (spaceId: string): number => maxInsideMin(this.spaces.get(spaceId)?.site.props, this.d.cfg.maxInsideMin ?? MAX_INSIDE_MIN_DEFAULT);

  /** People inside longer than their space's limit: an alarm each (on the space's terminal), cleared by their exit. */
  private readonly overstaying = new Map<string, { spaceId: string; personId: string }>();
  private checkOverstays(nowMs: number): void {
    const over = new Map<string, { spaceId: string; personId: string; cond: ReturnType<typeof overstayCondition> }>();
    for (const [spaceId, st] of this.book.entries()) {
      if (!this.spaces.has(spaceId) || st.inside.length === 0) continue;
      const limit = this.maxInsideMinOf(spaceId);
      for (const o of overstays(st, limit, nowMs)) {
        over.set(`${spaceId}|overstay|${o.personId}`, { spaceId, personId: o.personId, cond: overstayCondition(spaceId, o.personId, o.minutes, limit) });
      }
    }
    for (const [key, who] of new Map([...this.overstaying, ...over])) {
      const subject: Subject = { key, scene: 'confined', siteId: who.spaceId, deviceId: this.spaces.get(who.spaceId)?.access?.id ?? null };
      this.d.alarms.assert(subject, over.get(key)?.cond ?? null, nowMs, 0);
      if (over.has(key)) this.overstaying.set(key, who);
      else this.overstaying.delete(key);
    }
  }

  /** The people and permit of the alarm's space, for the shelving rule. */
  shelveContext(alarm: AlarmRecord): ShelveContext {
    return shelveContext(alarm.siteId && this.spaces.has(alarm.siteId) ? this.book.state(alarm.siteId) : undefined);
  }

  state(spaceId: string): SpaceEntryState {
    return this.book.state(spaceId);
  }

  /** Why the space's evacuate condition holds, as of the last evaluation (empty when it does not). */
  reasons(spaceId: string): string[] {
    return this.judgements.get(spaceId)?.evacuate?.reasons.map(reasonText) ?? [];
  }

  judged(spaceId: string): { reasonCodes: Reason[]; chain: ChainStep[] } | null {
    const j = this.judgements.get(spaceId);
    return j ? { reasonCodes: j.evacuate?.reasons ?? [], chain: j.chain } : null;
  }

  /** What the domain rules need to know of a space's detectors now. */
  context(space: SpaceIndex): SpaceContext {
    return spaceContext(space, this.d.ingest, this.d.alarms, this.d.startedAt);
  }

  private evaluate(spaceId: string, nowMs: number): void {
    const space = this.spaces.get(spaceId);
    if (!space) return;
    const before = this.book.state(spaceId);
    const subjects = this.subjects(space);
    const active = new Set(SPACE_RULES.filter((r) => this.d.alarms.openAlarm(subjects[r].key)?.active === true));
    const j = judgeSpace(before, this.context(space), nowMs, this.rulesOf(spaceId), active);
    if (j.state !== before) this.book.set(spaceId, j.state);
    if (judgedSameAtAnyTime(j.state)) this.clockBound.delete(spaceId);
    else this.clockBound.add(spaceId);
    this.judgements.set(spaceId, j);
    const hits: Record<SpaceRule, RuleHit | null> = { evacuate: j.evacuate, permit: j.permit, attendant: j.attendant, o2_enrichment: j.o2Enrichment };
    for (const rule of SPACE_RULES) {
      const hit = hits[rule];
      const cond = hit && { rule, severity: hit.severity, value: hit.value, threshold: hit.threshold, message: hit.message, detail: spaceAlarmDetail(rule, spaceId, j.state, hit) };
      // Derived from events, the clock and alarms that had their own on-delay: no further delay.
      this.d.alarms.assert(subjects[rule], cond, nowMs, 0);
    }
  }

  /** The subjects of a space's alarms, made once per space definition (the tick asserts each every second). */
  private readonly subjectsOf = new WeakMap<SpaceIndex, Record<SpaceRule, Subject>>();
  private subjects(space: SpaceIndex): Record<SpaceRule, Subject> {
    let out = this.subjectsOf.get(space);
    if (!out) {
      const of = (rule: SpaceRule): Subject => ({ key: `${space.site.id}|${rule}`, scene: 'confined', siteId: space.site.id, deviceId: space.access?.id ?? null });
      out = { evacuate: of('evacuate'), permit: of('permit'), attendant: of('attendant'), o2_enrichment: of('o2_enrichment') };
      this.subjectsOf.set(space, out);
    }
    return out;
  }
}
