/**
 * Who may do what on the broker (docs/contract.md "Roles and access"), as decisions apart
 * from the broker's plumbing: a logged-in user subscribes to live batches, alarms and notices and
 * never publishes; a device publishes only to its own topics; a gateway for the devices of its
 * sites; retained telemetry and events are refused; client ids belong to their identity.
 */
import {
  DEVICE_CHANNELS,
  DEVICE_ID_PATTERN,
  REGISTRY_TOPIC,
  TOPIC_ROOT,
  isScene,
  parseDeviceTopic,
  type Device,
  type RejectReason,
  type Role,
} from '../contracts';
import type { RegistryIndex } from './registry';

/** The identity a connection authenticated as. `key` is what owns client ids. */
export type MqttIdentity =
  | { kind: 'user'; key: string; username: string; role: Role; tokenHash: string }
  | { kind: 'device'; key: string; deviceId: string; secretHash: string }
  | { kind: 'gateway'; key: string; id: string; siteIds: readonly string[] | 'all'; secretHash: string | null };

/** Client ids with this prefix are the app's (browsers'); nobody else may use one. */
export const BROWSER_CLIENT_ID_PREFIX = 'web-';
/** Topic filters one client may hold at once: the app needs five. */
export const MAX_SUBSCRIPTIONS_PER_CLIENT = 50;

/** Topic filters a browser may subscribe to: live batches, alarms and notifications, nothing raw. */
const BROWSER_PREFIXES = [`${TOPIC_ROOT}/live/`, `${TOPIC_ROOT}/alarms/`, `${TOPIC_ROOT}/notify/`];

export type PublishDecision = { ok: true } | { ok: false; reason: RejectReason | null; detail: string };

/** Whether the device's site, or a site above it, is one of `siteIds`. */
export function deviceInScope(device: Device, siteIds: readonly string[] | 'all', registry: RegistryIndex): boolean {
  if (siteIds === 'all') return true;
  const seen = new Set<string>();
  for (let id: string | null | undefined = device.siteId; id && !seen.has(id); id = registry.sites.get(id)?.parentId) {
    if (siteIds.includes(id)) return true;
    seen.add(id);
  }
  return false;
}

function mayActFor(who: MqttIdentity, device: Device, registry: RegistryIndex): boolean {
  if (who.kind === 'device') return who.deviceId === device.id;
  if (who.kind === 'gateway') return deviceInScope(device, who.siteIds, registry);
  return false;
}

/** May `who` publish to `topic`? A refusal with a reason is counted like a rejected message. */
export function decidePublish(who: MqttIdentity, topic: string, retain: boolean, registry: RegistryIndex): PublishDecision {
  if (who.kind === 'user') return { ok: false, reason: null, detail: 'browsers never publish' };
  const t = parseDeviceTopic(topic);
  if (!t) return { ok: false, reason: 'bad_topic', detail: `${topic} is not a device topic` };
  const device = registry.devices.get(t.deviceId);
  if (!device || device.scene !== t.scene) return { ok: false, reason: 'unknown_device', detail: `${t.scene}/${t.deviceId} is not a registered device` };
  if (!mayActFor(who, device, registry)) return { ok: false, reason: 'forbidden', detail: `${who.key} may not publish for ${t.deviceId}` };
  // Only status is retained (it is the device's Last Will too); a retained reading would replay forever.
  if (retain && t.channel !== 'status') return { ok: false, reason: 'retained', detail: `retain refused on ${t.channel} of ${t.deviceId}` };
  return ALLOWED;
}

/** One answer for every allowed publish (asked for every message). */
const ALLOWED: PublishDecision = Object.freeze({ ok: true });

/** May `who` subscribe to `filter`? */
export function decideSubscribe(who: MqttIdentity, filter: string, registry: RegistryIndex): boolean {
  if (who.kind === 'user') return filter === REGISTRY_TOPIC || BROWSER_PREFIXES.some((p) => filter.startsWith(p));
  // Devices and gateways: their own devices' topics (e.g. to read back a retained status), nothing else.
  const parts = filter.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) return false;
  const [, , scene, id, channel] = parts;
  if (channel !== '+' && channel !== '#' && !(DEVICE_CHANNELS as readonly string[]).includes(channel)) return false;
  if (who.kind === 'gateway' && who.siteIds === 'all') {
    return (scene === '+' || isScene(scene)) && (id === '+' || DEVICE_ID_PATTERN.test(id));
  }
  const device = registry.devices.get(id);
  return !!device && device.scene === scene && mayActFor(who, device, registry);
}

/**
 * Whether `who` may connect with `clientId` while `holder` (the identity key of the session that
 * holds it, if any) has it: never a takeover by another identity, and `web-` for browsers only.
 * Answers why not, or null.
 */
export function clientIdRefusal(who: MqttIdentity, clientId: string, holder: string | undefined): string | null {
  if (clientId.startsWith(BROWSER_CLIENT_ID_PREFIX) && who.kind !== 'user') return `client id ${clientId}: the ${BROWSER_CLIENT_ID_PREFIX} prefix is for browsers`;
  if (holder !== undefined && holder !== who.key) return `client id ${clientId} is held by another identity`;
  return null;
}

/**
 * Whether an event's `spaceId` is the sending device's own site or a site below it: an access
 * terminal of one plant may not open a permit in another plant's space. Answers why not, or null.
 */
export function eventScopeRefusal(device: Device, event: { type: string; spaceId?: unknown }, registry: Pick<RegistryIndex, 'sites'>): string | null {
  if (typeof event.spaceId !== 'string') return null;
  const seen = new Set<string>();
  for (let id: string | null | undefined = event.spaceId; id && !seen.has(id); id = registry.sites.get(id)?.parentId) {
    if (id === device.siteId) return null;
    seen.add(id);
  }
  return `${device.id} (site ${device.siteId}) may not report ${event.type} for ${event.spaceId}`;
}
