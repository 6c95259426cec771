/**
 * The street grid of the Shangyu Hangzhou Bay chemical park (north block): a 7 × 6 km rectangle of
 * 1 km blocks south of the sea wall, laid out in metres from its south-west corner. park.ts puts
 * enterprises, tank farms and stations on these blocks; the roads and the one permitted hazmat
 * route go to public/data/layers/park-roads.geojson. Street names are made up.
 */
import { offset, ringXY, type LonLat, type XY } from './geo';
import { feature, type Feature } from './util';

/** South-west corner of the park, WGS84 (inside the box 120.80–120.93, 30.12–30.27). */
export const PARK_ORIGIN: LonLat = [120.82, 30.145];
/** Block size, m: the park plan's 1 km grid of trunk roads. */
export const BLOCK_M = 1000;
/** Number of blocks east and north. */
export const BLOCKS_X = 7;
export const BLOCKS_Y = 6;

/** The point `xM` east and `yM` north of the park's south-west corner. */
export const parkAt = (xM: number, yM: number): LonLat => offset(PARK_ORIGIN, xM, yM);

/** The park boundary: the outer trunk roads, closed, counter-clockwise. */
export const PARK_BOUNDARY: LonLat[] = ringXY(PARK_ORIGIN, [
  [0, 0],
  [BLOCKS_X * BLOCK_M, 0],
  [BLOCKS_X * BLOCK_M, BLOCKS_Y * BLOCK_M],
  [0, BLOCKS_Y * BLOCK_M],
]);

/**
 * A parcel in block (i, j) (i east, j north, from 0), set back `setbackM` from the streets.
 * `part` takes a share of the block: the whole, or its west, east, south or north half.
 */
export function parcelXY(i: number, j: number, setbackM = 40, part: 'all' | 'w' | 'e' | 's' | 'n' = 'all'): [XY, XY] {
  let x0 = i * BLOCK_M + setbackM;
  let x1 = (i + 1) * BLOCK_M - setbackM;
  let y0 = j * BLOCK_M + setbackM;
  let y1 = (j + 1) * BLOCK_M - setbackM;
  const mx = (x0 + x1) / 2;
  const my = (y0 + y1) / 2;
  if (part === 'w') x1 = mx - setbackM / 2;
  if (part === 'e') x0 = mx + setbackM / 2;
  if (part === 's') y1 = my - setbackM / 2;
  if (part === 'n') y0 = my + setbackM / 2;
  return [
    [x0, y0],
    [x1, y1],
  ];
}

/** A closed ring of the rectangle between two corners given in park metres. */
export function boxRing([[x0, y0], [x1, y1]]: [XY, XY]): LonLat[] {
  return ringXY(PARK_ORIGIN, [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ]);
}

export interface GateDef {
  id: string;
  name: string;
  nameZh: string;
  xy: XY;
  /** the only gate hazmat trucks may use (park traffic rules) */
  hazmat: boolean;
}

export const GATES: GateDef[] = [
  { id: 'sy-gate-s', name: 'South gate (hazmat entry)', nameZh: '南门（危化品车辆入口）', xy: [3 * BLOCK_M, 0], hazmat: true },
  { id: 'sy-gate-w', name: 'West gate', nameZh: '西门', xy: [0, 3 * BLOCK_M], hazmat: false },
  { id: 'sy-gate-e', name: 'East gate', nameZh: '东门', xy: [BLOCKS_X * BLOCK_M, 2 * BLOCK_M], hazmat: false },
];

/**
 * The permitted hazmat route, as grid corners in metres: from the south gate past the hazmat lot
 * (block 2,0) to the two tank farms (blocks 4,2 and 5,3) and on to the storage company's jetty road.
 */
export const HAZMAT_ROUTE_XY: XY[] = [
  [3000, 0],
  [3000, 2000],
  [5000, 2000],
  [5000, 4000],
  [6000, 4000],
];
export const HAZMAT_ROUTE: LonLat[] = HAZMAT_ROUTE_XY.map(([x, y]) => parkAt(x, y));

const ZH_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const EN_NUM = ['1st', '2nd', '3rd', '4th', '5th', '6th', '7th', '8th', '9th', '10th'];

/** Park roads (one feature per street) and the hazmat route. */
export function parkRoadsLayer(): Feature[] {
  const out: Feature[] = [];
  const w = BLOCKS_X * BLOCK_M;
  const h = BLOCKS_Y * BLOCK_M;
  // 纬 (wei) roads run east–west, 经 (jing) roads north–south, numbered from the south-west.
  for (let j = 0; j <= BLOCKS_Y; j++) {
    const outer = j === 0 || j === BLOCKS_Y;
    out.push(
      feature(
        { kind: 'park_road', id: `sy-rd-w${j + 1}`, name: `Wei ${EN_NUM[j]} Road`, nameZh: `纬${ZH_NUM[j]}路`, lanes: outer ? 2 : 4, widthM: outer ? 12 : 24 },
        { type: 'LineString', coordinates: [parkAt(0, j * BLOCK_M), parkAt(w, j * BLOCK_M)] },
      ),
    );
  }
  for (let i = 0; i <= BLOCKS_X; i++) {
    const outer = i === 0 || i === BLOCKS_X;
    out.push(
      feature(
        { kind: 'park_road', id: `sy-rd-j${i + 1}`, name: `Jing ${EN_NUM[i]} Road`, nameZh: `经${ZH_NUM[i]}路`, lanes: outer ? 2 : 4, widthM: outer ? 12 : 24 },
        { type: 'LineString', coordinates: [parkAt(i * BLOCK_M, 0), parkAt(i * BLOCK_M, h)] },
      ),
    );
  }
  out.push(
    feature(
      { kind: 'hazmat_route', id: 'sy-hazmat-route', name: 'Permitted hazmat route', nameZh: '危化品车辆限定行驶路线', gateId: 'sy-gate-s', speedLimitKmh: 30 },
      { type: 'LineString', coordinates: HAZMAT_ROUTE },
    ),
  );
  return out;
}
