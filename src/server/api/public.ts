/** The routes served without a token: health and login (DESIGN "HTTP API"). */
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
    const dbOk = ctx.storage.ok();
    const body: HealthResponse = {
      status: broker.connected && dbOk ? 'ok' : 'degraded',
      broker,
      db: { ok: dbOk, path: ctx.storage.path, ...ctx.storage.usage() },
      uptimeS: Math.round((ctx.now() - ctx.startedAt) / 1000),
      messages: { accepted: ctx.ingest.accepted, rejected: { ...ctx.ingest.rejected } },
    };
    return body;
  });

  app.post('/api/login', async (req, reply) => {
    const body = parseOr400(loginBody, req.body, reply);
    if (!body) return reply;
    const session = ctx.auth.login(body.username, body.password);
    if (!session) return sendError(reply, 401, 'unauthorized', 'wrong username or password');
    const res: LoginResponse = session;
    return res;
  });
}
