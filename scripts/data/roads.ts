/**
 * Roads scene: the Zhuji network. The G60 and the Zhuji–Yongjia expressway follow the planned
 * polylines and meet at the hub node north of the city; a national road, a city arterial and a
 * secondary road join them at shared nodes, so the directed segments form one routable graph.
 * Each road is cut at its named nodes and then into equal pieces no longer than its `maxPieceM`.
 */
import type { Device, RoadClass, Site } from '../../src/contracts';
import { distanceM, lerp, lineLengthM, offset, polylineCrossing, bearingDeg, type LonLat } from './geo';
import { device, pad2, round, site, type SceneData } from './util';

const SCENE = 'roads';

/** Graph nodes that more than one road, or a named interchange, shares. */
const NODE: Record<string, LonLat> = {
  'zj-nd-g60-north': [120.17, 29.87],
  'zj-nd-hub': [120.22, 29.8], // G60 × Zhuji–Yongjia hub
  'zj-nd-g60-zhuji': [120.2, 29.73], // G60 Zhuji interchange
  'zj-nd-g60-c': [120.18, 29.6],
  'zj-nd-g60-south': [120.1, 29.52],
  'zj-nd-zy-a': [120.27, 29.78],
  'zj-nd-zy-east': [120.28, 29.71], // Zhuji East interchange
  'zj-nd-zy-c': [120.31, 29.62],
  'zj-nd-zy-south': [120.33, 29.45],
  'zj-nd-centre': [120.24, 29.716], // Zhuji centre
  'zj-nd-g235-north': [120.25, 29.83],
  'zj-nd-g235-a': [120.245, 29.76],
  'zj-nd-g235-b': [120.23, 29.66],
  'zj-nd-g235-south': [120.22, 29.6],
};

export interface RoadDef {
  key: string;
  name: string;
  nameZh: string;
  roadClass: RoadClass;
  /** lanes per direction */
  lanes: number;
  freeFlowKmh: number;
  /** longest segment, m: 6 km on expressways (a detector every 6 km), shorter in town */
  maxPieceM: number;
  /** [forward, reverse] direction: letter for ids, English, Chinese */
  dirs: [[string, string, string], [string, string, string]];
  nodes: string[];
}

const SN: RoadDef['dirs'] = [
  ['s', 'southbound', '南向'],
  ['n', 'northbound', '北向'],
];
const EW: RoadDef['dirs'] = [
  ['e', 'eastbound', '东向'],
  ['w', 'westbound', '西向'],
];

export const ZHUJI_ROADS: RoadDef[] = [
  {
    key: 'g60', name: 'G60 Shanghai–Kunming Expressway (Hangzhou–Jinhua–Quzhou)', nameZh: 'G60沪昆高速（杭金衢段）',
    roadClass: 'expressway', lanes: 2, freeFlowKmh: 105, maxPieceM: 6000, dirs: SN,
    nodes: ['zj-nd-g60-north', 'zj-nd-hub', 'zj-nd-g60-zhuji', 'zj-nd-g60-c', 'zj-nd-g60-south'],
  },
  {
    key: 'zy', name: 'Zhuji–Yongjia Expressway', nameZh: '诸永高速',
    roadClass: 'expressway', lanes: 2, freeFlowKmh: 100, maxPieceM: 6000, dirs: SN,
    nodes: ['zj-nd-hub', 'zj-nd-zy-a', 'zj-nd-zy-east', 'zj-nd-zy-c', 'zj-nd-zy-south'],
  },
  {
    key: 'g235', name: 'G235 national road', nameZh: '国道G235',
    roadClass: 'arterial', lanes: 2, freeFlowKmh: 65, maxPieceM: 3500, dirs: SN,
    nodes: ['zj-nd-g235-north', 'zj-nd-g235-a', 'zj-nd-centre', 'zj-nd-g235-b', 'zj-nd-g235-south'],
  },
  {
    key: 'jy', name: 'Jiyang Avenue', nameZh: '暨阳大道',
    roadClass: 'arterial', lanes: 3, freeFlowKmh: 55, maxPieceM: 3000, dirs: EW,
    nodes: ['zj-nd-g60-zhuji', 'zj-nd-centre', 'zj-nd-zy-east'],
  },
  {
    key: 'wy', name: 'Wangyun Road', nameZh: '望云路',
    roadClass: 'secondary', lanes: 1, freeFlowKmh: 45, maxPieceM: 2500, dirs: EW,
    nodes: ['zj-nd-g235-a', 'zj-nd-zy-a'],
  },
];

/** The Puyang River through Zhuji, south to north (also drawn in the water layer). */
export const PUYANG_RIVER: LonLat[] = [
  [120.15, 29.45], [120.19, 29.55], [120.215, 29.64], [120.232, 29.7], [120.236, 29.73],
  [120.238, 29.77], [120.243, 29.83], [120.25, 29.9], [120.27, 30.02], [120.28, 30.12],
];

/** A road's polyline through its named nodes. */
export const roadLine = (r: RoadDef): LonLat[] => r.nodes.map((n) => NODE[n]);

/** The demo area, inside the box 120.05–120.4, 29.4–29.9. */
const AREA: LonLat[] = [[120.08, 29.42], [120.38, 29.42], [120.38, 29.89], [120.08, 29.89], [120.08, 29.42]];

interface Point {
  id: string;
  at: LonLat;
}

/** The road's points in forward order: its named nodes plus the cut points between them. */
function cutPoints(r: RoadDef): Point[] {
  const pts: Point[] = [{ id: r.nodes[0], at: NODE[r.nodes[0]] }];
  let k = 0;
  for (let i = 1; i < r.nodes.length; i++) {
    const a = NODE[r.nodes[i - 1]];
    const b = NODE[r.nodes[i]];
    const pieces = Math.ceil(distanceM(a, b) / r.maxPieceM);
    for (let p = 1; p < pieces; p++) pts.push({ id: `zj-nd-${r.key}-${pad2(++k)}`, at: lerp(a, b, p / pieces) });
    pts.push({ id: r.nodes[i], at: b });
  }
  return pts;
}

export function roadsScene(): SceneData {
  const sites: Site[] = [site(SCENE, 'area', 'zj-area', 'Zhuji road network', '诸暨路网', null, { type: 'Polygon', coordinates: [AREA] })];
  const devices: Device[] = [];
  for (const r of ZHUJI_ROADS) {
    const fwd = cutPoints(r);
    r.dirs.forEach(([letter, dirEn, dirZh], d) => {
      const pts = d === 0 ? fwd : [...fwd].reverse();
      for (let i = 1; i < pts.length; i++) {
        const id = `zj-${r.key}-${letter}${pad2(i)}`;
        const line: LonLat[] = [pts[i - 1].at, pts[i].at];
        const name = `${r.name} ${dirEn} ${i}`;
        const nameZh = `${r.nameZh}${dirZh}第${i}段`;
        sites.push(
          site(SCENE, 'segment', id, name, nameZh, 'zj-area', { type: 'LineString', coordinates: line }, {
            roadClass: r.roadClass,
            roadKey: r.key,
            roadName: r.name,
            roadNameZh: r.nameZh,
            direction: dirEn,
            lanes: r.lanes,
            freeFlowKmh: r.freeFlowKmh,
            lengthM: round(lineLengthM(line), 0),
            fromNode: pts[i - 1].id,
            toNode: pts[i].id,
          }),
        );
        const mid = lerp(line[0], line[1], 0.5);
        // one microwave detector per segment; 30 s aggregates, as roadside units report
        devices.push(device(SCENE, 'traffic_detector', `zj-det-${r.key}-${letter}${pad2(i)}`, id, `${name} detector`, `${nameZh}车辆检测器`, [mid[0], mid[1], 0], ['speed_kmh', 'flow_vph', 'occupancy_pct'], 30));
      }
    });
  }
  addWeather(sites, devices);
  addBridges(sites);
  const ops = NODE['zj-nd-centre'];
  devices.push(device(SCENE, 'road_operator', 'zj-ops', 'zj-area', 'Zhuji traffic operations centre', '诸暨交通指挥中心', [ops[0], ops[1], 0], [], 60));
  return { sites, devices };
}

/**
 * Road weather stations on the hilly expressway sections south of the city, where valley fog
 * forms; each covers the segments of its road within 8 km.
 */
function addWeather(sites: Site[], devices: Device[]): void {
  const stations: [string, string, string, string, LonLat][] = [
    ['g60', 'G60 Zhuji south weather station', 'G60诸暨南气象站', 'G60诸暨南能见度路面状态检测器', lerp(NODE['zj-nd-g60-zhuji'], NODE['zj-nd-g60-c'], 0.5)],
    ['zy', 'Zhuji–Yongjia Expressway weather station', '诸永高速气象站', '诸永高速能见度路面状态检测器', lerp(NODE['zj-nd-zy-east'], NODE['zj-nd-zy-c'], 0.5)],
  ];
  for (const [key, name, nameZh, devZh, at] of stations) {
    const segmentIds = sites
      .filter((s) => s.props?.roadKey === key && s.geometry.type === 'LineString')
      .filter((s) => {
        const [a, b] = s.geometry.coordinates as LonLat[];
        return distanceM(lerp(a, b, 0.5), at) <= 8000;
      })
      .map((s) => s.id);
    sites.push(site(SCENE, 'station', `zj-met-${key}`, name, nameZh, 'zj-area', { type: 'Point', coordinates: at }, { segmentIds }));
    // visibility, surface temperature and precipitation feed the fog and ice rules; 1-min reports
    devices.push(device(SCENE, 'weather', `zj-wx-${key}`, `zj-met-${key}`, `${name} sensors`, devZh, [at[0], at[1], 0], ['visibility_m', 'road_temp_c', 'precip_mmh'], 60));
  }
}

/** Bridges where the city arterial and the Zhuji–Yongjia expressway cross the Puyang River. */
function addBridges(sites: Site[]): void {
  const defs: [string, string, string, string, number][] = [
    ['jy', 'zj-br-jy', 'Jiyang Avenue Puyang River bridge', '暨阳大道浦阳江大桥', 320],
    ['zy', 'zj-br-zy', 'Zhuji–Yongjia Expressway Puyang River bridge', '诸永高速浦阳江特大桥', 560],
  ];
  for (const [key, id, name, nameZh, lengthM] of defs) {
    const segs = sites.filter((s) => s.props?.roadKey === key);
    const fwd = segs.find((s) => polylineCrossing(s.geometry.coordinates as LonLat[], PUYANG_RIVER));
    if (!fwd) throw new Error(`road ${key} does not cross the Puyang River`);
    const [a, b] = fwd.geometry.coordinates as LonLat[];
    const at = polylineCrossing([a, b], PUYANG_RIVER)!;
    const rev = segs.find((s) => s.props?.fromNode === fwd.props?.toNode && s.props?.toNode === fwd.props?.fromNode);
    const rad = (bearingDeg(a, b) * Math.PI) / 180;
    const half = lengthM / 2;
    const line: LonLat[] = [offset(at, -half * Math.sin(rad), -half * Math.cos(rad)), offset(at, half * Math.sin(rad), half * Math.cos(rad))];
    sites.push(
      site(SCENE, 'bridge', id, name, nameZh, 'zj-area', { type: 'LineString', coordinates: line }, {
        lengthM,
        river: 'Puyang River',
        riverZh: '浦阳江',
        segmentIds: [fwd.id, ...(rev ? [rev.id] : [])],
      }),
    );
  }
}
