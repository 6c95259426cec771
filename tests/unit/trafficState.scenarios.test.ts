/**
 * The road scenarios of the simulator, run through the traffic domain on the generated demo
 * registry: what each scenario is meant to show is what the rules conclude.
 */
import { describe, expect, it } from 'vitest';
import { validateEvent, type DeviceEvent, type RoadClass } from '../../src/contracts';
import {
  SpeedTrack,
  buildRoadGraph,
  congestionLevel,
  fogBand,
  nearestSegments,
  smoothedSpeedKmh,
} from '../../src/domain';
import { generate } from '../../scripts/gen-data';
import { createSimulator } from '../../src/simulator/engine';
import { ROAD_SCENARIOS } from '../../src/simulator/scenarios-roads';

const { registry } = generate();
const T0 = Date.parse('2025-11-26T10:00:00+08:00'); // a weekday mid-morning: free flow outside the scenario
const siteOf = new Map(registry.sites.map((s) => [s.id, s]));
const deviceOf = new Map(registry.devices.map((d) => [d.id, d]));

interface Run {
  /** Per device: readings `[secondsSinceStart, values]`. */
  readings: Map<string, [number, Record<string, number>][]>;
  events: DeviceEvent[];
}

/** Runs one scenario at speed 1 for `extraS` past its end, stepping every 5 s. */
function runScenario(name: string, extraS = 0): Run {
  const plan = ROAD_SCENARIOS.find((s) => s.name === name)!.build(registry)!;
  const sim = createSimulator({ registry, startMs: T0, scenario: name, demo: false });
  const out: Run = { readings: new Map(), events: [] };
  for (let tS = 0; tS <= plan.durationS + extraS; tS += 5) {
    for (const m of sim.step(T0 + tS * 1000)) {
      const [, , , deviceId, channel] = m.topic.split('/');
      const json = JSON.parse(m.payload);
      if (channel === 'event') {
        const r = validateEvent(json, json.ts);
        if (!r.ok) throw new Error(`invalid event ${m.payload}`);
        out.events.push(r.value);
      } else {
        out.readings.set(deviceId, [...(out.readings.get(deviceId) ?? []), [(json.ts - T0) / 1000, json.values]]);
      }
    }
  }
  return out;
}

/** Per segment: its smoothed level after each reading of its detector, `[tS, level]`. */
function levels(run: Run, segmentId: string): [number, number][] {
  const det = registry.devices.find((d) => d.siteId === segmentId && d.kind === 'traffic_detector')!;
  const cls = siteOf.get(segmentId)!.props!.roadClass as RoadClass;
  const track = new SpeedTrack();
  return (run.readings.get(det.id) ?? []).map(([tS, v]) => {
    track.add(T0 + tS * 1000, v.speed_kmh);
    return [tS, congestionLevel(smoothedSpeedKmh(track)!, cls)];
  });
}

const firstAt = (ls: [number, number][], level: number) => ls.find(([, l]) => l >= level)?.[0] ?? Infinity;

describe('g60-crash', () => {
  const plan = ROAD_SCENARIOS.find((s) => s.name === 'g60-crash')!.build(registry)!;
  const run = runScenario('g60-crash', 420);
  const open = run.events.find((e) => e.type === 'incident' && e.state === 'open') as Extract<DeviceEvent, { type: 'incident' }>;
  // The overrides, crash segment first, then upstream.
  const queue = plan.overrides.map((o) => deviceOf.get(o.deviceId)!.siteId);

  it('reports the crash open from zj-ops on a G60 segment, at a point on that segment, and clears it ~20 min later', () => {
    expect(open).toMatchObject({ kind: 'crash', state: 'open' });
    expect(open.segmentId).toBe(queue[0]);
    expect(open.segmentId).toMatch(/^zj-g60-/);
    const snap = nearestSegments(buildRoadGraph(registry.sites), [open.lonDeg, open.latDeg]);
    expect(snap.map((s) => s.edge.segmentId)).toContain(open.segmentId);
    expect(snap[0].distanceM).toBeLessThan(1);
    const cleared = run.events.find((e) => e.type === 'incident' && e.state === 'cleared')!;
    expect(cleared).toMatchObject({ incidentId: open.incidentId, segmentId: open.segmentId });
    expect((cleared.ts - open.ts) / 60_000).toBeCloseTo(20, 0);
  });

  it('queues upstream: each segment of the chain joins the queue after the one downstream of it', () => {
    expect(queue).toHaveLength(4);
    for (let k = 1; k < queue.length; k++) {
      // Driving order: segment k (upstream) leads into segment k − 1.
      expect(siteOf.get(queue[k])!.props!.toNode).toBe(siteOf.get(queue[k - 1])!.props!.fromNode);
    }
    const onset = queue.map((id) => firstAt(levels(run, id), 4));
    for (let k = 1; k < onset.length; k++) expect(onset[k], queue[k]).toBeGreaterThan(onset[k - 1]);
    // The crash segment and the two behind it turn severe (≤ 20 km/h); the tail at least moderate.
    for (const id of queue.slice(0, 3)) expect(firstAt(levels(run, id), 5), id).toBeLessThan(Infinity);
  });

  it('recovers to free flow after the clearance', () => {
    for (const id of queue) {
      const ls = levels(run, id);
      expect(ls[ls.length - 1][1], id).toBeLessThanOrEqual(2);
    }
  });
});

describe('fog-dawn', () => {
  const run = runScenario('fog-dawn');
  const vis = run.readings.get('zj-wx-zy')!;
  const at = (tS: number) => vis.reduce((best, r) => (Math.abs(r[0] - tS) < Math.abs(best[0] - tS) ? r : best))[1].visibility_m;

  it.each<[number, number | null]>([
    [0, null],
    [360, 60],
    [660, 40],
    [1000, 20],
    [1440, 40],
    [1740, 60],
    [2460, null],
  ])('%i s in: speed limit %s km/h', (tS, limitKmh) => {
    expect(fogBand(at(tS))?.limitKmh ?? null).toBe(limitKmh);
  });

  it('slows the covered segments to about the limit in the thickest fog', () => {
    const covered = siteOf.get('zj-met-zy')!.props!.segmentIds as string[];
    for (const id of covered) {
      const ls = levels(run, id);
      expect(ls.find(([tS]) => tS >= 1150)?.[1], id).toBe(5);
    }
  });
});
