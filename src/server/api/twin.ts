/** Registry and history (docs/contract.md "HTTP API"); every route needs a token. Road state is in roads.ts. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SCENES, isQuantity, type TelemetryResponse } from '../../contracts';
import { MAX_POINTS } from '../downsample';
import { parseOr400, sendError, type ApiContext } from './context';
import { registryAnswers } from './registryAnswers';

/** `retired=1`: the retired ones instead (registry management; history still names them). */
const sceneQuery = z.object({ scene: z.enum(SCENES).optional(), retired: z.enum(['0', '1']).optional() });

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

export function twinRoutes(app: FastifyInstance, ctx: ApiContext): void {
  // Made once per registry version and query (registryAnswers.ts): the page's largest answers.
  const answers = registryAnswers(ctx.registry);

  app.get('/api/devices', async (req, reply) => {
    const q = parseOr400(sceneQuery, req.query, reply);
    if (!q) return reply;
    return answers.send(req, reply, `devices ${q.retired ?? '0'} ${q.scene ?? ''}`, () => {
      const devices = q.retired === '1' ? [...ctx.registry.retiredDevices.values()] : ctx.registry.registry.devices;
      return devices.filter((d) => !q.scene || d.scene === q.scene);
    });
  });

  app.get('/api/sites', async (req, reply) => {
    const q = parseOr400(sceneQuery, req.query, reply);
    if (!q) return reply;
    return answers.send(req, reply, `sites ${q.retired ?? '0'} ${q.scene ?? ''}`, () => {
      const sites = q.retired === '1' ? [...ctx.registry.retiredSites.values()] : ctx.registry.registry.sites;
      return sites.filter((s) => !q.scene || s.scene === q.scene);
    });
  });

  // The roster: badge ids with names and roles, so no screen shows a bare badge id.
  app.get('/api/persons', async () => ctx.registry.registry.persons ?? []);

  app.get<{ Params: { deviceId: string } }>('/api/telemetry/:deviceId', async (req, reply) => {
    // A retired device's history stays readable.
    const device = ctx.registry.deviceEver(req.params.deviceId);
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
    const { points, resolution } = await ctx.storage.history.series(device.id, quantity, from, to, q.maxPoints ?? MAX_POINTS);
    const body: TelemetryResponse = { deviceId: device.id, quantity, points, resolution };
    return body;
  });
}
