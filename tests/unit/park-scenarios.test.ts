import { describe, expect, it } from 'vitest';
import type { LineGeometry } from '../../src/domain';
import { GEOFENCE_KINDS, NEW_TRACK, dangerZone, routeDistanceM, sitesInZone, truckGeofence, type GeofenceAreas, type GeofenceKind } from '../../src/domain';
import { createSimulator } from '../../src/simulator/engine';
import { SCENARIOS } from '../../src/simulator/scenarios';
import type { RoadLayer } from '../../src/simulator/trucks';
import { generate } from '../../scripts/gen-data';

const { registry, layers } = generate();
const roads = layers['park-roads'] as unknown as RoadLayer;
const route = layers['park-roads'].features.find((f) => f.properties.kind === 'hazmat_route')!.geometry as LineGeometry;
const site = (id: string) => registry.sites.find((s) => s.id === id)!;
const areas: GeofenceAreas = {
  route,
  park: site('sy-area').geometry as GeofenceAreas['park'],
  lots: [site('sy-lot').geometry as GeofenceAreas['lots'][number]],
};
const T0 = Date.parse('2025-11-26T10:00:00+08:00');

/** Readings of the park devices over `simS` seconds at 10× speed, a step every 0.5 s of wall time (5 s simulated). */
function run(scenario: string | undefined, simS: number) {
  const sim = createSimulator({ registry, roads, startMs: T0, speed: 10, demo: false, ...(scenario ? { scenario } : {}) });
  const out: { deviceId: string; tS: number; values: Record<string, number> }[] = [];
  for (let wall = 0; wall <= (simS * 1000) / 10; wall += 500) {
    for (const m of sim.step(T0 + wall)) {
      const deviceId = m.topic.split('/')[3];
      if (!deviceId.startsWith('sy-') || !m.topic.endsWith('/telemetry')) continue;
      const p = JSON.parse(m.payload);
      out.push({ deviceId, tS: ((p.ts - T0) * 10) / 1000, values: p.values });
    }
  }
  return out;
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('park scenarios', () => {
  it('are in the catalogue and build on the demo registry', () => {
    for (const name of ['cl2-release', 'truck-off-route', 'tank-temp']) {
      expect(SCENARIOS.find((s) => s.name === name)?.build(registry), name).toBeTruthy();
    }
  });

  describe('cl2-release', () => {
    const rs = run('cl2-release', 1020);
    const gas = rs.filter((r) => r.deviceId === 'sy-bs3-gas');
    const wind = rs.filter((r) => r.deviceId === 'sy-wind');
    const windAt = (fromS: number, toS: number) => {
      const w = wind.filter((r) => r.tS >= fromS && r.tS < toS);
      // mean direction as a vector: 359° and 1° average to 0°, not 180°
      const x = mean(w.map((r) => Math.sin((r.values.wind_dir_deg * Math.PI) / 180)));
      const y = mean(w.map((r) => Math.cos((r.values.wind_dir_deg * Math.PI) / 180)));
      return { fromDeg: ((Math.atan2(x, y) * 180) / Math.PI + 360) % 360, speedMs: mean(w.map((r) => r.values.wind_speed_ms)) };
    };
    const zoneAt = (fromS: number, toS: number) => {
      const w = windAt(fromS, toS);
      const st = registry.devices.find((d) => d.id === 'sy-bs3-gas')!;
      const z = dangerZone({ sourceLonDeg: st.position[0], sourceLatDeg: st.position[1], windFromDeg: w.fromDeg, windSpeedMs: w.speedMs, concentrationRatio: 3 });
      return sitesInZone(z, registry.sites.filter((s) => s.kind === 'enterprise'));
    };

    it('chlorine at the north-east station rises past level 2 (0.69 ppm), then falls back under level 1', () => {
      const cl2 = gas.map((r) => r.values.cl2_ppm);
      expect(Math.max(...cl2)).toBeGreaterThan(0.85);
      expect(gas.filter((r) => r.tS > 250 && r.tS < 700).every((r) => r.values.cl2_ppm >= 0.69)).toBe(true);
      expect(gas.filter((r) => r.tS > 980).every((r) => r.values.cl2_ppm < 0.34)).toBe(true);
    });

    it('the wind backs about 60° midway, swinging the zone from one enterprise to another', () => {
      const before = windAt(200, 400);
      const after = windAt(600, 900);
      const turned = ((before.fromDeg - after.fromDeg + 540) % 360) - 180;
      expect(turned).toBeGreaterThan(50);
      expect(turned).toBeLessThan(70);
      expect(before.speedMs).toBeCloseTo(3, 0);
      expect(zoneAt(200, 400)).toContain('sy-ent-14');
      expect(zoneAt(600, 900)).toContain('sy-ent-12');
      expect(zoneAt(200, 400)).not.toEqual(zoneAt(600, 900));
    });
  });

  it('truck-off-route: a truck leaves the permitted route, raises the off-route fence, and comes back', () => {
    const fixes = run('truck-off-route', 700).filter((r) => r.deviceId === 'sy-truck-02');
    const dist = fixes.map((r) => routeDistanceM(r.values.lon_deg, r.values.lat_deg, route));
    expect(Math.max(...dist)).toBeGreaterThan(900);
    let track = NEW_TRACK;
    const open = new Set<GeofenceKind>();
    const raised = new Set<GeofenceKind>();
    for (const r of fixes) {
      const g = truckGeofence({ lonDeg: r.values.lon_deg, latDeg: r.values.lat_deg, speedKmh: r.values.speed_kmh, tsMs: r.tS * 1000 }, areas, track, open);
      track = g.track;
      for (const k of GEOFENCE_KINDS) (g.conditions[k] ? (open.add(k), raised.add(k)) : open.delete(k));
    }
    expect([...raised]).toEqual(['off_route']);
    expect(open.size).toBe(0); // back on the route at the end
    expect(fixes.filter((r) => r.tS > 200 && r.tS < 380).every((r) => r.values.speed_kmh === 0)).toBe(true); // it stands
  });

  it('normal operation: no truck trips a fence in an hour', () => {
    const rs = run(undefined, 3600).filter((r) => r.deviceId.startsWith('sy-truck-'));
    expect(rs.length).toBeGreaterThan(1000);
    const tracks = new Map<string, typeof NEW_TRACK>();
    for (const r of rs) {
      const g = truckGeofence({ lonDeg: r.values.lon_deg, latDeg: r.values.lat_deg, speedKmh: r.values.speed_kmh, tsMs: r.tS * 1000 }, areas, tracks.get(r.deviceId) ?? NEW_TRACK);
      tracks.set(r.deviceId, g.track);
      expect(Object.values(g.conditions).filter(Boolean), `${r.deviceId} at ${r.tS} s`).toEqual([]);
    }
  });
});
