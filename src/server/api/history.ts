/**
 * Alarm history routes: every transition of one alarm, and a searchable history of alarm
 * records (closed ones included) as JSON or as a CSV download. Any logged-in role may read every
 * scene, as with `GET /api/alarms`; the auth hook in app.ts guards them like every /api route.
 *
 * Paths: `/api/alarms/history` and `/api/alarms/history.csv` are static and so win over
 * `/api/alarms/:id/…` in fastify's router; alarm ids (`{device}-{rule}-{time}`) never equal them.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ALARM_STATES, SCENES, SEVERITIES, type AlarmRecord } from '../../contracts';
import type { AlarmHistoryRow, AlarmSearch } from '../storage';
import { alarmText, ruleTitle, type Say } from '../../domain/texts';
import { localTime, registrySay, searchTerms } from '../texts';
import { parseOr400, sendError, type ApiContext } from './context';

/** One entry of `GET /api/alarms/{id}/events`. */
export interface AlarmEventEntry {
  ts: number;
  action: 'raised' | 'updated' | 'returned' | 'acknowledged' | 'shelved' | 'unshelved' | 'cleared' | 'device_retired' | 'site_retired' | 'closed' | 'escalated' | string;
  user: string | null;
  /** The operator's comment; the reason of a shelve; why an escalation fired. */
  comment: string | null;
  /** The alarm's state and severity after this event. */
  state: string;
  severity: string;
  /** Only on `shelved`: when the shelve ends (epoch ms). */
  shelvedUntil?: number | null;
}

/** The engine's action names (alarms.ts `apply`) as the history shows them. */
const ACTION_NAMES: Record<string, AlarmEventEntry['action']> = {
  raise: 'raised',
  update: 'updated',
  return: 'returned',
  ack: 'acknowledged',
  shelve: 'shelved',
  unshelve: 'unshelved',
  clear: 'cleared',
  retire_device: 'device_retired',
  retire_site: 'site_retired',
};

/**
 * Stored rows → history entries. A transition that closes the alarm (clear after ack, ack after
 * clear, a shelve ending on a cleared condition) is one row in the store but two steps to an
 * operator: its action, then `closed` at the same time.
 */
export function historyEntries(rows: readonly AlarmHistoryRow[]): AlarmEventEntry[] {
  const out: AlarmEventEntry[] = [];
  for (const r of rows) {
    const entry: AlarmEventEntry = {
      ts: r.ts,
      action: ACTION_NAMES[r.action] ?? r.action,
      user: r.user,
      comment: r.comment,
      state: r.state,
      severity: r.severity,
    };
    if (r.action === 'shelve') entry.shelvedUntil = r.shelvedUntil;
    out.push(entry);
    if (r.state === 'closed' && r.action !== 'escalated') {
      out.push({ ts: r.ts, action: 'closed', user: null, comment: null, state: r.state, severity: r.severity });
    }
  }
  return out;
}

/** `a,b` or repeated parameters → a list of allowed values. */
const listOf = <T extends string>(values: readonly T[]) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values as [T, ...T[]])));

/** Epoch ms or ISO-8601, as the telemetry contract's `ts`. */
const time = z.union([z.coerce.number().int(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]);

const historyQuery = z.object({
  scene: z.enum(SCENES).optional(),
  from: time.optional(),
  to: time.optional(),
  q: z.string().trim().max(200).optional(),
  severity: listOf(SEVERITIES).optional(),
  state: listOf([...ALARM_STATES, 'open'] as const).optional(),
  limit: z.coerce.number().int().min(1).max(50_000).optional(),
  /** The language of the CSV's names and sentences (default Chinese). */
  lang: z.enum(['zh', 'en']).optional(),
});

/** A JSON page stays small; an export may hold a year of a busy scene. */
const JSON_LIMIT = { default: 500, max: 5000 };
const CSV_LIMIT = { default: 10_000, max: 50_000 };

function toSearch(ctx: ApiContext, q: z.infer<typeof historyQuery>, lim: { default: number; max: number }): AlarmSearch {
  return {
    scene: q.scene,
    fromMs: q.from,
    toMs: q.to,
    text: q.q || undefined,
    alsoText: q.q ? searchTerms(ctx.registry, q.q) : undefined,
    severities: q.severity,
    states: q.state,
    limit: Math.min(q.limit ?? lim.default, lim.max),
  };
}

export const CSV_COLUMNS = [
  'id', 'scene', 'siteId', 'deviceId', 'rule', 'severity', 'state', 'message', 'value', 'threshold',
  'raisedAt', 'updatedAt', 'clearedAt', 'ackedAt', 'ackedBy', 'shelvedUntil', 'shelveReason',
  // For the reader (appended, so the columns above keep their places): names, the sentence, local times.
  'deviceName', 'siteName', 'title', 'text', 'peakSeverity', 'raisedAtLocal', 'clearedAtLocal', 'ackedAtLocal',
] as const;
const TIME_COLUMNS = new Set(['raisedAt', 'updatedAt', 'clearedAt', 'ackedAt', 'shelvedUntil']);

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
 * Text starting with = + - @ gets a leading apostrophe so a spreadsheet shows it instead of
 * running it as a formula (OWASP "CSV injection"); numbers are left as they are.
 */
export function csvField(v: string | number | null | undefined): string {
  if (v == null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The history as CSV: a UTF-8 BOM (so Excel reads Chinese as UTF-8), a header row, CRLF line ends;
 * times in ISO-8601 UTC, then the same in the city's local time, with names and the alarm's sentence in `say`'s language.
 */
export function alarmsCsv(alarms: readonly AlarmRecord[], say: Say): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const a of alarms) {
    const rec: Record<string, string | number | null | undefined> = {
      ...(a as unknown as Record<string, string | number | null | undefined>),
      deviceName: a.deviceId ? say.device(a.deviceId) : null,
      siteName: a.siteId ? say.site(a.siteId) : null,
      title: ruleTitle(a.rule, say.lang),
      text: alarmText(a, say),
      peakSeverity: a.peakSeverity ?? a.severity,
      raisedAtLocal: localTime(a.raisedAt),
      clearedAtLocal: localTime(a.clearedAt),
      ackedAtLocal: localTime(a.ackedAt),
    };
    lines.push(
      CSV_COLUMNS.map((c) => {
        const v = rec[c];
        return csvField(TIME_COLUMNS.has(c) && typeof v === 'number' ? new Date(v).toISOString() : v);
      }).join(','),
    );
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** `citytwin-alarms-confined-20261129-0211.csv` (UTC). */
function csvFilename(scene: string | undefined, nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').slice(0, 13).replace('T', '-');
  return `citytwin-alarms-${scene ?? 'all'}-${stamp}.csv`;
}

type IdParams = { Params: { id: string } };

export function historyRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<IdParams>('/api/alarms/:id/events', async (req, reply) => {
    const id = req.params.id;
    if (!(await ctx.storage.alarm(id))) return sendError(reply, 404, 'not_found', `no alarm ${id}`);
    return historyEntries(await ctx.storage.history.alarmHistory(id));
  });

  app.get('/api/alarms/history', async (req, reply) => {
    const q = parseOr400(historyQuery, req.query, reply);
    if (!q) return reply;
    return ctx.storage.history.searchAlarms(toSearch(ctx, q, JSON_LIMIT));
  });

  app.get('/api/alarms/history.csv', async (req, reply) => {
    const q = parseOr400(historyQuery, req.query, reply);
    if (!q) return reply;
    const csv = alarmsCsv(await ctx.storage.history.searchAlarms(toSearch(ctx, q, CSV_LIMIT)), registrySay(ctx.registry, q.lang ?? 'zh'));
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${csvFilename(q.scene, ctx.now())}"`)
      .send(csv);
  });
}
