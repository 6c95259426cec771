import { describe, expect, it } from 'vitest';
import { validateEvent, validateTelemetry, type Device, type Registry, type Site } from '../../src/contracts';
import { deviceConditions, limitsFor } from '../../src/domain';
import { generate } from '../../scripts/gen-data';
import { createSimulator, type SimMessage, type SimulatorOptions } from '../../src/simulator/engine';
import { SCENARIOS } from '../../src/simulator/scenarios';
import type { RoadLayer } from '../../src/simulator/trucks';

// A small registry with the demo ids the scenarios look for (the generated one may not exist yet).
const pt = (lon: number, lat: number): Site['geometry'] => ({ type: 'Point', coordinates: [lon, lat] });
const site = (id: string, scene: Site['scene'], kind: Site['kind'], geometry: Site['geometry'], props?: Site['props']): Site => ({
  id, scene, kind, name: id, nameZh: '站点', parentId: null, geometry, ...(props ? { props } : {}),
});
const dev = (id: string, scene: Device['scene'], siteId: string, kind: Device['kind'], quantities: Device['quantities'], extra: Partial<Device> = {}): Device => ({
  id, scene, siteId, kind, name: id, nameZh: '设备', position: [120.85, 30.2, 0], quantities, intervalS: 5, ...extra,
});
const GAS = ['o2_pct', 'h2s_ppm', 'co_ppm', 'nh3_ppm', 'lel_pct'] as Device['quantities'];
const g60seg = (id: string, i: number, direction: string, from: number, to: number) =>
  site(id, 'roads', 'segment', { type: 'LineString', coordinates: [[120.2, 29.8 - i * 0.04], [120.2, 29.76 - i * 0.04]] }, {
    roadClass: 'expressway', roadKey: 'g60', freeFlowKmh: 110, lanes: 3, direction, fromNode: `n${from}`, toNode: `n${to}`,
  });
// Five southbound segments n0 → n5 and one northbound n3 → n2 (a chain must not turn back on it).
const g60 = [...[0, 1, 2, 3, 4].map((i) => g60seg(`zj-g60-s${i}`, i, 'southbound', i, i + 1)), g60seg('zj-g60-n2', 2, 'northbound', 3, 2)];
const registry: Registry = {
  version: 1,
  sites: [
    site('kq-p1-s1', 'confined', 'space', pt(120.7, 30.21), { depthM: 4 }),
    site('sy-tf1-t1', 'park', 'tank', pt(120.85, 30.2), { operating: { tempC: 30, pressureKpa: 8, levelPct: 50 } }),
    site('sy-bnd-1', 'park', 'station', pt(120.86, 30.2)),
    ...g60,
    site('zj-art-1', 'roads', 'segment', { type: 'LineString', coordinates: [[120.24, 29.71], [120.25, 29.72]] }, { roadClass: 'arterial', lanes: 2 }),
    site('zj-sec-1', 'roads', 'segment', { type: 'LineString', coordinates: [[120.23, 29.71], [120.24, 29.72]] }, { roadClass: 'secondary' }),
    site('zj-wx-1', 'roads', 'station', pt(120.2, 29.8)),
  ],
  devices: [
    ...(['upper', 'middle', 'lower'] as const).map((level) => dev(`kq-p1-s1-gas-${level}`, 'confined', 'kq-p1-s1', 'gas_detector', GAS, { level })),
    dev('kq-p1-s1-access', 'confined', 'kq-p1-s1', 'access', []),
    dev('sy-tf1-t1-sensor', 'park', 'sy-tf1-t1', 'tank_sensor', ['level_pct', 'pressure_kpa', 'temp_c'], {
      intervalS: 10, limits: { temp_c: { high: 45, highHigh: 55 }, pressure_kpa: { high: 15, highHigh: 20 } },
    }),
    dev('sy-tf1-dike-1', 'park', 'sy-tf1-t1', 'dike_gas', ['lel_pct', 'voc_ppm']),
    dev('sy-bnd-1-gas', 'park', 'sy-bnd-1', 'boundary_gas', ['cl2_ppm', 'nh3_ppm', 'h2s_ppm', 'voc_ppm'], { intervalS: 10 }),
    dev('sy-wind-1', 'park', 'sy-bnd-1', 'wind', ['wind_speed_ms', 'wind_dir_deg']),
    dev('sy-truck-1', 'park', 'sy-bnd-1', 'truck', ['lon_deg', 'lat_deg', 'speed_kmh', 'heading_deg'], { intervalS: 2 }),
    ...[...g60.map((s) => s.id), 'zj-art-1', 'zj-sec-1'].map((s) => dev(`${s}-det`, 'roads', s, 'traffic_detector', ['speed_kmh', 'flow_vph', 'occupancy_pct'], { intervalS: 30 })),
    dev('zj-wx-1-wx', 'roads', 'zj-wx-1', 'weather', ['visibility_m', 'road_temp_c', 'precip_mmh'], { intervalS: 60 }),
    dev('zj-operator', 'roads', 'zj-wx-1', 'road_operator', []),
  ],
};
const HAZMAT: [number, number][] = [[120.85, 30.18], [120.85, 30.19], [120.86, 30.19], [120.86, 30.2]];
const roads: RoadLayer = { features: [{ properties: { id: 'sy-hazmat-route', kind: 'hazmat_route' }, geometry: { type: 'LineString', coordinates: HAZMAT } }] };
const deviceOf = new Map(registry.devices.map((d) => [d.id, d]));

/** Wednesday 2025-11-26 00:00 in Shaoxing (UTC+8). */
const T0 = Date.parse('2025-11-26T00:00:00+08:00');
const H = 3600_000;

interface Reading {
  deviceId: string;
  ts: number;
  values: Record<string, number>;
}

/** Steps a simulator every `stepMs` of wall time for `durationMs` and returns its telemetry. */
function run(opts: Partial<SimulatorOptions>, durationMs: number, stepMs = 1000): { readings: Reading[]; messages: SimMessage[] } {
  const startMs = opts.startMs ?? T0;
  const sim = createSimulator({ registry, roads, startMs, demo: false, ...opts });
  const messages: SimMessage[] = [];
  for (let t = startMs; t <= startMs + durationMs; t += stepMs) messages.push(...sim.step(t));
  const readings = messages
    .filter((m) => m.topic.endsWith('/telemetry'))
    .map((m) => ({ deviceId: m.topic.split('/')[3], ...(JSON.parse(m.payload) as { ts: number; values: Record<string, number> }) }));
  return { readings, messages };
}
const series = (rs: Reading[], id: string, q: string) => rs.filter((r) => r.deviceId === id).map((r) => r.values[q]);
const max = (xs: number[]) => Math.max(...xs);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('simulator: repeatable', () => {
  it('sends the same messages for the same seed and start, and others for another seed', () => {
    const a = run({ seed: 7 }, 10 * 60_000).messages;
    const b = run({ seed: 7 }, 10 * 60_000).messages;
    const c = run({ seed: 8 }, 10 * 60_000).messages;
    expect(a.length).toBeGreaterThan(1000);
    expect(b).toEqual(a);
    expect(c.map((m) => m.payload)).not.toEqual(a.map((m) => m.payload));
  });

  it('gives a reading the same values whatever the step cadence (values depend on time only)', () => {
    const fine = run({ seed: 3 }, 120_000, 100).readings;
    const coarse = run({ seed: 3 }, 120_000, 1000).readings;
    const key = (r: Reading) => `${r.deviceId}@${r.ts}`;
    const byKey = new Map(fine.map((r) => [key(r), r.values]));
    const common = coarse.filter((r) => byKey.has(key(r)));
    expect(common.length).toBeGreaterThan(50);
    for (const r of common) expect(r.values).toEqual(byKey.get(key(r)));
  });
});

describe('simulator: plausible streams', () => {
  // One simulated weekday, no scenarios.
  const day = run({ speed: 60 }, 24 * H / 60, 1000);

  it('publishes only contract-valid telemetry, every quantity of every reporting device', () => {
    // One assertion over all the day's messages: an expect() per message made this test the slowest
    // of the unit suite on a busy machine.
    const problems: string[] = [];
    for (const m of day.messages) {
      const [, , scene, id, channel] = m.topic.split('/');
      const d = deviceOf.get(id)!;
      if (channel !== 'telemetry' || scene !== d.scene) problems.push(`${m.topic}: not ${d.scene} telemetry`);
      if (m.payload.length >= 200) problems.push(`${m.topic}: ${m.payload.length} bytes`);
      const json = JSON.parse(m.payload);
      const { accepted, rejects } = validateTelemetry(json, json.ts, d.quantities);
      if (rejects.length > 0) problems.push(`${m.payload}: ${JSON.stringify(rejects)}`);
      const got = Object.keys(accepted[0]?.values ?? {}).sort().join(',');
      if (got !== [...d.quantities].sort().join(',')) problems.push(`${m.payload}: quantities ${got}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    const silent = registry.devices.filter((d) => d.quantities.length > 0 && !day.readings.some((r) => r.deviceId === d.id));
    expect(silent).toEqual([]);
    expect(day.readings.some((r) => r.deviceId === 'kq-p1-s1-access' || r.deviceId === 'zj-operator')).toBe(false);
  });

  it.each([
    ['kq-p1-s1-gas-lower', 'o2_pct', 20.8, 21],
    ['kq-p1-s1-gas-lower', 'h2s_ppm', 0, 0.8],
    ['kq-p1-s1-gas-upper', 'h2s_ppm', 0, 0.3],
    ['kq-p1-s1-gas-middle', 'co_ppm', 0, 2.5],
    ['kq-p1-s1-gas-middle', 'nh3_ppm', 0, 3.5],
    ['kq-p1-s1-gas-middle', 'lel_pct', 0, 2],
    ['sy-tf1-t1-sensor', 'level_pct', 20, 80],
    ['sy-tf1-t1-sensor', 'temp_c', 26, 34], // operating 30 °C ± daily sun
    ['sy-tf1-t1-sensor', 'pressure_kpa', 7.5, 8.5], // operating 8 kPa
    ['sy-tf1-dike-1', 'voc_ppm', 0, 4],
    ['sy-bnd-1-gas', 'cl2_ppm', 0, 0.05],
    ['sy-bnd-1-gas', 'nh3_ppm', 0, 1.5],
    ['sy-wind-1', 'wind_speed_ms', 0.3, 6.5],
    ['sy-wind-1', 'wind_dir_deg', 0, 359.99],
    ['sy-truck-1', 'speed_kmh', 0, 40],
    ['zj-g60-s0-det', 'speed_kmh', 30, 115],
    ['zj-g60-s0-det', 'occupancy_pct', 0, 40],
    ['zj-art-1-det', 'speed_kmh', 10, 65],
    ['zj-wx-1-wx', 'visibility_m', 2000, 20000],
    ['zj-wx-1-wx', 'road_temp_c', 1.5, 30],
    ['zj-wx-1-wx', 'precip_mmh', 0, 6],
  ])('%s %s stays within %d…%d over a day', (id, q, lo, hi) => {
    const xs = series(day.readings, id, q);
    expect(xs.length).toBeGreaterThan(10);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(lo);
    expect(max(xs)).toBeLessThanOrEqual(hi);
    expect(new Set(xs).size, 'not constant').toBeGreaterThan(1);
  });

  it('fills a tank by night and draws it by day', () => {
    const at = (h: number) => mean(day.readings.filter((r) => r.deviceId === 'sy-tf1-t1-sensor' && Math.abs(r.ts - (T0 + h * H / 60)) < H / 60 / 2).map((r) => r.values.level_pct));
    expect(Math.abs(at(6) - at(18))).toBeGreaterThan(10);
  });

  it('keeps trucks on the hazmat route', () => {
    const rs = day.readings.filter((r) => r.deviceId === 'sy-truck-1');
    for (const r of rs) {
      const onLeg = HAZMAT.slice(1).some(([lon, lat], i) => {
        const [lon0, lat0] = HAZMAT[i];
        const inBox = (v: number, a: number, b: number) => v >= Math.min(a, b) - 1e-6 && v <= Math.max(a, b) + 1e-6;
        return inBox(r.values.lon_deg, lon0, lon) && inBox(r.values.lat_deg, lat0, lat);
      });
      expect(onLeg, `${r.values.lon_deg},${r.values.lat_deg}`).toBe(true);
    }
    expect(new Set(rs.map((r) => r.values.heading_deg))).toEqual(new Set([0, 90, 180, 270]));
    expect(rs.filter((r) => r.values.speed_kmh === 0).length).toBeGreaterThan(0); // dwells at the ends
  });

  it('moves trucks round a loop near their start without a road layer', () => {
    const rs = run({ roads: undefined }, 10 * 60_000).readings.filter((r) => r.deviceId === 'sy-truck-1');
    expect(new Set(rs.map((r) => r.values.lon_deg)).size).toBeGreaterThan(10);
    for (const r of rs) expect(Math.abs(r.values.lat_deg - 30.2)).toBeLessThan(0.01);
  });
});

describe('simulator: rush hours', () => {
  // Mean speed and occupancy of a detector over 20 simulated minutes from local hour h.
  const around = (id: string, h: number) => {
    const rs = run({ startMs: T0 + h * H, speed: 10 }, 20 * 60_000 / 10).readings.filter((r) => r.deviceId === id);
    return { speed: mean(rs.map((r) => r.values.speed_kmh)), occ: mean(rs.map((r) => r.values.occupancy_pct)) };
  };

  it.each([
    ['zj-g60-s1-det', 8, 12],
    ['zj-g60-s1-det', 18, 12],
    ['zj-g60-s1-det', 8, 3],
    ['zj-art-1-det', 8, 14],
    ['zj-art-1-det', 18, 3],
    ['zj-sec-1-det', 17.75, 11],
  ])('%s is slower and fuller at %d h than at %d h', (id, peak, off) => {
    const p = around(id, peak);
    const o = around(id, off);
    expect(p.speed).toBeLessThan(o.speed * 0.85);
    expect(p.occ).toBeGreaterThan(o.occ);
  });
});

describe('simulator: scenarios', () => {
  it('h2s-pit: the lower level crosses 14 ppm and returns; the middle rises less, the top barely', () => {
    const { readings } = run({ scenario: 'h2s-pit' }, 12 * 60_000);
    const lower = series(readings, 'kq-p1-s1-gas-lower', 'h2s_ppm');
    const middle = series(readings, 'kq-p1-s1-gas-middle', 'h2s_ppm');
    const upper = series(readings, 'kq-p1-s1-gas-upper', 'h2s_ppm');
    expect(lower[0]).toBeLessThan(1);
    expect(max(lower)).toBeGreaterThanOrEqual(14);
    expect(max(lower)).toBeLessThan(25);
    const firstOver = lower.findIndex((v) => v >= 14);
    expect(firstOver * 5).toBeGreaterThan(120); // builds up over minutes, not at once
    expect(lower.at(-1)).toBeLessThan(1);
    expect(max(middle)).toBeLessThan(max(lower) / 2);
    expect(max(upper)).toBeLessThan(2);
  });

  it('tank-temp: the tank crosses its high, then its high-high limit, then cools below high', () => {
    const d = deviceOf.get('sy-tf1-t1-sensor')!;
    const { high, highHigh } = limitsFor(d).temp_c!;
    const temp = series(run({ scenario: 'tank-temp' }, 17 * 60_000).readings, d.id, 'temp_c');
    const iHigh = temp.findIndex((v) => v >= high!);
    const iHighHigh = temp.findIndex((v) => v >= highHigh!);
    expect(iHigh).toBeGreaterThan(0);
    expect(iHighHigh).toBeGreaterThan(iHigh);
    expect(temp.at(-1)).toBeLessThan(high!);
  });

  it('g60-slowdown: three consecutive G60 segments drop to 10–25 km/h for ~15 min, then recover', () => {
    const { readings } = run({ scenario: 'g60-slowdown', startMs: T0 + 11 * H, speed: 10 }, 28 * 60_000 / 10, 500);
    const window = (id: string, fromMin: number, toMin: number) =>
      readings.filter((r) => r.deviceId === id && r.ts >= T0 + 11 * H + (fromMin * 60_000) / 10 && r.ts < T0 + 11 * H + (toMin * 60_000) / 10).map((r) => r.values.speed_kmh);
    const slowed = ['zj-g60-s1-det', 'zj-g60-s2-det', 'zj-g60-s3-det'];
    for (const id of slowed) {
      const hold = window(id, 5, 19);
      expect(Math.min(...hold), id).toBeGreaterThanOrEqual(8);
      expect(max(hold), id).toBeLessThanOrEqual(26);
      expect(mean(window(id, 26, 28)), id).toBeGreaterThan(60);
    }
    for (const id of ['zj-g60-s0-det', 'zj-g60-s4-det', 'zj-g60-n2-det']) expect(mean(window(id, 5, 19)), id).toBeGreaterThan(60); // the middle three only
  });

  it('runs the demo loop on its timetable: every scenario started within 15 min, none twice at once, and round again', () => {
    const sim = createSimulator({ registry, roads, startMs: T0 });
    const at = (min: number) => sim.activeScenarios(T0 + min * 60_000);
    expect(at(0.25)).toEqual([]); // half a minute to log in
    const seen = new Map<string, number>();
    for (let min = 0; min <= 15; min += 0.25) for (const n of at(min)) seen.set(n, Math.min(seen.get(n) ?? min, min));
    expect([...seen.keys()].sort()).toEqual(sim.scenarioNames.slice().sort());
    for (let min = 0; min <= 120; min += 1) expect(new Set(at(min)).size).toBe(at(min).length);
    expect(at(130)).not.toEqual([]); // the loop goes on
  });

  it('with --scenario, plays it at once and leaves it out of the first demo round', () => {
    const sim = createSimulator({ registry, roads, startMs: T0, scenario: 'tank-temp' });
    expect(sim.activeScenarios(T0 + 1000)).toEqual(['tank-temp']);
    for (let min = 0; min <= 30; min += 1) expect(sim.activeScenarios(T0 + min * 60_000).filter((n) => n === 'tank-temp').length).toBeLessThanOrEqual(1);
  });

  it('sends scenario events once each, with ts, at their time', () => {
    const catalogue = [
      {
        name: 'entry',
        title: 'a worker enters',
        build: () => ({
          name: 'entry', durationS: 60, overrides: [],
          events: [{ atS: 30, deviceId: 'kq-p1-s1-access', event: { type: 'entry', spaceId: 'kq-p1-s1', personId: 'w1' } }],
        }),
      },
    ];
    const events = run({ scenario: 'entry', scenarios: catalogue }, 120_000, 700).messages.filter((m) => m.topic.endsWith('/event'));
    expect(events).toHaveLength(1);
    expect(events[0].topic).toBe('citytwin/v1/confined/kq-p1-s1-access/event');
    const json = JSON.parse(events[0].payload);
    expect(json.ts).toBe(T0 + 30_000);
    expect(validateEvent(json, T0 + 30_000).ok).toBe(true);
  });

  it('refuses an unknown scenario', () => {
    expect(() => createSimulator({ registry, startMs: T0, scenario: 'no-such' })).toThrow(/unknown scenario/);
  });
});

describe('simulator: time and status', () => {
  it('at speed K reports K× as often in wall time, stamped with wall time', () => {
    const { readings } = run({ speed: 10 }, 10_000, 100);
    const gas = readings.filter((r) => r.deviceId === 'kq-p1-s1-gas-lower');
    expect(gas.length).toBeGreaterThanOrEqual(19); // 5 s interval → 0.5 s wall
    expect(gas.length).toBeLessThanOrEqual(21);
    for (const r of readings) expect(r.ts).toBeLessThanOrEqual(T0 + 10_000);
  });

  it('never publishes a device more often than every 250 ms of wall time', () => {
    const truck = run({ speed: 1000 }, 10_000, 50).readings.filter((r) => r.deviceId === 'sy-truck-1');
    expect(truck.length).toBeLessThanOrEqual(41);
  });

  it.each([true, false])('gives every device a retained status online=%s', (online) => {
    const sim = createSimulator({ registry, startMs: T0 });
    const msgs = sim.status(online, T0 + 5);
    expect(msgs).toHaveLength(registry.devices.length);
    for (const m of msgs) {
      expect(m.retain).toBe(true);
      expect(m.topic).toMatch(/^citytwin\/v1\/(confined|park|roads)\/[A-Za-z0-9_-]+\/status$/);
      expect(JSON.parse(m.payload)).toEqual({ online, ts: T0 + 5 });
    }
  });
});

describe('simulator: on the generated demo registry', () => {
  const demo = generate();
  const demoDevice = new Map(demo.registry.devices.map((d) => [d.id, d]));

  it.each([
    ['h2s-pit', 'kq-p1-s1-gas-lower'],
    ['tank-temp', 'sy-tf1-t1-sensor'],
  ])('%s acts on %s', (name, deviceId) => {
    const plan = SCENARIOS.find((s) => s.name === name)!.build(demo.registry);
    expect(plan?.overrides.map((o) => o.deviceId)).toContain(deviceId);
  });

  it('g60-slowdown slows three consecutive G60 segments of one direction', () => {
    const plan = SCENARIOS.find((s) => s.name === 'g60-slowdown')!.build(demo.registry)!;
    const segs = plan.overrides.map((o) => demo.registry.sites.find((s) => s.id === demoDevice.get(o.deviceId)!.siteId)!);
    expect(segs).toHaveLength(3);
    for (let i = 1; i < 3; i++) {
      expect(segs[i].props?.fromNode).toBe(segs[i - 1].props?.toNode);
      expect(segs[i].props?.direction).toBe(segs[0].props?.direction);
    }
    expect(segs.every((s) => /g60/i.test(String(s.props?.roadKey)))).toBe(true);
  });

  it('raises no alarm condition in a normal night and morning rush (no scenarios)', () => {
    const start = T0 + 3 * H;
    const sim = createSimulator({ registry: demo.registry, roads: demo.layers['park-roads'] as RoadLayer, startMs: start, speed: 60, demo: false });
    const raised = new Set<string>();
    let n = 0;
    for (let t = start; t <= start + (6 * H) / 60; t += 1000) {
      for (const m of sim.step(t)) {
        const d = demoDevice.get(m.topic.split('/')[3])!;
        const json = JSON.parse(m.payload);
        expect(validateTelemetry(json, t, d.quantities).rejects).toEqual([]);
        for (const c of deviceConditions(d, json.values)) raised.add(`${d.id} ${c.rule}`);
        n++;
      }
    }
    expect(n).toBeGreaterThan(10_000);
    expect([...raised]).toEqual([]);
    // Six simulated hours of every demo device: about 3 s of CPU alone, more beside other suites.
  }, 30_000);
});
