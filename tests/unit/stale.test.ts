import { describe, expect, it } from 'vitest';
import { isStale } from '../../src/domain';

const NOW = 1_764_300_000_000;

/** A device whose telemetry is silent for longer than 3 × its reporting interval is stale. */
describe('isStale', () => {
  it.each([
    { intervalS: 10, silentMs: 0, stale: false },
    { intervalS: 10, silentMs: 10_000, stale: false },
    { intervalS: 10, silentMs: 29_999, stale: false },
    { intervalS: 10, silentMs: 30_000, stale: false },
    { intervalS: 10, silentMs: 30_001, stale: true },
    { intervalS: 1, silentMs: 3_000, stale: false },
    { intervalS: 1, silentMs: 3_001, stale: true },
    { intervalS: 60, silentMs: 180_000, stale: false },
    { intervalS: 60, silentMs: 180_001, stale: true },
    { intervalS: 60, silentMs: 3_600_000, stale: true },
    { intervalS: 0.2, silentMs: 600, stale: false },
    { intervalS: 0.2, silentMs: 601, stale: true },
  ])('a device reporting every $intervalS s, silent for $silentMs ms: stale $stale', ({ intervalS, silentMs, stale }) => {
    expect(isStale(NOW - silentMs, intervalS, NOW)).toBe(stale);
  });

  it('a device never heard from is stale (never shown as normal)', () => {
    expect(isStale(null, 10, NOW)).toBe(true);
  });

  it('a reading stamped slightly ahead of the clock is not stale', () => {
    expect(isStale(NOW + 2_000, 10, NOW)).toBe(false);
  });
});
