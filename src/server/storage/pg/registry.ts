/**
 * The registry store on PostgreSQL: the same rows as SQLite's (../registryStore.ts). A change is one
 * transaction that first locks the head row, so two instances changing the registry at once take
 * turns and the second finds the version moved.
 */
import type { Pool } from 'pg';
import type { RegistryHead, RegistryRow, RegistryStore } from '../registryStore';

/** Rows per INSERT statement of a large import (PostgreSQL allows 65,535 parameters per statement). */
const ROWS_PER_STATEMENT = 2000;

export class PgRegistryStore implements RegistryStore {
  constructor(private readonly pool: Pool) {}

  async head(): Promise<RegistryHead | null> {
    const r = await this.pool.query('SELECT version, updated_at AS "updatedAt", seed_hash AS "seedHash", managed FROM registry_head');
    return (r.rows[0] as RegistryHead | undefined) ?? null;
  }

  async rows(): Promise<RegistryRow[]> {
    // ctid keeps the order rows were written in, as SQLite's rowid does (the demo's order is the map's).
    return (await this.pool.query('SELECT kind, id, body, retired_at AS "retiredAt" FROM registry_items ORDER BY kind, ctid')).rows as RegistryRow[];
  }

  async write(fromVersion: number, head: RegistryHead, rows: readonly RegistryRow[], replaceAll = false): Promise<boolean> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      // The first seed has no head row to lock: the table lock makes two first starts take turns.
      await c.query('LOCK TABLE registry_head IN SHARE ROW EXCLUSIVE MODE');
      const current = Number((await c.query('SELECT version FROM registry_head')).rows[0]?.version ?? 0);
      if (current !== fromVersion) {
        await c.query('ROLLBACK');
        return false;
      }
      if (replaceAll) await c.query('DELETE FROM registry_items');
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
        const params: unknown[] = [];
        const values = chunk.map((r) => {
          params.push(r.kind, r.id, r.body, r.retiredAt);
          const n = params.length;
          return `($${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
        });
        await c.query(
          `INSERT INTO registry_items (kind, id, body, retired_at) VALUES ${values.join(', ')}
           ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, retired_at = excluded.retired_at`,
          params,
        );
      }
      await c.query(
        `INSERT INTO registry_head (singleton, version, updated_at, seed_hash, managed) VALUES (true, $1, $2, $3, $4)
         ON CONFLICT (singleton) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at,
           seed_hash = excluded.seed_hash, managed = excluded.managed`,
        [head.version, head.updatedAt, head.seedHash, head.managed],
      );
      await c.query('COMMIT');
      return true;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      c.release();
    }
  }
}
