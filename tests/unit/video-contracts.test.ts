import { describe, expect, it } from 'vitest';
import {
  cameraProblem,
  deviceListSchema,
  isCamera,
  isValidCamera,
  parseAlarmRecord,
  servicePlaylistPath,
  validateEvent,
  videoRuleName,
  type AlarmRecord,
  type CameraDevice,
} from '../../src/contracts';

const NOW = 1_764_300_000_000;
const titled = <T extends { what: string }>(rows: T[]): [string, T][] => rows.map((r) => [r.what, r]);

const camera: CameraDevice = {
  id: 'sy-cam-tf1',
  scene: 'park',
  siteId: 'sy-tf1',
  kind: 'camera',
  name: 'Hengyu tank farm camera',
  nameZh: '恒宇罐区摄像机',
  position: [120.87, 30.19, 12],
  quantities: [],
  intervalS: 60,
  headingDeg: 45,
  pitchDeg: -15,
  fovDeg: 60,
  rangeM: 250,
  stream: { hls: servicePlaylistPath('sy-cam-tf1') },
};

describe('cameras in the registry', () => {
  it('a camera with its view and an HLS or WHEP stream is valid', () => {
    expect(cameraProblem(camera)).toBeNull();
    expect(cameraProblem({ ...camera, stream: { whep: 'https://nvr.example/cam7/whep' } })).toBeNull();
    expect(cameraProblem({ ...camera, stream: { hls: 'http://10.0.0.5:8888/cam7/index.m3u8' } })).toBeNull();
    expect(isCamera(camera)).toBe(true);
    expect(isCamera({ kind: 'gas_detector' })).toBe(false);
  });

  it('the service serves its own streams at /api/video/{id}/index.m3u8', () => {
    expect(servicePlaylistPath('kq-cam-01')).toBe('/api/video/kq-cam-01/index.m3u8');
  });

  it.each(
    titled([
      { what: 'heading of 360° (use 0)', patch: { headingDeg: 360 }, field: 'headingDeg' },
      { what: 'negative heading', patch: { headingDeg: -1 }, field: 'headingDeg' },
      { what: 'pitch below straight down', patch: { pitchDeg: -91 }, field: 'pitchDeg' },
      { what: 'no field of view', patch: { fovDeg: 0 }, field: 'fovDeg' },
      { what: 'field of view over 360°', patch: { fovDeg: 361 }, field: 'fovDeg' },
      { what: 'no range', patch: { rangeM: 0 }, field: 'rangeM' },
      { what: 'a range that is not a number', patch: { rangeM: Number.NaN }, field: 'rangeM' },
      { what: 'no stream', patch: { stream: undefined }, field: 'stream' },
      { what: 'an RTSP stream (browsers cannot play it)', patch: { stream: { rtsp: 'rtsp://cam/1' } }, field: 'stream' },
      { what: 'both HLS and WHEP', patch: { stream: { hls: '/a.m3u8', whep: '/b' } }, field: 'stream' },
      { what: 'a javascript: URL', patch: { stream: { hls: 'javascript:alert(1)' } }, field: 'stream' },
      { what: 'a protocol-relative URL to another host', patch: { stream: { hls: '//evil.example/x.m3u8' } }, field: 'stream' },
    ]),
  )('refuses %s', (_, { patch, field }) => {
    expect(cameraProblem({ ...camera, ...patch })).toMatch(new RegExp(`^${field}`));
  });
});

describe('event video.detection', () => {
  const ok = { ts: NOW, type: 'video.detection', cameraId: 'sy-cam-tf1', kind: 'smoke', confidence: 0.87 };

  it('is accepted with its fields, and with a snapshot', () => {
    expect(validateEvent(ok, NOW)).toEqual({ ok: true, value: ok });
    const snap = { ...ok, snapshotUrl: 'https://ai-box.local/snap/123.jpg' };
    expect(validateEvent(snap, NOW)).toMatchObject({ ok: true, value: { snapshotUrl: snap.snapshotUrl } });
    expect(validateEvent({ ...ok, snapshotUrl: '/snapshots/123.jpg' }, NOW).ok).toBe(true);
    expect(videoRuleName(ok.kind)).toBe('video_smoke');
  });

  it.each(
    titled([
      { what: 'no cameraId', patch: { cameraId: undefined } },
      { what: 'an empty cameraId', patch: { cameraId: '' } },
      { what: 'no kind', patch: { kind: undefined } },
      { what: 'a kind that is no identifier (it becomes a rule name)', patch: { kind: 'Fire!' } },
      { what: 'a kind too long for a rule name', patch: { kind: 'x'.repeat(33) } },
      { what: 'a confidence above 1', patch: { confidence: 1.2 } },
      { what: 'a negative confidence', patch: { confidence: -0.1 } },
      { what: 'a confidence as a string', patch: { confidence: '0.9' } },
      { what: 'a javascript: snapshot', patch: { snapshotUrl: 'javascript:alert(1)' } },
      { what: 'a data: snapshot', patch: { snapshotUrl: 'data:image/png;base64,AAAA' } },
    ]),
  )('is rejected as bad_schema with %s', (_, { patch }) => {
    const r = validateEvent({ ...ok, ...patch }, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reject.reason).toBe('bad_schema');
  });
});

describe('alarm records may carry cameraIds', () => {
  const record: AlarmRecord = {
    id: 'a1',
    scene: 'park',
    siteId: 'sy-tf1',
    deviceId: 'sy-tf1-t1-sensor',
    rule: 'temp_c_high',
    severity: 'critical',
    state: 'active_unack',
    message: 'temp_c 47 ≥ 45',
    value: 47,
    threshold: 45,
    raisedAt: NOW,
    updatedAt: NOW,
    clearedAt: null,
    ackedAt: null,
    ackedBy: null,
  };

  it('nearest first, as given; a v1 record without them stays valid', () => {
    expect(parseAlarmRecord({ ...record, cameraIds: ['sy-cam-tf1', 'sy-cam-gate'] })?.cameraIds).toEqual(['sy-cam-tf1', 'sy-cam-gate']);
    expect(parseAlarmRecord({ ...record, cameraIds: [] })?.cameraIds).toEqual([]);
    expect(parseAlarmRecord(record)).toEqual(record);
  });

  it('refuses cameraIds that are not a list of ids', () => {
    expect(parseAlarmRecord({ ...record, cameraIds: 'sy-cam-tf1' })).toBeNull();
    expect(parseAlarmRecord({ ...record, cameraIds: [''] })).toBeNull();
    expect(parseAlarmRecord({ ...record, cameraIds: [7] })).toBeNull();
  });
});

describe('the browser reads cameras from GET /api/devices with their view and stream', () => {
  it('keeps a camera\'s heading, pitch, field of view, range and stream', () => {
    const [d] = deviceListSchema.parse([camera]);
    expect(d).toMatchObject({ headingDeg: 45, pitchDeg: -15, fovDeg: 60, rangeM: 250, stream: camera.stream });
    expect(isValidCamera(d)).toBe(true);
  });

  it('a malformed camera does not take the device list with it: it is only not drawn or played', () => {
    const [bad, ok] = deviceListSchema.parse([{ ...camera, id: 'odd', stream: { hls: 'javascript:alert(1)' }, fovDeg: undefined }, camera]);
    expect(isCamera(bad)).toBe(true);
    expect(isValidCamera(bad)).toBe(false);
    expect(isValidCamera(ok)).toBe(true);
  });
});
