/**
 * The road scene as it stood at a past instant, for the `?at=` form of the road API: a RoadSource
 * rebuilt from SQLite, which the live answer-building code of RoadRules (segments, route, network,
 * incidents, weather) then reads instead of the live state.
 *
 * - Detector tracks: each detector's newest stored speed readings in the window before `at`, folded
 *   into the domain's `SpeedTrack` exactly as the live rules fold arriving readings (from the
 *   per-minute rollups where raw readings are past their retention).
 * - Incidents: the stored `incident` events of the week before `at`, folded as at restart.
 * - Network index history: the stored once-a-minute samples up to `at`.
 * - Weather alarms: the fog / ice alarms open at `at`, in the state they then had.
 *
 * Read-only: nothing here asserts an alarm or touches the live rules' tracks, incidents or history.
 */
import type { IncidentEvent } from '../../../contracts';
import { EMPTY_TRACK, TRACK_CAPACITY, foldIncident, type IncidentView } from '../../../domain';
import type { RegistryIndex } from '../../registry';
import { INCIDENT_RESTORE_MS, type RoadRules, type RoadSource } from './rules';
import type { Storage } from '../../storage';
import type { TwinAt } from '../../history/twinAt';

/**
 * How far back a detector's readings are folded into its track, ms: the smoothing window for the
 * speed, and beyond it the stuck window, so a value frozen since before the window still shows as
 * unchanged for longer than `stuckMs` (the run then starts at the window's first reading).
 */
export function trackWindowMs(roads: RoadRules): number {
  return roads.options.stuckMs + roads.options.smoothingMs;
}

/**
 * The road source at `then.atMs`, loaded by the reader threads in one go: every detector's track
 * (its newest readings of the window, bounded whatever the history holds), the incidents of the
 * week before (folded here) and the network index samples of the history window.
 */
export async function roadSourceAt(roads: RoadRules, registry: RegistryIndex, then: TwinAt, storage: Storage): Promise<RoadSource> {
  const at = then.atMs;
  const detectorIds = [...registry.detectorsBySegment.values()].flat().map((d) => d.id);
  const [tracks, events, index] = await Promise.all([
    storage.history.tracksAt(detectorIds, 'speed_kmh', at, trackWindowMs(roads), roads.options, TRACK_CAPACITY),
    then.events('roads', INCIDENT_RESTORE_MS),
    storage.history.indexHistory(at - roads.options.historyMs, at),
  ]);
  const incidents = new Map<string, IncidentView>();
  for (const e of events) {
    if (e.type === 'incident') foldIncident(incidents, e.deviceId, e.event as IncidentEvent);
  }
  return {
    states: then,
    track: (deviceId) => tracks.get(deviceId) ?? EMPTY_TRACK,
    incidents,
    indexHistory: (fromMs, toMs) => index.filter(([t]) => t >= fromMs && t <= toMs),
    stationAlarmIds: (deviceId) =>
      then
        .list('roads', true, Number.MAX_SAFE_INTEGER)
        .filter((a) => a.deviceId === deviceId && (a.rule === 'fog' || a.rule === 'ice'))
        .map((a) => a.id),
  };
}
