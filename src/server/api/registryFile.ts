/**
 * Registry import and export (docs/contract.md "Registry management"): CSV with the contract's
 * columns, or GeoJSON (outlines and every attribute); all or nothing — any error in any row and
 * nothing changes (400, each error with its line and field, in the caller's language); `?dryRun=1`
 * checks and counts without changing anything. Export writes what import reads, so a registry
 * round-trips.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  DEVICE_ID_PATTERN,
  REGISTRY_CSV_COLUMNS,

  deviceInput,
  isDeviceKind,
  isQuantity,
  isScene,
  siteInput,
  type Device,
  type ImportAnswer,
  type Site,
} from '../../contracts';
import { CsvError, csvCell, parseCsv } from '../csv';
import type { RegistryChange } from '../registryManager';
import { requestLang, wordProblem, type RegistryProblem } from '../registryTexts';
import { parseOr400, type ApiContext } from './context';
import { requireRole } from './guard';
import { applyOr409, zodProblems } from './registry';

/** An import file may be this large: 10,000 rows of CSV are about 1.5 MB, of GeoJSON about 4 MB. */
const IMPORT_BODY_LIMIT = 32 * 1024 * 1024;
const MAX_ROWS = 100_000;

/** Where a schema path of a site or device shows in a CSV row. */
const CSV_FIELD: Record<string, string> = { 'position.0': 'lonDeg', 'position.1': 'latDeg', 'position.2': 'heightM', parentId: 'siteId', geometry: 'lonDeg' };

/** One row or feature, read but not yet checked against the registry. */
interface Parsed {
  line: number;
  kind: 'site' | 'device';
  value: Site | Device;
}

const importQuery = z.object({ dryRun: z.enum(['0', '1', 'true', 'false']).optional(), lang: z.enum(['zh', 'en']).optional() });
const exportQuery = z.object({ format: z.enum(['csv', 'geojson']).default('csv') });

export function registryFileRoutes(app: FastifyInstance, ctx: ApiContext): void {
  // Raw bytes: a file saved as GBK by a spreadsheet is refused by name, not read as mojibake.
  app.addContentTypeParser(['text/csv', 'application/csv', 'text/plain', 'application/geo+json'], { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );

  app.post('/api/registry/import', { bodyLimit: IMPORT_BODY_LIMIT }, async (req, reply) => {
    if (!requireRole(req, reply, 'admin')) return reply;
    const q = parseOr400(importQuery, req.query, reply);
    if (!q) return reply;
    const dryRun = q.dryRun === '1' || q.dryRun === 'true';
    const read = readFile(req, ctx);
    const problems = [...read.problems];
    const change: RegistryChange = { sites: [], devices: [] };
    const lines = new Map<string, number>();
    let created = 0;
    for (const p of read.rows) {
      const key = `${p.kind}:${p.value.id}`;
      const other = lines.get(key);
      if (other !== undefined) {
        problems.push({ line: p.line, field: 'id', code: 'duplicate', params: { value: p.value.id, other } });
        continue;
      }
      lines.set(key, p.line);
      if (p.kind === 'site') change.sites!.push(p.value as Site);
      else change.devices!.push(p.value as Device);
      if (!(p.kind === 'site' ? ctx.manager.site(p.value.id) : ctx.manager.device(p.value.id))) created++;
    }
    // Cross-references are checked in the same round as the rows' own errors, so one answer lists
    // them all; a reference to a site whose own row is wrong is that row's error, not a second one.
    problems.push(...ctx.manager.check(change, (k) => lines.get(k) ?? 0, read.unreadSites));
    for (const { line, siteId } of read.unreadRefs ?? []) {
      if (!ctx.manager.site(siteId) && !lines.has(`site:${siteId}`) && !read.unreadSites.has(siteId)) problems.push({ line, field: 'siteId', code: 'unknown_site', params: { value: siteId } });
    }
    const lang = requestLang(req);
    const answer: ImportAnswer = { created, updated: lines.size - created, errors: problems.sort((a, b) => a.line - b.line).map((p) => wordProblem(p, lang)) };
    if (answer.errors.length > 0) return reply.status(400).send({ ...answer, created: 0, updated: 0 });
    if (dryRun) return { ...answer, dryRun: true, version: ctx.registry.version };
    const version = await applyOr409(ctx, change, reply);
    if (version === null) return reply;
    return { ...answer, version };
  });

  app.get('/api/registry/export', async (req, reply) => {
    if (!requireRole(req, reply, 'admin')) return reply;
    const q = parseOr400(exportQuery, req.query, reply);
    if (!q) return reply;
    const { sites, devices } = ctx.manager.all();
    const stamp = `v${ctx.registry.version}`;
    if (q.format === 'geojson') {
      return reply
        .header('content-type', 'application/geo+json; charset=utf-8')
        .header('content-disposition', `attachment; filename="citytwin-registry-${stamp}.geojson"`)
        .send(JSON.stringify(registryGeoJson(sites, devices)));
    }
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="citytwin-registry-${stamp}.csv"`)
      .send(registryCsv(sites, devices));
  });
}

/** The registry as CSV: sites first (a site's `siteId` is its parent; an outline leaves lon/lat empty), then devices. */
export function registryCsv(sites: readonly Site[], devices: readonly Device[]): string {
  const lines = [REGISTRY_CSV_COLUMNS.join(',')];
  for (const s of sites) {
    const point = s.geometry.type === 'Point' ? s.geometry.coordinates : null;
    lines.push([s.id, s.scene, s.parentId ?? '', s.kind, s.name, s.nameZh, point?.[0], point?.[1], point?.[2], '', '', ''].map(csvCell).join(','));
  }
  for (const d of devices) {
    const [lon, lat, h] = d.position;
    lines.push([d.id, d.scene, d.siteId, d.kind, d.name, d.nameZh, lon, lat, h, d.quantities.join('|'), d.intervalS, d.level ?? ''].map(csvCell).join(','));
  }
  // A BOM, so a spreadsheet opens the Chinese names as UTF-8.
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** The registry as GeoJSON: every attribute in `properties`, a device's position as its Point. */
export function registryGeoJson(sites: readonly Site[], devices: readonly Device[]) {
  return {
    type: 'FeatureCollection',
    features: [
      ...sites.map(({ geometry, ...p }) => ({ type: 'Feature', id: p.id, geometry, properties: p })),
      ...devices.map(({ position, ...p }) => ({ type: 'Feature', id: p.id, geometry: { type: 'Point', coordinates: position }, properties: p })),
    ],
  };
}

/**
 * What a file holds: the rows read, the problems found, the ids of site rows that could not be read,
 * and the sites that unread rows name (their `siteId`), still checked so one answer lists every error.
 */
interface ReadFile {
  rows: Parsed[];
  problems: RegistryProblem[];
  unreadSites: Set<string>;
  unreadRefs?: { line: number; siteId: string }[];
}

/** An unread row's site reference: judged like a read row's, unless the row's own error is on it. */
function noteUnread(f: Pick<ReadFile, 'unreadSites'> & { unreadRefs: NonNullable<ReadFile['unreadRefs']> }, line: number, id: unknown, kind: unknown, siteId: unknown, problems: readonly RegistryProblem[]): void {
  if (typeof id === 'string' && id && !isDeviceKind(String(kind))) f.unreadSites.add(id);
  if (typeof siteId === 'string' && siteId && !problems.some((p) => p.field === 'siteId' || p.field === 'parentId')) f.unreadRefs.push({ line, siteId });
}

function readFile(req: FastifyRequest, ctx: ApiContext): ReadFile {
  const body = req.body;
  const bad = (detail: string): ReadFile => ({ rows: [], problems: [{ line: 0, field: 'file', code: 'bad_file', params: { detail } }], unreadSites: new Set() });
  let text: string;
  if (Buffer.isBuffer(body)) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      return bad('not UTF-8 (save as "CSV UTF-8")');
    }
  } else if (body && typeof body === 'object') return readGeoJson(body, ctx);
  else return bad('empty');
  if (/^\uFEFF?\s*\{/.test(text)) {
    try {
      return readGeoJson(JSON.parse(text), ctx);
    } catch (err) {
      return bad(`not JSON: ${(err as Error).message}`);
    }
  }
  return readCsv(text, ctx);
}

function readCsv(text: string, ctx: ApiContext): ReadFile {
  const unreadSites = new Set<string>();
  const unreadRefs: NonNullable<ReadFile['unreadRefs']> = [];
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    const line = err instanceof CsvError ? err.line : 0;
    return { rows: [], problems: [{ line, field: 'file', code: 'bad_file', params: { detail: (err as Error).message } }], unreadSites };
  }
  const header = records[0]?.fields.map((f) => f.trim());
  if (!header || header.join(',') !== REGISTRY_CSV_COLUMNS.join(',')) {
    return { rows: [], problems: [{ line: 1, field: 'header', code: 'header', params: { value: REGISTRY_CSV_COLUMNS.join(',') } }], unreadSites };
  }
  if (records.length - 1 > MAX_ROWS) return { rows: [], problems: [{ line: 0, field: 'file', code: 'too_many', params: { max: MAX_ROWS } }], unreadSites };
  const rows: Parsed[] = [];
  const problems: RegistryProblem[] = [];
  for (const rec of records.slice(1)) {
    if (rec.fields.length !== REGISTRY_CSV_COLUMNS.length) {
      problems.push({ line: rec.line, field: 'row', code: 'columns', params: { expected: REGISTRY_CSV_COLUMNS.length, found: rec.fields.length } });
      // Too few or too many fields: which is the kind is anyone's guess, but the id is first.
      if (rec.fields[0]?.trim() && !isDeviceKind(rec.fields[3]?.trim() ?? '')) unreadSites.add(rec.fields[0].trim());
      continue;
    }
    const cell = Object.fromEntries(REGISTRY_CSV_COLUMNS.map((c, i) => [c, rec.fields[i].trim()])) as Record<(typeof REGISTRY_CSV_COLUMNS)[number], string>;
    const r = csvRow(rec.line, cell, ctx);
    if ('problems' in r) {
      problems.push(...r.problems);
      noteUnread({ unreadSites, unreadRefs }, rec.line, cell.id, cell.kind, cell.siteId, r.problems);
    } else rows.push(r);
  }
  return { rows, problems, unreadSites, unreadRefs };
}

/** One CSV row: the site or device it makes, merged over the registered one (attributes the columns lack are kept). */
function csvRow(line: number, c: Record<(typeof REGISTRY_CSV_COLUMNS)[number], string>, ctx: ApiContext): Parsed | { problems: RegistryProblem[] } {
  const problems: RegistryProblem[] = [];
  const need = (field: keyof typeof c) => (c[field] === '' ? (problems.push({ line, field, code: 'required' }), false) : true);
  const num = (field: 'lonDeg' | 'latDeg' | 'heightM' | 'intervalS'): number | undefined => {
    if (c[field] === '') return undefined;
    const v = Number(c[field]);
    if (!Number.isFinite(v)) problems.push({ line, field, code: 'number', params: { value: c[field] } });
    return v;
  };
  if (need('id') && !DEVICE_ID_PATTERN.test(c.id)) problems.push({ line, field: 'id', code: 'bad_id', params: { value: c.id } });
  if (need('scene') && !isScene(c.scene)) problems.push({ line, field: 'scene', code: 'bad_scene', params: { value: c.scene } });
  need('kind');
  need('name');
  const [lon, lat, height, interval] = [num('lonDeg'), num('latDeg'), num('heightM'), num('intervalS')];
  const device = isDeviceKind(c.kind);
  if (device) {
    need('siteId');
    need('lonDeg');
    need('latDeg');
    need('intervalS');
    const quantities = c.quantities.split('|').map((x) => x.trim()).filter(Boolean);
    for (const q of quantities) if (!isQuantity(q)) problems.push({ line, field: 'quantities', code: 'unknown_quantity', params: { value: q } });
    if (c.level !== '' && !['upper', 'middle', 'lower'].includes(c.level)) problems.push({ line, field: 'level', code: 'bad_level', params: { value: c.level } });
    if (problems.length) return { problems };
    const old = ctx.manager.device(c.id) ?? ctx.registry.retiredDevices.get(c.id);
    const { level: _oldLevel, ...kept } = old ?? ({} as Partial<Device>);
    const value = { ...kept, id: c.id, scene: c.scene, siteId: c.siteId, kind: c.kind, name: c.name, nameZh: c.nameZh || c.name, position: [lon, lat, height ?? 0], quantities, intervalS: interval, ...(c.level ? { level: c.level } : {}) };
    return checked(line, 'device', deviceInput.safeParse(value));
  }
  if (problems.length) return { problems };
  const old = ctx.manager.site(c.id) ?? ctx.registry.retiredSites.get(c.id);
  let geometry = old?.geometry;
  if (lon !== undefined && lat !== undefined) {
    // An outline exported without a point keeps its outline; a point row moves a point site.
    if (!old || old.geometry.type === 'Point') geometry = { type: 'Point', coordinates: height !== undefined ? [lon, lat, height] : [lon, lat] };
  } else if (!old) return { problems: [{ line, field: 'lonDeg', code: 'position_required' }] };
  const value = { ...(old ?? {}), id: c.id, scene: c.scene, kind: c.kind, name: c.name, nameZh: c.nameZh || c.name, parentId: c.siteId || null, geometry };
  return checked(line, 'site', siteInput.safeParse(value));
}

function checked(line: number, kind: 'site' | 'device', r: z.ZodSafeParseResult<unknown>, csv = true): Parsed | { problems: RegistryProblem[] } {
  if (r.success) return { line, kind, value: r.data as Site | Device };
  return { problems: zodProblems(r.error.issues, line).map((p) => ({ ...p, field: csv ? (CSV_FIELD[p.field] ?? CSV_FIELD[p.field.split('.')[0]] ?? p.field) : p.field })) };
}

const featureCollection = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()).max(MAX_ROWS) });
const feature = z.object({ type: z.literal('Feature'), geometry: z.looseObject({ type: z.string(), coordinates: z.unknown() }), properties: z.looseObject({ id: z.string(), kind: z.string() }) });

/** GeoJSON: a feature's `line` is its 1-based place in `features`; fields are the API's names. */
function readGeoJson(json: unknown, ctx: ApiContext): ReadFile {
  const unreadSites = new Set<string>();
  const unreadRefs: NonNullable<ReadFile['unreadRefs']> = [];
  const fc = featureCollection.safeParse(json);
  if (!fc.success) return { rows: [], problems: zodProblems(fc.error.issues, 0), unreadSites };
  const rows: Parsed[] = [];
  const problems: RegistryProblem[] = [];
  fc.data.features.forEach((raw, i) => {
    const line = i + 1;
    const f = feature.safeParse(raw);
    if (!f.success) {
      const own = zodProblems(f.error.issues, line);
      const props = (raw as { properties?: Record<string, unknown> } | null)?.properties;
      noteUnread({ unreadSites, unreadRefs }, line, props?.id, props?.kind, props?.siteId ?? props?.parentId, own);
      return problems.push(...own);
    }
    const p = f.data.properties;
    const g = f.data.geometry;
    let r: Parsed | { problems: RegistryProblem[] };
    if (isDeviceKind(p.kind)) {
      const old = ctx.manager.device(p.id) ?? ctx.registry.retiredDevices.get(p.id);
      const quantities = typeof p.quantities === 'string' ? p.quantities.split('|').filter(Boolean) : p.quantities;
      const c = Array.isArray(g.coordinates) ? (g.coordinates as number[]) : [];
      const position = g.type === 'Point' ? [c[0], c[1], c[2] ?? 0] : undefined;
      r = checked(line, 'device', deviceInput.safeParse({ ...(old ?? {}), ...p, quantities, position }), false);
    } else {
      const old = ctx.manager.site(p.id) ?? ctx.registry.retiredSites.get(p.id);
      const parentId = p.parentId ?? p.siteId ?? null;
      const { siteId: _s, ...rest } = p;
      r = checked(line, 'site', siteInput.safeParse({ ...(old ?? {}), ...rest, parentId, geometry: g }), false);
    }
    if ('problems' in r) {
      problems.push(...r.problems);
      noteUnread({ unreadSites, unreadRefs }, line, p.id, p.kind, p.siteId ?? p.parentId, r.problems);
    } else rows.push(r);
  });
  return { rows, problems, unreadSites, unreadRefs };
}

