/**
 * Compressed answers: brotli or gzip by the client's Accept-Encoding, for JSON, text and CSV over
 * 1 KB (at 25,000 devices `/api/devices` is about 8 MB raw). Brotli at quality 4, the library's
 * default: close to gzip's speed with smaller output; quality 11 costs seconds on such answers.
 * Files the build precompressed are sent as they are (their Content-Encoding is already set).
 * Request bodies are not decompressed: no client of the API sends them compressed, and a small
 * compressed body must not become a large one past the body limit.
 */
import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import { tagAnswers } from './etag';

/** Registered before any route: the plugin attaches itself to routes as they are declared. */
export async function compressAnswers(app: FastifyInstance): Promise<void> {
  // Tagged first, so an unchanged answer goes out as an empty 304 instead of being compressed (etag.ts).
  tagAnswers(app);
  await app.register(fastifyCompress, { encodings: ['br', 'gzip'], threshold: 1024, globalDecompression: false });
}
