/**
 * GET /api/replay?at=<epoch ms | ISO>[&scene=] — the twin as it stood at one instant:
 * every device's latest value of each quantity at or before `at`, its status
 * then (`offline` by its last status message, else `stale` when its latest reading is older than
 * 3 × intervalS, else `online`), and the alarms open at `at`
 * in the state their last transition at or before `at` left them. Readings and status are in the
 * shape of a live batch (as GET /api/live), so the browser folds them the same way.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SCENES, type ReplaySnapshot } from '../../contracts';
import { TwinAt } from '../history/twinAt';
import { effectiveStatus } from '../ingest';
import { instant, parseOr400, type ApiContext } from './context';

const query = z.object({ at: instant, scene: z.enum(SCENES).optional() });

export function replayRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/replay', async (req, reply) => {
    const q = parseOr400(query, req.query, reply);
    if (!q) return reply;
    const at = q.at;
    const then = await TwinAt.load(ctx.storage, ctx.registry, at, q.scene);
    const out: ReplaySnapshot = { at, ts: at, readings: [], status: [], alarms: [], resolution: then.resolution };
    for (const device of ctx.registry.devices.values()) {
      if (q.scene && device.scene !== q.scene) continue;
      const st = then.state(device.id);
      if (!st) continue;
      if (st.ts !== null) out.readings.push([device.id, st.ts, st.values]);
      const status = effectiveStatus(st);
      if (status) out.status.push([device.id, status]);
    }
    out.alarms = then.list(q.scene, true, Number.MAX_SAFE_INTEGER);
    return out;
  });
}
