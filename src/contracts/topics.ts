import { isScene, type Scene } from './scenes';

/** Root of every CityTwin topic, with the contract version. */
export const TOPIC_ROOT = 'citytwin/v1';
export const DEVICE_CHANNELS = ['telemetry', 'event', 'status'] as const;
export type DeviceChannel = (typeof DEVICE_CHANNELS)[number];

/** `[A-Za-z0-9_-]{1,64}`, docs/contract.md "MQTT topics". */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function deviceTopic(scene: Scene, deviceId: string, channel: DeviceChannel): string {
  return `${TOPIC_ROOT}/${scene}/${deviceId}/${channel}`;
}

export function liveTopic(scene: Scene): string {
  return `${TOPIC_ROOT}/live/${scene}`;
}

export function alarmTopic(alarmId: string): string {
  return `${TOPIC_ROOT}/alarms/${alarmId}`;
}

/** Notifications of escalated alarms, service → subscribers. */
export function notificationTopic(scene: Scene): string {
  return `${TOPIC_ROOT}/notify/${scene}`;
}

export const ALARMS_WILDCARD = `${TOPIC_ROOT}/alarms/#`;
export const LIVE_WILDCARD = `${TOPIC_ROOT}/live/+`;
/** Everything devices publish: scene / device / channel. */
export const DEVICE_WILDCARD = `${TOPIC_ROOT}/+/+/+`;

export interface DeviceTopic {
  scene: Scene;
  deviceId: string;
  channel: DeviceChannel;
}

/**
 * Topics parsed lately: a device publishes on the same few topics all day, and the broker parses
 * each message's topic twice (access, ingest). Bounded: emptied when it holds this many.
 */
const parsedTopics = new Map<string, Readonly<DeviceTopic> | null>();
const PARSED_TOPICS_MAX = 100_000;

/** Parses `citytwin/v1/{scene}/{deviceId}/{channel}`; null for anything else (live, alarms, bad ids). */
export function parseDeviceTopic(topic: string): Readonly<DeviceTopic> | null {
  let t = parsedTopics.get(topic);
  if (t !== undefined) return t;
  t = parseTopic(topic);
  if (parsedTopics.size >= PARSED_TOPICS_MAX) parsedTopics.clear();
  parsedTopics.set(topic, t && Object.freeze(t));
  return t;
}

function parseTopic(topic: string): DeviceTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) return null;
  const [, , scene, deviceId, channel] = parts;
  if (!isScene(scene) || !DEVICE_ID_PATTERN.test(deviceId)) return null;
  if (!(DEVICE_CHANNELS as readonly string[]).includes(channel)) return null;
  return { scene, deviceId, channel: channel as DeviceChannel };
}

/** The alarm id of an `alarms/{id}` topic, or null. */
export function parseAlarmTopic(topic: string): string | null {
  const prefix = `${TOPIC_ROOT}/alarms/`;
  if (!topic.startsWith(prefix)) return null;
  const id = topic.slice(prefix.length);
  return id.length > 0 && !id.includes('/') ? id : null;
}

/** The scene of a `live/{scene}` topic, or null. */
export function parseLiveTopic(topic: string): Scene | null {
  const prefix = `${TOPIC_ROOT}/live/`;
  if (!topic.startsWith(prefix)) return null;
  const scene = topic.slice(prefix.length);
  return isScene(scene) ? scene : null;
}
