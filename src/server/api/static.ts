/**
 * The built web app (STATIC_DIR) with an SPA fallback to index.html, plus `public/` behind it so
 * /data/ and /models/ work before the first build. Static files need no token (docs/contract.md "Roles and access"),
 * but the registry (every device and its position) is served through the API only, under any
 * spelling of its path.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendError } from './context';
import { canonicalPath, isRegistryFile } from './guard';

export async function staticRoutes(app: FastifyInstance, staticDir: string, publicDir: string = resolve('public')): Promise<void> {
  const roots = [staticDir, publicDir].filter((d) => existsSync(d));
  const hasIndex = existsSync(join(staticDir, 'index.html'));
  if (roots.length > 0) {
    await app.register(fastifyStatic, {
      root: roots,
      wildcard: true,
      allowedPath: (pathName) => !isRegistryFile(pathName),
      // index.html names the hashed bundles of the current build: never cache it.
      setHeaders(res, path) {
        if (path.endsWith('index.html')) res.setHeader('cache-control', 'no-cache');
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
