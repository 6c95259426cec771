/**
 * Registry management over HTTP (docs/contract.md "Registry management"): create, change and retire
 * sites and devices (admin), the registry's version, and threshold overrides per site or device.
 * Import and export are in registryFile.ts. Each change is checked against the whole registry it
 * would make, stored with the next version, audited (audit.ts) and in force before the answer.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  devicePatch,
  deviceInput,
  roleOwnsScene,
  siteInput,
  sitePatch,
  thresholdLimits,
  type Device,
  type DeviceThresholds,
  type Quantity,
  type RegistryVersion,
  type Site,
  type ThresholdOverride,
} from '../../contracts';
import { isQuantity } from '../../contracts';
import { looserLimits, thresholdsInForce } from '../../domain';
import { RegistryConflict, type RegistryChange } from '../registryManager';
import { requestLang, wordProblem, type RegistryProblem } from '../registryTexts';
import { sendError, sessionOf, type ApiContext } from './context';
import { requireRole } from './guard';
import { actorOf } from './identity';
import { registryFileRoutes } from './registryFile';

/** zod issues as registry problems (field = the path; `line` as given). */
const ZOD_ZH = z.locales.zhCN().localeError;
/** zod's Chinese messages keep the expected type's English name. */
const TYPE_ZH: Record<string, string> = { number: '数字', string: '文本', boolean: '布尔值', array: '列表', object: '对象', int: '整数' };

export function zodProblems(issues: readonly z.core.$ZodIssue[], line: number, fieldPrefix = ''): RegistryProblem[] {
  return issues.map((i) => {
    const field = fieldPrefix + (i.path.map(String).join('.') || 'body');
    const missing = i.code === 'invalid_type' && /received undefined/.test(i.message);
    // zod's own Chinese wording for the Chinese answer ("数值过大：期望 number <=180"), not its English one.
    const zh = ZOD_ZH(i as Parameters<typeof ZOD_ZH>[0]);
    const detailZh = (typeof zh === 'string' ? zh : (zh?.message ?? i.message)).replace(/\b(number|string|boolean|array|object|int)\b/g, (t) => TYPE_ZH[t]);
    return missing ? { line, field, code: 'required' } : { line, field, code: 'invalid', params: { detail: i.message, detailZh } };
  });
}

/** 400 with every problem worded in the caller's language; the first is the message. */
export function sendProblems(req: FastifyRequest, reply: FastifyReply, problems: RegistryProblem[], status = 400): FastifyReply {
  const lang = requestLang(req);
  const errors = problems.map((p) => wordProblem(p, lang));
  const first = errors[0];
  return reply.status(status).send({ error: status === 409 ? 'conflict' : 'invalid', message: first ? `${first.field}: ${first.message}` : 'invalid', errors });
}

/** Applies a change; answers the new version, or null once 409 was sent (another instance was first). */
export async function applyOr409(ctx: ApiContext, change: RegistryChange, reply: FastifyReply): Promise<number | null> {
  try {
    return await ctx.manager.apply(change);
  } catch (err) {
    if (!(err instanceof RegistryConflict)) throw err;
    sendError(reply, 409, 'registry_changed', err.message);
    return null;
  }
}

type Kind = 'site' | 'device';

export function registryRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const m = ctx.manager;
  const served = (kind: Kind, id: string) => (kind === 'site' ? ctx.registry.sites.get(id) : ctx.registry.devices.get(id));

  app.get('/api/registry/version', async () => {
    const body: RegistryVersion = { version: ctx.registry.version, updatedAt: ctx.registry.updatedAt };
    return body;
  });

  for (const kind of ['site', 'device'] as const) {
    const path = kind === 'site' ? '/api/sites' : '/api/devices';
    const input = kind === 'site' ? siteInput : deviceInput;
    const patch = kind === 'site' ? sitePatch : devicePatch;
    const current = (id: string) => (kind === 'site' ? m.site(id) : m.device(id));
    const upsert = (x: Site | Device): RegistryChange => (kind === 'site' ? { sites: [x as Site] } : { devices: [x as Device] });

    app.post(path, async (req, reply) => {
      if (!requireRole(req, reply, 'admin')) return reply;
      const r = input.safeParse(req.body ?? {});
      if (!r.success) return sendProblems(req, reply, zodProblems(r.error.issues, 0));
      const x = r.data as Site | Device;
      if (current(x.id)) return sendProblems(req, reply, [{ line: 0, field: 'id', code: 'exists', params: { value: x.id } }], 409);
      const problems = m.check(upsert(x));
      if (problems.length) return sendProblems(req, reply, problems);
      const version = await applyOr409(ctx, upsert(x), reply);
      if (version === null) return reply;
      return reply.status(201).send({ [kind]: served(kind, x.id), version });
    });

    app.patch<{ Params: { id: string } }>(`${path}/:id`, async (req, reply) => {
      if (!requireRole(req, reply, 'admin')) return reply;
      const old = current(req.params.id);
      if (!old) return sendProblems(req, reply, [{ line: 0, field: 'id', code: 'not_found', params: { value: req.params.id } }], 404);
      const p = patch.safeParse(req.body ?? {});
      if (!p.success) return sendProblems(req, reply, zodProblems(p.error.issues, 0));
      // Only the fields sent (a schema default must not reset what the patch left out); the merged
      // whole is checked as a new one would be (a patch cannot leave a device without a site).
      const sent = Object.fromEntries(Object.entries(p.data).filter(([k]) => Object.hasOwn(req.body as object, k)));
      const r = input.safeParse({ ...old, ...sent, id: old.id });
      if (!r.success) return sendProblems(req, reply, zodProblems(r.error.issues, 0));
      const x = r.data as Site | Device;
      const problems = m.check(upsert(x));
      if (problems.length) return sendProblems(req, reply, problems);
      const version = await applyOr409(ctx, upsert(x), reply);
      if (version === null) return reply;
      return { [kind]: served(kind, x.id), version };
    });

    app.delete<{ Params: { id: string } }>(`${path}/:id`, async (req, reply) => {
      if (!requireRole(req, reply, 'admin')) return reply;
      const id = req.params.id;
      if (!current(id)) return sendProblems(req, reply, [{ line: 0, field: 'id', code: 'not_found', params: { value: id } }], 404);
      const change: RegistryChange = kind === 'site' ? { retireSites: [id] } : { retireDevices: [id] };
      const problems = m.check(change);
      if (problems.length) return sendProblems(req, reply, problems, 409);
      const version = await applyOr409(ctx, change, reply);
      if (version === null) return reply;
      // Nothing is left to watch: its open alarms close now, each closing audited with its reason.
      const ids = new Set([id]);
      const closed = ctx.alarms.retire(kind === 'device' ? ids : new Set(), kind === 'site' ? ids : new Set(), sessionOf(req).username, ctx.now());
      await ctx.storage.committed();
      for (const a of closed) await ctx.audit.record('alarm.close', actorOf(req), a.id, { reason: `${kind}_retired`, [kind === 'site' ? 'siteId' : 'deviceId']: id });
      return { id, retired: true, version, closedAlarms: closed.map((a) => a.id) };
    });
  }

  app.get<{ Params: { id: string } }>('/api/thresholds/:id', async (req, reply) => {
    const id = req.params.id;
    const device = m.device(id);
    if (device) {
      const chain = m.chainOf(device);
      const body: DeviceThresholds = { deviceId: id, thresholds: thresholdsInForce(device, chain), overrides: chain };
      return body;
    }
    if (m.site(id)) return { siteId: id, override: m.override(id) ?? null };
    return sendError(reply, 404, 'not_found', `no site or device ${id}`);
  });

  // Tighter than the standard: the admin or the role owning the target's scene. Looser: only an admin, with a reason.
  app.put<{ Params: { id: string } }>('/api/thresholds/:id', async (req, reply) => {
    const id = req.params.id;
    const device = m.device(id);
    const site = device ? undefined : m.site(id);
    if (!device && !site) return sendError(reply, 404, 'not_found', `no site or device ${id}`);
    const session = sessionOf(req);
    const scene = (device ?? site)!.scene;
    if (session.role !== 'admin' && !roleOwnsScene(session.role, scene)) return sendError(reply, 403, 'forbidden', `only admin or the owner of ${scene} may set thresholds`);
    const parsed = parseThresholds(req.body);
    if ('problems' in parsed) return sendProblems(req, reply, parsed.problems);
    const { limits, reason } = parsed;
    const affected = device ? [device] : m.devicesUnder(id);
    const looser = affected.flatMap((d) => looserLimits(d, limits));
    if (looser.length > 0) {
      const l = looser[0];
      const what = `${l.quantity}.${l.field} ${l.value} is looser than ${l.base}`;
      if (session.role !== 'admin') return sendError(reply, 403, 'admin_required', `${what}: only an admin may loosen a threshold`);
      if (!reason) return sendError(reply, 400, 'reason_required', `${what}: give a reason to loosen a threshold`);
    }
    const override: ThresholdOverride | null =
      Object.keys(limits).length === 0 ? null : { targetId: id, target: device ? 'device' : 'site', limits, reason, setBy: session.username, setAt: ctx.now() };
    const version = await applyOr409(ctx, { overrides: [{ targetId: id, override }] }, reply);
    if (version === null) return reply;
    return { targetId: id, override, version };
  });

  registryFileRoutes(app, ctx);
}

/** `{quantity: {major, critical, majorLow, criticalLow}, …, reason?}`: the limits and the reason, or the problems. */
function parseThresholds(body: unknown): { limits: ThresholdOverride['limits']; reason: string | null } | { problems: RegistryProblem[] } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { problems: [{ line: 0, field: 'body', code: 'required' }] };
  const problems: RegistryProblem[] = [];
  const limits: ThresholdOverride['limits'] = {};
  let reason: string | null = null;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === 'reason') {
      if (typeof value === 'string' && value.trim().length > 0 && value.length <= 500) reason = value.trim();
      else if (value !== null && value !== undefined && value !== '') problems.push({ line: 0, field: 'reason', code: 'invalid', params: { detail: 'a text of at most 500 characters' } });
      continue;
    }
    if (!isQuantity(key)) {
      problems.push({ line: 0, field: key, code: 'unknown_quantity', params: { value: key } });
      continue;
    }
    const r = thresholdLimits.safeParse(value);
    if (!r.success) problems.push(...zodProblems(r.error.issues, 0, `${key}.`));
    else if (Object.keys(r.data).length > 0) limits[key as Quantity] = r.data;
  }
  return problems.length ? { problems } : { limits, reason };
}
