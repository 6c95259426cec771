/**
 * Confined-space scenarios (issue 3): a space's access terminal sends the entry workflow as
 * contract events on `citytwin/v1/confined/{accessId}/event` (DESIGN "Event payloads"), while
 * overrides and silences bend its detectors. Each scenario ends with everyone out and the permit
 * closed, so the demo loop can run it again. Times are simulated seconds since the start.
 */
import type { Device, GasLevel, Registry, Site, Values } from '../contracts';
import type { Profile, ScenarioDef, ScenarioPlan, TimedEvent } from './scenarios';

interface SpaceDevices {
  space: Site;
  access: Device;
  gas: Record<GasLevel, Device>;
}

/** The preferred demo space, or else the first space with an access terminal and three detectors. */
function pickSpace(registry: Registry, preferredId: string): SpaceDevices | null {
  const of = (space: Site): SpaceDevices | null => {
    const devs = registry.devices.filter((d) => d.siteId === space.id && d.scene === 'confined');
    const access = devs.find((d) => d.kind === 'access');
    const level = (l: GasLevel) => devs.find((d) => d.kind === 'gas_detector' && d.level === l);
    const [upper, middle, lower] = [level('upper'), level('middle'), level('lower')];
    return access && upper && middle && lower ? { space, access, gas: { upper, middle, lower } } : null;
  };
  const spaces = registry.sites.filter((s) => s.scene === 'confined' && s.kind === 'space');
  const preferred = spaces.find((s) => s.id === preferredId);
  return (preferred && of(preferred)) ?? spaces.map(of).find((x) => x !== null) ?? null;
}

/**
 * A handheld four-gas (+NH₃) reading after ventilation, well inside the entry limits of
 * GB 30871-2022 (O₂ 19.5–21 %, H₂S < 7, CO < 17, NH₃ < 28 ppm, < 10 % LEL); H₂S a little higher
 * low down, where it pools.
 */
const HANDHELD: Record<GasLevel, Values> = {
  upper: { o2_pct: 20.9, h2s_ppm: 0, co_ppm: 0, nh3_ppm: 1, lel_pct: 0 },
  middle: { o2_pct: 20.8, h2s_ppm: 0.4, co_ppm: 1, nh3_ppm: 1, lel_pct: 0 },
  lower: { o2_pct: 20.7, h2s_ppm: 1.2, co_ppm: 1, nh3_ppm: 2, lel_pct: 1 },
};

/** Demo badge ids: two workers and the attendant who stays at the opening. */
const WORKERS = ['W0417', 'W0523'];
const ATTENDANT = 'A0132';

/** Builds the timed events of one space from `[atS, type, fields]` rows. */
function events(s: SpaceDevices, rows: [number, string, Record<string, unknown>?][]): TimedEvent[] {
  return rows.map(([atS, type, fields]) => ({ atS, deviceId: s.access.id, event: { type, spaceId: s.space.id, ...fields } }));
}
const ventilation = (on: boolean) => ({ state: on ? 'on' : 'off' });
const gasTest = () => ({ levels: HANDHELD });
const permit = (permitId: string) => ({ permitId, workers: WORKERS, attendant: ATTENDANT, maxPersons: WORKERS.length });
const person = (personId: string) => ({ personId });

/** Ventilate 5 min, test at three levels, open the permit, two workers in for 10 min, out, close. */
const workSession: ScenarioDef = {
  name: 'work-session',
  title: 'an ordinary entry: ventilate, gas test, permit, two workers in and out, close (~20 min)',
  build(registry): ScenarioPlan | null {
    const s = pickSpace(registry, 'kq-p2-s3');
    if (!s) return null;
    const permitId = `PT-${s.space.id}-1`;
    return {
      name: 'work-session',
      durationS: 1200,
      overrides: [],
      events: events(s, [
        [0, 'ventilation', ventilation(true)],
        [300, 'gas.test', gasTest()],
        [360, 'permit.open', permit(permitId)],
        [420, 'entry', person(WORKERS[0])],
        [435, 'entry', person(WORKERS[1])],
        [1020, 'exit', person(WORKERS[1])],
        [1035, 'exit', person(WORKERS[0])],
        [1080, 'ventilation', ventilation(false)],
        [1110, 'permit.close', { permitId }],
      ]),
    };
  },
};

/**
 * Stirring the sludge releases H₂S during the work: the lower level crosses 7 ppm (major) about
 * 340 s in and 14 ppm (critical) about 385 s in, holds ~2 min, and the fan clears it by 780 s.
 */
const H2S_RELEASE: Profile = [[240, 0], [300, 0.12], [360, 0.4], [400, 0.75], [430, 1], [540, 1], [620, 0.5], [700, 0.15], [780, 0]];
const later = (p: Profile, s: number): Profile => p.map(([t, w]) => [t + s, w] as const);

const h2sEvacuate: ScenarioDef = {
  name: 'h2s-evacuate',
  title: 'H₂S rises in the lower layer while two workers are inside: evacuate alarm, they climb out',
  build(registry) {
    const s = pickSpace(registry, 'kq-p1-s1');
    if (!s) return null;
    const permitId = `PT-${s.space.id}-2`;
    return {
      name: 'h2s-evacuate',
      durationS: 960,
      // Heavier than air: ~22 ppm at the bottom, a third of it at mid-height later, a trace on top.
      overrides: [
        { deviceId: s.gas.lower.id, quantity: 'h2s_ppm', target: 22, profile: H2S_RELEASE, jitter: 0.6 },
        { deviceId: s.gas.middle.id, quantity: 'h2s_ppm', target: 6, profile: later(H2S_RELEASE, 30), jitter: 0.3 },
        { deviceId: s.gas.upper.id, quantity: 'h2s_ppm', target: 1.5, profile: later(H2S_RELEASE, 60), jitter: 0.1 },
      ],
      events: events(s, [
        [0, 'ventilation', ventilation(true)],
        [120, 'gas.test', gasTest()],
        [150, 'permit.open', permit(permitId)],
        [180, 'entry', person(WORKERS[0])],
        [195, 'entry', person(WORKERS[1])],
        // About a minute after the alarm both are up the ladder.
        [400, 'exit', person(WORKERS[1])],
        [412, 'exit', person(WORKERS[0])],
        [840, 'gas.test', gasTest()],
        [870, 'permit.close', { permitId }],
        [900, 'ventilation', ventilation(false)],
      ]),
    };
  },
};

/** A worker climbs into a sump to clear a blocked pump without test or permit, 3 min inside. */
const noPermitEntry: ScenarioDef = {
  name: 'no-permit-entry',
  title: 'a worker enters a sump without a gas test or permit: evacuate alarm until he is out',
  build(registry) {
    const s = pickSpace(registry, 'kq-p2-s4');
    if (!s) return null;
    return { name: 'no-permit-entry', durationS: 240, overrides: [], events: events(s, [[0, 'entry', person('W0611')], [180, 'exit', person('W0611')]]) };
  },
};

/** The middle detector stops reporting for 5 min while two workers are inside. */
const detectorSilent: ScenarioDef = {
  name: 'detector-silent',
  title: 'the middle detector goes silent during an entry (stale after 3 intervals): evacuate alarm',
  build(registry) {
    const s = pickSpace(registry, 'kq-p3-s1');
    if (!s) return null;
    const permitId = `PT-${s.space.id}-3`;
    return {
      name: 'detector-silent',
      durationS: 780,
      overrides: [],
      // At 5 s intervals the service calls it stale 15 s (wall clock) after its last reading, i.e.
      // 15 × speed simulated seconds: the workers stay until 400 s, so the alarm shows up to 5×.
      silences: [{ deviceId: s.gas.middle.id, fromS: 300, toS: 600 }],
      events: events(s, [
        [0, 'ventilation', ventilation(true)],
        [120, 'gas.test', gasTest()],
        [150, 'permit.open', permit(permitId)],
        [180, 'entry', person(WORKERS[0])],
        [195, 'entry', person(WORKERS[1])],
        [400, 'exit', person(WORKERS[1])],
        [412, 'exit', person(WORKERS[0])],
        [660, 'gas.test', gasTest()],
        [690, 'permit.close', { permitId }],
        [720, 'ventilation', ventilation(false)],
      ]),
    };
  },
};

/** The confined-space scenarios, in demo-loop order. */
export const CONFINED_SCENARIOS: readonly ScenarioDef[] = [workSession, h2sEvacuate, noPermitEntry, detectorSilent];
