/** Shapes of the identity and access API (users, credentials, audit), shared by the service and the app. */
import type { Role } from './scenes';

/** New passwords are at least this long (also the production floor for configured passwords). */
export const MIN_PASSWORD_LENGTH = 12;

/** GET /api/users item; never a password or its hash. */
export interface UserInfo {
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
  lastLoginAt: number | null;
}

/** POST /api/devices/{id}/credentials and POST /api/gateways: the secret, shown once. */
export interface IssuedCredentials {
  username: string;
  password: string;
}

/** GET /api/credentials item: what was issued, to whom, by whom; never the secret. */
export interface CredentialInfo {
  username: string;
  kind: 'device' | 'gateway';
  /** A gateway's sites; null for a device. */
  siteIds: string[] | null;
  issuedAt: number;
  issuedBy: string;
}

/** GET /api/audit item: who did what, when and from where. */
export interface AuditRecord {
  ts: number;
  /** Who: a user name, or null for the service itself. */
  user: string | null;
  /** From where: the client's address. */
  address: string | null;
  /** What, as `noun.verb`: `login`, `login.failed`, `alarm.ack`, `user.update`, … */
  action: string;
  /** What it was done to: an alarm id, a user name, a device id. */
  target: string | null;
  detail: Record<string, unknown> | null;
}
