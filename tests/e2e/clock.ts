/**
 * A service clock for tests that record history: it runs behind the wall clock, and the test moves
 * it ahead step by step. Alarms are stamped with the service's time, so a history whose transitions
 * must lie whole seconds apart is made in a moment instead of in real time, and every instant of it
 * lies in the browser's past (the replay cursor never passes the wall clock).
 */
export interface TestClock {
  /** The service's now: the wall clock minus what is left of the lag. */
  now(): number;
  /** Moves the service's time ahead by `ms` (it keeps running with the wall clock in between). */
  advance(ms: number): void;
}

/** A clock `lagMs` behind the wall clock; it may be advanced by at most that much in all. */
export function laggingClock(lagMs: number): TestClock {
  let lag = lagMs;
  return {
    now: () => Date.now() - lag,
    advance(ms) {
      if (ms > lag) throw new Error(`the test clock would pass the wall clock (${lag} ms of lag left, ${ms} asked)`);
      lag -= ms;
    },
  };
}
