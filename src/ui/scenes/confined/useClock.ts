/**
 * The current time, updated every `periodMs`. A plain state + interval: the shared `useNow`
 * re-subscribes on every render and, as the only user of a period, re-reads the clock while
 * subscribing, which loops (React #185) in a panel that re-renders on each live frame.
 */
import { useEffect, useState } from 'react';

export function useClock(periodMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return now;
}
