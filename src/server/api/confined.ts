/**
 * Confined spaces for the inspector's view (issue 3): `GET /api/spaces[?plantId=]` lists every
 * space worst first (evacuate, other alarm, people inside, permit open, idle), `GET /api/spaces/{id}`
 * answers one. Each item is a `SpaceSummary` (src/domain/entry.ts). Live readings are not
 * repeated here: they come with `live/confined` over MQTT and `/api/telemetry/{deviceId}`.
 * Token required, as for every /api route but health and login.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AlarmRecord, GasLevel, Severity } from '../../contracts';
import { SEVERITY_RANK, compareSpaces, permitIssue, spaceStatus, worstSeverity, type SpaceSummary } from '../../domain';
import { effectiveStatus } from '../ingest';
import type { ConfinedRules, SpaceIndex } from '../rules/confined';
import { parseOr400, sendError, type ApiContext } from './context';

const listQuery = z.object({ plantId: z.string().min(1).optional() });
const LEVEL_ORDER: Record<GasLevel, number> = { upper: 0, middle: 1, lower: 2 };
/** Open alarms considered per request; a confined scene with more has bigger problems. */
const MAX_OPEN = 5000;

export function confinedRoutes(app: FastifyInstance, ctx: ApiContext, rules: ConfinedRules): void {
  app.get('/api/spaces', async (req, reply) => {
    const q = parseOr400(listQuery, req.query, reply);
    if (!q) return reply;
    const open = openBySite(ctx);
    return [...rules.spaces.values()]
      .filter((s) => !q.plantId || s.site.parentId === q.plantId)
      .map((s) => summary(ctx, rules, s, open.get(s.site.id) ?? []))
      .sort(compareSpaces);
  });

  app.get<{ Params: { id: string } }>('/api/spaces/:id', async (req, reply) => {
    const space = rules.spaces.get(req.params.id);
    if (!space) return sendError(reply, 404, 'not_found', `no confined space ${req.params.id}`);
    return summary(ctx, rules, space, openBySite(ctx).get(space.site.id) ?? []);
  });
}

/** Open confined alarms by site (a detector's siteId is its space). */
function openBySite(ctx: ApiContext): Map<string, AlarmRecord[]> {
  const m = new Map<string, AlarmRecord[]>();
  for (const a of ctx.alarms.list('confined', true, MAX_OPEN)) {
    if (!a.siteId) continue;
    const list = m.get(a.siteId) ?? [];
    list.push(a);
    m.set(a.siteId, list);
  }
  return m;
}

function summary(ctx: ApiContext, rules: ConfinedRules, space: SpaceIndex, open: AlarmRecord[]): SpaceSummary {
  const { site } = space;
  const st = rules.state(site.id);
  const reasons = rules.reasons(site.id);
  const active = open.filter((a) => a.active !== false && a.state !== 'cleared_unack');
  let worst: Severity | null = null;
  for (const a of active) worst = worstSeverity(worst, a.severity);
  const evacuate = reasons.length > 0 || active.some((a) => a.rule === 'evacuate');
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  return {
    id: site.id,
    plantId: site.parentId,
    name: site.name,
    nameZh: site.nameZh,
    spaceType: typeof site.props?.spaceType === 'string' ? site.props.spaceType : null,
    depthM: num(site.props?.depthM),
    maxPersons: num(site.props?.maxPersons),
    accessId: space.access?.id ?? null,
    detectors: [...space.detectors]
      .sort((a, b) => (a.level ? LEVEL_ORDER[a.level] : 3) - (b.level ? LEVEL_ORDER[b.level] : 3))
      .map((d) => {
        const ds = ctx.ingest.state(d.id);
        return { id: d.id, level: d.level ?? null, status: (ds && effectiveStatus(ds)) ?? 'unknown' };
      }),
    permit: st.permit,
    lastGasTest: st.lastGasTest,
    inside: st.inside,
    enteredAt: st.enteredAt,
    attendant: st.permit?.attendant ?? null,
    ventilation: st.ventilation,
    status: spaceStatus({ evacuate, activeAlarms: active.length, inside: st.inside.length, permitOpen: st.permit !== null }),
    worstSeverity: worst,
    reasons,
    permitIssue: permitIssue(st),
    alarmIds: [...open].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]).map((a) => a.id),
  };
}
