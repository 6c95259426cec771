/**
 * Demo cameras, placed after the three scenes exist because each one watches something in them:
 * pit openings and plant gates in Keqiao, the tank farms, the hazmat gate and lot in the park, and
 * on the Zhuji roads the G60 where the simulator's crash happens, the hub and the Zhuji–Yongjia
 * section where its fog forms. Each stands on a pole some way off and is aimed (heading and pitch)
 * at the point it watches. Its stream is the twin service's own test stream.
 */
import type { CameraDevice, Device, Registry, Scene, Site } from '../../src/contracts';
import { servicePlaylistPath } from '../../src/contracts';
import { drivingChain } from '../../src/simulator/scenarios-roads';
import { bearingDeg, distanceM, lerp, offset, type LonLat } from './geo';
import { device, round } from './util';

interface CameraDef {
  id: string;
  scene: Scene;
  siteId: string;
  name: string;
  nameZh: string;
  /** Where the pole stands. */
  from: LonLat;
  /** Camera height above the ground, m. */
  heightM: number;
  /** The point it is aimed at, and that point's height, m. */
  target: LonLat;
  targetHeightM?: number;
  fovDeg: number;
  rangeM: number;
}

/** Status heartbeat of a camera (it sends no readings), as for the access terminals. */
const CAMERA_INTERVAL_S = 60;

/** A camera device aimed from `from` at `target`. */
function camera(c: CameraDef): CameraDevice {
  const d = device(c.scene, 'camera', c.id, c.siteId, c.name, c.nameZh, [c.from[0], c.from[1], c.heightM], [], CAMERA_INTERVAL_S);
  const groundM = distanceM(c.from, c.target);
  const pitchDeg = (Math.atan2((c.targetHeightM ?? 0) - c.heightM, groundM) * 180) / Math.PI;
  return {
    ...d,
    kind: 'camera',
    headingDeg: round(bearingDeg(c.from, c.target), 1) % 360,
    pitchDeg: round(pitchDeg, 1),
    fovDeg: c.fovDeg,
    rangeM: c.rangeM,
    stream: { hls: servicePlaylistPath(c.id) },
  };
}

const need = <T>(x: T | undefined, what: string): T => {
  if (x === undefined) throw new Error(`cameras: ${what} is not in the registry`);
  return x;
};
const pos = (d: Device): LonLat => [d.position[0], d.position[1]];
/** Corners of a site's polygon: [south-west, north-east]. */
function bbox(s: Site): [LonLat, LonLat] {
  const ring = s.geometry.type === 'Polygon' ? s.geometry.coordinates[0] : [];
  const lons = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  return [
    [Math.min(...lons), Math.min(...lats)],
    [Math.max(...lons), Math.max(...lats)],
  ];
}
const centre = (s: Site): LonLat => lerp(...bbox(s), 0.5);

/** Pit openings (where the access terminal and the attendant are) and the south gate of two plants. */
function confinedCameras(sites: Map<string, Site>, devices: Map<string, Device>): CameraDef[] {
  const opening = (spaceId: string) => pos(need(devices.get(`${spaceId}-access`), `${spaceId}-access`));
  const gate = (plantId: string): LonLat => {
    const [sw, ne] = bbox(need(sites.get(plantId), plantId));
    return [(sw[0] + ne[0]) / 2, sw[1]];
  };
  const pit = (id: string, spaceId: string, name: string, nameZh: string): CameraDef => {
    const at = opening(spaceId);
    return { id, scene: 'confined', siteId: spaceId, name, nameZh, from: offset(at, -8, -12), heightM: 6, target: at, fovDeg: 60, rangeM: 50 };
  };
  const gateCam = (id: string, plantId: string, name: string, nameZh: string): CameraDef => {
    const at = gate(plantId);
    return { id, scene: 'confined', siteId: plantId, name, nameZh, from: offset(at, 6, 18), heightM: 6, target: at, fovDeg: 70, rangeM: 60 };
  };
  // Yard cameras see two neighbouring openings each: where the demo's entries, H2S, fan stop and absent attendant happen.
  const yard = (id: string, plantId: string, a: string, b: string, name: string, nameZh: string): CameraDef => {
    const mid = lerp(opening(a), opening(b), 0.5);
    return { id, scene: 'confined', siteId: plantId, name, nameZh, from: offset(mid, 0, -20), heightM: 6, target: mid, fovDeg: 90, rangeM: 60 };
  };
  return [
    yard('kq-cam-p1-yard', 'kq-p1', 'kq-p1-s1', 'kq-p1-s2', 'Hengcai sewage pit and sludge tank camera', '恒彩印染污水池污泥池摄像机'),
    gateCam('kq-cam-p1-gate', 'kq-p1', 'Hengcai plant gate camera', '恒彩印染厂区大门摄像机'),
    yard('kq-cam-p2-west', 'kq-p2', 'kq-p2-s1', 'kq-p2-s2', 'Chengjiang sewage pits camera', '澄江印染污水池摄像机'),
    yard('kq-cam-p2-east', 'kq-p2', 'kq-p2-s3', 'kq-p2-s4', 'Chengjiang sludge tank and sump camera', '澄江印染污泥池集水井摄像机'),
    gateCam('kq-cam-p2-gate', 'kq-p2', 'Chengjiang plant gate camera', '澄江印染厂区大门摄像机'),
    pit('kq-cam-p3-s1', 'kq-p3-s1', 'Jinlan sewage pit 1 opening camera', '锦澜染整1号污水池开口摄像机'),
  ];
}

/** Both tank farms (the solvent farm from two corners), the hazmat gate and lot, and the north-east boundary. */
function parkCameras(sites: Map<string, Site>): CameraDef[] {
  const farm = (id: string) => need(sites.get(id), id);
  const [tf1sw, tf1ne] = bbox(farm('sy-tf1'));
  const [tf2sw] = bbox(farm('sy-tf2'));
  const gate = need(sites.get('sy-gate-s'), 'sy-gate-s').geometry.coordinates as LonLat;
  const lot = farm('sy-lot');
  const [lotSw] = bbox(lot);
  const station = need(sites.get('sy-bs3'), 'sy-bs3').geometry.coordinates as LonLat;
  // Tank-farm cameras on 15 m masts outside the dike, aimed at the middle of the tanks (≈ 7 m up).
  const mast = { scene: 'park' as const, heightM: 15, targetHeightM: 7 };
  return [
    { ...mast, id: 'sy-cam-tf1-sw', siteId: 'sy-tf1', name: 'Hengyu tank farm camera (south-west)', nameZh: '恒宇罐区摄像机（西南）', from: offset(tf1sw, -15, -15), target: centre(farm('sy-tf1')), fovDeg: 70, rangeM: 300 },
    { ...mast, id: 'sy-cam-tf1-ne', siteId: 'sy-tf1', name: 'Hengyu tank farm camera (north-east)', nameZh: '恒宇罐区摄像机（东北）', from: offset(tf1ne, 15, 15), target: centre(farm('sy-tf1')), fovDeg: 70, rangeM: 300 },
    { ...mast, id: 'sy-cam-tf2', siteId: 'sy-tf2', name: 'Haiwan tank farm camera', nameZh: '海湾罐区摄像机', from: offset(tf2sw, -15, -15), target: centre(farm('sy-tf2')), fovDeg: 80, rangeM: 350 },
    { id: 'sy-cam-gate-s', scene: 'park', siteId: 'sy-gate-s', name: 'South gate camera (hazmat entry)', nameZh: '南门危化品车辆入口摄像机', from: offset(gate, 12, 30), heightM: 8, target: gate, fovDeg: 70, rangeM: 120 },
    { id: 'sy-cam-lot', scene: 'park', siteId: 'sy-lot', name: 'Hazmat parking lot camera', nameZh: '危化品停车场摄像机', from: offset(lotSw, -10, -10), heightM: 12, target: centre(lot), fovDeg: 80, rangeM: 350 },
    // The boundary station where the demo's release is measured: a wide view along the fence.
    { id: 'sy-cam-bs3', scene: 'park', siteId: 'sy-bs3', name: 'North-east boundary camera', nameZh: '东北边界摄像机', from: offset(station, 0, -60), heightM: 10, target: station, targetHeightM: 2, fovDeg: 90, rangeM: 400 },
  ];
}

/** The point `fraction` along a two-point segment site, and the segment's travel bearing. */
function onSegment(s: Site, fraction: number): { at: LonLat; bearing: number } {
  const [a, b] = s.geometry.coordinates as LonLat[];
  return { at: lerp(a, b, fraction), bearing: bearingDeg(a, b) };
}

/** A roadside pole `sideM` to the right of the road, `backM` before `at` in the travel direction. */
function roadside(at: LonLat, travelDeg: number, backM: number, sideM: number): LonLat {
  const t = (travelDeg * Math.PI) / 180;
  const [e, n] = [Math.sin(t), Math.cos(t)]; // unit vector along travel; right of it is (n, −e)
  return offset(at, -backM * e + sideM * n, -backM * n - sideM * e);
}

/**
 * The G60 crash of the simulator (0.6 along the last segment of its chain, as scenarios-roads.ts
 * puts it) and the queue behind it,
 * the G60 × Zhuji–Yongjia hub, the fog sections at both road weather stations, and the Zhuji–Yongjia bridge.
 */
function roadCameras(registry: Registry, sites: Map<string, Site>): CameraDef[] {
  const chain = drivingChain(registry, /g60/i, 4);
  const crashSeg = need(chain[chain.length - 1], 'a G60 chain');
  const crash = onSegment(crashSeg, 0.6);
  // The queue grows upstream of the crash: the next camera watches the middle of the segment before it, where its detector is.
  const behind = onSegment(need(chain[chain.length - 2], 'a G60 segment upstream'), 0.5);
  const hub: LonLat = [120.22, 29.8];
  // Expressway PTZ cameras on 12 m poles, 25 m off the carriageway edge; they watch up to ~1 km.
  const pole = { scene: 'roads' as const, heightM: 12, fovDeg: 45 };
  // A fog-section camera 200 m before its road weather station, looking along the road at it.
  const fogCam = (id: string, stationId: string, roadKey: string, name: string, nameZh: string): CameraDef => {
    const at = need(sites.get(stationId), stationId).geometry.coordinates as LonLat;
    const seg = registry.sites.find((s) => s.props?.roadKey === roadKey && s.kind === 'segment' && distanceM(onSegment(s, 0.5).at, at) < 4000);
    const travel = seg ? onSegment(seg, 0).bearing : 180;
    return { ...pole, id, siteId: stationId, name, nameZh, from: roadside(at, travel, 200, 25), target: at, rangeM: 800 };
  };
  const bridge = need(sites.get('zj-br-zy'), 'zj-br-zy');
  const bridgeMid = lerp(...(bridge.geometry.coordinates as [LonLat, LonLat]), 0.5);
  return [
    { ...pole, id: 'zj-cam-g60-crash', siteId: crashSeg.id, name: 'G60 camera at the Zhuji section crash site', nameZh: 'G60诸暨段事故点摄像机', from: roadside(crash.at, crash.bearing, 250, 25), target: crash.at, rangeM: 600 },
    { ...pole, id: 'zj-cam-g60-queue', siteId: crashSeg.id, name: 'G60 queue camera upstream of the crash site', nameZh: 'G60事故上游排队摄像机', from: roadside(behind.at, behind.bearing, 300, 25), target: behind.at, rangeM: 800 },
    { ...pole, id: 'zj-cam-hub', siteId: 'zj-area', name: 'G60 × Zhuji–Yongjia hub camera', nameZh: 'G60与诸永高速枢纽摄像机', from: offset(hub, 120, -90), target: hub, rangeM: 600, fovDeg: 60 },
    fogCam('zj-cam-zy-fog', 'zj-met-zy', 'zy', 'Zhuji–Yongjia fog section camera', '诸永高速团雾路段摄像机'),
    fogCam('zj-cam-g60-fog', 'zj-met-g60', 'g60', 'G60 Zhuji south fog section camera', 'G60诸暨南团雾路段摄像机'),
    { ...pole, id: 'zj-cam-zy-bridge', siteId: 'zj-br-zy', name: 'Zhuji–Yongjia Puyang River bridge camera', nameZh: '诸永高速浦阳江特大桥摄像机', from: offset(bridgeMid, -150, -120), target: bridgeMid, rangeM: 600 },
  ];
}

/** The demo cameras of all three scenes, aimed at what they watch in `sites` and `devices`. */
export function demoCameras(sites: Site[], devices: Device[]): CameraDevice[] {
  const siteById = new Map(sites.map((s) => [s.id, s]));
  const deviceById = new Map(devices.map((d) => [d.id, d]));
  const registry: Registry = { version: 1, sites, devices };
  const defs = [...confinedCameras(siteById, deviceById), ...parkCameras(siteById), ...roadCameras(registry, siteById)];
  for (const d of defs) {
    const m = distanceM(d.from, d.target);
    if (m > d.rangeM * 0.8) throw new Error(`cameras: ${d.id} stands ${Math.round(m)} m from its target, too near its range of ${d.rangeM} m`);
  }
  return defs.map(camera);
}
