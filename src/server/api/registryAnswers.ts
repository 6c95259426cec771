/**
 * The registry's list answers (`GET /api/devices`, `/api/sites`) made once per registry version
 * and query, then sent as they are: at 25,000 devices `/api/devices` is 7.5 MB of JSON, and
 * serializing, hashing (etag.ts) and compressing it (compress.ts) on every request cost a
 * starting page's first answer about 200 ms of the service's event loop (measured: 64 ms
 * JSON.stringify, 39 ms SHA-1, 80 ms brotli at quality 4 on this machine) while its other calls
 * queued. The bytes are those the global hooks would send: the same JSON, weak tag and encodings.
 * A registry change drops every answer made (RegistryIndex.onChange).
 */
import { negotiate } from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { RegistryIndex } from '../registry';
import { answerTag, matchesTag } from './etag';

/** Below this the global hooks tag and compress nothing either (etag.ts, compress.ts). */
const MIN_BYTES = 1024;
/** The encodings the compression plugin offers, in its order of preference (compress.ts). */
const ENCODINGS = ['br', 'gzip'];
const JSON_TYPE = 'application/json; charset=utf-8';

interface Made {
  text: string;
  tag: string;
  /** The bytes sent, per content encoding, made when first asked for. */
  bytes: { br?: Buffer; gzip?: Buffer; identity?: Buffer };
}

export interface RegistryAnswers {
  /** Sends the answer `key` of the registry in force, made by `make` the first time. */
  send(req: FastifyRequest, reply: FastifyReply, key: string, make: () => unknown): FastifyReply | string;
}

export function registryAnswers(registry: RegistryIndex): RegistryAnswers {
  const made = new Map<string, Made>();
  registry.onChange(() => made.clear());
  return {
    send(req, reply, key, make) {
      let m = made.get(key);
      if (!m) {
        const text = JSON.stringify(make());
        m = { text, tag: text.length < MIN_BYTES ? '' : answerTag(text), bytes: {} };
        made.set(key, m);
      }
      reply.header('content-type', JSON_TYPE);
      // A small answer goes through the global hooks as any other does.
      if (!m.tag) return m.text;
      reply.header('etag', m.tag);
      if (matchesTag(req.headers['if-none-match'], m.tag)) return reply.code(304).send('');
      const accept = req.headers['accept-encoding'];
      // Negotiated as the plugin does (`*` and `x-gzip` read as gzip); a Buffer is neither hashed nor compressed again.
      const encoding = accept == null ? null : negotiate(accept.toLowerCase().replace(/\*|x-gzip/g, 'gzip'), ENCODINGS);
      if (encoding !== 'br' && encoding !== 'gzip') return reply.send((m.bytes.identity ??= Buffer.from(m.text)));
      const body = (m.bytes[encoding] ??= encoding === 'br' ? brotliCompressSync(m.text, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }) : gzipSync(m.text));
      reply.header('vary', 'accept-encoding');
      reply.header('content-encoding', encoding);
      return reply.send(body);
    },
  };
}
