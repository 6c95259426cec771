/**
 * Migration 5: the registry of sites and devices in the database (managed through the API; seeded
 * from the registry file on first start). The SQL lives with the code that uses it (registryStore.ts).
 */
import type Database from 'better-sqlite3';
import { REGISTRY_SCHEMA } from '../registryStore';

export const version = 5;
export const name = 'registry';

export function up(db: Database.Database): void {
  db.exec(REGISTRY_SCHEMA);
}
