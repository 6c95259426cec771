/** Registry, live road state and history (DESIGN "HTTP API"); every route needs a token. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SCENES, isQuantity, type RoadClass, type SegmentState, type TelemetryResponse } from '../../contracts';
import { congestionLevel, isStale } from '../../domain';
import { MAX_POINTS, downsampleMinMax } from '../downsample';
import { parseOr400, sendError, type ApiContext } from './context';

const sceneQuery = z.object({ scene: z.enum(SCENES).optional() });

/** Epoch ms or ISO-8601, as in the wire contract. */
const time = z.union([
  z.string().regex(/^\d+$/).transform(Number),
  z.iso.datetime({ offset: true, local: true }).transform((s) => Date.parse(s)),
]);

const telemetryQuery = z.object({
  quantity: z.string().optional(),
  from: time.optional(),
  to: time.optional(),
  maxPoints: z.coerce.number().int().min(10).max(10_000).optional(),
});

const DAY_MS = 24 * 60 * 60 * 1000;
const ROAD_CLASSES: readonly string[] = ['expressway', 'arterial', 'secondary'];

export function twinRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/devices', async (req, reply) => {
    const q = parseOr400(sceneQuery, req.query, reply);
    if (!q) return reply;
    return ctx.registry.registry.devices.filter((d) => !q.scene || d.scene === q.scene);
  });

  app.get('/api/sites', async (req, reply) => {
    const q = parseOr400(sceneQuery, req.query, reply);
    if (!q) return reply;
    return ctx.registry.registry.sites.filter((s) => !q.scene || s.scene === q.scene);
  });

  app.get('/api/segments', async () => {
    const now = ctx.now();
    return ctx.registry.segments().map((seg): SegmentState => {
      // Mean of the segment's detectors that are live; a stale or offline detector says nothing.
      const speeds: number[] = [];
      for (const d of ctx.registry.detectorsBySegment.get(seg.id) ?? []) {
        const st = ctx.ingest.state(d.id);
        const v = st?.values.speed_kmh;
        if (!st || v === undefined || st.online === false || isStale(st.heardAt, d.intervalS, now)) continue;
        speeds.push(v);
      }
      const cls = seg.props?.roadClass;
      const speedKmh = speeds.length ? Math.round((speeds.reduce((a, b) => a + b, 0) / speeds.length) * 10) / 10 : null;
      const level = speedKmh !== null && cls && ROAD_CLASSES.includes(cls) ? congestionLevel(speedKmh, cls as RoadClass) : null;
      return { id: seg.id, class: cls ?? 'unknown', speedKmh, level };
    });
  });

  app.get<{ Params: { deviceId: string } }>('/api/telemetry/:deviceId', async (req, reply) => {
    const device = ctx.registry.devices.get(req.params.deviceId);
    if (!device) return sendError(reply, 404, 'not_found', `no device ${req.params.deviceId}`);
    const q = parseOr400(telemetryQuery, req.query, reply);
    if (!q) return reply;
    const quantity = q.quantity ?? (device.quantities.length === 1 ? device.quantities[0] : undefined);
    if (!quantity) {
      return sendError(reply, 400, 'bad_request', `quantity is required: one of ${device.quantities.join(', ') || '(none)'}`);
    }
    if (!isQuantity(quantity) || !device.quantities.includes(quantity)) {
      return sendError(reply, 400, 'bad_request', `${device.id} does not report ${quantity}`);
    }
    const to = q.to ?? ctx.now();
    const from = q.from ?? to - DAY_MS;
    if (from > to) return sendError(reply, 400, 'bad_request', 'from is after to');
    const points = downsampleMinMax(ctx.storage.series(device.id, quantity, from, to), q.maxPoints ?? MAX_POINTS);
    const body: TelemetryResponse = { deviceId: device.id, quantity, points };
    return body;
  });

  // Routing on live speeds and leak danger zones arrive with later issues; the routes exist so
  // the app can probe them.
  app.get('/api/route', async (_req, reply) =>
    sendError(reply, 501, 'not_implemented', 'routing on live speeds is not implemented yet'),
  );
  app.get('/api/zones', async () => ({ type: 'FeatureCollection', features: [] }));
}
