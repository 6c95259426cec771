/**
 * Far-zoom aggregation: zoomed out over a city's tens of thousands of devices, the map shows one
 * mark per site instead of a point per device, coloured by the worst state among its devices and
 * counting them. A device belongs to the plant or enterprise above its site (with its spaces, tank
 * farms, tanks); every other device (road segments, boundary stations, gates, trucks) is grouped
 * by a grid cell of its area instead, so a road network of thousands of segments still reads as a
 * few dozen marks.
 *
 * Counts are kept per state and moved one device at a time (`move`), so a recolour costs O(1) per
 * changed device whatever the city's size.
 */
import type { Site } from '../contracts';
import { HEALTH_ORDER } from './health';
import type { Health } from './palette';

/** Side of the grid cell grouping sites that hang straight off an area, degrees (≈ 5.5 km north–south). */
export const CLUSTER_CELL_DEG = 0.05;

/** Sites that gather others (a plant's spaces, an enterprise's tank farms): one mark each. */
const GROUP_KINDS: ReadonlySet<string> = new Set(['plant', 'enterprise']);

/** The cluster a device at `lonLat` on site `siteId` belongs to. */
export function clusterKeyOf(sites: ReadonlyMap<string, Site>, siteId: string, lonLat: readonly [number, number], cellDeg = CLUSTER_CELL_DEG): string {
  let top = sites.get(siteId);
  // Climb to the ancestor just below the area (bounded: a loop in a bad registry must not hang).
  for (let i = 0; top && i < 16; i++) {
    const parent = top.parentId ? sites.get(top.parentId) : undefined;
    if (!parent || parent.kind === 'area') break;
    top = parent;
  }
  if (top && GROUP_KINDS.has(top.kind)) return top.id;
  const area = top?.kind === 'area' ? top.id : (top?.parentId ?? '?');
  return `${area}@${cell(lonLat, cellDeg)}`;
}

const cell = ([lon, lat]: readonly [number, number], d: number): string => `${Math.floor(lon / d)},${Math.floor(lat / d)}`;

export interface ClusterSummary {
  /** Devices per state. */
  counts: Readonly<Record<Health, number>>;
  total: number;
  /** The worst state any of its devices is in (HEALTH_ORDER), null when empty. */
  worst: Health | null;
}

const zero = (): Record<Health, number> => ({ critical: 0, major: 0, minor: 0, warning: 0, stale: 0, offline: 0, nodata: 0, normal: 0 });

/** Devices per state for each cluster, moved as devices change state. */
export class ClusterCounts {
  private readonly byKey = new Map<string, Record<Health, number>>();

  /** A device of cluster `key` goes from state `from` (null: newly counted) to `to`. */
  move(key: string, from: Health | null, to: Health): void {
    let c = this.byKey.get(key);
    if (!c) this.byKey.set(key, (c = zero()));
    if (from !== null) c[from] = Math.max(0, c[from] - 1);
    c[to]++;
  }

  summary(key: string): ClusterSummary {
    const counts = this.byKey.get(key) ?? zero();
    let total = 0;
    let worst: Health | null = null;
    for (const h of HEALTH_ORDER) {
      total += counts[h];
      if (worst === null && counts[h] > 0) worst = h;
    }
    return { counts, total, worst };
  }

  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }
}
