/**
 * Confined spaces for the inspector's view: `GET /api/spaces[?plantId=]` lists every space worst
 * first (evacuate, other alarm, people inside, permit open, idle), `GET /api/spaces/{id}` answers
 * one. Each item is a `SpaceSummary` (src/domain/spaces.ts), with the chain ventilate → test →
 * permit → attendant → entry (`chain`) and the evacuate reasons as codes (`reasonCodes`). Live readings are not repeated here:
 * they come with `live/confined` over MQTT and `/api/telemetry/{deviceId}`. Token required, as for
 * every /api route but health and login.
 *
 * Both take `?at=<epoch ms | ISO>`, so the replay's one time cursor moves every panel: the spaces
 * as they stood at that past instant, rebuilt from SQLite (./replay.ts), built into the same
 * `SpaceSummary` by the same `summary()` as the live answer; a future `at` is a 400.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AlarmRecord, GasLevel, Severity } from '../../../contracts';
import { SEVERITY_RANK, compareSpaces, gasTestReason, permitIssue, spaceStatus, worstSeverity, type SpaceSummary } from '../../../domain';
import type { DeviceStates, OpenAlarms } from '../../history/twinAt';
import { effectiveStatus } from '../../ingest';
import type { EntryView, SpaceIndex } from './rules';
import { atQuery, parseOr400, sendError } from '../../api/context';
import type { ViewAt } from '../scene';

const listQuery = atQuery.extend({ plantId: z.string().min(1).optional() });
const LEVEL_ORDER: Record<GasLevel, number> = { upper: 0, middle: 1, lower: 2 };
/** Open alarms considered per request; a confined scene with more has bigger problems. */
const MAX_OPEN = 5000;

/** Where a summary's facts come from: the live service, or the twin at a past instant. */
export interface ConfinedView {
  devices: DeviceStates;
  alarms: OpenAlarms;
  entry: EntryView;
}

export function confinedRoutes(
  app: FastifyInstance,
  spaces: ReadonlyMap<string, SpaceIndex>,
  viewAt: ViewAt<ConfinedView>,
  maxInsideMinOf: (spaceId: string) => number,
): void {
  app.get('/api/spaces', async (req, reply) => {
    const q = parseOr400(listQuery, req.query, reply);
    const src = q && (await viewAt(q.at, reply))?.view;
    if (!q || !src) return reply;
    const open = openBySite(src.alarms);
    return [...spaces.values()]
      .filter((s) => !q.plantId || s.site.parentId === q.plantId)
      .map((s) => summary(src, s, open.get(s.site.id) ?? [], maxInsideMinOf(s.site.id)))
      .sort(compareSpaces);
  });

  app.get<{ Params: { id: string } }>('/api/spaces/:id', async (req, reply) => {
    const q = parseOr400(atQuery, req.query, reply);
    if (!q) return reply;
    const space = spaces.get(req.params.id);
    if (!space) return sendError(reply, 404, 'not_found', `no confined space ${req.params.id}`);
    const src = (await viewAt(q.at, reply))?.view;
    if (!src) return reply;
    return summary(src, space, openBySite(src.alarms).get(space.site.id) ?? [], maxInsideMinOf(space.site.id));
  });
}

/** Open confined alarms by site (a detector's siteId is its space). */
function openBySite(alarms: OpenAlarms): Map<string, AlarmRecord[]> {
  const m = new Map<string, AlarmRecord[]>();
  for (const a of alarms.list('confined', true, MAX_OPEN)) {
    if (!a.siteId) continue;
    const list = m.get(a.siteId) ?? [];
    list.push(a);
    m.set(a.siteId, list);
  }
  return m;
}

/** One space's summary from its entry state, its detectors' health and its open alarms. */
function summary(src: ConfinedView, space: SpaceIndex, open: AlarmRecord[], maxInsideMin: number): SpaceSummary {
  const { site } = space;
  const st = src.entry.state(site.id);
  const reasons = src.entry.reasons(site.id);
  const judged = src.entry.judged(site.id);
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
        const ds = src.devices.state(d.id);
        return { id: d.id, level: d.level ?? null, status: (ds && effectiveStatus(ds)) ?? 'unknown' };
      }),
    permit: st.permit,
    lastGasTest: st.lastGasTest,
    inside: st.inside,
    enteredAt: st.enteredAt,
    maxInsideMin,
    attendant: st.permit?.attendant ?? null,
    ventilation: st.ventilation,
    status: spaceStatus({ evacuate, activeAlarms: active.length, inside: st.inside.length, permitOpen: st.permit !== null }),
    worstSeverity: worst,
    reasons,
    permitIssue: permitIssue(st),
    permitIssueCode: gasTestReason(st),
    chain: judged?.chain ?? [],
    reasonCodes: judged?.reasonCodes ?? [],
    alarmIds: [...open].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]).map((a) => a.id),
  };
}
