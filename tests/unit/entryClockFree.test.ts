/**
 * The service judges a confined space on the clock only while its judgement can change with time
 * (`judgedSameAtAnyTime`); the others wait for an event. For every state on a day of events, one
 * the check calls clock-free must judge the same hours apart and whatever its detectors say
 * (silent, offline, alarmed, enriched), and each of the clock's rules must keep its space on the clock.
 */
import { describe, expect, it } from 'vitest';
import type { DeviceEvent, Values } from '../../src/contracts';
import { EMPTY_SPACE, applyEntryEvent, entryRules, judgeSpace, judgedSameAtAnyTime, type DetectorContext, type SpaceContext, type SpaceEntryState } from '../../src/domain';

const T0 = Date.parse('2025-11-26T09:00:00+08:00');
const MIN = 60_000;
const HOUR = 60 * MIN;
const CLEAN: Values = { o2_pct: 20.9, h2s_ppm: 0.3, co_ppm: 1, nh3_ppm: 1.5, lel_pct: 0 };
const RULES = entryRules({}, { purgeMinutes: 10 });

const ev = (ts: number, type: string, fields: Record<string, unknown> = {}): DeviceEvent => ({ ts, type, spaceId: 's1', ...fields }) as DeviceEvent;
const DAY: DeviceEvent[] = [
  ev(T0 - MIN, 'attendant.on', { personId: 'a1' }),
  ev(T0, 'ventilation', { state: 'on' }),
  ev(T0 + 10 * MIN, 'gas.test', { levels: { upper: CLEAN, middle: CLEAN, lower: CLEAN } }),
  ev(T0 + 11 * MIN, 'permit.open', { permitId: 'P-1', workers: ['w1'], attendant: 'a1', maxPersons: 2 }),
  ev(T0 + 12 * MIN, 'entry', { personId: 'w1' }),
  ev(T0 + 13 * MIN, 'attendant.off', { personId: 'a1' }),
  ev(T0 + 40 * MIN, 'exit', { personId: 'w1' }),
  ev(T0 + 41 * MIN, 'permit.close', { permitId: 'P-1' }),
  ev(T0 + 42 * MIN, 'ventilation', { state: 'off' }),
];
/** EMPTY_SPACE and the state after each event of the day. */
const states: SpaceEntryState[] = DAY.reduce((acc, e) => [...acc, applyEntryEvent(acc.at(-1)!, e, e.ts, RULES)], [EMPTY_SPACE]);

const detector = (level: 'upper' | 'middle' | 'lower', heard: number, o: Partial<DetectorContext> = {}): DetectorContext => ({
  deviceId: `s1-gas-${level}`,
  level,
  intervalS: 5,
  lastHeardMs: heard,
  offline: false,
  alarms: [],
  values: CLEAN,
  ...o,
});
const CONTEXTS: SpaceContext[] = [
  { detectors: [detector('upper', T0), detector('middle', T0), detector('lower', T0)] },
  { detectors: [detector('lower', T0 - 5 * HOUR, { offline: true, values: { ...CLEAN, o2_pct: 23.5 } })] },
  { detectors: [detector('lower', T0, { alarms: [{ rule: 'h2s_ppm_high', severity: 'critical', message: 'H2S high', value: 30, threshold: 10 }] })] },
  { maxPersons: 0, detectors: [] },
];

describe('a space is judged on the clock only while time can change its judgement', () => {
  it('a state called clock-free judges the same at any instant and with any detectors', () => {
    const free = states.filter(judgedSameAtAnyTime);
    expect(free.length).toBeGreaterThanOrEqual(2); // EMPTY_SPACE and the attendant on post before anything else
    for (const s of free) {
      const first = judgeSpace(s, CONTEXTS[0], T0, RULES);
      for (const ctx of CONTEXTS) for (const t of [T0 - HOUR, T0 + 30 * MIN, T0 + 9 * HOUR, T0 + 30 * 24 * HOUR]) expect(judgeSpace(s, ctx, t, RULES)).toEqual(first);
    }
  });

  it('a fan, a gas test, a permit or anyone inside keeps the space on the clock', () => {
    expect(states.map(judgedSameAtAnyTime)).toEqual([true, true, false, false, false, false, false, false, false, false]);
  });

  it('each kept on the clock has a judgement the clock changes', () => {
    for (const s of states.filter((x) => !judgedSameAtAnyTime(x))) {
      const judged = [T0 + 9 * MIN, T0 + 20 * MIN, T0 + 45 * MIN, T0 + 3 * HOUR, T0 + 10 * HOUR].map((t) => judgeSpace(s, { detectors: [detector('lower', T0 + 12 * MIN)] }, t, RULES));
      expect(judged.some((j) => JSON.stringify(j) !== JSON.stringify(judged[0])), JSON.stringify(s)).toBe(true);
    }
  });
});
