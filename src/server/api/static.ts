/**
 * The built web app (STATIC_DIR) with an SPA fallback to index.html, plus `public/` behind it so
 * /data/ and /models/ work before the first build. Static files need no token (docs/contract.md "Roles and access"),
 * but the registry (every device and its position) is served through the API only, under any
 * spelling of its path. The build's hashed assets are cached for good and sent precompressed.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendError } from './context';
import { STATIC_ROUTES, canonicalPath, isRegistryFile } from './guard';

function cacheControlFor(file: string): string {
  // index.html names the hashed bundles of the current build: always revalidated.
  if (/[\\/]index\.html$/.test(file)) return 'no-cache';
  // A hashed build asset never changes under its name: cached for a year, never revalidated.
  if (isHashedAsset(file)) return 'public, max-age=31536000, immutable';
  return 'public, max-age=0';
}

/** Vite's output: `<staticDir>/assets/<name>-<hash>.<ext>` (the hash is 8 url-safe characters). */
function isHashedAsset(path: string): boolean {
  return /[\\/]assets[\\/][^\\/]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/.test(path);
}

export async function staticRoutes(app: FastifyInstance, staticDir: string, publicDir: string = resolve('public')): Promise<void> {
  const hasIndex = existsSync(join(staticDir, 'index.html'));
  // The build answers `/*` on its own: @fastify/static's precompressed lookup over several roots
  // retries only the last root for the uncompressed file. public/'s folders go under their own
  // prefixes, uncompressed, the build's copy first (files in STATIC_DIR win, as documented: a
  // deployment adds its own models there), public/ behind it for what the build lacks.
  const mounts: { root: string | string[]; prefix: string; preCompressed: boolean }[] = [];
  if (existsSync(staticDir)) mounts.push({ root: staticDir, prefix: '/', preCompressed: true });
  if (existsSync(publicDir)) {
    for (const e of readdirSync(publicDir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const roots = [join(staticDir, e.name), join(publicDir, e.name)].filter((d) => existsSync(d));
      mounts.push({ root: roots.length === 1 ? roots[0] : roots, prefix: `/${e.name}/`, preCompressed: false });
    }
  }
  for (const [i, m] of mounts.entries()) {
    STATIC_ROUTES.add(`${m.prefix}*`);
    await app.register(fastifyStatic, {
      root: m.root,
      prefix: m.prefix,
      decorateReply: i === 0,
      wildcard: true,
      allowedPath: (pathName) => !isRegistryFile(pathName),
      // `x.br` / `x.gz` beside a file (written by the build) are sent by Accept-Encoding.
      preCompressed: m.preCompressed,
      // Cache-Control is set below, per file (the plugin's own would overwrite it).
      cacheControl: false,
      setHeaders(res, path) {
        res.setHeader('cache-control', cacheControlFor(path.replace(/\.(br|gz)$/, '')));
      },
    });
  }

  app.setNotFoundHandler((req, reply) => {
    // Decoded, so that no spelling of an API path is answered with the app's page.
    const path = canonicalPath(req.url);
    const isPage = req.method === 'GET' && !path.startsWith('/api') && !/\.[a-z0-9]+$/i.test(path);
    if (isPage && hasIndex) return reply.header('cache-control', 'no-cache').sendFile('index.html', staticDir);
    if (isPage && path !== '/metrics') {
      return sendError(reply, 404, 'not_built', `the web app is not built in ${staticDir}: run npm run build`);
    }
    return sendError(reply, 404, 'not_found', `no route ${req.method} ${path}`);
  });
}
