/**
 * Mosquitto as the external broker, enforcing the twin's identities with its dynamic-security plugin
 * (Debian: `mosquitto_dynamic_security.so`). `mosquittoFiles` writes the configuration and the
 * plugin's JSON: the service's own account, the shared `device` gateway when it has a password, and
 * a role per device and gateway that lets it publish only for its own devices (the same scope as the
 * embedded broker's `mqttAccess`). `DynsecSync` keeps the plugin current while the service runs:
 * credentials issued or rotated through the API reach the broker through its `$CONTROL` topic.
 */
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { DEVICE_MQTT_USERNAME, TOPIC_ROOT } from '../contracts';
import type { Bus } from './bus';
import type { CredentialRow } from './identity/store';
import { deviceInScope } from './mqttAccess';
import type { RegistryIndex } from './registry';

export const DYNSEC_PLUGIN = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';
export const CONTROL_TOPIC = '$CONTROL/dynamic-security/v1';
export const SERVICE_ROLE = 'citytwin-service';
/** Mosquitto's own hash of a client password: PBKDF2-SHA512, a 12-byte salt (as `mosquitto_ctrl` writes it). */
const PBKDF2_ITERATIONS = 10_000;

interface Acl {
  acltype: 'publishClientSend' | 'publishClientReceive' | 'subscribePattern' | 'subscribeLiteral' | 'unsubscribePattern';
  topic: string;
  allow: boolean;
  priority?: number;
}
interface Role {
  rolename: string;
  acls: Acl[];
}
interface Client {
  username: string;
  textName?: string;
  password: string;
  salt: string;
  iterations: number;
  roles: { rolename: string }[];
}

/** `password` hashed the way the plugin checks it. */
export function dynsecPassword(password: string): Pick<Client, 'password' | 'salt' | 'iterations'> {
  const salt = randomBytes(12);
  return { password: pbkdf2Sync(password, salt, PBKDF2_ITERATIONS, 64, 'sha512').toString('base64'), salt: salt.toString('base64'), iterations: PBKDF2_ITERATIONS };
}

/** The role of a device or gateway: publish (and read back) its own devices' topics, nothing else. */
export function roleFor(c: Pick<CredentialRow, 'username' | 'kind' | 'siteIds'> | { username: string; kind: 'gateway'; siteIds: 'all' }, registry: RegistryIndex): Role {
  const rolename = `${c.kind}-${c.username}`;
  if (c.kind === 'gateway' && c.siteIds === 'all') {
    return { rolename, acls: scoped(`${TOPIC_ROOT}/+/+/+`) };
  }
  const devices = [...registry.devices.values()].filter((d) =>
    c.kind === 'device' ? d.id === c.username : deviceInScope(d, (c.siteIds as readonly string[] | null) ?? [], registry),
  );
  return { rolename, acls: devices.flatMap((d) => scoped(`${TOPIC_ROOT}/${d.scene}/${d.id}/+`)) };
}

function scoped(topic: string): Acl[] {
  return [
    { acltype: 'publishClientSend', topic, allow: true },
    { acltype: 'publishClientReceive', topic, allow: true },
    { acltype: 'subscribePattern', topic, allow: true },
  ];
}

/** The service: everything under the twin's root, and the plugin's control topic. */
function serviceRole(): Role {
  const all = (topic: string): Acl[] => [
    { acltype: 'publishClientSend', topic, allow: true },
    { acltype: 'publishClientReceive', topic, allow: true },
    { acltype: 'subscribePattern', topic, allow: true },
    { acltype: 'unsubscribePattern', topic, allow: true },
  ];
  // The plugin checks a shared subscription under its full `$share/…` name.
  const share: Acl[] = ['subscribePattern', 'unsubscribePattern'].map((acltype) => ({ acltype: acltype as Acl['acltype'], topic: `$share/citytwin/${TOPIC_ROOT}/#`, allow: true }));
  return { rolename: SERVICE_ROLE, acls: [...all(`${TOPIC_ROOT}/#`), ...share, ...all('$CONTROL/dynamic-security/#')] };
}

export interface MosquittoSetup {
  dir: string;
  port: number;
  host?: string;
  service: { username: string; password: string };
  /** The shared `device` account's password; null: no such account. */
  devicePassword: string | null;
  registry: RegistryIndex;
}

/** `mosquitto.conf` and `dynamic-security.json` for `mosquitto -c DIR/mosquitto.conf`. */
export function mosquittoFiles(s: MosquittoSetup, plugin = DYNSEC_PLUGIN): { conf: string; dynsec: string } {
  const clients: Client[] = [{ username: s.service.username, textName: 'CityTwin service', ...dynsecPassword(s.service.password), roles: [{ rolename: SERVICE_ROLE }] }];
  const roles: Role[] = [serviceRole()];
  if (s.devicePassword !== null) {
    const role = roleFor({ username: DEVICE_MQTT_USERNAME, kind: 'gateway', siteIds: 'all' }, s.registry);
    roles.push(role);
    clients.push({ username: DEVICE_MQTT_USERNAME, textName: 'shared device account (a gateway for every site)', ...dynsecPassword(s.devicePassword), roles: [{ rolename: role.rolename }] });
  }
  const dynsec = {
    // Nobody publishes or subscribes unless a role allows it; what a client may receive is decided by what it may subscribe to.
    defaultACLAccess: { publishClientSend: false, publishClientReceive: true, subscribe: false, unsubscribe: true },
    clients,
    groups: [],
    roles,
  };
  const conf = [
    `# Written by npm run broker:mosquitto; the CityTwin service keeps ${'dynamic-security.json'} current through ${CONTROL_TOPIC}.`,
    'per_listener_settings false',
    `listener ${s.port}${s.host ? ` ${s.host}` : ''}`,
    'allow_anonymous false',
    `plugin ${plugin}`,
    `plugin_opt_config_file ${s.dir}/dynamic-security.json`,
    // The leader's persistent session holds the device stream during a failover: room for a minute of a busy city.
    'max_queued_messages 100000',
    'persistence false',
    'log_dest stderr',
    '',
  ].join('\n');
  return { conf, dynsec: JSON.stringify(dynsec, null, 2) + '\n' };
}

/**
 * Keeps the plugin current: a credential issued through the API becomes a client of the broker
 * with its role (made or replaced); a rotation sets the new password and disconnects the old
 * connection (disable, then enable). A registry change moves the roles with it: a device retired
 * leaves every role and its own client is disabled (which closes its connection); a device created
 * (or brought back) joins its own role and those of the gateways whose sites hold it.
 */
export class DynsecSync {
  /** Each live device's topic filter and site, as the roles were last made (a gateway's scope goes by site). */
  private topics: Map<string, { topic: string; siteId: string }>;

  constructor(
    private readonly bus: Pick<Bus, 'publish'>,
    private readonly registry: RegistryIndex,
  ) {
    this.topics = this.liveTopics();
  }

  async issued(c: Pick<CredentialRow, 'username' | 'kind' | 'siteIds'> & { password: string }): Promise<void> {
    const role = roleFor(c, this.registry);
    // Each command stands alone: "already exists" of a create is no failure, the set commands that follow make it current.
    const commands = [
      { command: 'createRole', rolename: role.rolename },
      ...role.acls.map((a) => ({ command: 'addRoleACL', rolename: role.rolename, ...a })),
      { command: 'createClient', username: c.username, password: c.password, roles: [{ rolename: role.rolename }] },
      { command: 'setClientPassword', username: c.username, password: c.password },
      { command: 'addClientRole', username: c.username, rolename: role.rolename },
      { command: 'disableClient', username: c.username },
      { command: 'enableClient', username: c.username },
    ];
    await this.bus.publish(CONTROL_TOPIC, JSON.stringify({ commands }), { qos: 1, retain: false });
  }

  /** The registry changed: the roles of the issued `credentials` follow it (nothing sent when no device came or went). */
  async registryChanged(credentials: readonly Pick<CredentialRow, 'username' | 'kind' | 'siteIds'>[]): Promise<void> {
    const before = this.topics;
    const now = this.liveTopics();
    this.topics = now;
    const same = (a?: { topic: string; siteId: string }, b?: { topic: string; siteId: string }) => a?.topic === b?.topic && a?.siteId === b?.siteId;
    const gone = [...before].filter(([id, t]) => !same(now.get(id), t)).map(([id, t]) => [id, t.topic] as const);
    const added = [...now].filter(([id, t]) => !same(before.get(id), t)).map(([id, t]) => [id, t.topic] as const);
    if (gone.length === 0 && added.length === 0) return;
    const commands: object[] = [];
    const acls = (command: 'addRoleACL' | 'removeRoleACL', rolename: string, topic: string) =>
      scoped(topic).map(({ acltype, topic: t, allow }) => (command === 'addRoleACL' ? { command, rolename, acltype, topic: t, allow } : { command, rolename, acltype, topic: t }));
    for (const c of credentials) {
      const rolename = `${c.kind}-${c.username}`;
      if (c.kind === 'device') {
        for (const [id, topic] of gone) if (id === c.username) commands.push(...acls('removeRoleACL', rolename, topic), ...(now.has(id) ? [] : [{ command: 'disableClient', username: c.username }]));
        for (const [id, topic] of added) if (id === c.username) commands.push(...acls('addRoleACL', rolename, topic), { command: 'enableClient', username: c.username });
      } else if (c.siteIds) {
        // Removing an ACL the role never had is a refused command, harmless; the others still run.
        for (const [, topic] of gone) commands.push(...acls('removeRoleACL', rolename, topic));
        for (const [id, topic] of added) if (deviceInScope(this.registry.devices.get(id)!, c.siteIds, this.registry)) commands.push(...acls('addRoleACL', rolename, topic));
      }
    }
    if (commands.length) await this.bus.publish(CONTROL_TOPIC, JSON.stringify({ commands }), { qos: 1, retain: false });
  }

  private liveTopics(): Map<string, { topic: string; siteId: string }> {
    return new Map([...this.registry.devices.values()].map((d) => [d.id, { topic: `${TOPIC_ROOT}/${d.scene}/${d.id}/+`, siteId: d.siteId }]));
  }
}
