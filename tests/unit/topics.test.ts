import { describe, expect, it } from 'vitest';
import {
  ALARMS_WILDCARD,
  alarmTopic,
  DEVICE_WILDCARD,
  deviceTopic,
  LIVE_WILDCARD,
  liveTopic,
  parseAlarmTopic,
  parseDeviceTopic,
  parseLiveTopic,
  type DeviceChannel,
  type Scene,
} from '../../src/contracts';

const SCENES: Scene[] = ['confined', 'park', 'roads'];
const CHANNELS: DeviceChannel[] = ['telemetry', 'event', 'status'];

/** MQTT 3.1.1 §4.7 topic-filter matching (`+` one level, `#` the rest), to check the wildcards. */
function matches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

describe('device topics citytwin/v1/{scene}/{deviceId}/{channel}', () => {
  const combos = SCENES.flatMap((scene) => CHANNELS.map((channel) => ({ scene, channel })));

  it.each(combos)('builds and parses back the $channel topic of a $scene device', ({ scene, channel }) => {
    const topic = deviceTopic(scene, 'kq-GD_01', channel);
    expect(topic).toBe(`citytwin/v1/${scene}/kq-GD_01/${channel}`);
    expect(parseDeviceTopic(topic)).toEqual({ scene, deviceId: 'kq-GD_01', channel });
  });

  it.each([
    { what: 'a 1-character id', id: 'a' },
    { what: 'a 64-character id', id: 'd'.repeat(64) },
    { what: 'an id of every allowed character class', id: 'AZaz09_-' },
    { what: 'an all-digit id', id: '0042' },
  ])('accepts $what', ({ id }) => {
    expect(parseDeviceTopic(`citytwin/v1/park/${id}/telemetry`)).toEqual({ scene: 'park', deviceId: id, channel: 'telemetry' });
  });

  it.each([
    { what: 'an unknown scene', topic: 'citytwin/v1/city/gd-1/telemetry' },
    { what: 'a scene in capitals', topic: 'citytwin/v1/Confined/gd-1/telemetry' },
    { what: 'the live topic', topic: 'citytwin/v1/live/confined' },
    { what: 'an alarm topic', topic: 'citytwin/v1/alarms/a-1' },
    { what: 'a 65-character device id', topic: `citytwin/v1/park/${'d'.repeat(65)}/telemetry` },
    { what: 'an empty device id', topic: 'citytwin/v1/park//telemetry' },
    { what: 'a device id with a dot', topic: 'citytwin/v1/park/gd.1/telemetry' },
    { what: 'a device id with a space', topic: 'citytwin/v1/park/gd 1/telemetry' },
    { what: 'a device id that is a wildcard +', topic: 'citytwin/v1/park/+/telemetry' },
    { what: 'a device id with #', topic: 'citytwin/v1/park/gd#1/telemetry' },
    { what: 'a device id with a colon', topic: 'citytwin/v1/park/gd:1/telemetry' },
    { what: 'a device id in Chinese', topic: 'citytwin/v1/park/储罐1/telemetry' },
    { what: 'an unknown channel', topic: 'citytwin/v1/park/gd-1/events' },
    { what: 'a channel in capitals', topic: 'citytwin/v1/park/gd-1/Telemetry' },
    { what: 'no channel', topic: 'citytwin/v1/park/gd-1' },
    { what: 'a trailing slash', topic: 'citytwin/v1/park/gd-1/telemetry/' },
    { what: 'an extra level', topic: 'citytwin/v1/park/gd-1/telemetry/extra' },
    { what: 'another contract version', topic: 'citytwin/v2/park/gd-1/telemetry' },
    { what: 'another root', topic: 'cityTwin/v1/park/gd-1/telemetry' },
    { what: 'a leading slash', topic: '/citytwin/v1/park/gd-1/telemetry' },
    { what: 'an empty topic', topic: '' },
  ])('rejects $what', ({ topic }) => {
    expect(parseDeviceTopic(topic)).toBeNull();
  });

  it.each(combos)('DEVICE_WILDCARD matches the $channel topic of a $scene device', ({ scene, channel }) => {
    expect(matches(DEVICE_WILDCARD, deviceTopic(scene, 'gd-1', channel))).toBe(true);
  });
});

describe('live topics citytwin/v1/live/{scene}', () => {
  it.each(SCENES)('builds and parses back the live topic of %s', (scene) => {
    const topic = liveTopic(scene);
    expect(topic).toBe(`citytwin/v1/live/${scene}`);
    expect(parseLiveTopic(topic)).toBe(scene);
    expect(matches(LIVE_WILDCARD, topic)).toBe(true);
  });

  it.each([
    'citytwin/v1/live/city',
    'citytwin/v1/live/',
    'citytwin/v1/live/roads/extra',
    'citytwin/v1/roads/gd-1/telemetry',
    'citytwin/v2/live/roads',
    'citytwin/v1/alarms/roads',
  ])('rejects %s', (topic) => {
    expect(parseLiveTopic(topic)).toBeNull();
  });

  it('LIVE_WILDCARD does not match raw device topics (browsers take batches only)', () => {
    expect(matches(LIVE_WILDCARD, deviceTopic('roads', 'td-1', 'telemetry'))).toBe(false);
  });
});

describe('alarm topics citytwin/v1/alarms/{alarmId}', () => {
  it.each(['kq-gd-1-h2s_ppm_high-mih3x2', 'a', 'seg.12-fog-1'])('builds and parses back the topic of alarm %s', (id) => {
    const topic = alarmTopic(id);
    expect(topic).toBe(`citytwin/v1/alarms/${id}`);
    expect(parseAlarmTopic(topic)).toBe(id);
    expect(matches(ALARMS_WILDCARD, topic)).toBe(true);
  });

  it.each([
    { what: 'no id', topic: 'citytwin/v1/alarms/' },
    { what: 'a nested id', topic: 'citytwin/v1/alarms/a/b' },
    { what: 'a device topic', topic: 'citytwin/v1/confined/gd-1/event' },
    { what: 'another version', topic: 'citytwin/v2/alarms/a-1' },
    { what: 'the alarms root itself', topic: 'citytwin/v1/alarms' },
  ])('rejects $what', ({ topic }) => {
    expect(parseAlarmTopic(topic)).toBeNull();
  });

  it('ALARMS_WILDCARD does not match device or live topics', () => {
    expect(matches(ALARMS_WILDCARD, deviceTopic('park', 'gd-1', 'telemetry'))).toBe(false);
    expect(matches(ALARMS_WILDCARD, liveTopic('park'))).toBe(false);
  });
});
