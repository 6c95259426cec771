/**
 * Time inside a confined space and its limit: who is over it, on both sides of the boundary, and
 * where the limit comes from (the space's own setting over the site default).
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_SPACE, MAX_INSIDE_MIN_DEFAULT, maxInsideMin, minutesInside, overstayCondition, overstays, type SpaceEntryState } from '../../src/domain';

const T0 = Date.parse('2026-12-06T09:00:00+08:00');
const MIN = 60_000;
const inside = (entries: Record<string, number>): SpaceEntryState => ({ ...EMPTY_SPACE, inside: Object.keys(entries), enteredAt: entries });

describe('overstays', () => {
  const state = inside({ W1: T0, W2: T0 + 30 * MIN });
  it.each([
    ['nobody over at the limit itself', T0 + 120 * MIN, []],
    ['the first over a millisecond later', T0 + 120 * MIN + 1, [{ personId: 'W1', minutes: 120 }]],
    ['both over, in order of entry', T0 + 151 * MIN, [{ personId: 'W1', minutes: 151 }, { personId: 'W2', minutes: 121 }]],
  ])('%s', (_what, now, want) => {
    expect(overstays(state, 120, now)).toEqual(want);
  });

  it('an empty space has no one over; an entry stamped ahead of the clock counts 0 min', () => {
    expect(overstays(EMPTY_SPACE, 1, T0)).toEqual([]);
    expect(minutesInside(inside({ W1: T0 + 5 * MIN }), 'W1', T0)).toBe(0);
    expect(minutesInside(state, 'nobody', T0)).toBe(0);
  });
});

describe('the limit of a space', () => {
  it.each([
    [{ maxInsideMin: 45 }, 45],
    [{ maxInsideMin: 0 }, MAX_INSIDE_MIN_DEFAULT],
    [{ maxInsideMin: -5 }, MAX_INSIDE_MIN_DEFAULT],
    [{ maxInsideMin: '45' }, MAX_INSIDE_MIN_DEFAULT],
    [{}, MAX_INSIDE_MIN_DEFAULT],
    [undefined, MAX_INSIDE_MIN_DEFAULT],
  ])('props %j → %i min', (props, want) => {
    expect(maxInsideMin(props as Record<string, unknown> | undefined, MAX_INSIDE_MIN_DEFAULT)).toBe(want);
  });
});

it('the condition is a major overstay alarm with its detail as data', () => {
  const c = overstayCondition('kq-p1-s1', 'W0417', 130, 120);
  expect(c).toMatchObject({ rule: 'overstay', severity: 'major', value: 130, threshold: 120 });
  expect(c.detail).toEqual({ code: 'overstay', params: { personId: 'W0417', minutes: 130, limitMin: 120 } });
});
