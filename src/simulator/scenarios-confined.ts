/**
 * Confined-space scenarios: a space's access terminal sends the entry workflow as contract events
 * on `citytwin/v1/confined/{accessId}/event` — the fan, the gas test, the permit, the attendant at
 * the opening, badges in and out — while overrides and silences bend its detectors. The ordinary
 * steps follow the chain (the fan runs PURGE_S before the test); the others break one link each.
 * Each ends with everyone out and the permit closed, so the demo loop can run it again. Times are
 * simulated seconds since the start.
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

/**
 * Demo badge ids: two workers and the attendant who stays at the opening. The demo loop runs
 * several entries at once in different plants, so each has its own crew: one badge is never in two
 * spaces at the same time.
 */
interface Crew {
  workers: [string, string];
  attendant: string;
}
const CREWS: Record<string, Crew> = {
  'work-session': { workers: ['W0417', 'W0523'], attendant: 'A0132' },
  'h2s-evacuate': { workers: ['W0208', 'W0365'], attendant: 'A0117' },
  'detector-silent': { workers: ['W0731', 'W0749'], attendant: 'A0154' },
  'fan-stop': { workers: ['W0286', 'W0802'], attendant: 'A0109' },
  'attendant-away': { workers: ['W0655', 'W0914'], attendant: 'A0161' },
};

type Row = [atS: number, type: string, fields?: Record<string, unknown>];

/** Builds the timed events of one space from rows. */
function events(s: SpaceDevices, rows: Row[]): TimedEvent[] {
  return rows.map(([atS, type, fields]) => ({ atS, deviceId: s.access.id, event: { type, spaceId: s.space.id, ...fields } }));
}
const ventilation = (on: boolean) => ({ state: on ? 'on' : 'off' });
const gasTest = () => ({ levels: HANDHELD });
const person = (personId: string) => ({ personId });

/** The fan runs this long before the gas test: the default purge (PURGE_MINUTES_DEFAULT, 10 min). */
export const PURGE_S = 600;

/**
 * One entry in the order of the chain, times in seconds after the purge: the fan starts at −PURGE_S
 * (the scenario's 0), the gas test at 0, the permit and the attendant at `permitS`, two workers in
 * at `inS`, `during` whatever the scenario is about, both out from `outS`, then (a re-test when the
 * permit was suspended) the attendant leaves, the permit closes and the fan stops from `endS`.
 */
function session(s: SpaceDevices, crew: Crew, permitId: string, t: { permitS: number; inS: number; outS: number; endS: number; retest?: boolean; during?: Row[] }): TimedEvent[] {
  const { workers: WORKERS } = crew;
  const attendant = { personId: crew.attendant };
  const rows: Row[] = [
    [0, 'gas.test', gasTest()],
    [t.permitS, 'permit.open', { permitId, workers: WORKERS, attendant: crew.attendant, maxPersons: WORKERS.length }],
    [t.permitS, 'attendant.on', attendant],
    [t.inS, 'entry', person(WORKERS[0])],
    [t.inS + 15, 'entry', person(WORKERS[1])],
    ...(t.during ?? []),
    [t.outS, 'exit', person(WORKERS[1])],
    [t.outS + 12, 'exit', person(WORKERS[0])],
    ...(t.retest ? [[t.endS - 15, 'gas.test', gasTest()] as Row] : []),
    [t.endS, 'attendant.off', attendant],
    [t.endS + 15, 'permit.close', { permitId }],
    [t.endS + 45, 'ventilation', ventilation(false)],
  ];
  // In time order, so events due in one step of the engine go out as they happened (a stable sort).
  const timed = rows.map(([atS, type, fields]): Row => [atS + PURGE_S, type, fields]).sort((a, b) => a[0] - b[0]);
  return events(s, [[0, 'ventilation', ventilation(true)], ...timed]);
}

/** Ventilate 10 min, test at three levels, open the permit, attendant at the opening, two workers in for 10 min, out, close. */
const workSession: ScenarioDef = {
  name: 'work-session',
  title: 'an ordinary entry: ventilate, gas test, permit, two workers in and out, close (~25 min)',
  build(registry): ScenarioPlan | null {
    const s = pickSpace(registry, 'kq-p2-s3');
    if (!s) return null;
    return { name: 'work-session', durationS: PURGE_S + 900, overrides: [], events: session(s, CREWS['work-session'], `PT-${s.space.id}-1`, { permitS: 60, inS: 120, outS: 720, endS: 750 }) };
  },
};

/**
 * Stirring the sludge releases H₂S during the work: the lower level crosses 7 ppm (major) about
 * 340 s in and 14 ppm (critical) about 385 s in, holds ~2 min, and the fan clears it by 780 s — in
 * the profile's own seconds, shifted by H2S_SHIFT_S in the scenario.
 */
const H2S_RELEASE: Profile = [[240, 0], [300, 0.12], [360, 0.4], [400, 0.75], [430, 1], [540, 1], [620, 0.5], [700, 0.15], [780, 0]];
const later = (p: Profile, s: number): Profile => p.map(([t, w]) => [t + s, w] as const);
/** The release keeps its place relative to the entries (the gas test moved from 120 s to after the purge). */
export const H2S_SHIFT_S = PURGE_S - 120;

const h2sEvacuate: ScenarioDef = {
  name: 'h2s-evacuate',
  title: 'H₂S rises in the lower layer while two workers are inside: evacuate alarm, they climb out',
  build(registry) {
    const s = pickSpace(registry, 'kq-p1-s1');
    if (!s) return null;
    return {
      name: 'h2s-evacuate',
      durationS: PURGE_S + 840,
      // Heavier than air: ~22 ppm at the bottom, a third of it at mid-height later, a trace on top.
      overrides: [
        { deviceId: s.gas.lower.id, quantity: 'h2s_ppm', target: 22, profile: later(H2S_RELEASE, H2S_SHIFT_S), jitter: 0.6 },
        { deviceId: s.gas.middle.id, quantity: 'h2s_ppm', target: 6, profile: later(H2S_RELEASE, H2S_SHIFT_S + 30), jitter: 0.3 },
        { deviceId: s.gas.upper.id, quantity: 'h2s_ppm', target: 1.5, profile: later(H2S_RELEASE, H2S_SHIFT_S + 60), jitter: 0.1 },
      ],
      // About a minute after the alarm both are up the ladder; a re-test lifts the suspension.
      events: session(s, CREWS['h2s-evacuate'], `PT-${s.space.id}-2`, { permitS: 30, inS: 60, outS: 280, endS: 735, retest: true }),
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
    return {
      name: 'detector-silent',
      durationS: PURGE_S + 660,
      overrides: [],
      // At 5 s intervals the service calls it stale 15 s (wall clock) after its last reading, i.e.
      // 15 × speed simulated seconds: the workers stay 100 s after it falls silent, so the alarm shows up to 5×.
      silences: [{ deviceId: s.gas.middle.id, fromS: PURGE_S + 180, toS: PURGE_S + 480 }],
      events: session(s, CREWS['detector-silent'], `PT-${s.space.id}-3`, { permitS: 30, inS: 60, outS: 280, endS: 555, retest: true }),
    };
  },
};

/** The fan stops four minutes into an entry: evacuate (the space is not naturally ventilated); they climb out. */
const fanStop: ScenarioDef = {
  name: 'fan-stop',
  title: 'the fan stops while two workers are inside: evacuate until they are out; the fan restarts',
  build(registry) {
    const s = pickSpace(registry, 'kq-p1-s2');
    if (!s) return null;
    // A minute to climb out after the fan stops, then it is put right.
    const during: Row[] = [[300, 'ventilation', ventilation(false)], [420, 'ventilation', ventilation(true)]];
    return { name: 'fan-stop', durationS: PURGE_S + 600, overrides: [], events: session(s, CREWS['fan-stop'], `PT-${s.space.id}-4`, { permitS: 30, inS: 60, outS: 360, endS: 480, during }) };
  },
};

/** The attendant leaves the opening for 3 min while two workers are inside: the alarm after 60 s, until he is back. */
const attendantAway: ScenarioDef = {
  name: 'attendant-away',
  title: 'the attendant walks away from the opening for 3 min during an entry: attendant alarm after 60 s',
  build(registry) {
    const s = pickSpace(registry, 'kq-p2-s1');
    if (!s) return null;
    const away = { personId: CREWS['attendant-away'].attendant };
    const during: Row[] = [[240, 'attendant.off', away], [420, 'attendant.on', away]];
    return { name: 'attendant-away', durationS: PURGE_S + 720, overrides: [], events: session(s, CREWS['attendant-away'], `PT-${s.space.id}-5`, { permitS: 30, inS: 60, outS: 600, endS: 630, during }) };
  },
};

/** The confined-space scenarios, in demo-loop order. */
export const CONFINED_SCENARIOS: readonly ScenarioDef[] = [workSession, h2sEvacuate, noPermitEntry, detectorSilent, fanStop, attendantAway];
