/**
 * The park rules against the real service, on the generated demo registry and park-roads layer:
 * a chlorine reading at a boundary station opens a critical alarm and a danger zone downwind that
 * lists the enterprises and trucks in it, follows the wind, survives a restart and goes when the
 * alarm closes; a truck off its route raises a geofence alarm; only the park manager acknowledges.
 * Each test starts a service of its own on an empty database and opens the zone it needs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { centerOfMass, destination, point } from '@turf/turf';
import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deviceTopic } from '../../src/contracts';
import { SUBSTANCES, plumeZone } from '../../src/domain';
import type { Service } from '../../src/server/app';
import { generate, layerJson, registryJson } from '../../scripts/gen-data';
import { api, deviceClient, login, publish, removeDir, startTestService, tempDataDir, waitFor, waitForAlarm } from './helpers';

const demoDir = tempDataDir();
const registryPath = join(demoDir, 'registry.json');
let dataDir: string;
const { registry, layers } = generate();
const station = registry.devices.find((d) => d.id === 'sy-bs3-gas')!;
const [SLON, SLAT] = station.position;
const people = (id: string) => registry.sites.find((s) => s.id === id)!.props!.people as number;
let svc: Service | undefined;
let device: MqttClient | undefined;
/**
 * The service's clock runs in real time from noon in Shangyu (04:00 UTC): the zone's stability
 * depends on day or night, so every run judges the same sky.
 */
const NOON = Date.UTC(2026, 5, 1, 4, 0);
const T0 = Date.now();
const now = () => NOON + (Date.now() - T0);
let clock = now();
/** Strictly increasing reading times (a reading with an older ts would not move the live state). */
const ts = () => (clock = Math.max(clock + 1, now()));

const start = () => startTestService(dataDir, { REGISTRY: registryPath }, { now });
const send = (id: string, values: Record<string, number>) => publish(device!, deviceTopic('park', id, 'telemetry'), { ts: ts(), values });
const zones = async (token: string) => (await api(svc!, '/api/zones', { token })).body.features as any[];
/** The zone's centre of area: which side of the station it lies on. */
const centre = (f: any): [number, number] => centerOfMass(f.geometry).geometry.coordinates as [number, number];

/** A level-2 chlorine reading at station 3 with the wind from `windFromDeg`: its alarm and its zone. */
async function openZone(token: string, windFromDeg: number): Promise<{ alarm: any; zone: any }> {
  await send('sy-wind', { wind_speed_ms: 3, wind_dir_deg: windFromDeg });
  await send('sy-bs3-gas', { cl2_ppm: 0.85, nh3_ppm: 0.4, h2s_ppm: 0.05, voc_ppm: 1.5 }); // 2.5 × 0.34 ppm
  const alarm = await waitForAlarm(svc!, token, 'sy-bs3-gas', 'cl2_ppm_high');
  const [zone] = await waitFor('a zone', async () => ((await zones(token)).length === 1 ? zones(token) : null));
  return { alarm, zone };
}

beforeAll(() => {
  // The service reads the hazmat route from layers/ beside its registry, as gen-data writes them.
  mkdirSync(join(demoDir, 'layers'), { recursive: true });
  writeFileSync(registryPath, registryJson(registry));
  writeFileSync(join(demoDir, 'layers', 'park-roads.geojson'), layerJson(layers['park-roads']));
});

beforeEach(async () => {
  dataDir = tempDataDir();
  svc = await start();
  device = await deviceClient(svc);
});

afterEach(async () => {
  device?.end(true);
  await svc?.close();
  removeDir(dataDir);
});

afterAll(() => removeDir(demoDir));

describe('park: leak danger zone, geofence, acknowledgement', () => {
  it('a level-2 chlorine reading opens a critical alarm and a zone south of the station with a north wind', async () => {
    const manager = await login(svc!, 'park_manager');
    expect(await zones(manager)).toEqual([]);
    const { alarm, zone: z } = await openZone(manager, 0);
    expect(alarm).toMatchObject({ severity: 'critical', scene: 'park', siteId: 'sy-bs3', state: 'active_unack' });
    expect(z.properties).toMatchObject({
      alarmId: alarm.id,
      sourceDeviceId: 'sy-bs3-gas',
      quantity: 'cl2_ppm',
      windFromDeg: 0,
      windSpeedMs: 3,
      concentrationRatio: 2.5,
      active: true,
      // Chlorine's AEGL-2 (60 min), a sunny noon in 3 m/s of wind: strongly unstable air (B).
      substance: 'chlorine',
      endpointPpm: 2,
      endpointKind: 'AEGL-2 60 min',
      stability: 'B',
      daytime: true,
      releaseBasis: 'planning',
    });
    // The same plume the domain draws at that instant, and the night-time plume is far longer.
    const input = { sourceLonDeg: SLON, sourceLatDeg: SLAT, windFromDeg: 0, windSpeedMs: 3, substance: SUBSTANCES.chlorine };
    expect(z.properties.lengthM).toBe(plumeZone(input, z.properties.computedAt).explanation.lengthM);
    expect(plumeZone(input, z.properties.computedAt + 12 * 3600_000).explanation.lengthM).toBeGreaterThan(3 * z.properties.lengthM);
    const [lon, lat] = centre(z);
    expect(lat).toBeLessThan(SLAT);
    expect(Math.abs(lon - SLON)).toBeLessThan(0.003);
    const ents = z.properties.affectedEnterprises.map((e: any) => e.id);
    // About a kilometre south: the thermal power plant and, at the far end, Lvyuan.
    expect(ents).toEqual(['sy-ent-12', 'sy-ent-14']);
    expect(z.properties.affectedSiteIds).toContain('sy-ent-14');
    expect(z.properties.affectedEnterprises[1]).toMatchObject({ name: 'Dongfang Park Thermal Power Co.', nameZh: '东方园区热电有限公司', people: people('sy-ent-14') });
    expect(z.properties.peopleCount).toBe(people('sy-ent-12') + people('sy-ent-14'));
    expect(z.properties.trucksInside).toEqual([]);
  });

  it('follows the wind: backing to 300° swings the zone east-south-east, over Lvyuan', async () => {
    const manager = await login(svc!, 'park_manager');
    await openZone(manager, 0);
    await send('sy-wind', { wind_speed_ms: 3, wind_dir_deg: 300 });
    const [z] = await waitFor('the zone to follow the wind', async () => {
      const fs = await zones(manager);
      return fs[0]?.properties.windFromDeg === 300 ? fs : null;
    });
    const [lon, lat] = centre(z);
    expect(lon).toBeGreaterThan(SLON + 0.002);
    expect(lat).toBeLessThan(SLAT);
    expect(z.properties.affectedEnterprises.map((e: any) => e.id)).toContain('sy-ent-12');
    expect(z.properties.peopleCount).toBe(z.properties.affectedEnterprises.reduce((n: number, e: any) => n + e.people, 0));
  });

  it('a truck off its route, inside the zone: a geofence alarm, and the zone lists it', async () => {
    const manager = await login(svc!, 'park_manager');
    await openZone(manager, 300);
    // 400 m from the station towards 120° (the zone's axis), ~2 km from the hazmat route.
    const [lon, lat] = destination(point([SLON, SLAT]), 0.4, 120).geometry.coordinates;
    for (let i = 0; i < 2; i++) await send('sy-truck-03', { lon_deg: lon, lat_deg: lat + i * 1e-5, speed_kmh: 20, heading_deg: 120 });
    const fence = await waitForAlarm(svc!, manager, 'sy-truck-03', 'geofence');
    // The truck's own alarm: its site is the truck, not the plant it stands in.
    expect(fence).toMatchObject({ severity: 'major', scene: 'park', threshold: 50, siteId: 'sy-truck-03' });
    expect(fence.message).toMatch(/off the permitted route/);
    expect(fence.value).toBeGreaterThan(1000);
    const [z] = await zones(manager);
    expect(z.properties.trucksInside).toEqual(['sy-truck-03']);
  });

  it('the zone alarm is acknowledged by the park manager (200), not by the traffic controller (403)', async () => {
    const manager = await login(svc!, 'park_manager');
    const traffic = await login(svc!, 'traffic');
    const id = (await openZone(manager, 300)).zone.properties.alarmId;
    const refused = await api(svc!, `/api/alarms/${id}/ack`, { token: traffic, body: {} });
    expect(refused.status).toBe(403);
    const acked = await api(svc!, `/api/alarms/${id}/ack`, { token: manager, body: { comment: 'evacuating Lvyuan' } });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ state: 'active_ack', ackedBy: 'park_manager' });
    expect((await zones(manager))[0].properties.state).toBe('active_ack');
  });

  it('the park summary counts open alarms and shows tanks against their limits', async () => {
    const manager = await login(svc!, 'park_manager');
    await openZone(manager, 0);
    await send('sy-tf1-t1-sensor', { level_pct: 87, pressure_kpa: 1.5, temp_c: 21 });
    await waitForAlarm(svc!, manager, 'sy-tf1-t1-sensor', 'level_pct_high');
    const s = (await api(svc!, '/api/park/summary', { token: manager })).body;
    expect(s.enterprises).toHaveLength(14);
    expect(s.activeZones).toBe(1);
    expect(s.otherOpenAlarms.critical).toBeGreaterThanOrEqual(1); // the station's, under the park area
    const hengyu = s.enterprises.find((e: any) => e.id === 'sy-ent-01');
    expect(hengyu).toMatchObject({ riskLevel: 'red', effectiveRiskLevel: 'red', colour: '#e5484d' });
    expect(hengyu.openAlarms.major).toBeGreaterThanOrEqual(1); // the tank's level alarm, up tank → farm → enterprise
    const t1 = s.tanks.find((t: any) => t.id === 'sy-tf1-t1');
    expect(t1).toMatchObject({
      farmId: 'sy-tf1',
      enterpriseId: 'sy-ent-01',
      deviceId: 'sy-tf1-t1-sensor',
      status: 'online',
      values: { level_pct: 87, pressure_kpa: 1.5, temp_c: 21 },
      limits: { level_pct: { high: 85, highHigh: 90, low: 10 } },
      bands: { level_pct: 'high', pressure_kpa: 'normal', temp_c: 'normal' },
    });
  });

  it('comes back after a restart, and goes when its alarm closes', async () => {
    const first = await login(svc!, 'park_manager');
    const { alarm } = await openZone(first, 300);
    expect((await api(svc!, `/api/alarms/${alarm.id}/ack`, { token: first, body: {} })).status).toBe(200);
    device!.end(true);
    await svc!.close();
    svc = await start();
    device = await deviceClient(svc);
    const manager = await login(svc, 'park_manager');
    const [z] = await zones(manager);
    expect(z.properties).toMatchObject({ sourceDeviceId: 'sy-bs3-gas', windFromDeg: 300, state: 'active_ack' });
    await send('sy-bs3-gas', { cl2_ppm: 0.01 });
    await waitForAlarm(svc, manager, 'sy-bs3-gas', 'cl2_ppm_high', (a) => a.id === z.properties.alarmId && a.state === 'closed');
    expect(await zones(manager)).toEqual([]);
  });
});
