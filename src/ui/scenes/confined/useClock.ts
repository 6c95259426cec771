/**
 * The display's current time (`nowMs()`: the replayed instant in replay), updated every
 * `periodMs` and at once when the replayed instant changes or the app goes back to live. A plain
 * state + interval: the shared `useNow` re-subscribes on every render and, as the only user of a
 * period, re-reads the clock while subscribing, which loops (React #185) in a panel that
 * re-renders on each live frame.
 */
import { useEffect, useState } from 'react';
import { nowMs, onClockChange } from '../../../state/clock';

export function useClock(periodMs: number): number {
  const [now, setNow] = useState(nowMs);
  useEffect(() => {
    const timer = setInterval(() => setNow(nowMs()), periodMs);
    const unClock = onClockChange(() => setNow(nowMs()));
    return () => {
      clearInterval(timer);
      unClock();
    };
  }, [periodMs]);
  return now;
}
