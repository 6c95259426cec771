import { describe, expect, it } from 'vitest';
import { deviceListAnswerSchema, surelyDevice } from './deviceList';
import { deviceListSchema } from './service';
import { handCheckedListCases } from './handCheckCases';
import { checkAnswer } from './shared';

const DEVICE = {
  id: 'kq-p1-s1-gas-lower',
  scene: 'confined',
  siteId: 'kq-p1-s1',
  kind: 'gas_detector',
  name: 'Pit 1 lower',
  nameZh: '1号池 下',
  position: [120.7, 30.21, -3],
  quantities: ['h2s_ppm', 'o2_pct'],
  intervalS: 5,
  level: 'lower',
  limits: { h2s_ppm: { high: 10, highHigh: 20 } },
};
const CAMERA = { ...DEVICE, id: 'cam-1', kind: 'camera', quantities: [], level: undefined, limits: undefined, headingDeg: 90, pitchDeg: -20, fovDeg: 60, rangeM: 80, stream: { url: 'rtsp://x' } };

const good: [string, unknown][] = [
  ['a gas detector with limits', DEVICE],
  ['a camera with its view and stream', CAMERA],
  ['a device of a kind this app does not draw', { ...DEVICE, kind: 'sonar', level: undefined }],
];
const bad: [string, unknown][] = [
  ['a device of a scene that does not exist', { ...DEVICE, scene: 'flood' }],
  ['a position without its height', { ...DEVICE, position: [120.7, 30.21] }],
  ['a position with a string in it', { ...DEVICE, position: [120.7, '30.21', 0] }],
  ['an empty id', { ...DEVICE, id: '' }],
  ['a name that is not text', { ...DEVICE, name: 7 }],
  ['a quantity that does not exist', { ...DEVICE, quantities: ['h2s_ppm', 'mood'] }],
  ['no interval', { ...DEVICE, intervalS: undefined }],
  ['a level that does not exist', { ...DEVICE, level: 'attic' }],
  ['a level of null', { ...DEVICE, level: null }],
  ['a limit on a quantity that does not exist', { ...DEVICE, limits: { mood: { high: 1 } } }],
  ['a limit that is text', { ...DEVICE, limits: { h2s_ppm: { high: '10' } } }],
  ['a camera heading that is text', { ...CAMERA, headingDeg: 'north' }],
  ['a device that is a list', [DEVICE.id]],
];

describe('the device list checked by hand', () => {
  handCheckedListCases({ surely: surelyDevice, schema: deviceListSchema, answerSchema: deviceListAnswerSchema, good, bad, before: [DEVICE], notLists: [{ devices: [DEVICE] }, null, 'devices'] });

  it('keeps a field this app does not know, as a newer service may send one', () => {
    const list = [DEVICE, { ...DEVICE, id: 'x', installedBy: { crew: 4 } }];
    expect(checkAnswer(deviceListAnswerSchema, list)).toEqual({ ok: true, value: list });
  });
});
