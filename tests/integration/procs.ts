/**
 * Processes as Linux shows them in /proc: which children a process has, whether one still runs,
 * and how much CPU one has used. For the tests and the bench of the demo's video encoder.
 */
import { readFileSync, readdirSync } from 'node:fs';

interface Stat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** user + system CPU time, clock ticks */
  cpuTicks: number;
}

function stat(pid: number): Stat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
  const close = text.lastIndexOf(')');
  const rest = text.slice(close + 2).split(' ');
  return {
    pid,
    comm: text.slice(text.indexOf('(') + 1, close),
    state: rest[0],
    ppid: Number(rest[1]),
    cpuTicks: Number(rest[11]) + Number(rest[12]),
  };
}

/** Ids of the processes whose parent is `pid`, optionally only those named `comm`. */
export function childrenOf(pid: number, comm?: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const s = stat(Number(e));
    if (s && s.ppid === pid && (!comm || s.comm === comm) && s.state !== 'Z') out.push(s.pid);
  }
  return out;
}

/** Whether `pid` still runs (a zombie waiting for a parent to reap it has stopped running). */
export function isRunning(pid: number): boolean {
  const s = stat(pid);
  return s !== null && s.state !== 'Z' && s.state !== 'X';
}

/** CPU time used so far by `pid`, seconds (user + system), or null when it is gone. */
export function cpuSeconds(pid: number, ticksPerS = 100): number | null {
  const s = stat(pid);
  return s ? s.cpuTicks / ticksPerS : null;
}

/** Resident memory of `pid`, MB, or null when it is gone. */
export function rssMb(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}
