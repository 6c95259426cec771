/**
 * HTTP authentication and authorization for brokers that ask a web service (EMQX's HTTP
 * authenticator and authorizer, and the like): the same identities and the same topic rules as the
 * embedded broker (`mqttAccess`). The broker sends BROKER_AUTH_TOKEN as its Bearer token; the
 * answer is `{"result": "allow" | "deny"}` with status 200 (`is_superuser` for the service's own
 * account).
 *
 * - `POST /broker/auth` `{username, password, clientid?}`
 * - `POST /broker/acl` `{username, topic, action: "publish" | "subscribe", retain?}`
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BROWSER_MQTT_USERNAME, DEVICE_MQTT_USERNAME } from '../contracts';
import { bearerToken, sendError, type ApiContext } from './api/context';
import { sameSecret, type Auth } from './auth';
import type { MqttCredentials } from './identity/credentials';
import { decidePublish, decideSubscribe, type MqttIdentity } from './mqttAccess';

const authBody = z.object({ username: z.string().max(256), password: z.string().max(4096).optional(), clientid: z.string().max(256).optional() });
const aclBody = z.object({
  username: z.string().max(256),
  topic: z.string().min(1).max(65_535),
  action: z.enum(['publish', 'subscribe']),
  retain: z.union([z.boolean(), z.enum(['true', 'false', '0', '1'])]).optional(),
});

type Answer = { result: 'allow' | 'deny'; is_superuser?: boolean };
const allow = (superuser = false): Answer => ({ result: 'allow', is_superuser: superuser });
const deny: Answer = { result: 'deny' };

export function brokerAuthRoutes(app: FastifyInstance, ctx: ApiContext, credentials: MqttCredentials): void {
  const secret = ctx.cfg.brokerAuthToken;
  if (secret === null) return;
  const service = ctx.cfg.mqttUsername;
  const checked = (token: string | null): boolean => !!token && sameSecret(token, secret);

  app.post('/broker/auth', async (req, reply) => {
    if (!checked(bearerToken(req))) return sendError(reply, 401, 'unauthorized', 'send BROKER_AUTH_TOKEN as the Bearer token');
    const body = authBody.safeParse(req.body);
    if (!body.success) return deny;
    const { username, password } = body.data;
    if (service !== null && username === service) return ctx.cfg.mqttPassword !== null && sameSecret(password, ctx.cfg.mqttPassword) ? allow(true) : deny;
    const who = await identify(ctx.auth, credentials, username, Buffer.from(password ?? '', 'utf8'));
    return who ? allow() : deny;
  });

  app.post('/broker/acl', async (req, reply) => {
    if (!checked(bearerToken(req))) return sendError(reply, 401, 'unauthorized', 'send BROKER_AUTH_TOKEN as the Bearer token');
    const body = aclBody.safeParse(req.body);
    if (!body.success) return deny;
    const { username, topic, action } = body.data;
    if (service !== null && username === service) return allow(true);
    // The connection was authenticated already: its identity by username, without the secret.
    const who = await identityOf(credentials, username);
    if (!who) return deny;
    if (action === 'subscribe') return decideSubscribe(who, topic, ctx.registry) ? allow() : deny;
    const retain = body.data.retain === true || body.data.retain === 'true' || body.data.retain === '1';
    return decidePublish(who, topic, retain, ctx.registry).ok ? allow() : deny;
  });
}

async function identify(auth: Auth, credentials: MqttCredentials, username: string, password: Buffer): Promise<MqttIdentity | null> {
  if (username === BROWSER_MQTT_USERNAME) {
    const s = await auth.verify(password.toString('utf8'));
    return s ? { kind: 'user', key: `user:${s.username}`, username: s.username, role: s.role, tokenHash: s.tokenHash } : null;
  }
  return credentials.authenticate(username, password);
}

async function identityOf(credentials: MqttCredentials, username: string): Promise<MqttIdentity | null> {
  // A browser subscribes to live batches, alarms and notices only, whoever is logged in; it never publishes.
  if (username === BROWSER_MQTT_USERNAME) return { kind: 'user', key: 'user:browser', username, role: 'inspector', tokenHash: '' };
  if (username === DEVICE_MQTT_USERNAME) return { kind: 'gateway', key: `gateway:${username}`, id: username, siteIds: 'all', secretHash: null };
  return credentials.identityOf(username);
}
