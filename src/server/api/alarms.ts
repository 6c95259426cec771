/**
 * Alarm centre routes: list, acknowledge, shelve (docs/contract.md "HTTP API"). Only the owning role
 * acts. A life-safety alarm is never shelved (409 `not_shelvable`, with `why`), and shelving needs a
 * reason (400 `reason_required`); each listed alarm says whether it may be shelved now (`shelvable`,
 * and `notShelvable`: why not), so the app offers shelving only where it is allowed.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { SCENES } from '../../contracts';
import type { OperatorResult } from '../alarms';
import { parseOr400, sendError, sessionOf, type ApiContext } from './context';

const listQuery = z.object({
  scene: z.enum(SCENES).optional(),
  state: z.enum(['open', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

const ackBody = z.object({ comment: z.string().max(500).optional() });

/** After a restart or a flood: up to 500 alarms in one request, each checked as if acknowledged alone. */
const bulkAckBody = z.object({
  ids: z.array(z.string().min(1).max(200)).min(1, 'ids must list at least one alarm').max(500),
  comment: z.string().max(500).optional(),
});

/**
 * Up to a week: shelving is for known nuisance, not for forgetting an alarm (ISA-18.2 §11). A
 * missing or blank reason is judged with the alarm (`reason_required`, after `not_shelvable`).
 */
const shelveBody = z.object({
  minutes: z.number({ error: 'minutes must be a number' }).positive().max(7 * 24 * 60),
  reason: z.string({ error: 'reason must be text' }).trim().max(500).default(''),
});

type IdParams = { Params: { id: string } };

function answer(reply: FastifyReply, r: OperatorResult) {
  if (r.ok) return r.alarm;
  if (r.why) return reply.status(r.status).send({ error: r.error, message: r.message, why: r.why });
  return sendError(reply, r.status, r.error, r.message);
}

export function alarmRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/alarms', async (req, reply) => {
    const q = parseOr400(listQuery, req.query, reply);
    if (!q) return reply;
    return (await ctx.storage.alarms({ scene: q.scene, openOnly: q.state === 'open', limit: q.limit })).map((a) => {
      const why = ctx.alarms.notShelvable(a);
      return { ...a, shelvable: why === null, notShelvable: why };
    });
  });

  app.post<IdParams>('/api/alarms/:id/ack', async (req, reply) => {
    const body = parseOr400(ackBody, req.body, reply);
    if (!body) return reply;
    const s = sessionOf(req);
    return answer(reply, await ctx.alarms.ack(req.params.id, s.username, s.role, body.comment ?? null, ctx.now()));
  });

  // Each alarm against the caller's role: one refused alarm never takes the others with it.
  app.post('/api/alarms/ack', async (req, reply) => {
    const body = parseOr400(bulkAckBody, req.body, reply);
    if (!body) return reply;
    const s = sessionOf(req);
    const now = ctx.now();
    let acked = 0;
    const refused: { id: string; error: string; message: string }[] = [];
    for (const id of new Set(body.ids)) {
      const r = await ctx.alarms.ack(id, s.username, s.role, body.comment ?? null, now);
      if (r.ok) acked += 1;
      else refused.push({ id, error: r.error, message: r.message });
    }
    return { acked, refused };
  });

  app.post<IdParams>('/api/alarms/:id/shelve', async (req, reply) => {
    const body = parseOr400(shelveBody, req.body, reply);
    if (!body) return reply;
    const s = sessionOf(req);
    return answer(reply, await ctx.alarms.shelve(req.params.id, s.username, s.role, body.minutes, body.reason, ctx.now()));
  });
}
