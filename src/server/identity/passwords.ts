/**
 * Secrets at rest. User passwords: scrypt (node:crypto) with a random salt, stored as
 * `scrypt$N$r$p$salt$hash` so the cost can be raised later without breaking stored ones.
 * Issued secrets (MQTT credentials) and session tokens are 192+ random bits: a SHA-256 of them is
 * enough (nothing to guess), and keeps a reconnect storm of devices cheap.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** N = 2^14, r = 8, p = 1: OWASP's scrypt minimum; about 16 MiB and 30–50 ms a hash on this hardware. */
const COST = { N: 16_384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...opts, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** A new scrypt string for `password`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` matches a stored scrypt string (false for a malformed one). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [tag, n, r, p, salt, hash] = stored.split('$');
  if (tag !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A stored hash for unknown users, so a login for a name that does not exist costs the same time. */
export const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** A random secret: `bytes` random bytes, base64url. */
export function randomSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 (hex) of a high-entropy secret or token. */
export function sha256(secret: string | Buffer): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compares a given secret against a stored SHA-256 in constant time. */
export function matchesHash(given: string | Buffer | null | undefined, storedHex: string): boolean {
  if (given === null || given === undefined) return false;
  const a = Buffer.from(sha256(given), 'hex');
  const b = Buffer.from(storedHex, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
