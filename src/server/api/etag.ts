/**
 * Entity tags on the API's JSON answers, so a page polling an answer that did not change gets
 * `304 Not Modified` and keeps what it has instead of reading and checking it again (at 25,000
 * devices the space list, 2,814 spaces polled every 2 s, was most of an idle page's script time).
 * The tag is a hash of the answer as sent before compression, weak (`W/`) because the bytes differ
 * by Content-Encoding. Only GET answers over 1 KB: a smaller one costs less than its hash saves.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

const MIN_BYTES = 1024;

/** The weak entity tag of an answer's text. */
export function answerTag(text: string): string {
  return `W/"${createHash('sha1').update(text).digest('base64url')}"`;
}

/** Whether an If-None-Match header names `tag` (weak comparison, RFC 9110 §13.1.2). */
export function matchesTag(ifNoneMatch: string | undefined, tag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const bare = tag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

/** Registered before the compression plugin: app-level hooks run before its per-route one, so a 304 is never compressed. */
export function tagAnswers(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.method !== 'GET' || reply.statusCode !== 200 || typeof payload !== 'string' || payload.length < MIN_BYTES) return payload;
    if (!req.url.startsWith('/api/') || !String(reply.getHeader('content-type') ?? '').startsWith('application/json')) return payload;
    const tag = answerTag(payload);
    reply.header('etag', tag);
    if (!matchesTag(req.headers['if-none-match'], tag)) return payload;
    reply.code(304);
    return '';
  });
}
