/**
 * The simulator's scenarios for the v1.1 life-safety rules, run on the generated demo registry and
 * checked through the domain rules: a night-time ammonia leak in light wind (the longest zone) and
 * a fog bank on the G60 (Art. 81 control and message signs). The confined ones (fan-stop,
 * attendant-away) are in entry-scenarios.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { RoadClass, Values } from '../../src/contracts';
import {
  buildRoadGraph,
  deviceConditions,
  plumeZone,
  routeNodes,
  segmentControls,
  signsToPublish,
  weatherConditions,
  withControls,
  zoneSubstance,
} from '../../src/domain';
import { generate } from '../../scripts/gen-data';
import { createSimulator } from '../../src/simulator/engine';
import { SCENARIOS } from '../../src/simulator/scenarios';

const { registry } = generate();
const siteOf = new Map(registry.sites.map((s) => [s.id, s]));
const deviceOf = new Map(registry.devices.map((d) => [d.id, d]));

/** Readings per device, `[secondsSinceStart, values]`, of one scenario started at `startMs`, stepping every 5 s. */
function run(name: string, startMs: number, untilS: number): Map<string, [number, Values][]> {
  const sim = createSimulator({ registry, startMs, scenario: name, demo: false });
  const out = new Map<string, [number, Values][]>();
  for (let tS = 0; tS <= untilS; tS += 5) {
    for (const m of sim.step(startMs + tS * 1000)) {
      const [, , , deviceId, channel] = m.topic.split('/');
      if (channel !== 'telemetry') continue;
      const json = JSON.parse(m.payload);
      out.set(deviceId, [...(out.get(deviceId) ?? []), [(json.ts - startMs) / 1000, json.values]]);
    }
  }
  return out;
}
const latest = (rs: [number, Values][] | undefined, tS: number): Values => (rs ?? []).filter(([t]) => t <= tS).reduce((acc, [, v]) => ({ ...acc, ...v }), {} as Values);

describe('nh3-night-leak: a night-time ammonia leak in light wind', () => {
  const NIGHT = Date.parse('2025-11-26T02:00:00+08:00');
  const NOON = Date.parse('2025-11-26T12:00:00+08:00');
  const dike = deviceOf.get('sy-tf2-dg1')!;
  const farm = siteOf.get(dike.siteId)!;
  const stored = registry.sites.filter((s) => s.parentId === farm.id).map((s) => s.props?.substanceId as string | undefined);

  /** The zone as the service would draw it at `tS`: the dike detector's gas, the mast's wind. */
  function zoneAt(startMs: number, tS: number) {
    const rs = run('nh3-night-leak', startMs, tS);
    const gas = latest(rs.get(dike.id), tS);
    const wind = latest(rs.get('sy-wind'), tS);
    const alarms = deviceConditions(dike, gas);
    const substance = zoneSubstance('nh3_ppm', stored)!;
    const zone = plumeZone({ sourceLonDeg: dike.position[0], sourceLatDeg: dike.position[1], windFromDeg: wind.wind_dir_deg!, windSpeedMs: wind.wind_speed_ms!, substance }, startMs + tS * 1000);
    return { gas, wind, alarms, zone };
  }

  it('is in the catalogue and builds on the demo registry', () => {
    expect(SCENARIOS.find((s) => s.name === 'nh3-night-leak')?.build(registry)).toBeTruthy();
  });

  it('raises the dike detector past level 2 and draws a class-F ammonia zone kilometres long at night', () => {
    const { gas, wind, alarms, zone } = zoneAt(NIGHT, 600);
    expect(gas.nh3_ppm).toBeGreaterThan(100);
    expect(alarms).toContainEqual(expect.objectContaining({ rule: 'nh3_ppm_high', severity: 'critical' }));
    expect(wind.wind_speed_ms).toBeGreaterThan(0.9);
    expect(wind.wind_speed_ms).toBeLessThan(1.5);
    expect(zone.explanation).toMatchObject({ substance: 'ammonia', stability: 'F', endpointPpm: 160, daytime: false });
    expect(zone.shape.lengthM).toBeGreaterThan(2000);
    // Wind from the north-east: the zone runs to the south-west.
    expect(zone.shape.towardDeg).toBeGreaterThan(200);
    expect(zone.shape.towardDeg).toBeLessThan(250);
  });

  it('the same leak at noon draws a far shorter zone', () => {
    const night = zoneAt(NIGHT, 600).zone.shape.lengthM;
    const noon = zoneAt(NOON, 600).zone;
    expect(noon.explanation.daytime).toBe(true);
    expect(['A', 'B']).toContain(noon.explanation.stability);
    expect(noon.shape.lengthM).toBeLessThan(night / 4);
  });
});

describe('fog-g60: a fog bank on the G60', () => {
  const DAWN = Date.parse('2025-11-26T05:30:00+08:00');
  const station = siteOf.get('zj-met-g60')!;
  const covered = station.props!.segmentIds as string[];
  const rs = run('fog-g60', DAWN, 2500);
  const vis = rs.get('zj-wx-g60')!;
  const at = (tS: number) => latest(vis, tS);
  const classOf = (id: string) => (siteOf.get(id)?.props?.roadClass as RoadClass | undefined) ?? null;

  it('covers G60 segments only', () => {
    expect(covered.length).toBeGreaterThan(0);
    for (const id of covered) expect(siteOf.get(id)?.props?.roadKey).toBe('g60');
  });

  it.each<[number, string | null, number | null]>([
    [0, null, null],
    [360, 'fog_200', 60],
    [660, 'fog_100', 40],
    [1000, 'fog_50', 20],
    [2460, null, null],
  ])('%i s in: control %s, limit %s km/h on every covered segment', (tS, level, limit) => {
    const controls = segmentControls([{ segmentIds: covered, visibilityM: at(tS).visibility_m ?? null, ice: false }], classOf);
    for (const id of covered) {
      expect(controls.get(id)?.level ?? null).toBe(level);
      expect(controls.get(id)?.speedLimitKmh ?? null).toBe(limit);
    }
    if (level === 'fog_50') {
      expect(weatherConditions(at(tS))).toContainEqual(expect.objectContaining({ rule: 'fog', severity: 'critical' }));
      const [sign] = signsToPublish(controls);
      expect(sign.control.vmsText).toMatch(/限速20/);
      expect(sign.segmentIds).toEqual([...covered].sort());
    }
  });

  it('in the thickest fog, a route along the fogged G60 is timed at 20 km/h at most', () => {
    const graph = buildRoadGraph(registry.sites);
    const controls = segmentControls([{ segmentIds: covered, visibilityM: at(1000).visibility_m ?? null, ice: false }], classOf);
    const seg = graph.edgeById.get(covered[0])!;
    const clear = routeNodes(graph, seg.from, seg.to)!;
    const fog = routeNodes(graph, seg.from, seg.to, withControls({}, controls))!;
    expect(fog.travelTimeS).toBeGreaterThan(clear.travelTimeS);
    if (fog.segmentIds.length === 1) expect(fog.travelTimeS).toBeCloseTo(seg.lengthM / (20 / 3.6), 0);
  });
});
