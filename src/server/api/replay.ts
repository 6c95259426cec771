/**
 * GET /api/replay?at=<epoch ms | ISO>[&scene=] — the twin as it stood at one instant (issue 6,
 * "one time cursor"): every device's latest value of each quantity at or before `at`, its status
 * then (`stale` when its latest reading is older than 3 × intervalS), and the alarms open at `at`
 * in the state their last transition at or before `at` left them. Readings and status are in the
 * shape of a live batch (as GET /api/live), so the browser folds them the same way.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SCENES, type AlarmRecord, type LiveBatch } from '../../contracts';
import { parseOr400, type ApiContext } from './context';

const time = z.union([z.coerce.number().int().positive(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]);
const query = z.object({ at: time, scene: z.enum(SCENES).optional() });

export interface ReplaySnapshot extends LiveBatch {
  /** The cursor (epoch ms). */
  at: number;
  alarms: AlarmRecord[];
}

export function replayRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/replay', async (req, reply) => {
    const q = parseOr400(query, req.query, reply);
    if (!q) return reply;
    const at = q.at;
    const out: ReplaySnapshot = { at, ts: at, readings: [], status: [], alarms: [] };
    for (const device of ctx.registry.devices.values()) {
      if (q.scene && device.scene !== q.scene) continue;
      const values: Record<string, number> = {};
      let ts = -1;
      for (const quantity of device.quantities) {
        const r = ctx.storage.valueAt(device.id, quantity, at);
        if (!r) continue;
        values[quantity] = r.value;
        ts = Math.max(ts, r.ts);
      }
      if (ts < 0) continue;
      out.readings.push([device.id, ts, values]);
      out.status.push([device.id, at - ts > 3 * device.intervalS * 1000 ? 'stale' : 'online']);
    }
    out.alarms = ctx.storage.alarmsAt(at, q.scene);
    return out;
  });
}
