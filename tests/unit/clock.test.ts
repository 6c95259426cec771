/** The display clock: the replay cursor while replaying, else the wall clock. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clockIsReplay, nowMs, onClockChange, setReplayClock } from '../../src/state/clock';

afterEach(() => setReplayClock(null));

describe('display clock', () => {
  it('is the wall clock when live', () => {
    const before = Date.now();
    const t = nowMs();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
    expect(clockIsReplay()).toBe(false);
  });

  it('is pinned to the replayed instant, and tells listeners once per change', () => {
    const seen = vi.fn();
    const off = onClockChange(seen);
    setReplayClock(1_700_000_000_000);
    setReplayClock(1_700_000_000_000);
    expect(nowMs()).toBe(1_700_000_000_000);
    expect(clockIsReplay()).toBe(true);
    setReplayClock(null);
    expect(clockIsReplay()).toBe(false);
    expect(seen).toHaveBeenCalledTimes(2);
    off();
    setReplayClock(1);
    expect(seen).toHaveBeenCalledTimes(2);
  });
});
