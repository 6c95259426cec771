/**
 * Park scene: the Shangyu Hangzhou Bay chemical park (north block). Enterprises coloured by the
 * four-colour safety-risk map, two tank farms (major hazard sources) with a sensor per tank and
 * gas detectors in the dikes, toxic-gas stations on the boundary, a wind mast for the leak
 * plume, gates, a hazmat lot and five GPS-tracked hazmat trucks. All names are made up.
 */
import type { Device, Limits, Quantity, RiskLevel, Site } from '../../src/contracts';
import { along, type XY } from './geo';
import { BLOCK_M, boxRing, GATES, HAZMAT_ROUTE, PARK_BOUNDARY, parcelXY, parkAt } from './parkGrid';
import { between, device, feature, intBetween, pad2, round, site, type Feature, type Rng, type SceneData } from './util';

const SCENE = 'park';

type Part = 'all' | 'w' | 'e' | 's' | 'n';
/** [en, zh, short en, short zh, industry en, industry zh, risk, block [i, j], part of the block] */
type EntDef = [string, string, string, string, string, string, RiskLevel, [number, number], Part];

/** Made-up enterprises; the mix (2 red, 3 orange, 5 yellow, 4 blue) is typical of a chemical park. */
const ENTERPRISES: EntDef[] = [
  ['Zhejiang Hengyu Fluorochemical Co.', '浙江恒宇氟化工有限公司', 'Hengyu', '恒宇氟化工', 'fluorochemicals', '氟化工', 'red', [4, 2], 'all'],
  ['Shangyu Jiahe Chemical Co.', '上虞嘉禾化工有限公司', 'Jiahe', '嘉禾化工', 'chlorination and pesticide intermediates', '氯化及农药中间体', 'red', [2, 4], 'all'],
  ['Zhejiang Ruichang Dyestuff Co.', '浙江瑞昌染料有限公司', 'Ruichang', '瑞昌染料', 'dyestuffs', '染料', 'orange', [1, 2], 'all'],
  ['Huakang Pharmaceutical Chemicals Co.', '华康医药化工有限公司', 'Huakang', '华康医药', 'pharmaceutical intermediates', '医药中间体', 'orange', [3, 4], 'all'],
  ['Haiwan Petrochemical Storage Co.', '杭州湾海湾石化仓储有限公司', 'Haiwan', '海湾仓储', 'liquid chemical storage', '液体化工仓储', 'orange', [5, 3], 'all'],
  ['Chenguang New Materials Co.', '晨光新材料有限公司', 'Chenguang', '晨光新材料', 'resins', '树脂新材料', 'yellow', [1, 1], 'w'],
  ['Runze Fine Chemicals Co.', '润泽精细化工有限公司', 'Runze', '润泽精化', 'fine chemicals', '精细化工', 'yellow', [2, 2], 'all'],
  ['Dongsheng Coatings Co.', '东升涂料有限公司', 'Dongsheng', '东升涂料', 'coatings', '涂料', 'yellow', [5, 1], 'e'],
  ['Keli Environmental Services Co.', '科力环保服务有限公司', 'Keli', '科力环保', 'hazardous waste treatment', '危废处置', 'yellow', [6, 2], 'all'],
  ['Hesheng Biotech Co.', '禾盛生物科技有限公司', 'Hesheng', '禾盛生物', 'vitamins and fermentation', '维生素及发酵', 'yellow', [4, 4], 's'],
  ['Yuanhang Hazmat Logistics Co.', '远航危险品物流有限公司', 'Yuanhang', '远航物流', 'hazmat logistics', '危险品物流', 'blue', [3, 1], 'e'],
  ['Lvyuan Park Water Co.', '绿源园区水务有限公司', 'Lvyuan', '绿源水务', 'park wastewater treatment', '园区污水处理', 'blue', [6, 5], 'all'],
  ['Zhilian Electronic Chemicals Co.', '智联电子化学品有限公司', 'Zhilian', '智联电子', 'electronic chemicals', '电子化学品', 'blue', [0, 4], 'n'],
  ['Dongfang Park Thermal Power Co.', '东方园区热电有限公司', 'Dongfang', '东方热电', 'steam and power', '热电联产', 'blue', [5, 5], 'w'],
];

/** People on site by risk level: the big red and orange plants run more shifts. */
const PEOPLE: Record<RiskLevel, [number, number]> = { red: [320, 620], orange: [200, 450], yellow: [90, 280], blue: [40, 150] };
const RISK_ZH: Record<RiskLevel, string> = { red: '重大风险', orange: '较大风险', yellow: '一般风险', blue: '低风险' };

/** Building uses of a plant, [en, zh, height range m]. */
const USES: [string, string, [number, number]][] = [
  ['production unit', '生产装置', [16, 32]],
  ['workshop', '车间', [10, 18]],
  ['warehouse', '仓库', [8, 12]],
  ['office', '办公楼', [15, 27]],
  ['control room', '中控室', [6, 9]],
  ['utilities', '公用工程站', [8, 14]],
];

const BOUNDARY_GAS = ['cl2_ppm', 'nh3_ppm', 'h2s_ppm', 'voc_ppm'] as const;
/** Boundary stations just inside the fence, [x, y] park metres, [en, zh] side. */
const STATIONS: [XY, string, string][] = [
  [[30, 4500], 'west', '西'],
  [[2500, 5970], 'north-west', '西北'],
  [[5500, 5970], 'north-east', '东北'],
  [[6970, 3500], 'east', '东'],
  [[5000, 30], 'south-east', '东南'],
  [[1500, 30], 'south-west', '西南'],
];

/** Trucks: [plate, cargo en, cargo zh, leak-endpoint substance]; four on the hazmat route, the last one in the lot. */
const TRUCKS: [string, string, string, string][] = [
  ['浙D·A3K21', 'methanol', '甲醇', 'methanol'],
  ['浙D·B7Q58', 'liquid ammonia', '液氨', 'ammonia'],
  ['浙D·C2M07', 'propylene', '丙烯', 'propylene'],
  ['浙D·D9H64', 'toluene', '甲苯', 'toluene'],
  // hydrochloric acid gives off hydrogen chloride
  ['浙D·E5T30', 'hydrochloric acid', '盐酸', 'hydrogen_chloride'],
];

interface TankDef {
  type: 'vertical' | 'sphere';
  capacityM3: number;
  substance: string;
  substanceZh: string;
  /** Id in the leak-endpoint table (src/domain/substances.ts); none for ethyl acetate, which has no AEGL. */
  substanceId?: string;
  /** operating pressure, kPa gauge */
  pressureKpa: number;
  /** pressure limits [high, high-high], kPa gauge, below the tank's design pressure */
  pressureLimitsKpa: [number, number];
  /** temperature limits, °C: well below the boiling point for volatile solvents */
  tempLimitsC: [number, number];
}

interface TankFarmDef {
  id: string;
  name: string;
  nameZh: string;
  short: string;
  shortZh: string;
  parentId: string;
  /** south-west corner of the dike, park metres; tanks on a cols × rows grid of pitchM */
  origin: XY;
  cols: number;
  rows: number;
  pitchM: number;
  dikeGas: Quantity[];
  tanks: TankDef[];
}

/** Stored substances → their id in the leak-endpoint table. */
const SUBSTANCE_IDS: Record<string, string | undefined> = {
  methanol: 'methanol',
  toluene: 'toluene',
  acetone: 'acetone',
  dichloromethane: 'dichloromethane',
  propylene: 'propylene',
  'liquid ammonia': 'ammonia',
};

/** Fixed-roof tanks under a nitrogen blanket at about 1.5 kPa; design pressure taken as 6 kPa. */
const vertical = (capacityM3: number, substance: string, substanceZh: string, tempLimitsC: [number, number] = [35, 45]): TankDef => ({
  type: 'vertical',
  capacityM3,
  substance,
  substanceZh,
  substanceId: SUBSTANCE_IDS[substance],
  pressureKpa: 1.5,
  pressureLimitsKpa: [4.5, 6],
  tempLimitsC,
});
/**
 * Pressure spheres of liquefied gas, designed for about 2.16 MPa as usual for propylene and
 * ammonia; operating pressure ≈ the vapour pressure at 20 °C.
 */
const sphere = (capacityM3: number, substance: string, substanceZh: string, pressureKpa: number): TankDef => ({
  type: 'sphere',
  capacityM3,
  substance,
  substanceZh,
  substanceId: SUBSTANCE_IDS[substance],
  pressureKpa,
  pressureLimitsKpa: [1500, 1750],
  tempLimitsC: [40, 45],
});

const TANK_FARMS: TankFarmDef[] = [
  {
    id: 'sy-tf1', name: 'Hengyu solvent tank farm', nameZh: '恒宇氟化工溶剂罐区', short: 'Hengyu', shortZh: '恒宇罐区',
    parentId: 'sy-ent-01', origin: [4760, 2820], cols: 3, rows: 2, pitchM: 60, dikeGas: ['lel_pct', 'voc_ppm'],
    tanks: [
      vertical(3000, 'methanol', '甲醇'),
      vertical(3000, 'methanol', '甲醇'),
      vertical(2000, 'toluene', '甲苯', [40, 50]),
      vertical(2000, 'acetone', '丙酮'),
      vertical(1000, 'ethyl acetate', '乙酸乙酯'),
      // dichloromethane boils at 39.6 °C: the tank is kept cool and alarms early
      vertical(1000, 'dichloromethane', '二氯甲烷', [28, 33]),
    ],
  },
  {
    id: 'sy-tf2', name: 'Haiwan pressure and storage tank farm', nameZh: '海湾仓储球罐储罐区', short: 'Haiwan', shortZh: '海湾罐区',
    parentId: 'sy-ent-05', origin: [5720, 3800], cols: 3, rows: 2, pitchM: 70, dikeGas: ['lel_pct', 'nh3_ppm'],
    tanks: [
      sphere(2000, 'propylene', '丙烯', 1000),
      sphere(2000, 'propylene', '丙烯', 1000),
      sphere(1000, 'liquid ammonia', '液氨', 760),
      sphere(1000, 'liquid ammonia', '液氨', 760),
      vertical(5000, 'methanol', '甲醇'),
      vertical(5000, 'methanol', '甲醇'),
    ],
  },
];

/** Radius and overall height of a tank, m. */
function tankSize(type: TankDef['type'], capacityM3: number): { radiusM: number; heightM: number } {
  if (type === 'sphere') {
    const r = Math.cbrt((3 * capacityM3) / (4 * Math.PI));
    return { radiusM: round(r, 1), heightM: round(2 * r + 3, 1) }; // legs lift the sphere about 3 m
  }
  const h = Math.min(18, 9 + capacityM3 / 600); // shell height grows with size up to ~18 m
  return { radiusM: round(Math.sqrt(capacityM3 / (Math.PI * h)), 1), heightM: round(h, 1) };
}

/**
 * A tank's own limits. Level: high / high-high alarm and interlock at 85 / 90 % for atmospheric
 * tanks, 80 / 85 % for liquefied gas (room for thermal expansion), low 10 % to protect the pumps.
 */
function tankLimits(t: TankDef): Limits {
  const [lh, lhh] = t.type === 'sphere' ? [80, 85] : [85, 90];
  return {
    level_pct: { high: lh, highHigh: lhh, low: 10 },
    pressure_kpa: { high: t.pressureLimitsKpa[0], highHigh: t.pressureLimitsKpa[1] },
    temp_c: { high: t.tempLimitsC[0], highHigh: t.tempLimitsC[1] },
  };
}

export interface ParkData extends SceneData {
  buildings: Feature[];
}

export function parkScene(rng: Rng): ParkData {
  const sites: Site[] = [
    site(SCENE, 'area', 'sy-area', 'Shangyu Hangzhou Bay chemical park, north block', '杭州湾上虞经济技术开发区化工园区（北区）', null, { type: 'Polygon', coordinates: [PARK_BOUNDARY] }),
  ];
  const devices: Device[] = [];
  const buildings: Feature[] = [];

  ENTERPRISES.forEach(([en, zh, short, shortZh, industry, industryZh, risk, [i, j], part], k) => {
    const id = `sy-ent-${pad2(k + 1)}`;
    const box = parcelXY(i, j, 40, part);
    const farm = TANK_FARMS.find((f) => f.parentId === id);
    const hs = addBuildings(rng, id, short, shortZh, box, farm ? farmBox(farm) : null, buildings);
    sites.push(
      site(SCENE, 'enterprise', id, en, zh, 'sy-area', { type: 'Polygon', coordinates: [boxRing(box)] }, {
        // The assessed level (安全风险分区分级) is the map's colour; `riskLevel` is its v1 name.
        assessedLevel: risk,
        riskLevel: risk,
        riskLevelZh: RISK_ZH[risk],
        people: intBetween(rng, ...PEOPLE[risk]),
        buildingHeightM: Math.max(...hs),
        industry,
        industryZh,
      }),
    );
  });

  for (const f of TANK_FARMS) addTankFarm(rng, f, sites, devices);

  STATIONS.forEach(([[x, y], side, sideZh], k) => {
    const id = `sy-bs${k + 1}`;
    const at = parkAt(x, y);
    sites.push(site(SCENE, 'station', id, `Boundary gas station ${k + 1} (${side})`, `边界有毒气体监测站${k + 1}（${sideZh}）`, 'sy-area', { type: 'Point', coordinates: at }));
    // sampling inlet at 2 m, about breathing height; 30 s is the station's averaging period
    devices.push(device(SCENE, 'boundary_gas', `${id}-gas`, id, `Boundary gas station ${k + 1} analyser`, `边界站${k + 1}有毒气体分析仪`, [at[0], at[1], 2], [...BOUNDARY_GAS], 30));
  });

  const mast = parkAt(3.5 * BLOCK_M, 3.5 * BLOCK_M);
  sites.push(site(SCENE, 'station', 'sy-met', 'Park weather mast', '园区气象站', 'sy-area', { type: 'Point', coordinates: mast }));
  // WMO standard anemometer height: 10 m above open ground
  devices.push(device(SCENE, 'wind', 'sy-wind', 'sy-met', 'Park wind sensor', '园区风速风向仪', [mast[0], mast[1], 10], ['wind_speed_ms', 'wind_dir_deg'], 10));

  for (const g of GATES) {
    sites.push(site(SCENE, 'gate', g.id, g.name, g.nameZh, 'sy-area', { type: 'Point', coordinates: parkAt(...g.xy) }, { hazmat: g.hazmat }));
  }
  const lotBox: [XY, XY] = [
    [2600, 80],
    [2940, 420],
  ];
  sites.push(site(SCENE, 'lot', 'sy-lot', 'Hazmat truck parking lot', '危化品车辆专用停车场', 'sy-area', { type: 'Polygon', coordinates: [boxRing(lotBox)] }, { bays: 40 }));

  const lot = parkAt(2770, 250);
  TRUCKS.forEach(([plate, cargo, cargoZh, substanceId], k) => {
    const onRoute = k < 4;
    const { at } = onRoute ? along(HAZMAT_ROUTE, 0.15 + 0.25 * k) : { at: lot };
    const id = `sy-truck-${pad2(k + 1)}`;
    const name = `Hazmat truck ${pad2(k + 1)} (${cargo})`;
    const nameZh = `危化品车${pad2(k + 1)} ${plate}（${cargoZh}）`;
    // The truck is a site of its own (its alarms belong to it, not to the nearest plant), placed at
    // its home, the hazmat lot; where it is now is its GPS device's reading.
    sites.push(site(SCENE, 'vehicle', id, name, nameZh, 'sy-area', { type: 'Point', coordinates: lot }, { mobile: true, plate, cargo, cargoZh, substanceId }));
    devices.push(device(SCENE, 'truck', id, id, name, nameZh, [at[0], at[1], 0], ['lon_deg', 'lat_deg', 'speed_kmh', 'heading_deg'], 5));
  });
  return { sites, devices, buildings };
}

/** The dike of a tank farm in park metres. */
function farmBox(f: TankFarmDef): [XY, XY] {
  return [f.origin, [f.origin[0] + f.cols * f.pitchM, f.origin[1] + f.rows * f.pitchM]];
}

function addTankFarm(rng: Rng, f: TankFarmDef, sites: Site[], devices: Device[]): void {
  const box = farmBox(f);
  sites.push(site(SCENE, 'tankfarm', f.id, f.name, f.nameZh, f.parentId, { type: 'Polygon', coordinates: [boxRing(box)] }, { tanks: f.tanks.length }));
  f.tanks.forEach((t, k) => {
    const id = `${f.id}-t${k + 1}`;
    const x = f.origin[0] + ((k % f.cols) + 0.5) * f.pitchM;
    const y = f.origin[1] + (Math.floor(k / f.cols) + 0.5) * f.pitchM;
    const at = parkAt(x, y);
    const { radiusM, heightM } = tankSize(t.type, t.capacityM3);
    const limits: Limits = tankLimits(t);
    const operating = {
      level_pct: round(between(rng, 40, 70), 1),
      pressure_kpa: round(t.pressureKpa * between(rng, 0.95, 1.05), 1),
      temp_c: round(between(rng, 18, 24), 1),
    };
    const name = `${f.short} tank ${k + 1} (${t.substance})`;
    const nameZh = `${f.shortZh}${k + 1}号罐（${t.substanceZh}）`;
    sites.push(
      site(SCENE, 'tank', id, name, nameZh, f.id, { type: 'Point', coordinates: at }, {
        tankType: t.type,
        capacityM3: t.capacityM3,
        substance: t.substance,
        substanceZh: t.substanceZh,
        ...(t.substanceId ? { substanceId: t.substanceId } : {}),
        heightM,
        radiusM,
        operating,
      }),
    );
    devices.push(device(SCENE, 'tank_sensor', `${id}-sensor`, id, `${name} level, pressure and temperature`, `${nameZh}液位压力温度变送器`, [at[0], at[1], heightM], ['level_pct', 'pressure_kpa', 'temp_c'], 10, { limits }));
  });
  // two detectors in opposite corners of the dike, 0.5 m up: the vapours here are heavier than air
  const corners: XY[] = [
    [box[0][0] + 5, box[0][1] + 5],
    [box[1][0] - 5, box[1][1] - 5],
  ];
  corners.forEach(([x, y], k) => {
    const at = parkAt(x, y);
    devices.push(device(SCENE, 'dike_gas', `${f.id}-dg${k + 1}`, f.id, `${f.short} dike gas detector ${k + 1}`, `${f.shortZh}防火堤可燃有毒气体检测器${k + 1}`, [at[0], at[1], 0.5], [...f.dikeGas], 10));
  });
}

/**
 * Buildings of one enterprise on a grid of ~300 m cells of its parcel, skipping the tank farm.
 * Returns their heights (the tallest is the parcel's extrusion height).
 */
function addBuildings(rng: Rng, entId: string, short: string, shortZh: string, [[x0, y0], [x1, y1]]: [XY, XY], avoid: [XY, XY] | null, out: Feature[]): number[] {
  const cols = Math.max(1, Math.floor((x1 - x0) / 300));
  const rows = Math.max(1, Math.floor((y1 - y0) / 300));
  const cw = (x1 - x0) / cols;
  const ch = (y1 - y0) / rows;
  const cells: XY[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const cx = x0 + (c + 0.5) * cw;
      const cy = y0 + (r + 0.5) * ch;
      const clear = !avoid || cx + cw / 2 < avoid[0][0] || cx - cw / 2 > avoid[1][0] || cy + ch / 2 < avoid[0][1] || cy - ch / 2 > avoid[1][1];
      if (clear) cells.push([cx, cy]);
    }
  }
  const n = Math.min(cells.length, intBetween(rng, 3, 6));
  const heights: number[] = [];
  for (let k = 0; k < n; k++) {
    const [cx, cy] = cells.splice(Math.floor(rng() * cells.length), 1)[0];
    const [use, useZh, [hMin, hMax]] = USES[k % USES.length];
    const w = between(rng, 0.3, 0.6) * cw;
    const d = between(rng, 0.2, 0.45) * ch;
    const heightM = round(between(rng, hMin, hMax), 0);
    heights.push(heightM);
    out.push(
      feature(
        { kind: 'building', id: `${entId}-b${k + 1}`, siteId: entId, name: `${short} ${use}`, nameZh: `${shortZh}${useZh}`, heightM, use },
        { type: 'Polygon', coordinates: [boxRing([[cx - w / 2, cy - d / 2], [cx + w / 2, cy + d / 2]])] },
      ),
    );
  }
  return heights;
}
