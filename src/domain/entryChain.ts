/**
 * The inspector's chain for one space: ventilate → test → permit → attendant → entry (先通风、
 * 再检测、后作业), each step ok (green), failed (red) or pending (grey) with its time and a reason
 * code. A view model, pure: the space card draws it as it is.
 */
import type { ChainStep, Reason } from '../contracts';
import { GAS_TEST_VALID_MS, permitLapsesAt, type EntryRules, type SpaceEntryState } from './entry';

const minutes1 = (ms: number) => Math.round(Math.max(0, ms) / 6000) / 10;
const step = (s: ChainStep['step'], status: ChainStep['status'], at: number | null, reason: Reason | null): ChainStep => ({ step: s, status, at, reason });

/**
 * The five steps at `nowMs`. `found` is what the rules concluded (entryRules.ts): whether evacuate
 * holds, and the permit alarm with its reasons.
 */
export function entryChain(state: SpaceEntryState, nowMs: number, rules: EntryRules, found: { evacuate: boolean; permit: { reasons: Reason[] } | null }): ChainStep[] {
  const inside = state.inside.length > 0;
  const p = state.permit;
  const test = state.lastGasTest;
  const v = state.ventilation;
  const onSince = v?.on ? (state.ventilationOnSince ?? v.ts) : null;
  const purgeMs = rules.purgeMinutes * 60_000;

  let ventilate: ChainStep;
  if (rules.naturalVentilation) ventilate = step('ventilate', 'ok', null, { code: 'natural_ventilation', params: {} });
  else if (!v) ventilate = step('ventilate', inside && rules.requireVentilationRecord ? 'failed' : 'pending', null, { code: 'ventilation_unrecorded', params: {} });
  else if (!v.on) ventilate = step('ventilate', inside ? 'failed' : 'pending', v.ts, { code: 'ventilation_off', params: { since: v.ts } });
  else if (nowMs - onSince! >= purgeMs) ventilate = step('ventilate', 'ok', onSince, null);
  else ventilate = step('ventilate', 'pending', onSince, { code: 'purging', params: { ranMinutes: minutes1(nowMs - onSince!), purgeMinutes: rules.purgeMinutes } });

  const permitId = p?.permitId ?? null;
  const gasIssue = found.permit?.reasons.find((r) => r.code === 'gas_test_old_at_open' || r.code === 'gas_test_old_at_entry') ?? null;
  const empty = state.emptySince ?? null;
  let testStep: ChainStep;
  if (!test) testStep = step('test', inside ? 'failed' : 'pending', null, { code: 'gas_test_missing', params: { permitId } });
  else if (!test.pass) testStep = step('test', 'failed', test.ts, { code: 'gas_test_failed', params: { permitId, failures: test.failures } });
  else if (!rules.naturalVentilation && onSince !== null && test.ts - onSince < purgeMs) {
    testStep = step('test', 'failed', test.ts, { code: 'purge_too_short', params: { ranMinutes: minutes1(test.ts - onSince), purgeMinutes: rules.purgeMinutes, personId: null } });
  } else if (gasIssue) testStep = step('test', 'failed', test.ts, gasIssue);
  else if (!inside && empty !== null && nowMs - empty > rules.retestAfterBreakMs && test.ts <= empty) {
    testStep = step('test', 'pending', test.ts, { code: 'retest_required', params: { emptyMinutes: minutes1(nowMs - empty), limitMinutes: rules.retestAfterBreakMs / 60_000 } });
  } else if (!inside && (p?.firstEntryAt ?? null) === null && nowMs - test.ts > GAS_TEST_VALID_MS) {
    testStep = step('test', 'pending', test.ts, { code: 'gas_test_expired', params: { minutes: minutes1(nowMs - test.ts), validMinutes: GAS_TEST_VALID_MS / 60_000 } });
  } else testStep = step('test', 'ok', test.ts, null);

  let permitStep: ChainStep;
  const lapses = permitLapsesAt(p, rules);
  if (!p) permitStep = step('permit', inside ? 'failed' : 'pending', null, { code: 'no_permit', params: {} });
  else if (p.suspended) permitStep = step('permit', 'failed', p.openedAt, { code: 'permit_suspended', params: { permitId: p.permitId, cause: p.suspendReason } });
  else if (lapses !== null && nowMs > lapses) permitStep = step('permit', 'failed', p.openedAt, { code: 'permit_lapsed', params: { permitId: p.permitId, validUntil: lapses } });
  else if (found.permit?.reasons[0]?.code.startsWith('gas_test_')) permitStep = step('permit', 'failed', p.openedAt, found.permit.reasons[0]);
  else permitStep = step('permit', 'ok', p.openedAt, null);

  let attendant: ChainStep;
  const post = p ? state.posts?.[p.attendant] : undefined;
  if (!p) attendant = step('attendant', 'pending', null, null);
  else if (state.inside.includes(p.attendant)) attendant = step('attendant', 'failed', state.enteredAt[p.attendant] ?? null, { code: 'attendant_inside', params: { personId: p.attendant } });
  else if (!post) attendant = step('attendant', 'pending', null, { code: 'attendant_unrecorded', params: { personId: p.attendant } });
  else if (post.on) attendant = step('attendant', 'ok', post.ts, { code: 'attendant_on_post', params: { personId: p.attendant } });
  else {
    const away = nowMs - Math.max(post.ts, state.occupiedSince ?? post.ts);
    const reason: Reason = { code: 'attendant_off_post', params: { personId: p.attendant, awayS: Math.floor(Math.max(0, away) / 1000), limitS: rules.attendantAwayMs / 1000 } };
    attendant = step('attendant', inside && away > rules.attendantAwayMs ? 'failed' : 'pending', post.ts, reason);
  }

  let entry: ChainStep;
  const outOfOrder = (state.entryIssues ?? []).find((i) => state.inside.includes(i.personId));
  if (!inside) entry = step('entry', 'pending', null, { code: 'nobody_inside', params: {} });
  else if (found.evacuate) entry = step('entry', 'failed', state.occupiedSince ?? null, { code: 'evacuate', params: {} });
  else if (outOfOrder) entry = step('entry', 'failed', outOfOrder.ts, outOfOrder.reasons[0]);
  else entry = step('entry', 'ok', state.occupiedSince ?? null, null);

  return [ventilate, testStep, permitStep, attendant, entry];
}
