/** The stale-deadline queue the map uses instead of a once-a-second sweep over every device. */
import { describe, expect, it } from 'vitest';
import { DeadlineQueue, isStale, staleAtMs } from '../../src/domain';

const NOW = 1_764_300_000_000;

describe('staleAtMs', () => {
  it.each([
    { intervalS: 10, lastMs: NOW },
    { intervalS: 1, lastMs: NOW - 123 },
    { intervalS: 60, lastMs: NOW + 7 },
    { intervalS: 0.2, lastMs: NOW },
  ])('is the first millisecond isStale says stale ($intervalS s)', ({ intervalS, lastMs }) => {
    const at = staleAtMs(lastMs, intervalS)!;
    expect(isStale(lastMs, intervalS, at)).toBe(true);
    expect(isStale(lastMs, intervalS, at - 1)).toBe(false);
  });

  it('is null for a device never heard (it is shown as no data, not as going stale)', () => {
    expect(staleAtMs(null, 10)).toBeNull();
  });
});

describe('DeadlineQueue', () => {
  it('hands out due keys earliest first, and only those', () => {
    const q = new DeadlineQueue();
    q.set('c', NOW + 30);
    q.set('a', NOW + 10);
    q.set('b', NOW + 20);
    q.set('later', NOW + 1000);
    expect(q.nextAtMs()).toBe(NOW + 10);
    expect(q.popDue(NOW + 5)).toEqual([]);
    expect(q.popDue(NOW + 20)).toEqual(['a', 'b']);
    expect(q.popDue(NOW + 20)).toEqual([]);
    expect(q.size).toBe(2);
    expect(q.popDue(NOW + 10_000)).toEqual(['c', 'later']);
    expect(q.nextAtMs()).toBeNull();
  });

  it('moves a key when a newer reading pushes its deadline back, and forgets deleted keys', () => {
    const q = new DeadlineQueue();
    q.set('dev', NOW + 10);
    q.set('other', NOW + 15);
    q.set('dev', NOW + 50); // a fresh reading: not stale at +10 any more
    q.delete('other');
    expect(q.popDue(NOW + 20)).toEqual([]);
    expect(q.nextAtMs()).toBe(NOW + 50);
    expect(q.popDue(NOW + 50)).toEqual(['dev']);
    q.set('back', NOW + 5); // a deadline earlier than the last one handed out is still due
    expect(q.popDue(NOW + 50)).toEqual(['back']);
  });

  it('stays ordered and bounded under many moves (25,000 devices, each re-armed 20 times)', () => {
    const q = new DeadlineQueue();
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const last = new Map<string, number>();
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 25_000; i++) {
        const at = NOW + Math.floor(rnd() * 100_000);
        q.set(`d${i}`, at);
        last.set(`d${i}`, at);
      }
    }
    expect(q.size).toBe(25_000);
    const due = q.popDue(NOW + 50_000);
    const expected = [...last].filter(([, at]) => at <= NOW + 50_000);
    expect(due.length).toBe(expected.length);
    const ats = due.map((k) => last.get(k)!);
    expect(ats.every((at, i) => i === 0 || ats[i - 1] <= at)).toBe(true);
    expect(q.size).toBe(25_000 - due.length);
    expect((q as unknown as { heap: unknown[] }).heap.length).toBeLessThanOrEqual(2 * 25_000 + 64 + 1);
    // Half a million moves: about a second alone, several on a loaded 2-core machine.
  }, 30_000);

  it('moves a key pushed back by every reading without a heap entry per reading, and still hands it out on time', () => {
    const q = new DeadlineQueue();
    for (let i = 0; i < 1000; i++) q.set('dev', NOW + 10 + i); // a reading each time: the deadline only moves later
    q.set('other', NOW + 500);
    expect((q as unknown as { heap: unknown[] }).heap.length).toBe(2);
    expect(q.nextAtMs()).toBe(NOW + 500);
    expect(q.popDue(NOW + 1008)).toEqual(['other']);
    expect(q.popDue(NOW + 1009)).toEqual(['dev']);
    // Moved earlier: due at the earlier instant, once.
    q.set('dev', NOW + 2000);
    q.set('dev', NOW + 1500);
    expect(q.popDue(NOW + 1600)).toEqual(['dev']);
    expect(q.popDue(NOW + 3000)).toEqual([]);
    // Deleted, then set again later than its old entry: due at the new instant only.
    q.set('gone', NOW + 4000);
    q.delete('gone');
    expect(q.popDue(NOW + 4000)).toEqual([]);
    q.set('gone', NOW + 5000);
    q.delete('gone');
    q.set('gone', NOW + 6000);
    expect(q.popDue(NOW + 5999)).toEqual([]);
    expect(q.popDue(NOW + 6000)).toEqual(['gone']);
    expect(q.size).toBe(0);
  });

  it('clears', () => {
    const q = new DeadlineQueue();
    q.set('a', NOW);
    q.clear();
    expect(q.popDue(NOW + 1)).toEqual([]);
    expect(q.size).toBe(0);
  });
});
