/**
 * `GET /api/sites` checked by hand first (see `handChecked`): a city's sites carry polygons of
 * many corners, each a tuple zod walks slowly. A site that is surely what `siteSchema` accepts
 * passes as it is; anything else is left to the schema.
 */
import type { z } from 'zod';
import type { Site } from '../registry';
import { siteListSchema } from './service';
import { handChecked, isNumber, isRecord, namedEntry } from './handCheck';

const lonLat = (p: unknown): boolean => Array.isArray(p) && p.length === 2 && isNumber(p[0]) && isNumber(p[1]);
const ring = (r: unknown): boolean => Array.isArray(r) && r.every(lonLat);
const rings = (rs: unknown): boolean => Array.isArray(rs) && rs.every(ring);

function geometryOk(g: unknown): boolean {
  if (!isRecord(g)) return false;
  const c = g.coordinates;
  switch (g.type) {
    case 'Point':
      return Array.isArray(c) && (c.length === 2 || c.length === 3) && c.every(isNumber);
    case 'LineString':
      return ring(c);
    case 'Polygon':
      return rings(c);
    case 'MultiPolygon':
      return Array.isArray(c) && c.every(rings);
    default:
      return false;
  }
}

/** Whether `s` is surely a site `siteSchema` accepts (false: let the schema say). */
export function surelySite(s: unknown): boolean {
  if (!isRecord(s) || !namedEntry(s)) return false;
  if (s.parentId !== null && typeof s.parentId !== 'string') return false;
  return geometryOk(s.geometry) && (s.props === undefined || isRecord(s.props));
}

/** The site list as the app's HTTP client checks it (`fetchAnswer`); a failure has the schema's own path and message. */
export const siteListAnswerSchema: z.ZodType<Site[]> = handChecked(surelySite, siteListSchema);
