import { describe, expect, it } from 'vitest';
import { generate } from '../../scripts/gen-data';
import { cameraProblem, isCamera, servicePlaylistPath, SCENES, type CameraDevice, type Device } from '../../src/contracts';
import { cameraCoverage, cameraIdsFor } from '../../src/domain';
import { SCENARIOS } from '../../src/simulator/scenarios';

const { registry } = generate();
const cameras = registry.devices.filter(isCamera);
const byId = new Map(registry.devices.map((d) => [d.id, d]));
const site = (id: string) => registry.sites.find((s) => s.id === id)!;
const lonLat = (d: Device) => [d.position[0], d.position[1]];

describe('demo cameras', () => {
  it.each(SCENES)('%s has 3 to 6 cameras, each a valid camera fed by the service', (scene) => {
    const mine = cameras.filter((c) => c.scene === scene);
    expect(mine.length).toBeGreaterThanOrEqual(3);
    expect(mine.length).toBeLessThanOrEqual(6);
    for (const c of mine) {
      expect(cameraProblem(c), c.id).toBeNull();
      expect(c.stream).toEqual({ hls: servicePlaylistPath(c.id) });
      expect(c.quantities).toEqual([]);
      expect(c.position[2], `${c.id} stands on a pole`).toBeGreaterThan(0);
      expect(site(c.siteId), `${c.id}'s site`).toBeDefined();
      expect(c.nameZh).toMatch(/摄像机/);
    }
  });

  it('look down at what they watch: no camera points at the sky', () => {
    for (const c of cameras) expect(c.pitchDeg, c.id).toBeLessThan(0);
  });
});

/** Where each demo scenario happens, as an alarm there would be placed: a space's opening, a tank, a station, the crash. */
function scenarioPlaces(): { what: string; at: number[] }[] {
  const out: { what: string; at: number[] }[] = [];
  for (const def of SCENARIOS) {
    const plan = def.build(registry);
    if (!plan) continue;
    const ids = new Set([...plan.overrides.map((o) => o.deviceId), ...plan.events.map((e) => e.deviceId)]);
    for (const id of ids) {
      const d = byId.get(id)!;
      if (d.kind === 'gas_detector' || d.kind === 'access') out.push({ what: `${def.name}: opening of ${d.siteId}`, at: lonLat(byId.get(`${d.siteId}-access`)!) });
      if (d.kind === 'tank_sensor' || d.kind === 'boundary_gas' || d.kind === 'weather') out.push({ what: `${def.name}: ${d.id}`, at: lonLat(d) });
    }
    for (const e of plan.events) {
      const { lonDeg, latDeg } = e.event as { lonDeg?: number; latDeg?: number };
      if (typeof lonDeg === 'number' && typeof latDeg === 'number') out.push({ what: `${def.name}: ${String(e.event.type)} at ${lonDeg}, ${latDeg}`, at: [lonDeg, latDeg] });
    }
  }
  return out;
}

describe('every place a demo scenario happens is watched by a camera', () => {
  const places = scenarioPlaces();

  it('finds the scenario places (pits, tank, boundary station, crash, fog station)', () => {
    expect(places.length).toBeGreaterThanOrEqual(8);
  });

  it.each(places.map((p) => [p.what, p] as const))('%s', (_, { at }) => {
    expect(cameraIdsFor(cameras, at).length).toBeGreaterThan(0);
  });

  it('the G60 crash shows first on the crash-site camera, the fog on the fog-section camera', () => {
    const crash = places.find((p) => p.what.startsWith('g60-crash: incident'))!;
    expect(cameraIdsFor(cameras, crash.at)[0]).toBe('zj-cam-g60-crash');
    expect(cameraIdsFor(cameras, lonLat(byId.get('zj-wx-zy')!))[0]).toBe('zj-cam-zy-fog');
  });
});

describe('each camera is aimed at what it is named for', () => {
  const cam = (id: string) => cameras.find((c) => c.id === id) as CameraDevice;
  const southFence = (plantId: string): number[] => {
    const ring = (site(plantId).geometry as { coordinates: number[][][] }).coordinates[0];
    const lons = ring.map((p) => p[0]);
    return [(Math.min(...lons) + Math.max(...lons)) / 2, Math.min(...ring.map((p) => p[1]))];
  };

  it.each([
    ['kq-cam-p1-gate', () => southFence('kq-p1')],
    ['kq-cam-p2-gate', () => southFence('kq-p2')],
    ['sy-cam-gate-s', () => site('sy-gate-s').geometry.coordinates as number[]],
    ['sy-cam-bs3', () => site('sy-bs3').geometry.coordinates as number[]],
    ['zj-cam-hub', () => [120.22, 29.8]],
  ] as const)('%s', (id, target) => {
    const cov = cameraCoverage(cam(id), target());
    expect(cov, `${id} sees its target`).not.toBeNull();
    expect(cov!.offAxisDeg, `${id} is centred on it`).toBeLessThan(1);
  });

  it('every tank of both tank farms is seen by a tank-farm camera', () => {
    const farmCams = cameras.filter((c) => c.siteId === 'sy-tf1' || c.siteId === 'sy-tf2');
    for (const tank of registry.sites.filter((s) => s.kind === 'tank')) {
      expect(cameraIdsFor(farmCams, tank.geometry.coordinates as number[]).length, tank.id).toBeGreaterThan(0);
    }
  });
});
