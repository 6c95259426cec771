/**
 * MQTT credentials of devices and gateways, issued by an admin. The secret is shown once and
 * stored as its SHA-256; issuing again rotates it, and the broker closes the connection that used
 * the old one. The shared `device` account of v1 is a gateway for every site, kept for the demo
 * and the simulator, and exists only while a password is configured for it.
 */
import { DEVICE_MQTT_USERNAME, type CredentialInfo, type IssuedCredentials } from '../../contracts';
import type { MqttIdentity } from '../mqttAccess';
import type { Actor, AuditLog } from './audit';
import { matchesHash, randomSecret, sha256 } from './passwords';
import type { CredentialRow, IdentityStore } from './store';
import { sameSecret, type Revocation } from '../auth';

export class MqttCredentials {
  private readonly issued: ((c: Pick<CredentialRow, 'username' | 'kind' | 'siteIds'> & { password: string }) => Promise<void>)[] = [];

  constructor(
    private readonly store: IdentityStore,
    private readonly audit: AuditLog,
    private readonly now: () => number,
    /** Password of the shared `device` account; null: there is no such account. */
    private readonly sharedPassword: string | null,
    /** Told when credentials are rotated: the broker closes the connection that used the old ones. */
    private readonly revoke: (r: Revocation) => void,
  ) {}

  /** New credentials for a registered device (username = its id); rotates any earlier ones. */
  issueDevice(deviceId: string, actor: Actor): Promise<IssuedCredentials> {
    return this.issue({ username: deviceId, kind: 'device', siteIds: null }, actor);
  }

  /** New credentials for a gateway publishing for the devices of `siteIds` (and the sites below them). */
  issueGateway(id: string, siteIds: string[], actor: Actor): Promise<IssuedCredentials> {
    return this.issue({ username: id, kind: 'gateway', siteIds }, actor);
  }

  private async issue(c: Pick<CredentialRow, 'username' | 'kind' | 'siteIds'>, actor: Actor): Promise<IssuedCredentials> {
    const password = randomSecret(24);
    const rotated = (await this.store.credential(c.username)) !== null;
    await this.store.upsertCredential({ ...c, secretHash: sha256(password), issuedAt: this.now(), issuedBy: actor.user ?? 'service' });
    if (rotated) this.revoke({ kind: 'credential', username: c.username });
    for (const l of this.issued) await l({ ...c, password }).catch(() => {});
    await this.audit.record(rotated ? 'credentials.rotate' : 'credentials.issue', actor, c.username, c.siteIds ? { kind: c.kind, siteIds: c.siteIds } : { kind: c.kind });
    return { username: c.username, password };
  }

  /** The kind of credentials issued under `username`, if any. */
  async kindOf(username: string): Promise<CredentialRow['kind'] | null> {
    return (await this.store.credential(username))?.kind ?? null;
  }

  async list(): Promise<CredentialInfo[]> {
    return (await this.store.credentials()).map(({ username, kind, siteIds, issuedAt, issuedBy }) => ({ username, kind, siteIds, issuedAt, issuedBy }));
  }

  /** The device or gateway identity of an MQTT CONNECT, or null. */
  async authenticate(username: string, password: Buffer | undefined): Promise<MqttIdentity | null> {
    if (username === DEVICE_MQTT_USERNAME) {
      if (this.sharedPassword === null || !sameSecret(password, this.sharedPassword)) return null;
      return { kind: 'gateway', key: `gateway:${DEVICE_MQTT_USERNAME}`, id: DEVICE_MQTT_USERNAME, siteIds: 'all', secretHash: null };
    }
    const c = await this.store.credential(username);
    if (!c || !matchesHash(password, c.secretHash)) return null;
    return identityOfRow(c);
  }

  /** The device or gateway identity issued under `username`, without its secret (a connection already authenticated). */
  async identityOf(username: string): Promise<MqttIdentity | null> {
    const c = await this.store.credential(username);
    return c ? identityOfRow(c) : null;
  }

  /**
   * The secret hash of every issued credential, by username: the broker's backstop sweep checks
   * each connected device against it (one read, however many devices are connected).
   */
  async currentHashes(): Promise<Map<string, string>> {
    return new Map((await this.store.credentials()).map((c) => [c.username, c.secretHash]));
  }

  /** Tells `listener` the plaintext of every credential issued or rotated (an external broker's own account list). */
  onIssued(listener: (c: Pick<CredentialRow, 'username' | 'kind' | 'siteIds'> & { password: string }) => Promise<void>): void {
    this.issued.push(listener);
  }
}

function identityOfRow(c: CredentialRow): MqttIdentity {
  return c.kind === 'device'
    ? { kind: 'device', key: `device:${c.username}`, deviceId: c.username, secretHash: c.secretHash }
    : { kind: 'gateway', key: `gateway:${c.username}`, id: c.username, siteIds: c.siteIds ?? [], secretHash: c.secretHash };
}

/** Whether a connected device or gateway still holds the secret it connected with (not rotated), by `currentHashes`. */
export function stillValid(who: MqttIdentity, hashes: ReadonlyMap<string, string>): boolean {
  if (who.kind === 'user' || who.secretHash === null) return true;
  return hashes.get(who.kind === 'device' ? who.deviceId : who.id) === who.secretHash;
}
