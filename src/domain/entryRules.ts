/**
 * The alarms of a confined space from its entry state (entry.ts) and its detectors, at `nowMs`:
 *  - `evacuate` (critical): people inside an unsafe space — a channel in alarm, a silent or offline
 *    detector, no permit or a suspended or lapsed one, someone not on it, too many inside, the fan
 *    stopped (unless the space is naturally ventilated);
 *  - `permit` (major): the permit rests on a failed, old or missing gas test, or someone entered out
 *    of order (fan off, purge too short, no re-test after a break, permit lapsed);
 *  - `attendant` (critical): the attendant inside, or off post too long while anyone is inside;
 *  - `o2_enrichment` (warning): O₂ above 21 % with people inside.
 * Every reason is a code with parameters (contracts/safety.ts); entryReasons.ts words them in English.
 * `entryConditions` / `evaluateSpace` / `permitIssue` are the v1 rules the service still calls.
 */
import { detail, type GasLevel, type Reason, type Severity, type Values } from '../contracts';
import { DEADBAND } from './limits';
import { SEVERITY_RANK, type Condition } from './conditions';
import { GAS_TEST_VALID_MS, O2_ENRICHED_PCT, entryRules, permitLapsesAt, type EntryRules, type SpaceEntryState } from './entry';
import { entryChain } from './entryChain';
import { reasonText } from './entryReasons';
import { STALE_INTERVALS, isStale } from './stale';
import type { ChainStep } from '../contracts';

/** A gas detector of the space as the rules need it. */
export interface DetectorContext {
  deviceId: string;
  level?: GasLevel;
  intervalS: number;
  /** When the service last heard it (for a never-heard detector: when the service started). */
  lastHeardMs: number | null;
  /** It said `{"online": false}` (or its Last Will did). */
  offline: boolean;
  /** Its active alarms other than `stale` (threshold alarms of its channels). */
  alarms: readonly { rule: string; severity: Severity; message: string; value?: number | null; threshold?: number | null }[];
  /** Its latest values (for the enrichment rule); absent in v1 callers. */
  values?: Values;
}

export interface SpaceContext {
  /** The space's own limit (registry `props.maxPersons`); a permit never allows more. */
  maxPersons?: number;
  detectors: readonly DetectorContext[];
}

/** The v1 answer: evacuate and permit conditions, and evacuate's reasons in English. */
export interface EntryConditions {
  /** `critical`: people inside an unsafe space. */
  evacuate: Condition | null;
  /** `major`: the permit rests on a failed, expired or missing gas test. */
  permit: Condition | null;
  /** Why evacuate holds, most urgent first (empty when it does not). */
  reasons: string[];
}

/** A condition with its reasons as codes. */
export interface RuleHit extends Condition {
  reasons: Reason[];
}

const minutes = (ms: number) => Math.round(ms / 6000) / 10;
const levelOf = (d: DetectorContext): GasLevel | null => d.level ?? null;
const worstOf = (d: DetectorContext) => Math.min(4, ...d.alarms.map((a) => SEVERITY_RANK[a.severity]));

/** What is wrong with the open permit's gas test, as a code; null also without a permit. */
export function gasTestReason(state: SpaceEntryState): Reason | null {
  const p = state.permit;
  if (!p) return null;
  const test = state.lastGasTest;
  const validMinutes = GAS_TEST_VALID_MS / 60000;
  if (!test) return { code: 'gas_test_missing', params: { permitId: p.permitId } };
  if (!test.pass) return { code: 'gas_test_failed', params: { permitId: p.permitId, failures: test.failures } };
  // Valid at exactly 30 min; a test taken after opening (a re-test) backs the permit too.
  if (test.ts < p.openedAt - GAS_TEST_VALID_MS) return { code: 'gas_test_old_at_open', params: { permitId: p.permitId, minutes: minutes(p.openedAt - test.ts), validMinutes } };
  if (p.firstEntryAt !== null && test.ts < p.firstEntryAt - GAS_TEST_VALID_MS) {
    return { code: 'gas_test_old_at_entry', params: { permitId: p.permitId, minutes: minutes(p.firstEntryAt - test.ts), validMinutes } };
  }
  return null;
}

/** What is wrong with the open permit's gas test (the v1 `permit` alarm's message), or null. */
export function permitIssue(state: SpaceEntryState): string | null {
  const r = gasTestReason(state);
  return r && reasonText(r);
}

/** The head count allowed now: the permit's, never above the space's own; undefined if neither says. */
export function allowedPersons(state: SpaceEntryState, ctx: SpaceContext): number | undefined {
  const limits = [state.permit?.maxPersons, ctx.maxPersons].filter((n): n is number => typeof n === 'number');
  return limits.length ? Math.min(...limits) : undefined;
}

/**
 * Why people must get out now, most urgent first (empty when nobody is inside). With `rules` null
 * the v1 reasons only; with rules also the fan stopped and the permit lapsed.
 */
export function evacuateReasons(state: SpaceEntryState, ctx: SpaceContext, nowMs: number, rules: EntryRules | null): Reason[] {
  if (state.inside.length === 0) return [];
  const out: Reason[] = [];
  for (const d of [...ctx.detectors].sort((a, b) => worstOf(a) - worstOf(b))) {
    for (const a of d.alarms) {
      const numbers = a.value !== undefined ? { value: a.value, threshold: a.threshold ?? null } : {};
      out.push({ code: 'detector_alarm', params: { deviceId: d.deviceId, level: levelOf(d), rule: a.rule, severity: a.severity, message: a.message, ...numbers } });
    }
  }
  if (ctx.detectors.length === 0) out.push({ code: 'no_detector', params: {} });
  for (const d of ctx.detectors) {
    if (d.offline) out.push({ code: 'detector_offline', params: { deviceId: d.deviceId, level: levelOf(d) } });
    else if (isStale(d.lastHeardMs, d.intervalS, nowMs)) out.push({ code: 'detector_silent', params: { deviceId: d.deviceId, level: levelOf(d), silentS: STALE_INTERVALS * d.intervalS } });
  }
  if (rules && !rules.naturalVentilation && state.ventilation && !state.ventilation.on) out.push({ code: 'ventilation_off', params: { since: state.ventilation.ts } });
  const p = state.permit;
  if (!p) out.push({ code: 'no_permit', params: {} });
  else {
    if (p.suspended) out.push({ code: 'permit_suspended', params: { permitId: p.permitId, cause: p.suspendReason, because: p.suspendCause ?? null } });
    const lapses = rules ? permitLapsesAt(p, rules) : null;
    if (lapses !== null && nowMs > lapses) out.push({ code: 'permit_lapsed', params: { permitId: p.permitId, validUntil: lapses } });
    for (const person of state.inside) {
      if (person === p.attendant) out.push({ code: 'attendant_inside', params: { personId: person } });
      else if (!p.workers.includes(person)) out.push({ code: 'not_on_permit', params: { personId: person, permitId: p.permitId } });
    }
  }
  const allowed = allowedPersons(state, ctx);
  if (allowed !== undefined && state.inside.length > allowed) out.push({ code: 'over_capacity', params: { inside: state.inside.length, allowed } });
  return out;
}

function evacuateHit(state: SpaceEntryState, ctx: SpaceContext, reasons: Reason[]): RuleHit | null {
  if (reasons.length === 0) return null;
  const n = state.inside.length;
  const text = reasons.map(reasonText).join('; ');
  const allowed = allowedPersons(state, ctx) ?? null;
  return {
    rule: 'evacuate',
    severity: 'critical',
    value: n,
    threshold: allowed,
    message: `evacuate: ${n} inside (${state.inside.join(', ')}): ${text}`,
    detail: detail('evacuate_people', { inside: n, persons: [...state.inside], allowed, reasons }),
    reasons,
  };
}

function permitHit(reasons: Reason[]): RuleHit | null {
  if (reasons.length === 0) return null;
  const gas = reasons[0].code.startsWith('gas_test_');
  return {
    rule: 'permit',
    severity: 'major',
    value: null,
    threshold: gas ? GAS_TEST_VALID_MS / 60000 : null,
    message: reasons.map(reasonText).join('; '),
    detail: detail('permit_issues', { reasons }),
    reasons,
  };
}

/** v1: the entry-rule conditions that hold for a space at `nowMs` (gas test, detectors, permit, head count). */
export function entryConditions(state: SpaceEntryState, ctx: SpaceContext, nowMs: number): EntryConditions {
  const gas = gasTestReason(state);
  const permit = permitHit(gas ? [gas] : []);
  const reasons = evacuateReasons(state, ctx, nowMs, null);
  const evac = evacuateHit(state, ctx, reasons);
  const strip = (h: RuleHit | null): Condition | null => (h ? { rule: h.rule, severity: h.severity, value: h.value, threshold: h.threshold, message: h.message, detail: h.detail } : null);
  return { evacuate: strip(evac), permit: strip(permit), reasons: reasons.map(reasonText) };
}

/** An evacuate condition suspends the open permit until a new gas test passes. */
function suspendOnEvacuate(state: SpaceEntryState, first: Reason | undefined, nowMs: number): SpaceEntryState {
  if (first === undefined || !state.permit || state.permit.suspended) return state;
  return { ...state, permit: { ...state.permit, suspended: true, suspendReason: `evacuate: ${reasonText(first)}`, suspendCause: first }, updatedAt: nowMs };
}

/** v1: the conditions plus their effect on the state (an evacuate condition suspends the permit). */
export function evaluateSpace(state: SpaceEntryState, ctx: SpaceContext, nowMs: number): EntryConditions & { state: SpaceEntryState; reasonCodes: Reason[] } {
  const c = entryConditions(state, ctx, nowMs);
  const codes = c.evacuate ? evacuateReasons(state, ctx, nowMs, null) : [];
  return { ...c, reasonCodes: codes, state: c.evacuate ? suspendOnEvacuate(state, codes[0], nowMs) : state };
}

/** The attendant rule: the permit's attendant inside, or off post longer than the limit while anyone is inside. */
export function attendantHit(state: SpaceEntryState, nowMs: number, rules: EntryRules): RuleHit | null {
  const p = state.permit;
  if (!p || state.inside.length === 0) return null;
  const reasons: Reason[] = [];
  let awayS: number | null = null;
  if (state.inside.includes(p.attendant)) reasons.push({ code: 'attendant_inside', params: { personId: p.attendant } });
  const post = state.posts?.[p.attendant];
  if (post && !post.on) {
    // Unattended time counts while somebody is inside: from the later of leaving and the first entry.
    const away = nowMs - Math.max(post.ts, state.occupiedSince ?? post.ts);
    if (away > rules.attendantAwayMs) {
      awayS = Math.floor(away / 1000);
      reasons.push({ code: 'attendant_off_post', params: { personId: p.attendant, awayS, limitS: rules.attendantAwayMs / 1000 } });
    }
  }
  if (reasons.length === 0) return null;
  return {
    rule: 'attendant',
    severity: 'critical',
    value: awayS,
    threshold: rules.attendantAwayMs / 1000,
    message: `attendant: ${reasons.map(reasonText).join('; ')}`,
    detail: detail('attendant_issues', { reasons }),
    reasons,
  };
}

/**
 * O₂ enrichment: the highest O₂ of the space's detectors above 21 % while anyone is inside. An
 * active alarm clears only back under 21 % less the O₂ deadband, so it does not chatter.
 */
export function enrichmentHit(state: SpaceEntryState, ctx: SpaceContext, active: boolean): RuleHit | null {
  if (state.inside.length === 0) return null;
  const limit = active ? O2_ENRICHED_PCT - (DEADBAND.o2_pct ?? 0) : O2_ENRICHED_PCT;
  let worst: { d: DetectorContext; v: number } | null = null;
  for (const d of ctx.detectors) {
    const v = d.values?.o2_pct;
    if (v !== undefined && v > limit && (!worst || v > worst.v)) worst = { d, v };
  }
  if (!worst) return null;
  const params = { deviceId: worst.d.deviceId, level: levelOf(worst.d), o2Pct: worst.v, limitPct: O2_ENRICHED_PCT };
  const reasons: Reason[] = [{ code: 'o2_enriched', params }];
  return { rule: 'o2_enrichment', severity: 'warning', value: worst.v, threshold: O2_ENRICHED_PCT, message: reasons.map(reasonText).join('; '), detail: detail('o2_enriched', params), reasons };
}

/** What the shelving rule (shelveRefusal) needs of a confined space: its people and whether a permit is open. */
export function shelveContext(state: SpaceEntryState | undefined): { peopleInside: number; permitOpen: boolean } {
  return { peopleInside: state?.inside.length ?? 0, permitOpen: state?.permit != null };
}

export interface SpaceJudgement {
  /** The state after the judgement: an evacuate condition suspends the permit. */
  state: SpaceEntryState;
  evacuate: RuleHit | null;
  permit: RuleHit | null;
  attendant: RuleHit | null;
  o2Enrichment: RuleHit | null;
  /** The inspector's chain, step by step. */
  chain: ChainStep[];
}

/**
 * Whether `judgeSpace` answers the same for this state at any instant and whatever its detectors
 * say: nobody inside (no silence, attendant or enrichment rule, no evacuation), and no permit, fan
 * or gas test whose age the rules or the chain count. Such a space needs judging again only when
 * an event changes its state or its rules change, not on the clock.
 */
export function judgedSameAtAnyTime(state: SpaceEntryState): boolean {
  return state.inside.length === 0 && state.permit === null && !state.ventilation && !state.lastGasTest;
}

/**
 * Every rule of a space at `nowMs` (contract v1.1). `active` names the rules whose alarm is open,
 * for their deadbands.
 */
export function judgeSpace(
  state: SpaceEntryState,
  ctx: SpaceContext,
  nowMs: number,
  rules: EntryRules = entryRules(),
  active: ReadonlySet<string> = new Set(),
): SpaceJudgement {
  const gas = gasTestReason(state);
  const issues = (state.entryIssues ?? []).filter((i) => state.inside.includes(i.personId)).flatMap((i) => i.reasons);
  const permit = permitHit([...(gas ? [gas] : []), ...issues]);
  const evacReasons = evacuateReasons(state, ctx, nowMs, rules);
  const evacuate = evacuateHit(state, ctx, evacReasons);
  const after = evacuate ? suspendOnEvacuate(state, evacReasons[0], nowMs) : state;
  return {
    state: after,
    evacuate,
    permit,
    attendant: attendantHit(state, nowMs, rules),
    o2Enrichment: enrichmentHit(state, ctx, active.has('o2_enrichment')),
    chain: entryChain(after, nowMs, rules, { evacuate: evacuate !== null, permit }),
  };
}
