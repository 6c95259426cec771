import { describe, expect, it } from 'vitest';
import { parseAlarmRecord, type AlarmRecord, type Severity } from '../../src/contracts';
import { raiseAlarm, transition, type SpaceSummary } from '../../src/domain';
import { jumpAlarms } from '../../src/state';
import { evacuateBanner } from '../../src/state/confined';

const T0 = 1_764_300_000_000;

const h2s = (severity: Severity): AlarmRecord =>
  raiseAlarm({ scene: 'confined', siteId: 'pit', deviceId: 'gas-lower', rule: 'h2s_ppm_high', severity, message: 'h2s', value: 10, threshold: 7, raisedAt: T0 });
const update = (a: AlarmRecord, severity: Severity, k: number) => transition(a, { type: 'update', nowMs: T0 + k * 1000, severity, value: 10 + k, threshold: 7, message: 'h2s' });

describe('peak severity: history keeps the worst an alarm reached', () => {
  it.each([
    { what: 'never worse than raised: no peak field', path: ['major', 'major'] as Severity[], peak: undefined, now: 'major' },
    { what: 'rose to critical: the peak follows', path: ['major', 'critical'] as Severity[], peak: undefined, now: 'critical' },
    { what: 'critical, then back to major: peak critical', path: ['major', 'critical', 'major'] as Severity[], peak: 'critical', now: 'major' },
    { what: 'raised critical, fell to minor, rose to major: peak critical', path: ['critical', 'minor', 'major'] as Severity[], peak: 'critical', now: 'major' },
  ])('$what', ({ path, peak, now }) => {
    let a = h2s(path[0]);
    path.slice(1).forEach((s, i) => (a = update(a, s, i + 1)));
    expect(a.severity).toBe(now);
    expect(a.peakSeverity).toBe(peak);
    // Acknowledging and clearing keep it; the contract check accepts it.
    const closed = transition(transition(a, { type: 'ack', nowMs: T0 + 60_000, user: 'inspector' }), { type: 'clear', nowMs: T0 + 61_000 });
    expect(closed.peakSeverity).toBe(peak);
    expect(parseAlarmRecord(closed)?.peakSeverity).toBe(peak);
  });
});

describe('the evacuate banner stays until the space is empty', () => {
  const space = (id: string, inside: string[]) => ({ id, inside }) as unknown as SpaceSummary;
  const evac = (siteId: string, state: AlarmRecord['state']): AlarmRecord => ({
    ...raiseAlarm({ scene: 'confined', siteId, deviceId: `${siteId}-access`, rule: 'evacuate', severity: 'critical', message: 'evacuate', value: 2, threshold: 2, raisedAt: T0 }),
    id: `ev-${siteId}-${state}`,
    state,
  });

  it.each([
    { what: 'unacknowledged, two inside: shown, sounding', alarm: evac('p1', 'active_unack'), inside: ['w1', 'w2'], ids: ['ev-p1-active_unack'], unacked: 1, n: 2 },
    { what: 'acknowledged, two still inside: shown, silent', alarm: evac('p1', 'active_ack'), inside: ['w1', 'w2'], ids: ['ev-p1-active_ack'], unacked: 0, n: 2 },
    { what: 'acknowledged, the space empty: gone', alarm: evac('p1', 'active_ack'), inside: [], ids: [], unacked: 0, n: 0 },
    { what: 'cleared but unacknowledged, empty: shown until acknowledged', alarm: evac('p1', 'cleared_unack'), inside: [], ids: ['ev-p1-cleared_unack'], unacked: 1, n: 0 },
    { what: 'shelved with one inside: still shown', alarm: evac('p1', 'shelved'), inside: ['w1'], ids: ['ev-p1-shelved'], unacked: 0, n: 1 },
    { what: 'closed: never shown', alarm: evac('p1', 'closed'), inside: ['w1'], ids: [], unacked: 0, n: 0 },
  ])('$what', ({ alarm, inside, ids, unacked, n }) => {
    const other: AlarmRecord = { ...h2s('critical'), scene: 'confined' };
    const b = evacuateBanner([alarm, other], [space('p1', inside), space('p2', ['x'])]);
    expect(b.ids).toEqual(ids);
    expect(b.unacked).toHaveLength(unacked);
    expect(b.inside).toBe(n);
  });
});

describe("replay's jump list: the view's alarms at a severity or worse", () => {
  const at = (scene: AlarmRecord['scene'], severity: Severity, k: number): AlarmRecord => ({ ...h2s(severity), scene, id: `${scene}-${severity}-${k}`, raisedAt: T0 + k });
  const all = [at('confined', 'minor', 1), at('park', 'critical', 2), at('confined', 'critical', 3), at('roads', 'major', 4), at('confined', 'major', 5)];

  it.each([
    { what: 'overview, all severities: everything, newest first', view: 'overview' as const, min: 'warning' as Severity, ids: ['roads-major-4', 'confined-major-5', 'confined-critical-3', 'park-critical-2', 'confined-minor-1'].sort((a, b) => Number(b.slice(-1)) - Number(a.slice(-1))) },
    { what: 'confined, major and worse', view: 'confined' as const, min: 'major' as Severity, ids: ['confined-major-5', 'confined-critical-3'] },
    { what: 'overview, critical only', view: 'overview' as const, min: 'critical' as Severity, ids: ['confined-critical-3', 'park-critical-2'] },
    { what: 'roads, critical only: none', view: 'roads' as const, min: 'critical' as Severity, ids: [] },
  ])('$what', ({ view, min, ids }) => {
    expect(jumpAlarms(all, view, min).map((a) => a.id)).toEqual(ids);
  });
});
