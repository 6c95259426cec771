/**
 * Confined-space entry (GB 30871-2022 ch. 6; 工贸企业有限空间作业安全规定, 应急管理部令第13号, 2023:
 * 先通风、再检测、后作业): ventilate, test at three levels, open a permit naming the workers and an
 * attendant, then enter; monitor while anyone is inside. Pure: the state of one space is a plain
 * JSON value and events fold into it with `applyEntryEvent`, which also judges each entry against
 * the chain at that moment. The conditions are in entryRules.ts, the chain's view in entryChain.ts.
 */
import type { DeviceEvent, GasLevel, GasTest, GasTestFailure, Permit, Quantity, Reason, Values } from '../contracts';
// The permit and gas test are part of the spaces answer, so the contracts shape them; the service names them here.
export type { GasTest, GasTestFailure, Permit } from '../contracts';

/** A gas test is valid this long: entry within 30 min of a passing test (GB 30871-2022 ch. 6: test within 30 min before the work). */
export const GAS_TEST_VALID_MS = 30 * 60 * 1000;

/**
 * Work interrupted longer than this needs a new gas test before anyone goes back in
 * (GB 30871-2022 ch. 6, confined-space work: an interruption of more than 60 min; the 2014
 * edition said 30 min). The space counts as interrupted while nobody is inside.
 */
export const RETEST_AFTER_BREAK_MS = 60 * 60 * 1000;

/** An attendant away from the opening longer than this, with people inside, is an alarm (contract v1.1). */
export const ATTENDANT_AWAY_MS = 60 * 1000;

/**
 * Minutes the fan must have run before the gas test counts. Neither 13号令 nor GB 30871 sets a
 * figure (the site procedure does, from the space's volume and the fan): a default for the demo
 * plants, overridden per space (`props.purgeMinutes`) and by configuration.
 */
export const PURGE_MINUTES_DEFAULT = 10;

/** A permit without `validUntil` lasts one shift (8 h) from opening; configuration overrides it. */
export const PERMIT_VALIDITY_DEFAULT_MS = 8 * 60 * 60 * 1000;

/**
 * O₂ above the top of the entry range (21 % vol) with people inside is oxygen enrichment: clothing
 * burns far more easily (GB 30871-2022 entry range 19.5–21 %); a `warning`.
 */
export const O2_ENRICHED_PCT = 21;

/**
 * The "entry allowed" column: O₂ 19.5–21 % vol (both ends allowed), H₂S < 7 ppm (MAC 10 mg/m³),
 * CO < 17 ppm (PC-TWA 20 mg/m³), NH₃ < 28 ppm (PC-TWA 20 mg/m³), < 10 % LEL.
 */
export const ENTRY_ALLOWED: Partial<Record<Quantity, { min?: number; max?: number; below?: number }>> = {
  o2_pct: { min: 19.5, max: O2_ENRICHED_PCT },
  h2s_ppm: { below: 7 },
  co_ppm: { below: 17 },
  nh3_ppm: { below: 28 },
  lel_pct: { below: 10 },
};

/** What a pre-entry test must measure at every level: the channels of a standard four-gas meter. */
export const GAS_TEST_REQUIRED: readonly Quantity[] = ['o2_pct', 'h2s_ppm', 'co_ppm', 'lel_pct'];

export const GAS_LEVELS: readonly GasLevel[] = ['upper', 'middle', 'lower'];

/** The rules of one space, from configuration and the registry; `entryRules()` fills the defaults. */
export interface EntryRules {
  purgeMinutes: number;
  retestAfterBreakMs: number;
  permitValidityMs: number;
  attendantAwayMs: number;
  /** The space is open to the air (`props.naturalVentilation`): no fan, so no fan rules. */
  naturalVentilation: boolean;
  /**
   * A terminal that never reports its fan is a v1 terminal: unless this is set, entering without
   * any ventilation record is shown in the chain but raises nothing.
   */
  requireVentilationRecord: boolean;
}

/** The rules with defaults, a space's registry props, then configuration over them. */
export function entryRules(props: { naturalVentilation?: unknown; purgeMinutes?: unknown } = {}, over: Partial<EntryRules> = {}): EntryRules {
  return {
    purgeMinutes: typeof props.purgeMinutes === 'number' && props.purgeMinutes >= 0 ? props.purgeMinutes : PURGE_MINUTES_DEFAULT,
    retestAfterBreakMs: RETEST_AFTER_BREAK_MS,
    permitValidityMs: PERMIT_VALIDITY_DEFAULT_MS,
    attendantAwayMs: ATTENDANT_AWAY_MS,
    naturalVentilation: props.naturalVentilation === true,
    requireVentilationRecord: false,
    ...over,
  };
}

/** An entry made out of order (fan off, purge too short, no re-test, permit lapsed): it stands while that person is inside. */
export interface EntryIssue {
  personId: string;
  ts: number;
  reasons: Reason[];
}

/** Everything the entry rules know of one space. A plain JSON value (no Sets), so it can be served. */
export interface SpaceEntryState {
  permit: Permit | null;
  lastGasTest: GasTest | null;
  /** People inside, in order of entry. */
  inside: string[];
  /** personId → `ts` of their entry, for those inside. */
  enteredAt: Record<string, number>;
  /** From `ventilation` events (`state` on/off); null until one arrives. */
  ventilation: { on: boolean; ts: number } | null;
  /** Start of the fan's current run (a repeated `on` does not restart it); null while off or unknown. */
  ventilationOnSince?: number | null;
  /** When the space last became occupied, while it is; else null. */
  occupiedSince?: number | null;
  /** When the last person came out, while it stays empty; null while occupied or before any entry. */
  emptySince?: number | null;
  /** personId → on or off the attendant's post, and since when (`attendant.on` / `attendant.off`). */
  posts?: Record<string, { on: boolean; ts: number }>;
  /** Entries made out of order, for the people still inside. */
  entryIssues?: EntryIssue[];
  /** Service time of the last change. */
  updatedAt: number;
}

export const EMPTY_SPACE: SpaceEntryState = { permit: null, lastGasTest: null, inside: [], enteredAt: {}, ventilation: null, updatedAt: 0 };

/** Judges a three-level gas test against ENTRY_ALLOWED; a missing level or required channel fails. */
export function judgeGasTest(ts: number, levels: Partial<Record<GasLevel, Values>>): GasTest {
  const failures: GasTestFailure[] = [];
  const full = { upper: {}, middle: {}, lower: {} } as Record<GasLevel, Values>;
  for (const level of GAS_LEVELS) {
    const values = levels[level] ?? {};
    full[level] = { ...values };
    for (const [q, lim] of Object.entries(ENTRY_ALLOWED) as [Quantity, NonNullable<(typeof ENTRY_ALLOWED)[Quantity]>][]) {
      const v = values[q];
      const allowed = lim.below !== undefined ? `< ${lim.below}` : `${lim.min}–${lim.max}`;
      if (v === undefined) {
        if (GAS_TEST_REQUIRED.includes(q)) failures.push({ level, quantity: q, value: null, allowed });
        continue;
      }
      const ok = (lim.below === undefined || v < lim.below) && (lim.min === undefined || v >= lim.min) && (lim.max === undefined || v <= lim.max);
      if (!ok) failures.push({ level, quantity: q, value: v, allowed });
    }
  }
  return { ts, levels: full, pass: failures.length === 0, failures };
}

/** "lower h2s_ppm 9 (allowed < 7)", "middle o2_pct not measured". */
export function describeFailure(f: GasTestFailure): string {
  return f.value === null ? `${f.level} ${f.quantity} not measured` : `${f.level} ${f.quantity} ${f.value} (allowed ${f.allowed})`;
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const minutes1 = (ms: number) => Math.round(Math.max(0, ms) / 6000) / 10;

/** When the open permit lapses (its own `validUntil`, or opening + the configured validity); null without a permit. */
export function permitLapsesAt(p: Permit | null, rules: Pick<EntryRules, 'permitValidityMs'>): number | null {
  if (!p) return null;
  return p.validUntil ?? p.openedAt + rules.permitValidityMs;
}

/**
 * What is out of order about `personId` entering at `ts` (先通风、再检测、后作业): the fan off (or,
 * where required, never reported), the gas test taken before the fan had purged the space, a
 * break longer than the interruption limit without a new test, or a lapsed permit.
 */
export function entryOutOfOrder(state: SpaceEntryState, personId: string, ts: number, rules: EntryRules): Reason[] {
  const out: Reason[] = [];
  const test = state.lastGasTest;
  if (!rules.naturalVentilation) {
    const v = state.ventilation;
    if (v === null) {
      if (rules.requireVentilationRecord) out.push({ code: 'entered_ventilation_unrecorded', params: { personId, at: ts } });
    } else if (!v.on) {
      out.push({ code: 'entered_ventilation_off', params: { personId, at: ts } });
    } else if (test) {
      const since = state.ventilationOnSince ?? v.ts;
      const ran = test.ts - since;
      if (ran < rules.purgeMinutes * 60_000) out.push({ code: 'purge_too_short', params: { ranMinutes: minutes1(ran), purgeMinutes: rules.purgeMinutes, personId } });
    }
  }
  const empty = state.emptySince ?? null;
  if (state.inside.length === 0 && empty !== null && ts - empty > rules.retestAfterBreakMs && (!test || test.ts <= empty)) {
    out.push({ code: 'retest_after_break', params: { personId, emptyMinutes: minutes1(ts - empty), limitMinutes: rules.retestAfterBreakMs / 60_000 } });
  }
  const lapses = permitLapsesAt(state.permit, rules);
  if (state.permit && lapses !== null && ts > lapses) {
    out.push({ code: 'entered_after_expiry', params: { personId, permitId: state.permit.permitId, validUntil: lapses } });
  }
  return out;
}

/**
 * Folds one event of a space's access terminal into its state (the caller routes events to the
 * space named by `spaceId`). Unknown or malformed events leave the state as it is. `rules` judge
 * each entry (entryOutOfOrder) and give a permit without `validUntil` its lapse time.
 */
export function applyEntryEvent(state: SpaceEntryState, event: DeviceEvent, nowMs: number, rules: EntryRules = entryRules()): SpaceEntryState {
  const e = event as Record<string, unknown> & { ts: number; type: string };
  const next = (patch: Partial<SpaceEntryState>): SpaceEntryState => ({ ...state, ...patch, updatedAt: nowMs });
  const failedBecause = (t: GasTest) => `gas test failed: ${t.failures.map(describeFailure).join('; ')}`;
  const failedCause = (t: GasTest): Reason => ({ code: 'gas_test_failed', params: { permitId: null, failures: t.failures } });
  switch (e.type) {
    case 'permit.open': {
      if (!str(e.permitId) || !str(e.attendant) || !Array.isArray(e.workers) || typeof e.maxPersons !== 'number') return state;
      const same = state.permit?.permitId === e.permitId ? state.permit : null;
      const test = state.lastGasTest;
      // A permit opened on a failed test authorises nobody: it starts suspended.
      const failed = test !== null && !test.pass;
      const openedAt = same?.openedAt ?? e.ts;
      const validUntil = typeof e.validUntil === 'number' && Number.isFinite(e.validUntil) ? e.validUntil : openedAt + rules.permitValidityMs;
      return next({
        permit: {
          permitId: e.permitId,
          workers: e.workers.filter(str),
          attendant: e.attendant,
          maxPersons: e.maxPersons,
          openedAt,
          validUntil,
          gasTestAt: test?.ts ?? null,
          suspended: same?.suspended ?? failed,
          suspendReason: same?.suspendReason ?? (failed ? failedBecause(test) : null),
          suspendCause: same ? (same.suspendCause ?? null) : failed ? failedCause(test) : null,
          firstEntryAt: same?.firstEntryAt ?? null,
        },
      });
    }
    case 'permit.close':
      return state.permit && state.permit.permitId === e.permitId ? next({ permit: null }) : state;
    case 'gas.test': {
      const levels = e.levels as Partial<Record<GasLevel, Values>> | undefined;
      if (!levels || typeof levels !== 'object') return state;
      // A test reported late does not replace a newer one.
      if (state.lastGasTest && e.ts < state.lastGasTest.ts) return state;
      const test = judgeGasTest(e.ts, levels);
      let permit = state.permit;
      if (permit) {
        // Passing lifts a suspension ("until a new test passes"); failing imposes one.
        permit = test.pass
          ? { ...permit, gasTestAt: e.ts, suspended: false, suspendReason: null, suspendCause: null }
          : { ...permit, suspended: true, suspendReason: failedBecause(test), suspendCause: failedCause(test) };
      }
      return next({ lastGasTest: test, permit });
    }
    case 'entry': {
      if (!str(e.personId) || state.inside.includes(e.personId)) return state;
      const permit = state.permit && state.permit.firstEntryAt === null ? { ...state.permit, firstEntryAt: e.ts } : state.permit;
      const reasons = entryOutOfOrder(state, e.personId, e.ts, rules);
      const issues = state.entryIssues ?? [];
      return next({
        inside: [...state.inside, e.personId],
        enteredAt: { ...state.enteredAt, [e.personId]: e.ts },
        permit,
        occupiedSince: state.inside.length === 0 ? e.ts : (state.occupiedSince ?? e.ts),
        emptySince: null,
        entryIssues: reasons.length ? [...issues, { personId: e.personId, ts: e.ts, reasons }] : issues,
      });
    }
    case 'exit': {
      if (!str(e.personId) || !state.inside.includes(e.personId)) return state;
      const enteredAt = { ...state.enteredAt };
      delete enteredAt[e.personId];
      const inside = state.inside.filter((p) => p !== e.personId);
      return next({
        inside,
        enteredAt,
        occupiedSince: inside.length ? (state.occupiedSince ?? null) : null,
        emptySince: inside.length ? null : e.ts,
        entryIssues: (state.entryIssues ?? []).filter((i) => i.personId !== e.personId),
      });
    }
    case 'ventilation': {
      if (e.state !== 'on' && e.state !== 'off') return state;
      const on = e.state === 'on';
      const running = state.ventilation?.on === true;
      // A repeated `on` keeps the run's start: the purge counts from when the fan really started.
      const onSince = on ? (running ? (state.ventilationOnSince ?? state.ventilation!.ts) : e.ts) : null;
      return next({ ventilation: { on, ts: e.ts }, ventilationOnSince: onSince });
    }
    case 'attendant.on':
    case 'attendant.off':
      if (!str(e.personId)) return state;
      return next({ posts: { ...(state.posts ?? {}), [e.personId]: { on: e.type === 'attendant.on', ts: e.ts } } });
    default:
      return state;
  }
}
