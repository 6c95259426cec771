/**
 * A grid index of polyline pieces, for "how far is this point from the nearest line" per GPS fix or
 * route request without a turf call over every line. Vertices are projected once to local metres
 * (equirectangular about the lines' mean latitude: within 0.5 % of the geodesic distance over a
 * city's ±0.5° of latitude, i.e. 0.25 m at a 50 m fence); a query looks at the cells around the
 * point, ring by ring, until no nearer piece can remain. turf stays for analysis and for the exact
 * figures of the few candidates (roadGraph.nearestSegments).
 */
import type { LonLat } from './roadGraph';

/** Metres per degree of latitude (mean Earth radius 6,371,008.8 m, as turf uses). */
const M_PER_DEG = (6_371_008.8 * Math.PI) / 180;

export interface IndexedLine<T> {
  id: T;
  coordinates: readonly LonLat[];
}

export interface SegmentHit<T> {
  id: T;
  /** Planar distance in local metres from the point to the line. */
  distanceM: number;
}

export class SegmentIndex<T> {
  private readonly kx: number;
  /** Pieces as [x1, y1, x2, y2] in metres, and the line each belongs to. */
  private readonly xy: Float64Array;
  private readonly owner: T[] = [];
  private readonly cells = new Map<number, number[]>();
  private readonly bounds = { minX: 0, maxX: -1, minY: 0, maxY: -1 };

  /** @param cellM grid cell size, m (@default 250: a few pieces of a city road per cell) */
  constructor(
    lines: readonly IndexedLine<T>[],
    private readonly cellM = 250,
  ) {
    let latSum = 0;
    let n = 0;
    for (const l of lines) for (const c of l.coordinates) (latSum += c[1]), n++;
    this.kx = Math.cos(((n ? latSum / n : 0) * Math.PI) / 180) * M_PER_DEG;
    const pieces: number[] = [];
    for (const l of lines) {
      for (let i = 0; i + 1 < l.coordinates.length; i++) {
        const [a, b] = [l.coordinates[i], l.coordinates[i + 1]];
        pieces.push(a[0] * this.kx, a[1] * M_PER_DEG, b[0] * this.kx, b[1] * M_PER_DEG);
        this.owner.push(l.id);
      }
    }
    this.xy = Float64Array.from(pieces);
    for (let p = 0; p < this.owner.length; p++) this.insert(p);
  }

  get size(): number {
    return this.owner.length;
  }

  /** The nearest line within `maxM` (and passing `accept`), or null. */
  nearest(at: LonLat, maxM = Infinity, accept?: (id: T) => boolean): SegmentHit<T> | null {
    let best: SegmentHit<T> | null = null;
    this.scan(at, maxM, (id, d) => {
      if (d <= maxM && (!best || d < best.distanceM) && (!accept || accept(id))) best = { id, distanceM: d };
      return best?.distanceM ?? maxM;
    });
    return best;
  }

  /** Every line within `radiusM` of the point, each once at its nearest distance, nearest first. */
  within(at: LonLat, radiusM: number): SegmentHit<T>[] {
    const byId = new Map<T, number>();
    this.scan(at, radiusM, (id, d) => {
      if (d <= radiusM && d < (byId.get(id) ?? Infinity)) byId.set(id, d);
      return radiusM;
    });
    return [...byId].map(([id, distanceM]) => ({ id, distanceM })).sort((a, b) => a.distanceM - b.distanceM);
  }

  /** Visits pieces ring by ring; `visit` returns the radius still worth searching. */
  private scan(at: LonLat, maxM: number, visit: (id: T, distanceM: number) => number): void {
    if (this.owner.length === 0) return;
    const x = at[0] * this.kx;
    const y = at[1] * M_PER_DEG;
    const cx = Math.floor(x / this.cellM);
    const cy = Math.floor(y / this.cellM);
    const { minX, maxX, minY, maxY } = this.bounds;
    // Rings beyond every cell of the grid hold nothing more.
    const lastRing = Math.max(Math.abs(cx - minX), Math.abs(cx - maxX), Math.abs(cy - minY), Math.abs(cy - maxY));
    const seen = new Set<number>();
    let radius = maxM;
    for (let r = 0; r <= lastRing; r++) {
      // Every point of ring r is at least (r − 1) cells away from the query point.
      if ((r - 1) * this.cellM > radius) return;
      // The ring's perimeter: its top and bottom rows, then its side columns between them.
      const cell = (i: number, j: number): void => {
        for (const p of this.cells.get(key(i, j)) ?? []) {
          if (seen.has(p)) continue;
          seen.add(p);
          radius = visit(this.owner[p], pieceDistance(this.xy, p, x, y));
        }
      };
      for (let i = cx - r; i <= cx + r; i++) {
        cell(i, cy - r);
        if (r > 0) cell(i, cy + r);
      }
      for (let j = cy - r + 1; j <= cy + r - 1; j++) {
        cell(cx - r, j);
        cell(cx + r, j);
      }
    }
  }

  private insert(p: number): void {
    const o = p * 4;
    const [x1, y1, x2, y2] = [this.xy[o], this.xy[o + 1], this.xy[o + 2], this.xy[o + 3]];
    const i0 = Math.floor(Math.min(x1, x2) / this.cellM);
    const i1 = Math.floor(Math.max(x1, x2) / this.cellM);
    const j0 = Math.floor(Math.min(y1, y2) / this.cellM);
    const j1 = Math.floor(Math.max(y1, y2) / this.cellM);
    const b = this.bounds;
    if (b.maxX < b.minX) Object.assign(b, { minX: i0, maxX: i1, minY: j0, maxY: j1 });
    else Object.assign(b, { minX: Math.min(b.minX, i0), maxX: Math.max(b.maxX, i1), minY: Math.min(b.minY, j0), maxY: Math.max(b.maxY, j1) });
    for (let i = i0; i <= i1; i++) {
      for (let j = j0; j <= j1; j++) {
        const k = key(i, j);
        const list = this.cells.get(k);
        if (list) list.push(p);
        else this.cells.set(k, [p]);
      }
    }
  }
}

/** One number per cell: the grid of a city (±2^20 cells of 250 m each way) fits a double exactly. */
const key = (i: number, j: number): number => (i + 2 ** 20) * 2 ** 21 + (j + 2 ** 20);

/** Distance from (x, y) to piece p, m. */
function pieceDistance(xy: Float64Array, p: number, x: number, y: number): number {
  const o = p * 4;
  const [x1, y1, dx, dy] = [xy[o], xy[o + 1], xy[o + 2] - xy[o], xy[o + 3] - xy[o + 1]];
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / len2)) : 0;
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy));
}
