/**
 * The demo loop's timetable, pure: when each scenario starts, in simulated seconds since the
 * simulator started. A new user should see something happen within a couple of minutes and every
 * story within a quarter of an hour, so the scenarios are not played one after another (the
 * longest fog bank alone lasts 41 min) but started a short gap apart, the three scenes interleaved,
 * each running its full course alongside the others. The loop starts again once the longest has
 * ended, so a scenario never overlaps its own previous run (its space, crew or road would be in
 * two stories at once).
 */

export interface SchedulablePlan {
  name: string;
  durationS: number;
}

export interface DemoSlot {
  name: string;
  /** Simulated seconds after the simulator's start (first round). */
  startS: number;
  durationS: number;
}

export interface DemoSchedule {
  slots: DemoSlot[];
  /** The loop repeats every this many simulated seconds: round k starts slot i at startS + k × cycleS. */
  cycleS: number;
}

/** The first scenario starts this long after the simulator, simulated seconds: time to log in. */
export const DEMO_FIRST_S = 30;
/** Every scenario has started this long after the first one, simulated seconds. */
export const DEMO_SPREAD_S = 13 * 60;
/** A calm gap after the longest scenario has ended, before the loop starts again. */
export const DEMO_PAUSE_S = 120;

/**
 * Demo-loop order: the quickest alarm first (a worker climbing into a sump without a permit raises
 * `evacuate` on entry), then the three scenes in turn, so that every operator's scene gets going
 * early; two stories on the same devices (the two H₂S pits, the three G60 ones) are kept apart.
 * Scenarios the registry cannot play are skipped; unknown ones go last in catalogue order.
 */
export const DEMO_ORDER: readonly string[] = [
  'no-permit-entry', 'g60-crash', 'cl2-release',
  'h2s-pit', 'tank-temp', 'fog-dawn',
  'fan-stop', 'truck-off-route', 'g60-slowdown',
  'attendant-away', 'nh3-night-leak', 'detector-silent',
  'work-session', 'fog-g60', 'h2s-evacuate',
];

/** The timetable of `plans` (in demo order as above), first round; see DemoSchedule for the loop. */
export function demoSchedule(plans: readonly SchedulablePlan[]): DemoSchedule {
  const rank = (name: string) => {
    const i = DEMO_ORDER.indexOf(name);
    return i < 0 ? DEMO_ORDER.length : i;
  };
  const ordered = plans.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p.name) - rank(b.p.name) || a.i - b.i).map((x) => x.p);
  const gapS = ordered.length > 1 ? DEMO_SPREAD_S / (ordered.length - 1) : 0;
  const slots = ordered.map((p, i) => ({ name: p.name, startS: Math.round(DEMO_FIRST_S + i * gapS), durationS: p.durationS }));
  const lastEnd = Math.max(0, ...slots.map((s) => s.startS + s.durationS));
  return { slots, cycleS: Math.max(1, lastEnd + DEMO_PAUSE_S - DEMO_FIRST_S) };
}
