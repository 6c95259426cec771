/**
 * The audit log over HTTP (admin): `GET /api/audit[?from=&to=&user=&action=]` and the same as CSV.
 * Also records the operator acts that other routes perform (acks, shelves), from one table of
 * routes, so no alarm route has to know about auditing.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuditRecord } from '../../contracts';
import { csvField } from './history';
import { instant, parseOr400, type ApiContext } from './context';
import { requireRole } from './guard';
import { actorOf } from './identity';

const query = z.object({
  from: instant.optional(),
  to: instant.optional(),
  user: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(50_000).default(1000),
});

/**
 * Routes whose success is an operator act worth auditing: action name and the body fields kept
 * (`*`: the whole body, when it is a small object). The registry and threshold routes of the
 * contract are listed ahead, so they are audited as soon as they exist.
 */
const AUDITED: Record<string, { action: string; fields: string[] }> = {
  'POST /api/alarms/:id/ack': { action: 'alarm.ack', fields: ['comment'] },
  'POST /api/alarms/:id/shelve': { action: 'alarm.shelve', fields: ['minutes', 'reason'] },
  'POST /api/alarms/ack': { action: 'alarm.ack', fields: ['ids', 'comment'] },
  'PUT /api/thresholds/:id': { action: 'config.thresholds', fields: ['*'] },
  'POST /api/sites': { action: 'config.site.create', fields: ['id', 'scene', 'kind', 'name'] },
  'PATCH /api/sites/:id': { action: 'config.site.update', fields: ['*'] },
  'DELETE /api/sites/:id': { action: 'config.site.retire', fields: [] },
  'POST /api/devices': { action: 'config.device.create', fields: ['id', 'scene', 'siteId', 'kind', 'name'] },
  'PATCH /api/devices/:id': { action: 'config.device.update', fields: ['*'] },
  'DELETE /api/devices/:id': { action: 'config.device.retire', fields: [] },
  'POST /api/registry/import': { action: 'config.registry.import', fields: [] },
};

/** The body fields an audit entry keeps. */
function keptFields(body: unknown, fields: string[]): Record<string, unknown> | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const b = body as Record<string, unknown>;
  if (fields.includes('*')) return JSON.stringify(b).length <= 2048 ? b : { truncated: true };
  const kept = Object.fromEntries(fields.filter((f) => b[f] !== undefined).map((f) => [f, b[f]]));
  return Object.keys(kept).length ? kept : null;
}

const CSV_COLUMNS = ['time', 'user', 'address', 'action', 'target', 'detail'] as const;

/** The audit entries as CSV: a UTF-8 BOM, a header row, CRLF line ends, times in ISO-8601 UTC. */
export function auditCsv(entries: readonly AuditRecord[]): string {
  const lines: string[] = [CSV_COLUMNS.join(',')];
  for (const e of entries) {
    const cells = [new Date(e.ts).toISOString(), e.user, e.address, e.action, e.target, e.detail ? JSON.stringify(e.detail) : null];
    lines.push(cells.map(csvField).join(','));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

export function auditRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.addHook('onResponse', async (req, reply) => {
    const audited = AUDITED[`${req.method} ${req.routeOptions.url}`];
    if (!audited || reply.statusCode >= 300) return;
    // A create names its target in the body.
    const bodyId = req.body && typeof req.body === 'object' && typeof (req.body as { id?: unknown }).id === 'string' ? (req.body as { id: string }).id : null;
    const target = (req.params as { id?: string }).id ?? bodyId;
    await ctx.audit.record(audited.action, actorOf(req), target, keptFields(req.body, audited.fields));
  });

  const list = (q: z.infer<typeof query>) =>
    ctx.audit.query({ fromMs: q.from, toMs: q.to, user: q.user || undefined, action: q.action || undefined, limit: q.limit });

  app.get('/api/audit', async (req, reply) => {
    if (!requireRole(req, reply, 'admin')) return reply;
    const q = parseOr400(query, req.query, reply);
    if (!q) return reply;
    return list(q);
  });

  app.get('/api/audit.csv', async (req, reply) => {
    if (!requireRole(req, reply, 'admin')) return reply;
    const q = parseOr400(query, req.query, reply);
    if (!q) return reply;
    const stamp = new Date(ctx.now()).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="citytwin-audit-${stamp}.csv"`)
      .send(auditCsv(await list(q)));
  });
}
