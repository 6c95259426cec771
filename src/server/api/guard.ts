/**
 * Authorization on the routed path, deny by default (docs/contract.md "Roles and access"). fastify
 * routes on the decoded path while `req.url` stays encoded, so `/%61pi/devices` reaches
 * `/api/devices`: the decision is made on the route fastify matched, never on the URL's spelling.
 * Every route needs a session except the few named here; a route nobody listed is protected.
 * Also the security headers every answer carries.
 */
import { posix } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../contracts';
import { bearerToken, sendError, type ApiContext } from './context';

/** Routes served without a session, as `METHOD pattern`. */
const OPEN_ROUTES = new Set(['POST /api/login', 'GET /api/health', 'HEAD /api/health']);
/** Routes that check their own credential (a Prometheus scraper's METRICS_TOKEN, a broker's BROKER_AUTH_TOKEN). */
const SELF_CHECKED = new Set(['GET /metrics', 'HEAD /metrics', 'POST /broker/auth', 'POST /broker/acl']);
/** The static files' wildcard routes (the built app at `/*`, public/'s folders under their prefix): no login. */
export const STATIC_ROUTES = new Set(['/*']);

/**
 * Content-Security-Policy of every answer. Cesium runs its workers from /cesium/Workers (same
 * origin) and compiles WebAssembly (draco, basis) in them: 'wasm-unsafe-eval', nothing else
 * eval-like. Styles: React and Cesium set style attributes. The MQTT WebSocket is same-origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** The path as a router or file server would finally see it: decoded (twice over), dots resolved, lower case. */
export function canonicalPath(url: string): string {
  let p = url.split('?')[0];
  for (let i = 0; i < 3; i++) {
    try {
      const next = decodeURIComponent(p);
      if (next === p) break;
      p = next;
    } catch {
      break;
    }
  }
  return posix.normalize(p.replace(/\\/g, '/')).toLowerCase();
}

/** Whether a static file path names the registry (served through the API only). */
export function isRegistryFile(path: string): boolean {
  return canonicalPath(path).includes('registry.json');
}

export function registerGuard(app: FastifyInstance, ctx: ApiContext): void {
  app.addHook('onRequest', async (req, reply) => {
    reply.headers(SECURITY_HEADERS);
    const route = req.routeOptions.url;
    const key = `${req.method} ${route}`;
    if (OPEN_ROUTES.has(key) || SELF_CHECKED.has(key)) return;
    // No route, or the static files': pages and assets are open, but whatever spells an API path
    // still needs a session, so an outsider cannot tell which API routes exist.
    const fileOrNothing = route === undefined || (STATIC_ROUTES.has(route) && (req.method === 'GET' || req.method === 'HEAD'));
    if (fileOrNothing && !canonicalPath(req.url).startsWith('/api')) return;
    // API answers hold data and tokens: never cached.
    reply.header('cache-control', 'no-store');
    const session = await ctx.auth.verify(bearerToken(req));
    if (!session) return sendError(reply, 401, 'unauthorized', 'log in first: Authorization: Bearer <token> from POST /api/login');
    req.session = session;
  });
}

/** Answers 403 unless the session's role is one of `roles` (the guard has checked the session). */
export function requireRole(req: FastifyRequest, reply: FastifyReply, ...roles: Role[]): boolean {
  if (req.session && roles.includes(req.session.role)) return true;
  sendError(reply, 403, 'forbidden', `only ${roles.join(' or ')} may do this`);
  return false;
}
