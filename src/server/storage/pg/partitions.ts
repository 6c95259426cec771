/**
 * Day partitions of `readings` (UTC days, epoch-ms bounds): made ahead of time and on demand for a
 * day a batch touches, dropped whole by retention once the day is past RETENTION_DAYS.
 */
import type { Pool, PoolClient } from 'pg';

export const DAY_MS = 86_400_000;
/** Days made ahead of today (a reading may carry a ts up to 5 minutes ahead). */
export const DAYS_AHEAD = 2;

/** `readings_p20261206` for the UTC day holding `dayStartMs`. */
export function partitionName(dayStartMs: number): string {
  return `readings_p${new Date(dayStartMs).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/** The UTC day a partition name stands for, epoch ms; null for another table's name. */
export function partitionDay(name: string): number | null {
  const m = /^readings_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
}

export const dayOf = (ts: number): number => Math.floor(ts / DAY_MS) * DAY_MS;

/** PostgreSQL error codes of a table made meanwhile by another instance (duplicate table, type name). */
const RACED = new Set(['42P07', '23505']);

export class Partitions {
  /** Days known to have a partition. */
  private readonly known = new Set<number>();

  /** Makes the partitions of these days that are not known to exist (outside any transaction). */
  async ensure(db: Pool | PoolClient, days: Iterable<number>): Promise<void> {
    for (const day of days) {
      if (this.known.has(day)) continue;
      try {
        await db.query(`CREATE TABLE IF NOT EXISTS ${partitionName(day)} PARTITION OF readings FOR VALUES FROM (${day}) TO (${day + DAY_MS})`);
      } catch (err) {
        if (!RACED.has((err as { code?: string }).code ?? '')) throw err;
      }
      this.known.add(day);
    }
  }

  /** Today's partition and the next DAYS_AHEAD. */
  ahead(db: Pool | PoolClient, nowMs: number): Promise<void> {
    const today = dayOf(nowMs);
    return this.ensure(db, Array.from({ length: DAYS_AHEAD + 1 }, (_, i) => today + i * DAY_MS));
  }

  /** Drops the partitions whose whole day is older than `cutMs`; answers how many. */
  async dropBefore(db: Pool | PoolClient, cutMs: number): Promise<number> {
    const r = await db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'readings'::regclass`,
    );
    let dropped = 0;
    for (const { name } of r.rows) {
      const day = partitionDay(name);
      if (day === null || day + DAY_MS > cutMs) continue;
      await db.query(`DROP TABLE IF EXISTS ${name}`);
      this.known.delete(day);
      dropped++;
    }
    return dropped;
  }

  /** Forgets what it knew (a partition may have been dropped by another instance). */
  forget(day: number): void {
    this.known.delete(day);
  }
}
