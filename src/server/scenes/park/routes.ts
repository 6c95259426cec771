/**
 * Park routes: the leak danger zones (`GET /api/zones`, a GeoJSON FeatureCollection) and a one-call
 * summary for the park manager's panels (`GET /api/park/summary`). Without `at` both read live
 * state; the browser polls them (a few seconds is enough: the wind mast reports every 10 s, trucks
 * every 5 s). With `?at=` (replay) both answer as things stood at that instant, rebuilt from SQLite
 * by a `TwinAt` through the same code: nothing is raised, nothing live changes.
 */
import type { FastifyInstance } from 'fastify';
import { RISK_LEVEL_HEX, type AlarmRecord, type Site } from '../../../contracts';
import { alarmOverlay, assessedLevel, limitBands, limitsFor } from '../../../domain';
import type { DeviceStates, OpenAlarms } from '../../history/twinAt';
import { effectiveStatus } from '../../ingest';
import type { RegistryIndex } from '../../registry';
import type { ZoneCollection } from './rules';
import { atQuery, parseOr400 } from '../../api/context';
import type { ViewAt } from '../scene';

import type { ParkSummary, SeverityCounts } from '../../../contracts';
export type { ParkSummary };

const counts = (): SeverityCounts => ({ critical: 0, major: 0, minor: 0, warning: 0, total: 0 });
/** More open park alarms than a park ever has: every one is counted. */
const ALL_ALARMS = 5000;

/** What the park answers read: the live `Ingest`, `AlarmEngine` and zones, or all three at a past instant. */
export interface ParkView {
  states: DeviceStates;
  alarms: OpenAlarms;
  zones(): ZoneCollection;
  /** How many zones are open (without drawing them). */
  zoneCount(): number;
}

export function parkRoutes(app: FastifyInstance, registry: RegistryIndex, viewAt: ViewAt<ParkView>): void {
  app.get('/api/zones', async (req, reply) => {
    const q = parseOr400(atQuery, req.query, reply);
    const v = q && (await viewAt(q.at, reply))?.view;
    if (!v) return reply;
    return v.zones();
  });

  app.get('/api/park/summary', async (req, reply) => {
    const q = parseOr400(atQuery, req.query, reply);
    const v = q && (await viewAt(q.at, reply))?.view;
    if (!v) return reply;
    return parkSummary(registry, v.states, v.alarms, v.zoneCount());
  });
}

/**
 * The park manager's summary over one view of the twin: the live `Ingest` and `AlarmEngine`, or a
 * `TwinAt` for both. Enterprises keep their assessed colour (安全风险分区分级, from the registry)
 * whatever their alarms; the alarms come beside it as an overlay (worst open severity, count). Tanks
 * get their readings against limits.
 * @param activeZones the number of danger zones open in the same view
 */
export function parkSummary(registry: RegistryIndex, states: DeviceStates, alarms: OpenAlarms, activeZones: number): ParkSummary {
  const sites = registry.sites;
  const enterpriseOf = (siteId: string | null): string | null => {
    // Up the parent chain (tank → tank farm → enterprise); 8 levels guard against a cycle in a hand-edited registry.
    let s: Site | undefined = siteId ? sites.get(siteId) : undefined;
    for (let n = 0; s && n < 8; n++) {
      if (s.kind === 'enterprise') return s.id;
      s = s.parentId ? sites.get(s.parentId) : undefined;
    }
    return null;
  };
  const byEnterprise = new Map<string, SeverityCounts>();
  const other = counts();
  const open: AlarmRecord[] = alarms.list('park', true, ALL_ALARMS);
  for (const a of open) {
    const ent = enterpriseOf(a.siteId);
    const c = ent ? (byEnterprise.get(ent) ?? counts()) : other;
    c[a.severity]++;
    c.total++;
    if (ent) byEnterprise.set(ent, c);
  }
  // Shelved alarms are hidden by an operator: left out of the overlay.
  const overlay = alarmOverlay(open, sites);
  const parkSites = registry.registry.sites.filter((s) => s.scene === 'park');
  const enterprises = parkSites
    .filter((s) => s.kind === 'enterprise')
    .map((e) => {
      const risk = assessedLevel(e);
      const o = overlay.get(e.id);
      return {
        id: e.id,
        name: e.name,
        nameZh: e.nameZh,
        riskLevel: risk,
        // The map's level is the assessment: an alarm no longer raises it (it is in `overlay`).
        effectiveRiskLevel: risk,
        // The documented summary carries the level's colour for outside clients; the app draws from the level.
        colour: risk ? RISK_LEVEL_HEX[risk] : null,
        overlay: o ? { worstSeverity: o.worstSeverity, openAlarms: o.openAlarms } : null,
        people: typeof e.props?.people === 'number' ? e.props.people : 0,
        openAlarms: byEnterprise.get(e.id) ?? counts(),
      };
    });
  const sensorOf = new Map(registry.registry.devices.filter((d) => d.kind === 'tank_sensor').map((d) => [d.siteId, d]));
  const tanks = parkSites
    .filter((s) => s.kind === 'tank')
    .map((t) => {
      const d = sensorOf.get(t.id);
      const st = d ? states.state(d.id) : undefined;
      const limits = d ? limitsFor(d) : {};
      const values = st ? { ...st.values } : {};
      return {
        id: t.id,
        name: t.name,
        nameZh: t.nameZh,
        farmId: t.parentId,
        enterpriseId: enterpriseOf(t.id),
        tankType: t.props?.tankType ?? null,
        substance: t.props?.substance ?? null,
        capacityM3: t.props?.capacityM3 ?? null,
        deviceId: d?.id ?? null,
        ts: st?.ts ?? null,
        status: st ? effectiveStatus(st) : null,
        values,
        limits,
        bands: limitBands(values, limits),
      };
    });
  return { enterprises, otherOpenAlarms: other, tanks, activeZones };
}
