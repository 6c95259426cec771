/**
 * Base layers drawn under the three scenes: Shaoxing's six districts (rough outlines sharing
 * their borders), water (Hangzhou Bay, rivers, a canal, a lake), main roads, and generated
 * city building footprints that keep clear of roads and water. Outlines are simplified by hand
 * to a few kilometres; they are a backdrop, not survey data.
 */
import { offset, pointInRing, pointSegmentDistM, rectRing, toXY, type LonLat, type XY } from './geo';
import { interchangeFeatures } from './interchanges';
import { PUYANG_RIVER, roadLine, ZHUJI_ROADS } from './roads';
import { between, feature, round, type Feature, type Rng } from './util';

/** Shared border corners, so neighbouring districts meet without gaps or overlaps. */
const P: Record<string, LonLat> = {
  kqW: [120.3, 30.24], // Keqiao north-west, on the Qiantang estuary
  kqN: [120.45, 30.31],
  kqN2: [120.62, 30.31],
  kqSyN: [120.77, 30.27], // Keqiao / Shangyu on the coast
  kqYcSy: [120.77, 30.08],
  kqYc: [120.6, 30.05],
  kqYcZj: [120.45, 29.92],
  kqZj: [120.3, 29.95],
  syN: [121.1, 30.23],
  syE: [121.12, 29.98],
  sySz: [120.95, 29.8],
  ycSySz: [120.78, 29.85],
  ycZjSz: [120.55, 29.82],
  zjNW: [119.95, 29.85],
  zjW: [119.9, 29.55],
  zjSW: [120.05, 29.35],
  zjS: [120.35, 29.38],
  zjSzXc: [120.58, 29.5],
  szXc: [120.75, 29.45],
  szXcE: [121.05, 29.55],
  szE: [121.18, 29.72],
  xcE: [121.15, 29.35],
  xcS: [120.95, 29.15],
  xcSW: [120.7, 29.2],
};

const DISTRICTS: [string, string, string, string[]][] = [
  ['sx-yuecheng', 'Yuecheng', '越城区', ['kqYcZj', 'ycZjSz', 'ycSySz', 'kqYcSy', 'kqYc']],
  ['sx-keqiao', 'Keqiao', '柯桥区', ['kqW', 'kqZj', 'kqYcZj', 'kqYc', 'kqYcSy', 'kqSyN', 'kqN2', 'kqN']],
  ['sx-shangyu', 'Shangyu', '上虞区', ['kqSyN', 'kqYcSy', 'ycSySz', 'sySz', 'syE', 'syN']],
  ['sx-zhuji', 'Zhuji', '诸暨市', ['zjNW', 'zjW', 'zjSW', 'zjS', 'zjSzXc', 'ycZjSz', 'kqYcZj', 'kqZj']],
  ['sx-shengzhou', 'Shengzhou', '嵊州市', ['ycZjSz', 'zjSzXc', 'szXc', 'szXcE', 'szE', 'sySz', 'ycSySz']],
  ['sx-xinchang', 'Xinchang', '新昌县', ['szXc', 'xcSW', 'xcS', 'xcE', 'szXcE']],
];

/** Counter-clockwise closed ring (GeoJSON RFC 7946) from corner names. */
function ring(names: string[]): LonLat[] {
  const pts = names.map((n) => P[n]);
  let area2 = 0;
  for (let i = 0; i < pts.length; i++) {
    const [x1, y1] = pts[i];
    const [x2, y2] = pts[(i + 1) % pts.length];
    area2 += x1 * y2 - x2 * y1;
  }
  const ccw = area2 > 0 ? pts : [...pts].reverse();
  return [...ccw, ccw[0]];
}

export function districtsLayer(): Feature[] {
  return DISTRICTS.map(([id, name, nameZh, corners]) => feature({ kind: 'district', id, name, nameZh }, { type: 'Polygon', coordinates: [ring(corners)] }));
}

/** The south shore of Hangzhou Bay, west to east (the districts' north border follows it). */
const COAST: LonLat[] = [P.kqW, P.kqN, P.kqN2, P.kqSyN, [120.8, 30.222], [120.86, 30.21], [120.95, 30.215], P.syN];
/** The north shore (Haining, Haiyan), east to west, only to close the bay polygon. */
const NORTH_SHORE: LonLat[] = [[121.1, 30.55], [120.9, 30.45], [120.7, 30.4], [120.5, 30.36], [120.3, 30.3]];

/** Water: [id, en, zh, kind, widthM, line]; rivers and canals are lines with a width. */
const RIVERS: [string, string, string, string, number, LonLat[]][] = [
  ['w-puyang', 'Puyang River', '浦阳江', 'river', 120, PUYANG_RIVER],
  ['w-caoe', "Cao'e River", '曹娥江', 'river', 250, [[120.82, 29.58], [120.8, 29.8], [120.87, 30.02], [120.82, 30.1], [120.79, 30.18], [120.785, 30.26]]],
  ['w-zhedong', 'Zhedong Canal', '浙东运河', 'canal', 50, [[120.3, 30.14], [120.45, 30.09], [120.54, 30.04], [120.62, 30.03], [120.7, 30.035], [120.842, 30.065]]],
  // the old-city moat of Shaoxing, a closed loop
  ['w-huancheng', 'Huancheng River', '环城河', 'river', 40, [[120.565, 29.986], [120.595, 29.986], [120.598, 30.014], [120.568, 30.016], [120.565, 29.986]]],
];

export function waterLayer(): Feature[] {
  const bay = [...COAST, ...NORTH_SHORE, COAST[0]];
  const jianhu: LonLat[] = [[120.5, 29.975], [120.54, 29.972], [120.545, 29.985], [120.505, 29.99], [120.5, 29.975]];
  return [
    feature({ kind: 'sea', id: 'w-hzbay', name: 'Hangzhou Bay', nameZh: '杭州湾' }, { type: 'Polygon', coordinates: [ring2ccw(bay)] }),
    feature({ kind: 'lake', id: 'w-jianhu', name: 'Jian Lake', nameZh: '鉴湖' }, { type: 'Polygon', coordinates: [ring2ccw(jianhu)] }),
    ...RIVERS.map(([id, name, nameZh, kind, widthM, line]) => feature({ kind, id, name, nameZh, widthM }, { type: 'LineString', coordinates: line })),
  ];
}

/** A closed ring turned counter-clockwise if it is not. */
function ring2ccw(closed: LonLat[]): LonLat[] {
  let area2 = 0;
  for (let i = 1; i < closed.length; i++) area2 += closed[i - 1][0] * closed[i][1] - closed[i][0] * closed[i - 1][1];
  return area2 > 0 ? closed : [...closed].reverse();
}

/** Main roads of Shaoxing: [id, en, zh, kind, widthM, line]. */
const MAIN_ROADS: [string, string, string, string, number, LonLat[]][] = [
  ['r-g60-north', 'G60 Shanghai–Kunming Expressway', 'G60沪昆高速', 'expressway', 35, [[120.27, 30.12], [120.22, 29.98], [120.17, 29.87]]],
  ['r-g92', 'G92 Hangzhou Bay Ring Expressway (Hangzhou–Ningbo)', 'G92杭州湾环线高速（杭甬段）', 'expressway', 35, [[120.3, 30.16], [120.45, 30.11], [120.58, 30.06], [120.72, 30.05], [120.87, 30.05], [121.0, 30.03], [121.15, 29.98]]],
  ['r-shangsan', 'Shangyu–Sanmen Expressway', '上三高速', 'expressway', 30, [[120.86, 30.04], [120.83, 29.8], [120.82, 29.6], [120.9, 29.5], [121.0, 29.25]]],
  ['r-shaozhu', 'Shaoxing–Zhuji Expressway', '绍诸高速', 'expressway', 30, [[120.56, 29.97], [120.45, 29.88], [120.3, 29.81], [120.22, 29.8]]],
  ['r-g104', 'G104 national road', '国道G104', 'national', 20, [[120.45, 30.2], [120.57, 30.01], [120.62, 29.85], [120.75, 29.6], [120.85, 29.45], [120.95, 29.3]]],
];

/** Main roads: Shaoxing's expressways and national roads plus the Zhuji scene's roads, ramps and interchanges. */
export function roadsLayer(): Feature[] {
  const width: Record<string, number> = { expressway: 35, arterial: 25, secondary: 15 };
  return [
    ...MAIN_ROADS.map(([id, name, nameZh, kind, widthM, line]) => feature({ kind, id, name, nameZh, widthM }, { type: 'LineString', coordinates: line })),
    ...ZHUJI_ROADS.map((r) =>
      feature({ kind: r.roadClass, id: `r-zj-${r.key}`, name: r.name, nameZh: r.nameZh, widthM: width[r.roadClass] }, { type: 'LineString', coordinates: roadLine(r) }),
    ),
    ...interchangeFeatures(),
  ];
}

/** Buildings per square metre of the disc: about one footprint per 2.5 ha, enough for a backdrop. */
const DENSITY_PER_M2 = 1 / 25_000;
/** Clearance between a footprint's circumscribed circle and a road's or river's edge, m. */
const CLEARANCE_M = 8;

/**
 * Building footprints scattered in a disc of `radiusM` round `centre`, taller towards the
 * middle and no taller than `maxHeightM` (Shaoxing's old city keeps a low skyline; Zhuji has
 * towers), clear of the `avoid` features (road and river lines by their half width, water
 * polygons) and of each other.
 */
export function cityBuildings(rng: Rng, prefix: string, nameZh: string, name: string, centre: LonLat, radiusM: number, maxHeightM: number, avoid: Feature[]): Feature[] {
  const lines: { pts: XY[]; halfM: number }[] = [];
  const polys: XY[][] = [];
  for (const f of avoid) {
    const g = f.geometry;
    if (g.type === 'LineString') lines.push({ pts: g.coordinates.map((p) => toXY(centre, p)), halfM: (Number(f.properties.widthM) || 20) / 2 });
    if (g.type === 'Polygon') polys.push(g.coordinates[0].map((p) => toXY(centre, p)));
  }
  const near = (p: XY, r: number): boolean =>
    lines.some(({ pts, halfM }) => pts.some((a, i) => i > 0 && pointSegmentDistM(p, pts[i - 1], a) < halfM + r + CLEARANCE_M)) || polys.some((ring) => pointInRing(p, ring));

  const target = Math.round(Math.PI * radiusM * radiusM * DENSITY_PER_M2);
  const placed: { p: XY; r: number }[] = [];
  const out: Feature[] = [];
  const gridDeg = between(rng, -15, 15); // the street grid's turn; buildings line up with it
  for (let tries = 0; out.length < target && tries < target * 20; tries++) {
    const d = radiusM * Math.sqrt(rng()); // uniform over the disc
    const a = rng() * 2 * Math.PI;
    const p: XY = [d * Math.cos(a), d * Math.sin(a)];
    const w = between(rng, 14, 45);
    const dep = between(rng, 10, 22);
    const r = Math.hypot(w, dep) / 2;
    if (near(p, r) || placed.some((q) => Math.hypot(q.p[0] - p[0], q.p[1] - p[1]) < q.r + r + 6)) continue;
    placed.push({ p, r });
    // taller towards the centre: squared draw keeps most buildings low, as in a real city
    const heightM = round(6 + (maxHeightM - 6) * rng() ** 2 * (1 - 0.6 * (d / radiusM)), 0);
    const n = out.length + 1;
    const id = `${prefix}-b${String(n).padStart(3, '0')}`;
    const at = offset(centre, p[0], p[1]);
    out.push(
      feature(
        { kind: 'building', id, name: `${name} building ${n}`, nameZh: `${nameZh}建筑${n}`, heightM },
        { type: 'Polygon', coordinates: [rectRing(at, w, dep, gridDeg + between(rng, -4, 4))] },
      ),
    );
  }
  return out;
}
