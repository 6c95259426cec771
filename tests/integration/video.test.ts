/**
 * The demo's camera streams from the real service with Debian's ffmpeg: a live HLS playlist whose
 * segments advance, served only with a login (segments too), "no signal" without an encoder or with
 * VIDEO=0, and an encoder that comes back after it dies.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic, servicePlaylistPath, type Device, type Registry } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { FIXTURE_REGISTRY, api, deviceClient, login, publish, removeDir, startWithRegistry, tempDataDir, waitFor } from './helpers';
import { childrenOf, isRunning } from './procs';

const camera = (id: string, nameZh: string, stream: Device['position'] | { hls: string } | { whep: string }): Device =>
  ({
    id,
    scene: 'confined',
    siteId: 't-pit',
    kind: 'camera',
    name: `Camera ${id}`,
    nameZh,
    position: [120.7, 30.2099, 6],
    quantities: [],
    intervalS: 60,
    headingDeg: 30,
    pitchDeg: -20,
    fovDeg: 60,
    rangeM: 50,
    stream,
  }) as Device;

/** The fixture registry plus two demo cameras (fed by the service) and one of an outside media server. */
function registryWithCameras(): Registry {
  const r = JSON.parse(readFileSync(FIXTURE_REGISTRY, 'utf8')) as Registry;
  r.devices.push(
    camera('t-cam-pit', '测试污水池开口摄像机', { hls: servicePlaylistPath('t-cam-pit') }),
    camera('t-cam-gate', '测试大门摄像机', { hls: servicePlaylistPath('t-cam-gate') }),
    camera('t-cam-nvr', '外部录像机摄像机', { hls: 'http://127.0.0.1:9/nvr/cam7/index.m3u8' }),
  );
  return r;
}

/** What a playlist says: its media sequence, the segments and each one's program date-time. */
function parsePlaylist(text: string): { sequence: number; segments: string[]; dates: number[] } {
  const sequence = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? NaN);
  const segments = text.split('\n').filter((l) => l && !l.startsWith('#'));
  const dates = [...text.matchAll(/#EXT-X-PROGRAM-DATE-TIME:(\S+)/g)].map((m) => Date.parse(m[1]));
  return { sequence, segments, dates };
}

const get = (svc: Service, path: string, token?: string) =>
  fetch(svc.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('demo camera streams with ffmpeg', () => {
  const dataDir = tempDataDir();
  let svc: Service;
  let token: string;

  beforeAll(async () => {
    svc = await startWithRegistry(dataDir, registryWithCameras(), { VIDEO: '1' });
    token = await login(svc, 'park_manager');
  });
  afterAll(async () => {
    await svc?.close();
    removeDir(dataDir);
  });

  const live = (id: string) => waitFor(`${id} live`, async () => (await api(svc, `/api/video/${id}`, { token })).body.state === 'live', 20_000, 200);

  it('lists every camera with what can be played: the demo ones live, the media server one as external', async () => {
    await live('t-cam-pit');
    await live('t-cam-gate');
    const r = await api(svc, '/api/video', { token });
    expect(r.status).toBe(200);
    const byId = Object.fromEntries(r.body.cameras.map((c: any) => [c.cameraId, c]));
    expect(byId['t-cam-pit']).toEqual({ cameraId: 't-cam-pit', state: 'live', stream: { hls: '/api/video/t-cam-pit/index.m3u8' } });
    expect(byId['t-cam-nvr']).toMatchObject({ state: 'external', stream: { hls: 'http://127.0.0.1:9/nvr/cam7/index.m3u8' } });
    expect((await api(svc, '/api/video?scene=roads', { token })).body.cameras).toEqual([]);
    expect((await api(svc, '/api/video/t-gas-lower', { token })).status).toBe(404);
  });

  it('serves a live playlist whose segments advance, each stamped with its wall-clock time', async () => {
    await live('t-cam-pit');
    const res = await get(svc, '/api/video/t-cam-pit/index.m3u8', token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/vnd\.apple\.mpegurl/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const first = parsePlaylist(await res.text());
    expect(first.segments.length).toBeGreaterThan(0);
    expect(first.dates.length).toBe(first.segments.length);
    expect(Math.abs(first.dates.at(-1)! - Date.now())).toBeLessThan(15_000);

    const later = await waitFor(
      'a newer segment',
      async () => {
        const p = parsePlaylist(await (await get(svc, '/api/video/t-cam-pit/index.m3u8', token)).text());
        return p.segments.at(-1) !== first.segments.at(-1) ? p : null;
      },
      15_000,
      250,
    );
    expect(later.sequence + later.segments.length).toBeGreaterThan(first.sequence + first.segments.length);
    expect(later.dates.at(-1)!).toBeGreaterThan(first.dates.at(-1)!);
  });

  it('serves segments as real H.264 video of the demo size', async () => {
    await live('t-cam-gate');
    const { segments } = parsePlaylist(await (await get(svc, '/api/video/t-cam-gate/index.m3u8', token)).text());
    const res = await get(svc, `/api/video/t-cam-gate/${segments.at(-1)}`, token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp2t');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes[0]).toBe(0x47); // MPEG-TS sync byte
    const file = join(dataDir, 'probe.ts');
    writeFileSync(file, bytes);
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'json', file], { encoding: 'utf8' }));
    expect(probe.streams[0]).toMatchObject({ codec_name: 'h264', width: 320, height: 180 });
  });

  it('refuses the playlist and the segments without a login, under any spelling of the path', async () => {
    await live('t-cam-pit');
    const { segments } = parsePlaylist(await (await get(svc, '/api/video/t-cam-pit/index.m3u8', token)).text());
    const seg = segments.at(-1)!;
    for (const path of [
      '/api/video',
      '/api/video/t-cam-pit',
      '/api/video/t-cam-pit/index.m3u8',
      `/api/video/t-cam-pit/${seg}`,
      `/%61pi/video/t-cam-pit/${seg}`,
      '/%61pi/video/t-cam-pit/index.m3u8',
      `/api/video/t-cam-pit/${seg}?token=x`,
    ]) {
      const res = await get(svc, path);
      expect(res.status, path).toBe(401);
      await res.arrayBuffer();
    }
    expect((await get(svc, `/api/video/t-cam-pit/${seg}`, 'not-a-token')).status).toBe(401);
    expect((await get(svc, `/api/video/t-cam-pit/${seg}`, token)).status).toBe(200);
  });

  it('serves nothing else from the stream folder, and no other camera or device', async () => {
    for (const path of [
      '/api/video/t-cam-pit/label.txt',
      '/api/video/t-cam-pit/index.m3u8.tmp',
      '/api/video/t-cam-pit/..%2F..%2Fcitytwin.db',
      '/api/video/t-cam-pit/seg1.ts', // a segment name that is not (or no longer) in the stream
      '/api/video/..%2Fvideo%2Ft-cam-pit/index.m3u8',
      '/api/video/t-gas-lower/index.m3u8',
      '/api/video/t-cam-nvr/index.m3u8', // played from its media server, not through the service
    ]) {
      const res = await get(svc, path, token);
      expect(res.status, path).toBe(404);
      expect((await res.json()).error).toBe('not_found');
    }
  });

  it('says "no signal" while its encoder is dead, then comes back live by itself', async () => {
    await live('t-cam-pit');
    const [encoder] = childrenOf(process.pid, 'ffmpeg');
    expect(encoder, 'one ffmpeg feeds both demo cameras').toBeDefined();
    expect(childrenOf(process.pid, 'ffmpeg')).toHaveLength(1);
    process.kill(encoder, 'SIGKILL');
    const down = await waitFor('no signal', async () => {
      const b = (await api(svc, '/api/video/t-cam-pit', { token })).body;
      return b.state === 'no_signal' ? b : null;
    });
    expect(down.reason).toBe('encoder_failed');
    const res = await get(svc, '/api/video/t-cam-pit/index.m3u8', token);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'no_signal', reason: 'encoder_failed' });
    await live('t-cam-pit');
    await live('t-cam-gate');
    expect(childrenOf(process.pid, 'ffmpeg')).not.toContain(encoder);
  });

  it('takes a video.detection event of the contract and rejects a malformed one, counted, without stopping', async () => {
    const health = async () => (await api(svc, '/api/health')).body.messages;
    const before = await health();
    const device = await deviceClient(svc);
    const topic = deviceTopic('confined', 't-cam-pit', 'event');
    await publish(device, topic, { ts: Date.now(), type: 'video.detection', cameraId: 't-cam-pit', kind: 'intrusion', confidence: 0.91, snapshotUrl: '/snap/1.jpg' });
    await publish(device, topic, { ts: Date.now(), type: 'video.detection', cameraId: 't-cam-pit', kind: 'intrusion', confidence: 7 });
    await publish(device, topic, { ts: Date.now(), type: 'video.detection', cameraId: 't-cam-pit', kind: 'fire' });
    const after = await waitFor('both counted', async () => {
      const h = await health();
      return h.accepted > before.accepted && (h.rejected.bad_schema ?? 0) >= (before.rejected.bad_schema ?? 0) + 2 ? h : null;
    });
    expect(after.accepted).toBe(before.accepted + 1);
    device.end(true);
  });

  it('stops its encoder when the service closes', async () => {
    const encoders = childrenOf(process.pid, 'ffmpeg');
    expect(encoders).toHaveLength(1);
    await svc.close();
    await waitFor('the encoder gone', () => !isRunning(encoders[0]), 5000);
  });
});

describe('demo cameras without a picture', () => {
  it.each([
    ['no ffmpeg on the machine', { VIDEO: '1', FFMPEG_PATH: '/nonexistent/ffmpeg' }, 'no_encoder'],
    ['VIDEO=0', { VIDEO: '0' }, 'disabled'],
  ] as const)('%s: the service runs, and each camera says no signal and why', async (_, env, reason) => {
    const dataDir = tempDataDir();
    const svc = await startWithRegistry(dataDir, registryWithCameras(), env);
    try {
      const token = await login(svc, 'inspector');
      expect((await api(svc, '/api/health')).status).toBe(200);
      expect((await api(svc, '/api/video/t-cam-pit', { token })).body).toMatchObject({ state: 'no_signal', reason });
      const res = await get(svc, '/api/video/t-cam-gate/index.m3u8', token);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: 'no_signal', reason });
      expect(childrenOf(process.pid, 'ffmpeg')).toEqual([]);
      // The other camera's stream is its media server's business: the service still names it.
      expect((await api(svc, '/api/video/t-cam-nvr', { token })).body.state).toBe('external');
    } finally {
      await svc.close();
      removeDir(dataDir);
    }
  });
});
