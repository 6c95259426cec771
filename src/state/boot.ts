/**
 * Milestones of the page's start, as User Timing marks (`ct:<name>`, the first time each is
 * reached): the cold-start bench reads them to say where the time to the first live frame goes,
 * and the browser's performance panel shows them on its timeline. A mark costs a few microseconds.
 */
export type BootStep =
  /** main.tsx runs: every module the first screen needs is fetched and evaluated. */
  | 'js'
  /** A saved login is back in the store. */
  | 'login'
  /** The globe's widget exists (Cesium's own set-up done). */
  | 'globe'
  /** Cesium drew its first frame. */
  | 'globeFrame'
  /** The registry's answers arrived (`devices` is the largest), parsed as JSON. */
  | 'registryJson'
  /** …and checked against the contract. */
  | 'registryChecked'
  /** …and in the store. */
  | 'registryStore'
  /** The site outlines and the device layer of the registry are made (the far-zoom marks drawn). */
  | 'devicesBuilt'
  /** …and every device point is built (in slices after it). */
  | 'devicePoints'
  /** The base map's layers (districts, water, roads) are added. */
  | 'baseLayers'
  /** Every scene's own layer has started. */
  | 'sceneLayers'
  /** The broker answered the live link's CONNECT. */
  | 'mqtt'
  /** The open alarms are in the store. */
  | 'alarms'
  /** The live snapshot arrived and was checked. */
  | 'snapshot'
  /** The first live values are folded into the store. */
  | 'liveApplied';

const PREFIX = 'ct:';
const seen = new Set<BootStep>();

/** Marks `step` the first time it is reached on this page. */
export function markBoot(step: BootStep): void {
  if (seen.has(step)) return;
  seen.add(step);
  if (typeof performance !== 'undefined' && typeof performance.mark === 'function') performance.mark(PREFIX + step);
}

