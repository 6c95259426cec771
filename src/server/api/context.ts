/**
 * What every route needs, and the small helpers they share: the error body of the contract
 * (`{error, message}`), zod validation of input, and the Bearer-token session.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiError, Scene } from '../../contracts';
import type { AlarmEngine } from '../alarms';
import type { Auth, Session } from '../auth';
import type { Bus } from '../bus';
import type { Config } from '../config';
import type { AuditLog } from '../identity/audit';
import type { Ingest } from '../ingest';
import type { Metrics } from '../metrics';
import type { RegistryIndex } from '../registry';
import type { RegistryManager } from '../registryManager';
import { TwinAt } from '../history/twinAt';
import type { Storage } from '../storage';

export interface ApiContext {
  cfg: Config;
  auth: Auth;
  /** Who did what: logins, acks, shelves, user, credential and configuration changes. */
  audit: AuditLog;
  registry: RegistryIndex;
  /** The registry as stored, and every change to it (registry management). */
  manager: RegistryManager;
  ingest: Ingest;
  alarms: AlarmEngine;
  storage: Storage;
  bus: Bus;
  metrics: Metrics;
  startedAt: number;
  now: () => number;
  /** This instance's part among several on one database (`leader` when it runs alone). */
  haRole: () => { role: 'leader' | 'standby'; instanceId: string };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the guard (api/guard.ts) on every route that needs a session. */
    session?: Session;
  }
}

/** Sends the contract's error body. */
export function sendError(reply: FastifyReply, status: number, error: string, message: string): FastifyReply {
  const body: ApiError = { error, message };
  return reply.status(status).send(body);
}

/** Parses input with a zod schema; on failure answers 400 naming the first bad field and returns null. */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown, reply: FastifyReply): z.infer<S> | null {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const i = r.error.issues[0];
  const where = i?.path.length ? `${i.path.join('.')}: ` : '';
  sendError(reply, 400, 'bad_request', `${where}${i?.message ?? 'invalid request'}`);
  return null;
}

/** The token of `Authorization: Bearer <token>`. */
export function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1] : null;
}

/** The session of an authenticated request (the auth hook guarantees one on protected routes). */
export function sessionOf(req: FastifyRequest): Session {
  if (!req.session) throw new Error('route registered without the auth hook');
  return req.session;
}

/** An instant in the query string: epoch ms or ISO-8601 with an offset. */
export const instant = z.union([z.coerce.number().int().positive(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]);

/**
 * The optional `at` of a scene API: absent, the route answers the live state; present,
 * the state at that past instant, rebuilt from SQLite. An instant in the future is refused.
 */
export const atQuery = z.object({ at: instant.optional() });

/**
 * The replay view of `scene`'s devices at `at`, or null for live; answers 400 (and false) for an
 * instant in the future. Says `x-citytwin-resolution: 1m` when the instant is older than the raw
 * readings kept (values are then the per-minute rollups' last ones).
 */
export async function twinAtOr400(ctx: ApiContext, at: number | undefined, reply: FastifyReply, scene?: Scene): Promise<TwinAt | null | false> {
  if (at === undefined) return null;
  if (at > ctx.now() + FUTURE_SKEW_MS) {
    sendError(reply, 400, 'bad_request', `at: ${new Date(at).toISOString()} is in the future`);
    return false;
  }
  const then = await TwinAt.load(ctx.storage, ctx.registry, at, scene);
  reply.header(RESOLUTION_HEADER, then.resolution);
  return then;
}

/** Says whether an answer about the past came from raw readings or from the per-minute rollups. */
export const RESOLUTION_HEADER = 'x-citytwin-resolution';

/** Clocks differ: an `at` this far ahead of the service's clock still counts as now. */
const FUTURE_SKEW_MS = 60_000;
