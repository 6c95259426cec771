/**
 * The registry of sites and devices in the database: one row per site, device, person and threshold
 * override (the object as JSON, with its retirement time), and one row with the registry's version.
 * Every change writes its rows and moves the version in one transaction, and only from the version
 * it was made against, so two instances on one database never lose each other's change.
 */
import type Database from 'better-sqlite3';

export type RegistryRowKind = 'site' | 'device' | 'person' | 'threshold';

export interface RegistryRow {
  kind: RegistryRowKind;
  id: string;
  /** The site, device, person or override as JSON. */
  body: string;
  /** When it was retired (kept for history and replay), null while live. */
  retiredAt: number | null;
}

export interface RegistryHead {
  version: number;
  updatedAt: number;
  /** SHA-256 of the file the registry was seeded from. */
  seedHash: string | null;
  /** Whether it was ever changed through the API (then a changed seed file no longer replaces it). */
  managed: boolean;
}

export interface RegistryStore {
  /** The stored head, null before the first seed. */
  head(): Promise<RegistryHead | null>;
  rows(): Promise<RegistryRow[]>;
  /**
   * Writes `rows` (replacing rows of the same kind and id; `replaceAll` deletes every other row first)
   * and sets the head, if the stored version is still `fromVersion` (0: none stored). False, with
   * nothing written, when another writer moved it first.
   */
  write(fromVersion: number, head: RegistryHead, rows: readonly RegistryRow[], replaceAll?: boolean): Promise<boolean>;
}

export const REGISTRY_SCHEMA = `
CREATE TABLE registry_items (
  kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, retired_at INTEGER,
  PRIMARY KEY (kind, id)
);
CREATE TABLE registry_head (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1), version INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  seed_hash TEXT, managed INTEGER NOT NULL DEFAULT 0
);
`;

export class SqliteRegistryStore implements RegistryStore {
  private readonly st;

  /** @param durably runs a write and commits it before returning (Storage.durably). */
  constructor(
    db: Database.Database,
    private readonly durably: <T>(write: () => T) => T,
  ) {
    this.st = {
      head: db.prepare('SELECT version, updated_at AS updatedAt, seed_hash AS seedHash, managed FROM registry_head WHERE singleton = 1'),
      rows: db.prepare('SELECT kind, id, body, retired_at AS retiredAt FROM registry_items ORDER BY kind, rowid'),
      upsert: db.prepare(
        `INSERT INTO registry_items (kind, id, body, retired_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, retired_at = excluded.retired_at`,
      ),
      clear: db.prepare('DELETE FROM registry_items'),
      setHead: db.prepare(
        `INSERT INTO registry_head (singleton, version, updated_at, seed_hash, managed) VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (singleton) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at,
           seed_hash = excluded.seed_hash, managed = excluded.managed`,
      ),
    };
  }

  async head(): Promise<RegistryHead | null> {
    const r = this.st.head.get() as (Omit<RegistryHead, 'managed'> & { managed: number }) | undefined;
    return r ? { ...r, managed: r.managed === 1 } : null;
  }

  async rows(): Promise<RegistryRow[]> {
    return this.st.rows.all() as RegistryRow[];
  }

  async write(fromVersion: number, head: RegistryHead, rows: readonly RegistryRow[], replaceAll = false): Promise<boolean> {
    return this.durably(() => {
      // One connection writes: the check and the write cannot interleave with another writer here.
      const current = (this.st.head.get() as { version: number } | undefined)?.version ?? 0;
      if (current !== fromVersion) return false;
      if (replaceAll) this.st.clear.run();
      for (const r of rows) this.st.upsert.run(r.kind, r.id, r.body, r.retiredAt);
      this.st.setHead.run(head.version, head.updatedAt, head.seedHash, head.managed ? 1 : 0);
      return true;
    });
  }
}
