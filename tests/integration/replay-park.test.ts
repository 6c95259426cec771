/**
 * Park replay against the real service on the generated demo registry:
 * `GET /api/zones?at=` and `GET /api/park/summary?at=` answer as things stood at `at`. An ammonia
 * leak at a dike detector of tank farm 2 (level 2) opens a critical alarm, first with the wind from
 * the west, then from the north; then the gas goes back to normal and the alarm closes. A dike
 * detector rather than a boundary station: its alarm sits under an enterprise (tank farm →
 * enterprise), so it also raises that enterprise's colour, which the summary must replay.
 *
 * Alarms are stamped with the service's arrival time, so the alarm part is published in real time
 * (waiting on state between steps, in beforeAll) and the instants asked about are read back from
 * the records; each test then only reads.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bearing, destination, distance, point } from '@turf/turf';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RISK_LEVEL_HEX, deviceTopic, type ParkSummary, type ZoneFeature } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { generate, layerJson, registryJson } from '../../scripts/gen-data';
import { api, deviceClient, login, publish, removeDir, startTestService, tempDataDir, waitFor, waitForAlarm } from './helpers';

const demoDir = tempDataDir();
const registryPath = join(demoDir, 'registry.json');
const dataDirs: string[] = [];
const { registry, layers } = generate();
/** NH₃ detector in the dike of tank farm 2 (Zhongcheng storage, sy-ent-05, assessed orange). */
const SOURCE = 'sy-tf2-dg1';
const ENTERPRISE = 'sy-ent-05';
const TANK = 'sy-tf2-t1-sensor';
const TRUCK = 'sy-truck-02';
const source = registry.devices.find((d) => d.id === SOURCE)!;
const SRC: [number, number] = [source.position[0], source.position[1]];
/** 80 ppm: over level 2 (57 ppm, src/domain/limits.ts DIKE_GAS). */
const LEAK_NH3_PPM = 80;

let svc: Service;
let device: MqttClient;
let manager: string;
let clock = Date.now();
/** Strictly increasing reading times (a reading with an older ts would not move the live state). */
const ts = () => (clock = Math.max(clock + 1, Date.now()));
const send = async (id: string, values: Record<string, number>): Promise<number> => {
  const t = ts();
  await publish(device, deviceTopic('park', id, 'telemetry'), { ts: t, values });
  return t;
};
const zonesAt = async (at?: number | string): Promise<ZoneFeature[]> => {
  const r = await api(svc, `/api/zones${at === undefined ? '' : `?at=${at}`}`, { token: manager });
  expect(r.status).toBe(200);
  return r.body.features;
};
const summaryAt = async (at?: number): Promise<ParkSummary> => {
  const r = await api(svc, `/api/park/summary${at === undefined ? '' : `?at=${at}`}`, { token: manager });
  expect(r.status).toBe(200);
  return r.body;
};
const enterprise = (s: ParkSummary) => s.enterprises.find((e) => e.id === ENTERPRISE)!;
/**
 * Bearing (0–360°, clockwise from north) from the source to the zone's far end, where the cloud
 * goes: the middle of the far arc (the vertices at the zone's full length).
 */
const farEndBearingDeg = (z: ZoneFeature): number => {
  const ring = z.geometry.coordinates[0];
  const d = ring.map((c) => distance(point(SRC), point(c)));
  const max = Math.max(...d);
  const arc = ring.filter((_, i) => d[i] > 0.99 * max);
  const mid = [arc.reduce((n, c) => n + c[0], 0) / arc.length, arc.reduce((n, c) => n + c[1], 0) / arc.length];
  return (bearing(point(SRC), point(mid)) + 360) % 360;
};
/** The smaller angle between two bearings, degrees. */
const offDeg = (a: number, b: number) => Math.min(Math.abs(a - b) % 360, 360 - (Math.abs(a - b) % 360));
/** What a replayed zone must share with the live one of that moment: everything but when it was drawn. */
const drawn = (z: ZoneFeature) => ({ geometry: z.geometry, properties: { ...z.properties, computedAt: 0 } });
const allAlarms = async () => (await api(svc, '/api/alarms?state=all', { token: manager })).body as { id: string; state: string; updatedAt: number }[];

/** A service of its own on an empty database, with the device client and the manager's token. */
async function startPark(): Promise<void> {
  const dataDir = tempDataDir();
  dataDirs.push(dataDir);
  svc = await startTestService(dataDir, { REGISTRY: registryPath });
  device = await deviceClient(svc);
  manager = await login(svc, 'park_manager');
}

async function stopPark(): Promise<void> {
  device?.end(true);
  await svc?.close();
}

beforeAll(() => {
  mkdirSync(join(demoDir, 'layers'), { recursive: true });
  writeFileSync(registryPath, registryJson(registry));
  writeFileSync(join(demoDir, 'layers', 'park-roads.geojson'), layerJson(layers['park-roads']));
});

afterAll(() => {
  for (const d of [demoDir, ...dataDirs]) removeDir(d);
});

describe('park replay: zones and summary at an instant', () => {
  // Instants of the recorded stretch, epoch ms.
  let raisedAt = 0;
  let truckLeftAt = 0;
  let northAt = 0;
  let closedAt = 0;
  let alarmId = '';
  let liveWest: ZoneFeature;
  let liveWestAfterTruck: ZoneFeature;
  let liveNorth: ZoneFeature;
  let liveOpenSummary: ParkSummary;

  // A leak: wind from the west, a truck inside, the wind turning north, the gas back to normal.
  beforeAll(async () => {
    await startPark();
    // 40 m downwind of a west wind: inside the 50 m isolation circle whatever the hour. The plume's
    // length follows the sun's height (stability class): 230 m at 11:00 in Shaoxing, so 300 m fell outside.
    const [tLon, tLat] = destination(point(SRC), 0.04, 90).geometry.coordinates;
    const [fLon, fLat] = destination(point(SRC), 3, 270).geometry.coordinates; // 3 km upwind: outside any zone
    await send('sy-wind', { wind_speed_ms: 3, wind_dir_deg: 270 });
    await send(TRUCK, { lon_deg: tLon, lat_deg: tLat, speed_kmh: 0, heading_deg: 90 });
    await send(TANK, { level_pct: 50, pressure_kpa: 1.2, temp_c: 20 });
    await send(SOURCE, { nh3_ppm: LEAK_NH3_PPM, lel_pct: 0 });
    const alarm = await waitForAlarm(svc, manager, SOURCE, 'nh3_ppm_high');
    expect(alarm).toMatchObject({ severity: 'critical', siteId: 'sy-tf2', state: 'active_unack' });
    ({ id: alarmId, raisedAt } = alarm);
    [liveWest] = await waitFor('the live zone, west wind, truck inside', async () => {
      const zs = await zonesAt();
      return zs[0]?.properties.windFromDeg === 270 && zs[0].properties.trucksInside.length === 1 ? zs : null;
    });
    expect(liveWest.properties.trucksInside).toEqual([TRUCK]);
    liveOpenSummary = await summaryAt();

    truckLeftAt = await send(TRUCK, { lon_deg: fLon, lat_deg: fLat, speed_kmh: 0, heading_deg: 270 });
    [liveWestAfterTruck] = await waitFor('the truck out of the live zone', async () => {
      const zs = await zonesAt();
      return zs[0]?.properties.trucksInside.length === 0 ? zs : null;
    });

    northAt = await send('sy-wind', { wind_speed_ms: 3, wind_dir_deg: 0 });
    [liveNorth] = await waitFor('the live zone to follow the north wind', async () => {
      const zs = await zonesAt();
      return zs[0]?.properties.windFromDeg === 0 ? zs : null;
    });
    expect(raisedAt).toBeLessThan(truckLeftAt);
    expect(truckLeftAt).toBeLessThan(northAt);

    // While the live zone is open, asking about the past leaves it and the alarms as they are.
    const alarmsBefore = await allAlarms();
    expect(await zonesAt(truckLeftAt - 1)).toHaveLength(1);
    await summaryAt(raisedAt);
    expect(await zonesAt()).toEqual([liveNorth]);
    expect(await allAlarms()).toEqual(alarmsBefore);

    expect((await api(svc, `/api/alarms/${alarmId}/ack`, { token: manager, body: {} })).status).toBe(200);
    await send(SOURCE, { nh3_ppm: 1, lel_pct: 0 });
    const closed = await waitForAlarm(svc, manager, SOURCE, 'nh3_ppm_high', (a) => a.id === alarmId && a.state === 'closed');
    closedAt = closed.updatedAt;
    expect(closedAt).toBeGreaterThan(northAt);
    await send(TANK, { level_pct: 60, pressure_kpa: 1.2, temp_c: 20 });
  });

  afterAll(stopPark);

  it('at an instant with the west wind: one zone pointing east, as it was drawn live then, with the truck inside', async () => {
    const zs = await zonesAt(truckLeftAt - 1);
    expect(zs).toHaveLength(1);
    const [z] = zs;
    expect(z.properties).toMatchObject({ alarmId, sourceDeviceId: SOURCE, quantity: 'nh3_ppm', windFromDeg: 270, state: 'active_unack', active: true });
    expect(offDeg(farEndBearingDeg(z), 90)).toBeLessThan(5);
    expect(z.properties.trucksInside).toEqual([TRUCK]);
    expect(z.properties.affectedEnterprises.length).toBeGreaterThan(0);
    expect(drawn(z)).toEqual(drawn(liveWest));
    // `computedAt` is the instant asked about.
    expect(z.properties.computedAt).toBe(truckLeftAt - 1);
    // After the truck's next fix it is out, as live showed.
    expect(drawn((await zonesAt(northAt - 1))[0])).toEqual(drawn(liveWestAfterTruck));
  });

  it('at an instant with the north wind: the zone points south, as drawn live then; ISO instants too', async () => {
    const [z] = await zonesAt(northAt);
    expect(z.properties.windFromDeg).toBe(0);
    expect(offDeg(farEndBearingDeg(z), 180)).toBeLessThan(5);
    expect(drawn(z)).toEqual(drawn(liveNorth));
    expect(drawn((await zonesAt(new Date(northAt).toISOString()))[0])).toEqual(drawn(liveNorth));
  });

  it('before the raise and after the close: no zone', async () => {
    expect(await zonesAt(raisedAt - 1)).toEqual([]);
    expect(await zonesAt(closedAt)).toEqual([]);
  });

  it("the summary at an instant: the enterprise keeps its assessed colour, the open alarm drawn over it, and no overlay after", async () => {
    const open = await summaryAt(truckLeftAt - 1);
    expect(enterprise(open)).toMatchObject({ riskLevel: 'orange', effectiveRiskLevel: 'orange', colour: RISK_LEVEL_HEX.orange, overlay: { worstSeverity: 'critical', openAlarms: 1 } });
    expect(enterprise(open).openAlarms.critical).toBe(1);
    expect(open.activeZones).toBe(1);
    // As the live summary said at the time.
    expect(enterprise(open)).toEqual(enterprise(liveOpenSummary));
    const tank = (s: ParkSummary) => s.tanks.find((t) => t.deviceId === TANK)!;
    expect(tank(open)).toMatchObject({ values: { level_pct: 50 }, status: 'online' });

    const after = await summaryAt(closedAt);
    expect(enterprise(after)).toMatchObject({ riskLevel: 'orange', effectiveRiskLevel: 'orange', colour: RISK_LEVEL_HEX.orange, overlay: null });
    expect(enterprise(after).openAlarms.critical).toBe(0);
    expect(after.activeZones).toBe(0);
    expect(tank(after).values.level_pct).toBe(50); // the 60 % reading came after the close
    expect(tank(await summaryAt()).values.level_pct).toBe(60);
  });

  it('refuses an instant in the future, and the live answers are as before', async () => {
    const future = Date.now() + 10 * 60_000;
    expect((await api(svc, `/api/zones?at=${future}`, { token: manager })).status).toBe(400);
    expect((await api(svc, `/api/park/summary?at=${future}`, { token: manager })).status).toBe(400);
    expect((await api(svc, '/api/zones?at=yesterday', { token: manager })).status).toBe(400);
    expect((await api(svc, `/api/zones?at=${closedAt}`)).status).toBe(401);
    expect(await zonesAt()).toEqual([]);
    const live = await summaryAt();
    expect(live.activeZones).toBe(0);
    expect(enterprise(live).effectiveRiskLevel).toBe('orange');
  });
});

describe('park replay: a zone of an alarm that eased', () => {
  beforeAll(startPark);
  afterAll(stopPark);

  it('a leak that eases to level 1 keeps its zone until its alarm closes, live and in replay', async () => {
    const station = 'sy-bs3-gas';
    // Cl₂ 1.0 ppm: over level 2 (0.69 ppm); then 0.5 ppm: level 1 (0.34–0.69 ppm).
    await send(station, { cl2_ppm: 1.0 });
    const alarm = await waitForAlarm(svc, manager, station, 'cl2_ppm_high', (a) => a.severity === 'critical');
    await waitFor('the live zone', async () => ((await zonesAt()).some((z) => z.properties.alarmId === alarm.id) ? true : null));
    await send(station, { cl2_ppm: 0.5 });
    const eased = await waitForAlarm(svc, manager, station, 'cl2_ppm_high', (a) => a.id === alarm.id && a.severity === 'major');
    // Live: still drawn.
    expect((await zonesAt()).map((z) => z.properties.alarmId)).toContain(alarm.id);
    // Replay at the eased instant: the same.
    const replayed = await zonesAt(eased.updatedAt);
    expect(replayed.map((z) => z.properties.alarmId)).toContain(alarm.id);
    expect(replayed.find((z) => z.properties.alarmId === alarm.id)?.properties.severity).toBe('major');
    expect((await summaryAt(eased.updatedAt)).activeZones).toBeGreaterThanOrEqual(1);
    // Before it was raised: no zone of it.
    expect((await zonesAt(alarm.raisedAt - 1)).map((z) => z.properties.alarmId)).not.toContain(alarm.id);
  });
});
