/**
 * The identity and access tables: users, login sessions, MQTT credentials of devices and gateways,
 * recent login failures (throttling) and the audit log. A block of its own, created beside the
 * history tables on the connection Storage owns; IdentityStore (store.ts) is the only code that
 * reads or writes them.
 */
export const IDENTITY_SCHEMA = `
-- Passwords as scrypt strings (passwords.ts); a disabled user cannot log in and has no sessions.
CREATE TABLE IF NOT EXISTS users (
  username TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  last_login_at INTEGER
);
-- Login sessions by the SHA-256 of their token: the token itself is never stored.
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL, address TEXT
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (username);
-- MQTT credentials issued by an admin: a device (username = its id) or a gateway with its sites.
CREATE TABLE IF NOT EXISTS mqtt_credentials (
  username TEXT PRIMARY KEY, kind TEXT NOT NULL, secret_hash TEXT NOT NULL, site_ids TEXT,
  issued_at INTEGER NOT NULL, issued_by TEXT NOT NULL
);
-- Failed logins of the last window, per username and per address (login throttling).
CREATE TABLE IF NOT EXISTS login_failures (ts INTEGER NOT NULL, username TEXT NOT NULL, address TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_user ON login_failures (username, ts);
CREATE INDEX IF NOT EXISTS login_failures_address ON login_failures (address, ts);
-- Who did what, when and from where; kept.
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, user TEXT, address TEXT,
  action TEXT NOT NULL, target TEXT, detail TEXT
);
CREATE INDEX IF NOT EXISTS audit_ts ON audit (ts);
`;
