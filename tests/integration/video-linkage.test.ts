/**
 * Video linkage and video-AI events in the real service (no ffmpeg needed: VIDEO=0): every alarm
 * carries the cameras that see its place, nearest first, stored with it; a `video.detection`
 * raises `video_{kind}` on its camera with the severity of what the camera watches, in both
 * languages, with the snapshot, and clears after the hold; detections for someone else's camera
 * are refused and counted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic, servicePlaylistPath, type Device, type Registry } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { CONTENT_SECURITY_POLICY } from '../../src/server/api/guard';
import { FIXTURE_REGISTRY, api, deviceClient, login, publish, removeDir, startTestService, tempDataDir, waitFor } from './helpers';

const PIT = [120.7001, 30.2101];
const CRASH = [120.195, 29.835]; // on the fixture's expressway segment t-seg

/** `[lon, lat]` `eastM` east and `northM` north of `at`. */
const offset = (at: number[], eastM: number, northM: number) => [at[0] + eastM / (111_320 * Math.cos((at[1] * Math.PI) / 180)), at[1] + northM / 111_320];
const bearing = (from: number[], to: number[]) => {
  const e = (to[0] - from[0]) * Math.cos((from[1] * Math.PI) / 180);
  const n = to[1] - from[1];
  return ((Math.atan2(e, n) * 180) / Math.PI + 360) % 360;
};

/** A camera on a pole at `from`, aimed at `target` (or `headingDeg`). */
function camera(id: string, scene: Device['scene'], siteId: string, from: number[], target: number[] | number, rangeM: number): Device {
  return {
    id,
    scene,
    siteId,
    kind: 'camera',
    name: `Camera ${id}`,
    nameZh: `${id}摄像机`,
    position: [from[0], from[1], 6],
    quantities: [],
    intervalS: 60,
    headingDeg: Math.round((typeof target === 'number' ? target : bearing(from, target)) * 10) / 10,
    pitchDeg: -15,
    fovDeg: 60,
    rangeM,
    stream: { hls: servicePlaylistPath(id) },
  } as Device;
}

function registry(): Registry {
  const r = JSON.parse(readFileSync(FIXTURE_REGISTRY, 'utf8')) as Registry;
  r.devices.push(
    camera('l-far', 'confined', 't-plant', offset(PIT, 0, -40), PIT, 60),
    camera('l-near', 'confined', 't-pit', offset(PIT, -10, -10), PIT, 60),
    camera('l-away', 'confined', 't-plant', offset(PIT, 0, -20), 180, 60), // looks south, away from the pit
    camera('l-short', 'confined', 't-plant', offset(PIT, 30, 0), PIT, 20), // aimed at it, out of range
    camera('l-park', 'park', 't-tank', offset(PIT, 5, -5), PIT, 60), // another scene's camera sees nothing of this one
    camera('l-g60', 'roads', 't-seg', offset(CRASH, 20, 150), CRASH, 400),
  );
  return r;
}

describe('video linkage and video-AI events in the service', () => {
  const dataDir = tempDataDir();
  let clock = Date.now();
  let svc: Service;
  let token: string;
  let device: MqttClient;
  const start = async () => {
    svc = await startTestService(dataDir, { REGISTRY: join(dataDir, 'registry.json'), VIDEO: '0' }, { now: () => clock });
    token = await login(svc, 'admin');
    device = await deviceClient(svc);
  };
  const alarm = (pred: (a: any) => boolean, what: string) =>
    waitFor(what, async () => ((await api<any[]>(svc, '/api/alarms?state=all', { token })).body).find(pred), 8000, 50);
  const event = (scene: Device['scene'], deviceId: string, body: Record<string, unknown>) =>
    publish(device, deviceTopic(scene, deviceId, 'event'), { ts: clock, ...body });
  const detection = (cameraId: string, kind: string, extra: Record<string, unknown> = {}, from = cameraId, scene: Device['scene'] = 'confined') =>
    event(scene, from, { type: 'video.detection', cameraId, kind, confidence: 0.9, ...extra });

  beforeAll(async () => {
    writeFileSync(join(dataDir, 'registry.json'), JSON.stringify(registry()));
    await start();
  });
  afterAll(async () => {
    device?.end(true);
    await svc?.close();
    removeDir(dataDir);
  });

  it('a gas alarm in the pit carries the cameras that see it, nearest first, and keeps them across a restart', async () => {
    await publish(device, deviceTopic('confined', 't-gas-lower', 'telemetry'), { ts: clock, values: { h2s_ppm: 30, o2_pct: 20.9 } });
    const a = await alarm((x) => x.deviceId === 't-gas-lower' && x.rule === 'h2s_ppm_high', 'the H2S alarm');
    expect(a.cameraIds).toEqual(['l-near', 'l-far']);
    device.end(true);
    await svc.close();
    await start();
    const again = await alarm((x) => x.id === a.id, 'the same alarm after the restart');
    expect(again.cameraIds).toEqual(['l-near', 'l-far']);
  });

  it('a road incident is placed where it was reported, not at its segment: the G60 camera there', async () => {
    await event('roads', 't-op-1', { type: 'incident', incidentId: 'I-1', kind: 'crash', segmentId: 't-seg', lonDeg: CRASH[0], latDeg: CRASH[1], state: 'open' });
    const a = await alarm((x) => x.rule === 'incident', 'the incident alarm');
    expect(a.cameraIds).toEqual(['l-g60']);
  });

  it('fire seen by a camera: critical video_fire on that camera, first in its cameras, named in both languages, with the snapshot', async () => {
    await detection('l-far', 'fire', { snapshotUrl: '/snapshots/l-far/1.jpg' });
    const a = await alarm((x) => x.rule === 'video_fire', 'the fire alarm');
    expect(a).toMatchObject({ deviceId: 'l-far', siteId: 't-plant', severity: 'critical', state: 'active_unack', value: 0.9 });
    expect(a.cameraIds[0]).toBe('l-far');
    expect(a.detail).toMatchObject({ code: 'video', params: { kind: 'fire', cameraId: 'l-far', snapshotUrl: '/snapshots/l-far/1.jpg' } });
    expect(a.message).toMatch(/^video: fire/);
    expect(a.messageZh).toContain('火焰');
    expect(a.messageZh).toContain('l-far摄像机');
  });

  it('an intrusion at the pit opening is a warning while it is empty and major once someone is inside', async () => {
    await detection('l-near', 'intrusion');
    const empty = await alarm((x) => x.rule === 'video_intrusion' && x.deviceId === 'l-near', 'the intrusion alarm');
    expect(empty.severity).toBe('warning');
    await event('confined', 't-access', { type: 'entry', spaceId: 't-pit', personId: 'w1' });
    await waitFor('someone inside', async () => (await api<any[]>(svc, '/api/alarms', { token })).body.some((x) => x.rule === 'evacuate'));
    await detection('l-near', 'intrusion', { ts: clock + 1 }); // a new detection (the same ts would be a duplicate)
    const occupied = await alarm((x) => x.id === empty.id && x.severity === 'major', 'the intrusion alarm at major');
    expect(occupied.detail.params.place).toBe('occupied_opening');
    expect(occupied.messageZh).toContain('有人作业的出入口');
  });

  it('a stopped vehicle seen on the expressway is a major incident candidate; a helmet missing is minor', async () => {
    await detection('l-g60', 'vehicle_stopped', {}, 'l-g60', 'roads');
    const a = await alarm((x) => x.rule === 'video_vehicle_stopped', 'the stopped-vehicle alarm');
    expect(a).toMatchObject({ severity: 'major', detail: { params: { place: 'expressway', incidentCandidate: true } } });
    expect(a.message).toContain('possible incident');
    expect(a.messageZh).toContain('疑似交通事件');
    await detection('l-away', 'no_helmet');
    expect((await alarm((x) => x.rule === 'video_no_helmet', 'the helmet alarm')).severity).toBe('minor');
  });

  it('refuses, counted as forbidden, a detection for a camera that is not the sender, not a camera, or of another scene', async () => {
    const forbidden = async () => (await api(svc, '/api/health')).body.messages.rejected.forbidden ?? 0;
    const before = await forbidden();
    await detection('l-far', 'smoke', {}, 'l-near'); // one camera speaking for another
    await detection('t-gas-lower', 'smoke', {}, 't-access'); // not a camera
    await detection('l-park', 'smoke', {}, 't-access'); // a park camera from a confined device
    await waitFor('three refusals', async () => (await forbidden()) >= before + 3);
    expect((await api<any[]>(svc, '/api/alarms?state=all', { token })).body.filter((x) => x.rule === 'video_smoke')).toEqual([]);
    // A gateway's terminal speaking for a camera of its own scene is how a video-AI box reports.
    await detection('l-away', 'smoke', {}, 't-access');
    expect((await alarm((x) => x.rule === 'video_smoke', 'the smoke alarm')).deviceId).toBe('l-away');
  });

  it('clears two minutes after the last detection and waits for its acknowledgement', async () => {
    const fire = await alarm((x) => x.rule === 'video_fire', 'the fire alarm');
    clock += 121_000;
    const cleared = await alarm((x) => x.id === fire.id && x.state === 'cleared_unack', 'the fire alarm cleared');
    expect(cleared.active).toBe(false);
  });

  it('the page policy lets the player load same-origin HLS and play it from blob: media, and nothing else', () => {
    const csp = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(csp['media-src']).toEqual(["'self'", 'blob:']);
    expect(csp['connect-src']).toEqual(["'self'"]);
  });
});
