/**
 * Confined-space entry rules (DESIGN "Domain reference", GB 30871-2022 §6.4): ventilate, test at
 * three levels, open a permit naming the workers and an attendant, then enter; monitor while anyone
 * is inside. Pure: the state of one space is a plain JSON value, events fold into it with
 * `applyEntryEvent`, and `entryConditions` says which alarms hold. The time is always an argument.
 */
import type { DeviceEvent, GasLevel, Quantity, Severity, Values } from '../contracts';
import { SEVERITY_RANK, type Condition } from './conditions';
import { STALE_INTERVALS, isStale } from './stale';

/** A gas test is valid this long: entry within 30 min of a passing test (DESIGN "Entry rules"; GB 30871-2022 ch. 6, confined-space work). */
export const GAS_TEST_VALID_MS = 30 * 60 * 1000;

/**
 * The "entry allowed" column of DESIGN: O₂ 19.5–21 % vol (both ends allowed), H₂S < 7 ppm
 * (MAC 10 mg/m³), CO < 17 ppm (PC-TWA 20 mg/m³), NH₃ < 28 ppm (PC-TWA 20 mg/m³), < 10 % LEL.
 */
export const ENTRY_ALLOWED: Partial<Record<Quantity, { min?: number; max?: number; below?: number }>> = {
  o2_pct: { min: 19.5, max: 21 },
  h2s_ppm: { below: 7 },
  co_ppm: { below: 17 },
  nh3_ppm: { below: 28 },
  lel_pct: { below: 10 },
};

/** What a pre-entry test must measure at every level: the channels of a standard four-gas meter. */
export const GAS_TEST_REQUIRED: readonly Quantity[] = ['o2_pct', 'h2s_ppm', 'co_ppm', 'lel_pct'];

export const GAS_LEVELS: readonly GasLevel[] = ['upper', 'middle', 'lower'];

export interface Permit {
  permitId: string;
  workers: string[];
  /** Stays at the opening; never one of the people inside. */
  attendant: string;
  maxPersons: number;
  openedAt: number;
  /** `ts` of the gas test the permit rests on (the latest one at opening, or a later passing one). */
  gasTestAt: number | null;
  /** Entry not allowed until a new gas test passes (after an evacuate alarm or a failed test). */
  suspended: boolean;
  suspendReason: string | null;
  /** `ts` of the first entry under this permit (the 30-minute rule is judged there). */
  firstEntryAt: number | null;
}

export interface GasTestFailure {
  level: GasLevel;
  quantity: Quantity;
  /** null: the level lacks this required channel. */
  value: number | null;
  /** The allowed range, for people: "19.5–21", "< 7". */
  allowed: string;
}

export interface GasTest {
  ts: number;
  levels: Record<GasLevel, Values>;
  pass: boolean;
  failures: GasTestFailure[];
}

/** Everything the entry rules know of one space. A plain JSON value (no Sets), so it can be served. */
export interface SpaceEntryState {
  permit: Permit | null;
  lastGasTest: GasTest | null;
  /** People inside, in order of entry. */
  inside: string[];
  /** personId → `ts` of their entry, for those inside. */
  enteredAt: Record<string, number>;
  /** From `ventilation` events (`state` on/off), an addition within v1; null until one arrives. */
  ventilation: { on: boolean; ts: number } | null;
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

/**
 * Folds one event of a space's access terminal into its state (the caller routes events to the
 * space named by `spaceId`). Unknown or malformed events leave the state as it is.
 */
export function applyEntryEvent(state: SpaceEntryState, event: DeviceEvent, nowMs: number): SpaceEntryState {
  const e = event as Record<string, unknown> & { ts: number; type: string };
  const next = (patch: Partial<SpaceEntryState>): SpaceEntryState => ({ ...state, ...patch, updatedAt: nowMs });
  switch (e.type) {
    case 'permit.open': {
      if (!str(e.permitId) || !str(e.attendant) || !Array.isArray(e.workers) || typeof e.maxPersons !== 'number') return state;
      const same = state.permit?.permitId === e.permitId ? state.permit : null;
      const test = state.lastGasTest;
      // A permit opened on a failed test authorises nobody: it starts suspended.
      const failed = test !== null && !test.pass;
      return next({
        permit: {
          permitId: e.permitId,
          workers: e.workers.filter(str),
          attendant: e.attendant,
          maxPersons: e.maxPersons,
          openedAt: same?.openedAt ?? e.ts,
          gasTestAt: test?.ts ?? null,
          suspended: same?.suspended ?? failed,
          suspendReason: same?.suspendReason ?? (failed ? `gas test failed: ${test.failures.map(describeFailure).join('; ')}` : null),
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
        // Passing lifts a suspension (DESIGN: "until a new test passes"); failing imposes one.
        permit = test.pass
          ? { ...permit, gasTestAt: e.ts, suspended: false, suspendReason: null }
          : { ...permit, suspended: true, suspendReason: `gas test failed: ${test.failures.map(describeFailure).join('; ')}` };
      }
      return next({ lastGasTest: test, permit });
    }
    case 'entry': {
      if (!str(e.personId) || state.inside.includes(e.personId)) return state;
      const permit = state.permit && state.permit.firstEntryAt === null ? { ...state.permit, firstEntryAt: e.ts } : state.permit;
      return next({ inside: [...state.inside, e.personId], enteredAt: { ...state.enteredAt, [e.personId]: e.ts }, permit });
    }
    case 'exit': {
      if (!str(e.personId) || !state.inside.includes(e.personId)) return state;
      const enteredAt = { ...state.enteredAt };
      delete enteredAt[e.personId];
      return next({ inside: state.inside.filter((p) => p !== e.personId), enteredAt });
    }
    case 'ventilation':
      return e.state === 'on' || e.state === 'off' ? next({ ventilation: { on: e.state === 'on', ts: e.ts } }) : state;
    default:
      return state;
  }
}

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
  alarms: readonly { rule: string; severity: Severity; message: string }[];
}

export interface SpaceContext {
  /** The space's own limit (registry `props.maxPersons`); a permit never allows more. */
  maxPersons?: number;
  detectors: readonly DetectorContext[];
}

export interface EntryConditions {
  /** `critical`: people inside an unsafe space. */
  evacuate: Condition | null;
  /** `major`: the permit rests on a failed, expired or missing gas test. */
  permit: Condition | null;
  /** Why evacuate holds, most urgent first (empty when it does not). */
  reasons: string[];
}

const minutes = (ms: number) => Math.round(ms / 6000) / 10;

/** What is wrong with the open permit's gas test, or null (also null without a permit). */
export function permitIssue(state: SpaceEntryState): string | null {
  const p = state.permit;
  if (!p) return null;
  const test = state.lastGasTest;
  if (!test) return `permit ${p.permitId} opened without a gas test`;
  if (!test.pass) return `permit ${p.permitId}: gas test failed: ${test.failures.map(describeFailure).join('; ')}`;
  // Valid at exactly 30 min; a test taken after opening (a re-test) backs the permit too.
  if (test.ts < p.openedAt - GAS_TEST_VALID_MS) {
    return `permit ${p.permitId} opened ${minutes(p.openedAt - test.ts)} min after the gas test (valid ${GAS_TEST_VALID_MS / 60000} min)`;
  }
  if (p.firstEntryAt !== null && test.ts < p.firstEntryAt - GAS_TEST_VALID_MS) {
    return `permit ${p.permitId}: first entry ${minutes(p.firstEntryAt - test.ts)} min after the gas test (valid ${GAS_TEST_VALID_MS / 60000} min)`;
  }
  return null;
}

/** The head count allowed now: the permit's, never above the space's own; undefined if neither says. */
export function allowedPersons(state: SpaceEntryState, ctx: SpaceContext): number | undefined {
  const limits = [state.permit?.maxPersons, ctx.maxPersons].filter((n): n is number => typeof n === 'number');
  return limits.length ? Math.min(...limits) : undefined;
}

/** The entry-rule conditions that hold for a space at `nowMs`. */
export function entryConditions(state: SpaceEntryState, ctx: SpaceContext, nowMs: number): EntryConditions {
  const issue = permitIssue(state);
  const permit: Condition | null = issue
    ? { rule: 'permit', severity: 'major', value: null, threshold: GAS_TEST_VALID_MS / 60000, message: issue }
    : null;
  const n = state.inside.length;
  if (n === 0) return { evacuate: null, permit, reasons: [] };

  const reasons: string[] = [];
  const where = (d: DetectorContext) => (d.level ? `${d.level} detector` : d.deviceId);
  const byUrgency = [...ctx.detectors].sort((a, b) => worstOf(a) - worstOf(b));
  for (const d of byUrgency) for (const a of d.alarms) reasons.push(`${where(d)}: ${a.message} (${a.severity})`);
  if (ctx.detectors.length === 0) reasons.push('no gas detector monitors the space');
  for (const d of ctx.detectors) {
    if (d.offline) reasons.push(`${where(d)} offline`);
    else if (isStale(d.lastHeardMs, d.intervalS, nowMs)) reasons.push(`${where(d)} silent for more than ${STALE_INTERVALS * d.intervalS} s`);
  }
  const p = state.permit;
  if (!p) reasons.push('no open permit');
  else {
    if (p.suspended) reasons.push(`permit ${p.permitId} suspended${p.suspendReason ? ` (${p.suspendReason})` : ''}`);
    for (const person of state.inside) {
      if (person === p.attendant) reasons.push(`attendant ${person} is inside (must stay at the opening)`);
      else if (!p.workers.includes(person)) reasons.push(`${person} is not on permit ${p.permitId}`);
    }
  }
  const allowed = allowedPersons(state, ctx);
  if (allowed !== undefined && n > allowed) reasons.push(`${n} inside, ${allowed} allowed`);

  const evacuate: Condition | null = reasons.length
    ? { rule: 'evacuate', severity: 'critical', value: n, threshold: allowed ?? null, message: `evacuate: ${n} inside (${state.inside.join(', ')}): ${reasons.join('; ')}` }
    : null;
  return { evacuate, permit, reasons };
}

const worstOf = (d: DetectorContext) => Math.min(4, ...d.alarms.map((a) => SEVERITY_RANK[a.severity]));

/**
 * The conditions plus their effect on the state: an evacuate condition suspends the open permit
 * until a new gas test passes (issue 3, "Entry workflow").
 */
export function evaluateSpace(state: SpaceEntryState, ctx: SpaceContext, nowMs: number): EntryConditions & { state: SpaceEntryState } {
  const c = entryConditions(state, ctx, nowMs);
  if (c.evacuate && state.permit && !state.permit.suspended) {
    const permit = { ...state.permit, suspended: true, suspendReason: `evacuate: ${c.reasons[0]}` };
    return { ...c, state: { ...state, permit, updatedAt: nowMs } };
  }
  return { ...c, state };
}

/** How a space is listed, worst first (issue 3, "Inspector's view"). */
export const SPACE_STATUSES = ['evacuate', 'alarm', 'occupied', 'permit', 'idle'] as const;
export type SpaceStatus = (typeof SPACE_STATUSES)[number];

/** Evacuate condition or alarm, any other active alarm, people inside, an open permit, else idle. */
export function spaceStatus(s: { evacuate: boolean; activeAlarms: number; inside: number; permitOpen: boolean }): SpaceStatus {
  if (s.evacuate) return 'evacuate';
  if (s.activeAlarms > 0) return 'alarm';
  if (s.inside > 0) return 'occupied';
  return s.permitOpen ? 'permit' : 'idle';
}

/** Sort order of the inspector's list: status, then worst severity, then more people inside, then id. */
export function compareSpaces(
  a: { id: string; status: SpaceStatus; worstSeverity: Severity | null; inside: readonly unknown[] },
  b: { id: string; status: SpaceStatus; worstSeverity: Severity | null; inside: readonly unknown[] },
): number {
  const rank = (s: Severity | null) => (s === null ? 9 : SEVERITY_RANK[s]);
  return (
    SPACE_STATUSES.indexOf(a.status) - SPACE_STATUSES.indexOf(b.status) ||
    rank(a.worstSeverity) - rank(b.worstSeverity) ||
    b.inside.length - a.inside.length ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * One space of `GET /api/spaces` (the inspector's list and the space view): registry facts, the
 * entry state, and how bad it is now. Lives here so the browser and the service share it.
 */
export interface SpaceSummary {
  id: string;
  plantId: string | null;
  name: string;
  nameZh: string;
  spaceType: string | null;
  depthM: number | null;
  maxPersons: number | null;
  /** The access terminal: `deviceId` of the space's evacuate and permit alarms. */
  accessId: string | null;
  /** Gas detectors, upper to lower, with their health (`unknown`: not heard since the service started). */
  detectors: { id: string; level: GasLevel | null; status: 'online' | 'stale' | 'offline' | 'unknown' }[];
  permit: Permit | null;
  lastGasTest: GasTest | null;
  /** Person ids inside, in order of entry. */
  inside: string[];
  /** personId → entry `ts`, for those inside. */
  enteredAt: Record<string, number>;
  /** The open permit's attendant (at the opening), or null. */
  attendant: string | null;
  ventilation: { on: boolean; ts: number } | null;
  status: SpaceStatus;
  /** Worst severity among the space's active alarms (its detectors' and its own); null when none. */
  worstSeverity: Severity | null;
  /** Why evacuate holds now, most urgent first; empty when it does not. */
  reasons: string[];
  /** What is wrong with the permit's gas test (the `permit` alarm's message), or null. */
  permitIssue: string | null;
  /** Open alarms of the space and its devices (active or awaiting acknowledgement), worst first. */
  alarmIds: string[];
}
