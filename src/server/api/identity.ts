/**
 * Identity and access routes (docs/contract.md "Administration"): logout and one's own password for everyone; users,
 * device and gateway credentials for the admin. Secrets are answered once and never logged.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BROWSER_MQTT_USERNAME, DEVICE_ID_PATTERN, DEVICE_MQTT_USERNAME, MIN_PASSWORD_LENGTH, ROLES } from '../../contracts';
import type { Actor } from '../identity/audit';
import type { MqttCredentials } from '../identity/credentials';
import { parseOr400, sendError, sessionOf, type ApiContext } from './context';
import { requireRole } from './guard';

const password = z
  .string({ error: 'password is required' })
  .min(MIN_PASSWORD_LENGTH, `a password has at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(256);
const username = z.string({ error: 'username is required' }).regex(/^[A-Za-z0-9_.-]{1,64}$/, 'username: letters, digits, _ . - (1–64)');

const newUser = z.object({ username, role: z.enum(ROLES), password });
const userPatch = z
  .object({ role: z.enum(ROLES).optional(), disabled: z.boolean().optional(), password: password.optional() })
  .refine((p) => p.role !== undefined || p.disabled !== undefined || p.password !== undefined, 'nothing to change');
const ownPassword = z.object({ current: z.string({ error: 'current is required' }).max(256), next: password });
const gatewayBody = z.object({
  id: z.string({ error: 'id is required' }).regex(DEVICE_ID_PATTERN, 'id must match [A-Za-z0-9_-]{1,64}'),
  siteIds: z.array(z.string().min(1).max(128)).min(1, 'siteIds names at least one site').max(1000),
});

/** MQTT usernames that are not credentials: the shared device account and the browsers'. */
const RESERVED = new Set([DEVICE_MQTT_USERNAME, BROWSER_MQTT_USERNAME]);

export function actorOf(req: FastifyRequest): Actor {
  return { user: req.session?.username ?? null, address: req.ip };
}

export function identityRoutes(app: FastifyInstance, ctx: ApiContext, credentials: MqttCredentials): void {
  app.post('/api/logout', async (req, reply) => {
    await ctx.auth.logout(sessionOf(req), req.ip);
    return reply.status(204).send();
  });

  app.post('/api/me/password', async (req, reply) => {
    const body = parseOr400(ownPassword, req.body, reply);
    if (!body) return reply;
    const r = await ctx.auth.changeOwnPassword(sessionOf(req), body.current, body.next, req.ip);
    if (r === 'wrong') return sendError(reply, 403, 'wrong_password', 'the current password is wrong');
    if (r !== 'ok') {
      reply.header('retry-after', String(r.retryAfterS));
      return sendError(reply, 429, 'too_many_attempts', `too many failed attempts: try again in ${r.retryAfterS} s`);
    }
    return reply.status(204).send();
  });

  app.get('/api/users', async (req, reply) => {
    if (!requireRole(req, reply, 'admin')) return reply;
    return ctx.auth.users();
  });

  app.post('/api/users', async (req, reply) => {
    if (!requireRole(req, reply, 'admin')) return reply;
    const body = parseOr400(newUser, req.body, reply);
    if (!body) return reply;
    const user = await ctx.auth.createUser(body, actorOf(req));
    if (!user) return sendError(reply, 409, 'exists', `user ${body.username} exists`);
    return reply.status(201).send(user);
  });

  app.patch<{ Params: { username: string } }>('/api/users/:username', async (req, reply) => {
    if (!requireRole(req, reply, 'admin')) return reply;
    const body = parseOr400(userPatch, req.body, reply);
    if (!body) return reply;
    const r = await ctx.auth.updateUser(req.params.username, body, actorOf(req));
    if (r === 'not_found') return sendError(reply, 404, 'not_found', `no user ${req.params.username}`);
    if (r === 'last_admin') return sendError(reply, 409, 'last_admin', 'the service keeps at least one enabled admin');
    return r;
  });

  app.get('/api/credentials', async (req, reply) => {
    if (!requireRole(req, reply, 'admin')) return reply;
    return credentials.list();
  });

  app.post<{ Params: { id: string } }>('/api/devices/:id/credentials', async (req, reply) => {
    if (!requireRole(req, reply, 'admin')) return reply;
    const id = req.params.id;
    if (!ctx.registry.devices.has(id)) return sendError(reply, 404, 'not_found', `no device ${id}`);
    if ((await credentials.kindOf(id)) === 'gateway') return sendError(reply, 409, 'exists', `${id} is a gateway's name`);
    return reply.status(201).send(await credentials.issueDevice(id, actorOf(req)));
  });

  app.post('/api/gateways', async (req, reply) => {
    if (!requireRole(req, reply, 'admin')) return reply;
    const body = parseOr400(gatewayBody, req.body, reply);
    if (!body) return reply;
    if (RESERVED.has(body.id) || ctx.registry.devices.has(body.id) || (await credentials.kindOf(body.id)) === 'device') {
      return sendError(reply, 409, 'exists', `${body.id} is taken by a device or reserved`);
    }
    const unknown = body.siteIds.find((s) => !ctx.registry.sites.has(s));
    if (unknown) return sendError(reply, 400, 'bad_request', `siteIds: no site ${unknown}`);
    return reply.status(201).send(await credentials.issueGateway(body.id, [...new Set(body.siteIds)], actorOf(req)));
  });
}
