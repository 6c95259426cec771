/**
 * GET /api/live[?scene=] — the live state as it stands, in the shape of a `live/{scene}` batch
 * (`{ts, readings, status}`), so a browser that connects or reconnects shows every device's latest
 * values at once instead of "no data" until each device next reports. An addition within v1.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SCENES, type LiveBatch } from '../../contracts';
import { effectiveStatus } from '../ingest';
import { parseOr400, type ApiContext } from './context';

const query = z.object({ scene: z.enum(SCENES).optional() });

export function liveRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/live', async (req, reply) => {
    const q = parseOr400(query, req.query, reply);
    if (!q) return reply;
    const batch: LiveBatch = { ts: ctx.now(), readings: [], status: [] };
    for (const device of ctx.registry.devices.values()) {
      if (q.scene && device.scene !== q.scene) continue;
      const st = ctx.ingest.state(device.id);
      if (!st) continue;
      if (st.ts !== null) batch.readings.push([device.id, st.ts, st.values]);
      const status = effectiveStatus(st);
      if (status) batch.status.push([device.id, status]);
    }
    return batch;
  });
}
