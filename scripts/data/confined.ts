/**
 * Confined scene: dyeing plants of the Keqiao Binhai cluster (≈ 120.70, 30.21), each with a
 * wastewater yard of confined spaces. Every space has gas detectors at three heights (H₂S is
 * heavier than air and pools low, so the levels are shown apart) and an access terminal at the
 * opening that sends permit, gas-test and entry/exit events. Plants and names are made up.
 */
import type { Device, Quantity, Site } from '../../src/contracts';
import { offset, rectRing, type LonLat } from './geo';
import { between, device, feature, intBetween, round, site, type Feature, type Rng, type SceneData } from './util';

const SCENE = 'confined';

/** Five gases + O₂ per level (docs/domain.md, confined spaces); every detector reports every 5 s. */
const GAS: Quantity[] = ['o2_pct', 'h2s_ppm', 'co_ppm', 'nh3_ppm', 'lel_pct'];
const GAS_INTERVAL_S = 5;
/** The access terminal has no readings; it sends events and a status heartbeat every minute. */
const ACCESS_INTERVAL_S = 60;

interface SpaceType {
  key: string;
  en: string;
  zh: string;
  /** opening footprint, m */
  widthM: number;
  lengthM: number;
  /** depth range, m (GB 30871 spaces here are 2–6 m deep) */
  depthM: [number, number];
  /** people allowed inside at once: 2 where there is room to turn round, 1 in a narrow shaft */
  maxPersons: number;
}

const TYPES: Record<string, SpaceType> = {
  sewage: { key: 'sewage', en: 'Sewage pit', zh: '污水池', widthM: 10, lengthM: 8, depthM: [4, 6], maxPersons: 3 },
  sludge: { key: 'sludge', en: 'Sludge tank', zh: '污泥池', widthM: 7, lengthM: 7, depthM: [3, 5], maxPersons: 2 },
  sump: { key: 'sump', en: 'Sump', zh: '集水井', widthM: 3, lengthM: 3, depthM: [4, 6], maxPersons: 1 },
  dye: { key: 'dye', en: 'Dye-chemical pit', zh: '染化料池', widthM: 5, lengthM: 4, depthM: [2, 3], maxPersons: 2 },
  duct: { key: 'duct', en: 'Underground duct', zh: '地下管沟', widthM: 1.6, lengthM: 24, depthM: [2, 2.5], maxPersons: 2 },
};

interface PlantDef {
  id: string;
  en: string;
  zh: string;
  short: string;
  shortZh: string;
  centre: LonLat;
  /** site boundary, m */
  widthM: number;
  depthM: number;
  spaces: (keyof typeof TYPES)[];
}

const PLANTS: PlantDef[] = [
  { id: 'kq-p1', en: 'Hengcai Dyeing & Finishing Co.', zh: '绍兴恒彩印染有限公司', short: 'Hengcai', shortZh: '恒彩印染', centre: [120.689, 30.2135], widthM: 380, depthM: 260, spaces: ['sewage', 'sludge', 'sump', 'dye', 'duct'] },
  { id: 'kq-p2', en: 'Chengjiang Textile Printing & Dyeing Co.', zh: '绍兴澄江纺织印染有限公司', short: 'Chengjiang', shortZh: '澄江印染', centre: [120.7035, 30.2045], widthM: 420, depthM: 280, spaces: ['sewage', 'sewage', 'sludge', 'sump', 'dye'] },
  { id: 'kq-p3', en: 'Jinlan Dyeing Co.', zh: '绍兴锦澜染整有限公司', short: 'Jinlan', shortZh: '锦澜染整', centre: [120.7165, 30.2175], widthM: 340, depthM: 240, spaces: ['sewage', 'sludge', 'sump', 'duct'] },
];

/** Plant buildings, as [use, zh, widthM, depthM, heightM, x, y] with x, y in fractions of the site. */
const BUILDINGS: [string, string, number, number, number, number, number][] = [
  ['Dyeing workshop', '染色车间', 130, 60, 14, -0.2, 0.22],
  ['Stentering and finishing workshop', '定型整理车间', 110, 50, 16, 0.25, 0.22],
  ['Grey-cloth and dye warehouse', '坯布染料仓库', 70, 34, 10, -0.28, -0.12],
  ['Office and laboratory', '办公化验楼', 42, 18, 21, 0.05, -0.05],
  ['Boiler and heat-setting house', '锅炉房', 30, 24, 12, -0.38, 0.38],
];

/** The Keqiao area: all plants with a margin, inside the demo box 120.66–120.74, 30.19–30.24. */
const AREA: LonLat[] = [
  [120.676, 30.196],
  [120.73, 30.196],
  [120.73, 30.231],
  [120.676, 30.231],
  [120.676, 30.196],
];

export interface ConfinedData extends SceneData {
  buildings: Feature[];
}

export function confinedScene(rng: Rng): ConfinedData {
  const sites: Site[] = [
    site(SCENE, 'area', 'kq-area', 'Keqiao Binhai dyeing cluster', '柯桥滨海印染集聚区', null, { type: 'Polygon', coordinates: [AREA] }),
  ];
  const devices: Device[] = [];
  const buildings: Feature[] = [];
  for (const p of PLANTS) {
    const people = intBetween(rng, 160, 420);
    sites.push(
      site(SCENE, 'plant', p.id, p.en, p.zh, 'kq-area', { type: 'Polygon', coordinates: [rectRing(p.centre, p.widthM, p.depthM)] }, {
        people,
        industry: 'textile dyeing and finishing',
        industryZh: '印染',
      }),
    );
    BUILDINGS.forEach(([use, useZh, w, d, h, fx, fy], i) => {
      // ±10 % so the three plants do not look stamped from one template
      const k = between(rng, 0.9, 1.1);
      buildings.push(
        feature(
          { kind: 'building', id: `${p.id}-b${i + 1}`, siteId: p.id, name: `${p.short} ${use.toLowerCase()}`, nameZh: `${p.shortZh}${useZh}`, heightM: round(h * k, 1), use },
          { type: 'Polygon', coordinates: [rectRing(offset(p.centre, fx * p.widthM, fy * p.depthM), w * k, d * k)] },
        ),
      );
    });
    addSpaces(rng, p, sites, devices);
  }
  return { sites, devices, buildings };
}

/** The wastewater yard along the south-east of the site, spaces in a row from west to east. */
function addSpaces(rng: Rng, p: PlantDef, sites: Site[], devices: Device[]): void {
  const count: Record<string, number> = {};
  let xM = -0.05 * p.widthM;
  const yM = -0.3 * p.depthM;
  p.spaces.forEach((key, i) => {
    const t = TYPES[key];
    count[key] = (count[key] ?? 0) + 1;
    const n = count[key];
    const id = `${p.id}-s${i + 1}`;
    // a duct runs north–south between the yard and the workshops; the others sit in the row
    const centre = key === 'duct' ? offset(p.centre, -0.12 * p.widthM, 0.02 * p.depthM) : offset(p.centre, xM + t.widthM / 2, yM);
    if (key !== 'duct') xM += t.widthM + 12;
    const depthM = round(between(rng, t.depthM[0], t.depthM[1]) * 2, 0) / 2; // to 0.5 m, as drawn on plans
    const name = `${p.short} ${t.en.toLowerCase()} ${n}`;
    const nameZh = `${p.shortZh}${n}号${t.zh}`;
    const [w, l] = [t.widthM, t.lengthM];
    sites.push(
      site(SCENE, 'space', id, name, nameZh, p.id, { type: 'Polygon', coordinates: [rectRing(centre, w, l)] }, {
        spaceType: t.en.toLowerCase(),
        spaceTypeZh: t.zh,
        depthM,
        maxPersons: t.maxPersons,
        volumeM3: round(w * l * depthM, 0),
      }),
    );
    // upper just under the cover, middle at half depth, lower 0.3 m above the floor where H₂S pools
    const heights: [('upper' | 'middle' | 'lower'), string, number][] = [
      ['upper', '上部', -0.5],
      ['middle', '中部', -depthM / 2],
      ['lower', '下部', -(depthM - 0.3)],
    ];
    for (const [level, levelZh, h] of heights) {
      devices.push(
        device(SCENE, 'gas_detector', `${id}-gas-${level}`, id, `${name} gas detector, ${level}`, `${nameZh}${levelZh}气体检测仪`, [centre[0], centre[1], h], GAS, GAS_INTERVAL_S, { level }),
      );
    }
    const opening = offset(centre, -w / 2 - 1, 0); // beside the manhole, where the attendant stands
    devices.push(device(SCENE, 'access', `${id}-access`, id, `${name} access terminal`, `${nameZh}出入口门禁终端`, [opening[0], opening[1], 0], [], ACCESS_INTERVAL_S));
  });
}
