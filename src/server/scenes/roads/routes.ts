/**
 * The road scene's HTTP API; every route needs a token.
 *
 * - `GET /api/segments` → SegmentView[]: the contract's `id, class, speedKmh, level` plus name, nameZh,
 *   roadName, direction, lanes, lengthM, freeFlowKmh, smoothedSpeedKmh (level follows it),
 *   usualSpeedKmh (same local hour), health `ok|stale|stuck|nodata`, closed, incidentIds, updatedAt.
 * - `GET /api/route?from=lonDeg,latDeg&to=lonDeg,latDeg` → Route: `segmentIds, travelTimeS,
 *   freeFlowTimeS, lengthM, geometry` (LineString); 400 on malformed input, 404 when no route.
 *   With `at`, on the speeds and closures of that instant.
 * - `GET /api/network[?hours=6]` → NetworkView: index now, length by level, `history` of
 *   `[ts, index]` once a minute (at most 24 h).
 * - `GET /api/incidents[?state=open|all]` → IncidentView[]: open and recently cleared (default all).
 * - `GET /api/weather` → WeatherStationView[]: latest values, fog band, ice, covered segments, open alarms.
 *
 * Each takes an optional `at` (epoch ms or ISO), for the replay's time cursor: the answer, in the
 * same shape, as things stood then, rebuilt from SQLite (./replay.ts); a future `at` is a 400. The
 * shapes are the domain types of src/domain/trafficState.ts and routing.ts.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { LonLat } from '../../../domain';
import type { RoadRules, RoadSource } from './rules';
import { atQuery, parseOr400, sendError } from '../../api/context';
import type { ViewAt } from '../scene';

const NUM = String.raw`[-+]?\d+(?:\.\d+)?`;
const PAIR = new RegExp(`^\\s*(${NUM})\\s*,\\s*(${NUM})\\s*$`);

/** `lonDeg,latDeg` in WGS84 degrees. */
const lonLat = (what: string) =>
  z
    .string({ error: `${what} is required: ${what}=lonDeg,latDeg (WGS84 degrees, e.g. 120.24,29.72)` })
    .transform((s, ctx): LonLat => {
      const m = PAIR.exec(s);
      const lon = m ? Number(m[1]) : NaN;
      const lat = m ? Number(m[2]) : NaN;
      if (!m || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
        ctx.addIssue({ code: 'custom', message: `${what} must be lonDeg,latDeg with -180 ≤ lon ≤ 180 and -90 ≤ lat ≤ 90, got "${s}"` });
        return z.NEVER;
      }
      return [lon, lat];
    });

const routeQuery = atQuery.extend({ from: lonLat('from'), to: lonLat('to') });
const networkQuery = atQuery.extend({ hours: z.coerce.number().positive().max(24).default(6) });
const incidentQuery = atQuery.extend({ state: z.enum(['open', 'all']).default('all') });

export function roadRoutes(app: FastifyInstance, roads: RoadRules, viewAt: ViewAt<RoadSource>): void {
  app.get('/api/segments', async (req, reply) => {
    const q = parseOr400(atQuery, req.query, reply);
    const s = q && (await viewAt(q.at, reply));
    if (!s) return reply;
    return roads.segments(s.nowMs, s.view);
  });

  app.get('/api/route', async (req, reply) => {
    const q = parseOr400(routeQuery, req.query, reply);
    const s = q && (await viewAt(q.at, reply));
    if (!q || !s) return reply;
    const r = roads.route(q.from, q.to, s.nowMs, s.view);
    return r.ok ? r.route : sendError(reply, 404, 'no_route', r.message);
  });

  app.get('/api/network', async (req, reply) => {
    const q = parseOr400(networkQuery, req.query, reply);
    const s = q && (await viewAt(q.at, reply));
    if (!q || !s) return reply;
    return roads.network(s.nowMs, q.hours, s.view);
  });

  app.get('/api/incidents', async (req, reply) => {
    const q = parseOr400(incidentQuery, req.query, reply);
    const s = q && (await viewAt(q.at, reply));
    if (!q || !s) return reply;
    return roads.incidents(s.nowMs, q.state === 'open', s.view);
  });

  app.get('/api/weather', async (req, reply) => {
    const q = parseOr400(atQuery, req.query, reply);
    const s = q && (await viewAt(q.at, reply));
    if (!s) return reply;
    return roads.weather(s.nowMs, s.view);
  });
}
