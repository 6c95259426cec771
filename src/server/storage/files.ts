/**
 * The files of a SQLite data directory: the database (with its WAL), the lock that says which
 * process holds it, and their sizes for /api/health.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DB_FILE = 'citytwin.sqlite';
const LOCK_FILE = 'citytwin.lock';

export function dbPath(dataDir: string): string {
  return join(dataDir, DB_FILE);
}

/** Bytes on disk of the database file and its write-ahead log. */
export function diskUsage(dataDir: string): { dbBytes: number; walBytes: number } {
  const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);
  const db = dbPath(dataDir);
  return { dbBytes: size(db), walBytes: size(`${db}-wal`) };
}

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      pid === process.pid
        ? `${dataDir} is already open in this process`
        : `${dataDir} is in use by another CityTwin process (pid ${pid}); stop it first (kill -TERM ${pid}, or Ctrl-C where it runs)`,
    );
  }
}

interface LockInfo {
  pid: number;
  /** The process's start time in clock ticks since boot (Linux), so a reused pid is not mistaken for it. */
  started: string | null;
}

/** Directories this process holds (a second service on one directory in one process is refused too). */
const held = new Set<string>();

function processStart(pid: number): string | null {
  try {
    // Field 22 of /proc/<pid>/stat, counted after the command name, which may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function alive(lock: LockInfo): boolean {
  try {
    process.kill(lock.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  const started = processStart(lock.pid);
  return lock.started === null || started === null || started === lock.started;
}

/** The live process holding `dataDir`, or null (no lock, or its process is gone). */
export function lockHolder(dataDir: string): number | null {
  if (held.has(dataDir)) return process.pid;
  const file = join(dataDir, LOCK_FILE);
  if (!existsSync(file)) return null;
  try {
    const lock = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
    return alive(lock) && lock.pid !== process.pid ? lock.pid : null;
  } catch {
    return null;
  }
}

/** Takes `dataDir` for this process; throws DataDirLockedError while another live one holds it. */
export function acquireLock(dataDir: string): void {
  const pid = lockHolder(dataDir);
  if (pid !== null) throw new DataDirLockedError(dataDir, pid);
  const lock: LockInfo = { pid: process.pid, started: processStart(process.pid) };
  writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify(lock));
  held.add(dataDir);
}

export function releaseLock(dataDir: string): void {
  if (!held.delete(dataDir)) return;
  rmSync(join(dataDir, LOCK_FILE), { force: true });
}
