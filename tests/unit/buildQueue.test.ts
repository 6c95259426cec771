import { describe, expect, it } from 'vitest';
import { createBuildQueue } from '../../src/scene/cesium/buildQueue';

/** A hand-cranked scheduler and clock: each item "costs" `costMs` of the injected clock. */
function harness(sliceMs: number, costMs: number) {
  let t = 0;
  const tasks: (() => void)[] = [];
  const ran: number[] = [];
  const slices: { ran: number; done: boolean }[] = [];
  let before = 0;
  const q = createBuildQueue<number>((n) => (ran.push(n), (t += costMs)), {
    sliceMs,
    now: () => t,
    later: (next) => {
      tasks.push(next);
      return () => tasks.splice(tasks.indexOf(next), 1);
    },
    onSlice: (done) => (slices.push({ ran: ran.length - before, done }), (before = ran.length)),
  });
  const step = () => tasks.shift()?.();
  return { q, ran, slices, tasks, step };
}

describe('building in slices', () => {
  it('runs nothing in the task that queues, then slices of the budget in order until empty', () => {
    const h = harness(10, 3);
    h.q.push([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(h.ran).toEqual([]);
    expect(h.q.pending).toBe(10);
    while (h.tasks.length > 0) h.step();
    expect(h.ran).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // 3 ms an item, 10 ms a slice: four items (the fourth starts at 9 ms), then the next slice.
    expect(h.slices).toEqual([
      { ran: 4, done: false },
      { ran: 4, done: false },
      { ran: 2, done: true },
    ]);
    expect(h.q.pending).toBe(0);
  });

  it('runs one item a slice even when one item costs more than the budget', () => {
    const h = harness(5, 50);
    h.q.push([1, 2, 3]);
    h.step();
    expect(h.ran).toEqual([1]);
    h.step();
    h.step();
    expect(h.ran).toEqual([1, 2, 3]);
    expect(h.tasks).toEqual([]);
  });

  it('drain runs the rest at once and cancels the slice waiting', () => {
    const h = harness(10, 3);
    h.q.push([1, 2, 3, 4, 5, 6]);
    h.step();
    expect(h.ran).toEqual([1, 2, 3, 4]);
    h.q.drain();
    expect(h.ran).toEqual([1, 2, 3, 4, 5, 6]);
    expect(h.tasks).toEqual([]);
    expect(h.slices.at(-1)).toEqual({ ran: 2, done: true });
  });

  it('stop drops what is queued: nothing runs after, a later push is ignored', () => {
    const h = harness(10, 3);
    h.q.push([1, 2, 3, 4, 5, 6]);
    h.step();
    h.q.stop();
    h.q.push([7]);
    while (h.tasks.length > 0) h.step();
    expect(h.ran).toEqual([1, 2, 3, 4]);
    expect(h.q.pending).toBe(0);
  });

  it('items pushed while slicing join the same run; one task is scheduled at a time', () => {
    const h = harness(10, 3);
    h.q.push([1, 2]);
    h.q.push([3]);
    expect(h.tasks).toHaveLength(1);
    h.step();
    expect(h.ran).toEqual([1, 2, 3]);
    h.q.push([4]);
    h.step();
    expect(h.ran).toEqual([1, 2, 3, 4]);
    expect(h.slices.map((s) => s.done)).toEqual([true, true]);
  });
});
