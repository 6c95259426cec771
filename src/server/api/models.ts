/**
 * Models for your own sites (docs/contract.md "Site models"): an admin uploads a GLB or an IFC for
 * a site (`PUT /api/sites/{id}/model`, the file as the body), places, turns and scales it
 * (`PATCH`), or removes it (`DELETE`); everyone logged in reads it (`GET`) and its file
 * (`GET /api/models/{file}`). The model and its placement are stored with the site (`props.model`),
 * so each change is a registry version like any other: audited, and heard by every open browser.
 * Every answer says how much of the model's footprint lies outside the site's outline.
 */
import { createReadStream, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { modelPlacementPatch, type ModelPlacement, type Site, type SiteModel, type SiteModelAnswer } from '../../contracts';
import { anchorOfGeometry, outlineCheck } from '../../domain';
import { convertIfc, IfcConversionError } from '../models/convertIfc';
import { ModelFiles } from '../models/files';
import { checkGlb, sniffModel } from '../models/formats';
import { applyOr409 } from './registry';
import { parseOr400, sendError, sessionOf, type ApiContext } from './context';
import { requireRole } from './guard';
import { actorOf } from './identity';

/** The media types an upload may be sent as; what it is, is decided by its bytes. */
const UPLOAD_TYPES = ['application/octet-stream', 'model/gltf-binary', 'application/x-step', 'application/ifc', 'model/ifc'];
/** A plant's IFC converts in seconds here; minutes means a pathological file. */
const CONVERT_TIMEOUT_MS = 5 * 60_000;

/** The uploader's file name as a label: its last path segment, printable, at most 120 characters. */
function labelOf(name: unknown): string | null {
  if (typeof name !== 'string') return null;
  const last = name.split(/[\\/]/).pop() ?? '';
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 120);
  return clean === '' || clean === '.' || clean === '..' ? null : clean;
}

export function modelRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const files = new ModelFiles(ctx.cfg.dataDir);
  files.sweepScratch(); // what a crash mid-upload left
  const limit = ctx.cfg.modelMaxBytes;
  const limitText = `${Math.round((limit / 1024 / 1024) * 100) / 100} MiB`;
  // One model change at a time: each reads the stored model it replaces.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn);
    queue = run.catch(() => {});
    return run;
  };

  app.addContentTypeParser(UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: limit }, (_req, body, done) => done(null, body));

  const answer = (site: Site, model: SiteModel, version: number): SiteModelAnswer => ({ siteId: site.id, model, version, check: outlineCheck(site.geometry, model.bounds, model) });

  /** Stores a site with this model (or none); the new version, or null once 409 was sent. */
  const store = (site: Site, model: SiteModel | null, reply: FastifyReply) => {
    const { model: _old, ...props } = site.props ?? {};
    return applyOr409(ctx, { sites: [{ ...site, props: model ? { ...props, model } : props }] }, reply);
  };

  app.get<{ Params: { id: string } }>('/api/sites/:id/model', async (req, reply) => {
    const site = ctx.manager.site(req.params.id);
    const model = site?.props?.model;
    if (!site || !model) return sendError(reply, 404, 'not_found', `site ${req.params.id} has no model`);
    return answer(site, model, ctx.registry.version);
  });

  app.put<{ Params: { id: string }; Querystring: { name?: string } }>(
    '/api/sites/:id/model',
    {
      bodyLimit: limit,
      // Before the body is read: a non-admin or an announced oversized file is answered at once.
      onRequest: async (req, reply) => {
        if (!requireRole(req, reply, 'admin')) return reply;
        const length = Number(req.headers['content-length']);
        if (Number.isFinite(length) && length > limit) return tooLarge(reply, length);
      },
      errorHandler: (err: { statusCode?: number; message: string }, _req, reply) => {
        if (err.statusCode === 413) return tooLarge(reply, null);
        throw err;
      },
    },
    async (req, reply) => {
      const site = ctx.manager.site(req.params.id);
      if (!site) return sendError(reply, 404, 'not_found', `no site ${req.params.id}`);
      const body = req.body;
      if (!Buffer.isBuffer(body) || body.byteLength === 0) {
        return sendError(reply, 400, 'bad_request', `send the model file as the body (Content-Type: application/octet-stream), at most ${limitText}`);
      }
      const format = sniffModel(body);
      if (!format) return sendError(reply, 400, 'unsupported_format', 'not a GLB (glTF 2.0 binary) or IFC (ISO 10303-21) file; the file name does not count, its content does');
      let glb: Uint8Array = body;
      if (format === 'ifc') {
        const converted = await convert(body);
        if ('problem' in converted) return sendError(reply, 400, 'invalid_model', converted.problem);
        glb = converted.glb;
      }
      const facts = checkGlb(glb);
      if ('problem' in facts) return sendError(reply, 400, 'invalid_model', facts.problem);
      const label = labelOf(req.query.name);
      const session = sessionOf(req);
      return serial(async () => {
        const current = ctx.manager.site(site.id);
        if (!current) return sendError(reply, 404, 'not_found', `no site ${site.id}`);
        const old = current.props?.model;
        const file = files.write(site.id, glb);
        const [lonDeg, latDeg] = anchorOfGeometry(current.geometry);
        const placement: ModelPlacement = old
          ? { lonDeg: old.lonDeg, latDeg: old.latDeg, heightM: old.heightM, headingDeg: old.headingDeg, scale: old.scale }
          : { lonDeg, latDeg, heightM: 0, headingDeg: 0, scale: 1 };
        const model: SiteModel = {
          ...placement,
          file,
          format,
          sha256: createHash('sha256').update(body).digest('hex'),
          bytes: body.byteLength,
          label,
          uploadedAt: ctx.now(),
          uploadedBy: session.username,
          bounds: facts.bounds,
        };
        // A refused or failed change leaves no file behind that nothing names.
        const version = await store(current, model, reply).catch((e: unknown) => {
          if (file !== old?.file) files.remove(file);
          throw e;
        });
        if (version === null) {
          if (file !== old?.file) files.remove(file);
          return reply;
        }
        if (old && old.file !== file) files.remove(old.file);
        const a = answer(current, model, version);
        await ctx.audit.record('config.site.model.upload', actorOf(req), site.id, { format, bytes: model.bytes, sha256: model.sha256, file, label, outsidePct: a.check?.outsidePct ?? null });
        return reply.status(old ? 200 : 201).send(a);
      });
    },
  );

  app.patch<{ Params: { id: string } }>('/api/sites/:id/model', async (req, reply) => {
    if (!requireRole(req, reply, 'admin')) return reply;
    const p = parseOr400(modelPlacementPatch, req.body, reply);
    if (!p) return reply;
    return serial(async () => {
      const site = ctx.manager.site(req.params.id);
      const old = site?.props?.model;
      if (!site || !old) return sendError(reply, 404, 'not_found', `site ${req.params.id} has no model`);
      const model: SiteModel = { ...old, ...p };
      const version = await store(site, model, reply);
      if (version === null) return reply;
      const a = answer(site, model, version);
      await ctx.audit.record('config.site.model.place', actorOf(req), site.id, { ...p, outsidePct: a.check?.outsidePct ?? null });
      return a;
    });
  });

  app.delete<{ Params: { id: string } }>('/api/sites/:id/model', async (req, reply) => {
    if (!requireRole(req, reply, 'admin')) return reply;
    return serial(async () => {
      const site = ctx.manager.site(req.params.id);
      const old = site?.props?.model;
      if (!site || !old) return sendError(reply, 404, 'not_found', `site ${req.params.id} has no model`);
      const version = await store(site, null, reply);
      if (version === null) return reply;
      files.remove(old.file);
      await ctx.audit.record('config.site.model.delete', actorOf(req), site.id, { file: old.file });
      return { siteId: site.id, removed: true, version };
    });
  });

  // The stored file, for everyone logged in (the guard): named by its content, so it may be cached.
  app.get<{ Params: { file: string } }>('/api/models/:file', async (req, reply) => {
    const path = files.pathOf(req.params.file);
    if (!path || !existsSync(path)) return sendError(reply, 404, 'not_found', `no model ${req.params.file}`);
    reply.header('content-type', 'model/gltf-binary');
    reply.header('content-length', String(statSync(path).size));
    reply.header('cache-control', 'private, max-age=31536000, immutable');
    return reply.send(createReadStream(path));
  });

  function tooLarge(reply: FastifyReply, length: number | null): FastifyReply {
    const size = length === null ? 'the file' : `the file (${Math.round((length / 1024 / 1024) * 10) / 10} MiB)`;
    return sendError(reply, 413, 'too_large', `${size} is over the ${limitText} limit for a model (MODEL_MAX_MB)`);
  }

  /** An IFC converted in a child process, through files in the models folder. */
  async function convert(ifc: Buffer): Promise<{ glb: Uint8Array } | { problem: string }> {
    const input = files.scratch('ifc');
    const output = files.scratch('glb');
    try {
      writeFileSync(input, ifc);
      await convertIfc(input, output, CONVERT_TIMEOUT_MS);
      return { glb: new Uint8Array(readFileSync(output)) };
    } catch (e) {
      if (e instanceof IfcConversionError) return { problem: e.message };
      throw e;
    } finally {
      rmSync(input, { force: true });
      rmSync(output, { force: true });
    }
  }
}
