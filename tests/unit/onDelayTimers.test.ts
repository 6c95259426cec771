/**
 * On-delay timing: when a pending condition comes due (domain onDelayDueAt), and the service's
 * timers that raise it then, on an injected clock (vitest's fake timers move both together).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { onDelay, onDelayDueAt, type PendingCondition } from '../../src/domain';
import { OnDelayTimers } from '../../src/server/onDelayTimers';

const T0 = 1_764_300_000_000;

describe('onDelayDueAt', () => {
  it.each([
    { what: 'nothing pending: no due time', pending: { sinceMs: null }, delayMs: 2000, due: null },
    { what: 'pending since T0 with 2 s: due at T0 + 2 s', pending: { sinceMs: T0 }, delayMs: 2000, due: T0 + 2000 },
    { what: 'no delay (critical): due when it began', pending: { sinceMs: T0 }, delayMs: 0, due: T0 },
    { what: 'a minor 5 s delay', pending: { sinceMs: T0 - 1000 }, delayMs: 5000, due: T0 + 4000 },
  ] as { what: string; pending: PendingCondition; delayMs: number; due: number | null }[])('$what', ({ pending, delayMs, due }) => {
    expect(onDelayDueAt(pending, delayMs)).toBe(due);
  });

  it('is the first instant onDelay calls due, and not a millisecond earlier', () => {
    const pending = onDelay({ sinceMs: null }, true, T0, 2000).pending;
    const at = onDelayDueAt(pending, 2000)!;
    expect(onDelay(pending, true, at - 1, 2000).due).toBe(false);
    expect(onDelay(pending, true, at, 2000).due).toBe(true);
  });
});

describe('OnDelayTimers', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  const timers = () => {
    const fired: [string, number][] = [];
    return { fired, t: new OnDelayTimers(Date.now, (key, nowMs) => fired.push([key, nowMs])) };
  };

  it.each([
    { what: 'a 2 s major delay fires at its due time, not on a later tick', dueIn: 2000 },
    { what: 'a 5 s minor delay', dueIn: 5000 },
    { what: 'an instant already past fires on the next turn', dueIn: -300 },
  ])('$what', ({ dueIn }) => {
    const { fired, t } = timers();
    t.arm('k', T0 + dueIn);
    if (dueIn > 0) {
      vi.advanceTimersByTime(dueIn - 1);
      expect(fired).toEqual([]);
    }
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([['k', T0 + Math.max(dueIn, 0)]]);
    expect(t.size).toBe(0);
  });

  it('keeps the first due time when armed again, and fires once', () => {
    const { fired, t } = timers();
    t.arm('k', T0 + 2000);
    t.arm('k', T0 + 9000);
    vi.advanceTimersByTime(10_000);
    expect(fired).toEqual([['k', T0 + 2000]]);
  });

  it('fires nothing for a condition that stopped holding (disarmed) or after clear', () => {
    const { fired, t } = timers();
    t.arm('a', T0 + 1000);
    t.arm('b', T0 + 1000);
    t.disarm('a');
    t.arm('c', T0 + 3000);
    vi.advanceTimersByTime(1000);
    t.clear();
    vi.advanceTimersByTime(5000);
    expect(fired).toEqual([['b', T0 + 1000]]);
  });
});

describe('OnDelayTimers on a clock behind the timers', () => {
  it('waits until the clock reaches the due time, then fires once', () => {
    vi.useFakeTimers();
    let clock = T0;
    const fired: number[] = [];
    const t = new OnDelayTimers(() => clock, (_key, nowMs) => fired.push(nowMs));
    t.arm('k', T0 + 2000);
    vi.advanceTimersByTime(2000);
    expect(fired).toEqual([]); // the clock still says T0
    clock = T0 + 1999;
    vi.advanceTimersByTime(2000);
    expect(fired).toEqual([]);
    clock = T0 + 2000;
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([T0 + 2000]);
    vi.useRealTimers();
  });
});
