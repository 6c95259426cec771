/**
 * Two-way roads: a directed road segment whose line is also another segment's, either way round, is
 * drawn to the right of its direction of travel, so both directions (and their detectors) show side
 * by side. The shifts are known at once (the device points are placed with them); a segment's whole
 * offset line is made only when it is first drawn.
 */
import type { Site } from '../../contracts';
import { offsetLine, type Position } from './geojson';

/** How far to the right of its direction of travel a two-way segment is drawn, m. */
export const DIRECTION_OFFSET_M = 25;

export interface TwoWayRoads {
  /** The drawn shift of a two-way segment, in degrees (its first point's), or undefined. */
  shiftOf(siteId: string): [number, number] | undefined;
  /** The line to draw for a site's line: offset for a two-way segment, else the line itself. */
  lineOf(site: Site, line: Position[]): Position[];
}

export function createTwoWayRoads(sites: ReadonlyMap<string, Site>): TwoWayRoads {
  // Found by comparing coordinates within buckets of the lines' ends, not by a string of every
  // coordinate (formatting them was ~35 ms of the registry's task at 25,000 devices).
  const twoWay = twoWaySegments(sites.values());
  const shifts = new Map<string, [number, number]>();
  const moved = new Map<string, Position[]>();
  // A line's first offset point depends on its first two points alone (offsetLine), so the shift
  // is taken from those: the same figures as the whole line's.
  for (const id of twoWay) {
    const g = sites.get(id)!.geometry as { coordinates: Position[] };
    const head = cleanHead(g.coordinates);
    if (!head) continue;
    const m = offsetLine(head, DIRECTION_OFFSET_M);
    shifts.set(id, [m[0][0] - head[0][0], m[0][1] - head[0][1]]);
  }
  return {
    shiftOf: (siteId) => shifts.get(siteId),
    lineOf(site, line) {
      if (site.geometry.type !== 'LineString' || !twoWay.has(site.id)) return line;
      const done = moved.get(site.id);
      if (done) return done;
      const m = offsetLine(line, DIRECTION_OFFSET_M);
      moved.set(site.id, m);
      return m;
    },
  };
}

/** A line's first two points as cleanLine keeps them (the first, then the first that differs), or null. */
function cleanHead(line: Position[]): Position[] | null {
  const a = line[0];
  if (!a) return null;
  for (const p of line) if (p[0] !== a[0] || p[1] !== a[1]) return [a, p];
  return null;
}

/** Whether two lines have the same points, in order or `b` reversed. */
function sameLine(a: Position[], b: Position[], reversed: boolean): boolean {
  if (a.length !== b.length) return false;
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const p = a[i];
    const q = b[reversed ? n - 1 - i : i];
    if (p[0] !== q[0] || p[1] !== q[1]) return false;
  }
  return true;
}

/**
 * The road segments (LineStrings) that share their line with another segment, either way round:
 * the two directions of a two-way road (or a duplicate). Lines are bucketed by their two ends
 * (a sum, the same either way round) and compared point by point within a bucket.
 */
export function twoWaySegments(sites: Iterable<Site>): Set<string> {
  const buckets = new Map<number, { id: string; line: Position[] }[]>();
  const out = new Set<string>();
  for (const site of sites) {
    if (site.kind !== 'segment' || site.geometry.type !== 'LineString') continue;
    const line = site.geometry.coordinates;
    if (line.length === 0) continue;
    const a = line[0];
    const b = line[line.length - 1];
    const key = (a[0] + b[0]) * 1e3 + (a[1] + b[1]);
    const bucket = buckets.get(key);
    if (!bucket) {
      buckets.set(key, [{ id: site.id, line }]);
      continue;
    }
    for (const other of bucket) {
      if (sameLine(line, other.line, false) || sameLine(line, other.line, true)) {
        out.add(site.id);
        out.add(other.id);
      }
    }
    bucket.push({ id: site.id, line });
  }
  return out;
}
