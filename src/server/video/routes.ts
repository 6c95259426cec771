/**
 * Video over HTTP, behind the login like every /api route, segments included (a player sends the
 * Bearer token with every request; hls.js does it in `xhrSetup`):
 *
 * - `GET /api/video[?scene=]` → `{cameras: VideoStatus[]}`; `GET /api/video/{cameraId}` → one.
 * - `GET /api/video/{cameraId}/index.m3u8` → the live HLS playlist of a demo camera, or `503
 *   {error: "no_signal", reason}` while there is nothing to play (a player shows "no signal").
 * - `GET /api/video/{cameraId}/seg{n}.ts` → a segment of it.
 *
 * Other cameras' streams come from their media server, at the URL in `stream`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SCENES, isCamera, type CameraDevice, type VideoStatus } from '../../contracts';
import { parseOr400, sendError } from '../api/context';
import type { RegistryIndex } from '../registry';
import type { DemoStreams } from './demoStreams';

const PLAYLIST = 'index.m3u8';
/** Segment names ffmpeg writes (seg{epoch-based sequence}.ts); nothing else in the folder is served. */
const SEGMENT = /^seg\d{1,15}\.ts$/;
const sceneQuery = z.object({ scene: z.enum(SCENES).optional() });

const NO_SIGNAL_MESSAGE: Record<string, string> = {
  disabled: 'demo video is turned off (VIDEO=0)',
  no_encoder: 'no ffmpeg on the service machine',
  encoder_failed: 'the video encoder stopped; it is being restarted',
  stalled: 'the video encoder stopped writing',
  starting: 'the stream is starting',
};

export function videoRoutes(app: FastifyInstance, registry: RegistryIndex, streams: DemoStreams): void {
  const cameraOf = (id: string): CameraDevice | null => {
    const d = registry.devices.get(id);
    return d && isCamera(d) ? d : null;
  };
  const status = (c: CameraDevice): VideoStatus => {
    const s = streams.state(c.id) ?? { state: 'external' as const };
    return { cameraId: c.id, ...s, stream: c.stream };
  };
  // The auth hook decides on the URL as sent; this decides on the routed path, so no other spelling
  // of /api/ (e.g. %61pi) reaches a stream without a login.
  const loggedIn = (req: FastifyRequest, reply: FastifyReply): boolean => {
    if (req.session) return true;
    sendError(reply, 401, 'unauthorized', 'log in first: Authorization: Bearer <token> from POST /api/login');
    return false;
  };

  app.get('/api/video', async (req, reply) => {
    if (!loggedIn(req, reply)) return reply;
    const q = parseOr400(sceneQuery, req.query, reply);
    if (!q) return reply;
    const cameras = [...registry.devices.values()].filter(isCamera).filter((c) => !q.scene || c.scene === q.scene);
    return { cameras: cameras.map(status) };
  });

  app.get<{ Params: { cameraId: string } }>('/api/video/:cameraId', async (req, reply) => {
    if (!loggedIn(req, reply)) return reply;
    const c = cameraOf(req.params.cameraId);
    if (!c) return sendError(reply, 404, 'not_found', `no camera ${req.params.cameraId}`);
    return status(c);
  });

  app.get<{ Params: { cameraId: string; file: string } }>('/api/video/:cameraId/:file', async (req, reply) => {
    if (!loggedIn(req, reply)) return reply;
    const { cameraId, file } = req.params;
    const c = cameraOf(cameraId);
    if (!c) return sendError(reply, 404, 'not_found', `no camera ${cameraId}`);
    const s = streams.state(cameraId);
    if (!s) return sendError(reply, 404, 'not_found', `camera ${cameraId} streams from its media server: ${JSON.stringify(c.stream)}`);
    if (file !== PLAYLIST && !SEGMENT.test(file)) return sendError(reply, 404, 'not_found', `no file ${file} in a camera stream`);
    if (file === PLAYLIST && s.state !== 'live') {
      const reason = s.reason ?? 'starting';
      reply.header('retry-after', s.state === 'starting' ? '2' : '10');
      return reply.status(503).send({ error: 'no_signal', reason, message: `no signal from ${cameraId}: ${NO_SIGNAL_MESSAGE[reason]}` });
    }
    let body: Buffer;
    try {
      body = await readFile(join(streams.folder(cameraId), file));
    } catch {
      return sendError(reply, 404, 'not_found', `${file} is no longer in the stream of ${cameraId}`);
    }
    // The playlist changes every segment; a segment never changes (its name is new each time).
    reply.header('cache-control', file === PLAYLIST ? 'no-store' : 'private, max-age=600');
    reply.type(file === PLAYLIST ? 'application/vnd.apple.mpegurl' : 'video/mp2t');
    return reply.send(body);
  });
}
