/**
 * Migration 4: identity and access — users, login sessions, device and gateway MQTT credentials,
 * login failures (throttling) and the audit log. The SQL lives with the only code that uses it
 * (identity/schema.ts).
 */
import type Database from 'better-sqlite3';
import { IDENTITY_SCHEMA } from '../../identity/schema';

export const version = 4;
export const name = 'identity';

export function up(db: Database.Database): void {
  db.exec(IDENTITY_SCHEMA);
}
