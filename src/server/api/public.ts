/**
 * The routes served without a token: health and login (docs/contract.md "HTTP API"). Health says whether
 * the service works and what it counted, nothing an outsider could use (no paths, no broker URL).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { HealthResponse, LoginResponse } from '../../contracts';
import { parseOr400, sendError, type ApiContext } from './context';

const loginBody = z.object({
  username: z.string({ error: 'username is required' }).min(1).max(64),
  password: z.string({ error: 'password is required' }).max(256),
});

export function publicRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/health', async () => {
    const broker = ctx.bus.status();
    const [dbOk, usage] = await Promise.all([ctx.storage.ok(), ctx.storage.usage()]);
    const ha = ctx.haRole();
    const body: HealthResponse = {
      // A standby is not connected to the broker until it leads: that is no fault.
      status: (broker.connected || ha.role === 'standby') && dbOk ? 'ok' : 'degraded',
      broker: { mode: broker.mode, connected: broker.connected, clients: broker.clients },
      db: { ok: dbOk, ...usage },
      ha,
      uptimeS: Math.round((ctx.now() - ctx.startedAt) / 1000),
      messages: { accepted: ctx.ingest.accepted, rejected: { ...ctx.ingest.rejected } },
    };
    return body;
  });

  app.post('/api/login', async (req, reply) => {
    const body = parseOr400(loginBody, req.body, reply);
    if (!body) return reply;
    const r = await ctx.auth.login(body.username, body.password, req.ip);
    if (r.ok) {
      const res: LoginResponse = { token: r.token, role: r.role, username: r.username };
      return res;
    }
    if (r.status === 429) {
      reply.header('retry-after', String(r.retryAfterS));
      return sendError(reply, 429, 'too_many_attempts', `too many failed logins: try again in ${r.retryAfterS} s`);
    }
    return sendError(reply, 401, 'unauthorized', 'wrong username or password');
  });
}
