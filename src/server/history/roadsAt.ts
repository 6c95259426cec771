/**
 * The road scene as it stood at a past instant (issue 6, "one time cursor"): a RoadSource rebuilt
 * from SQLite, which the live answer-building code of RoadRules (segments, route, network,
 * incidents, weather) then reads instead of the live state.
 *
 * - Detector tracks: each detector's stored speed readings in the window before `at`, folded with
 *   the domain's `addSample` exactly as the live rules fold arriving readings.
 * - Incidents: the stored `incident` events of the week before `at`, folded as at restart.
 * - Network index history: the stored once-a-minute samples up to `at`.
 * - Weather alarms: the fog / ice alarms open at `at`, in the state they then had.
 *
 * Read-only: nothing here asserts an alarm or touches the live rules' tracks, incidents or history.
 */
import type { IncidentEvent } from '../../contracts';
import { EMPTY_TRACK, addSample, foldIncident, type IncidentView, type SpeedTrack } from '../../domain';
import { INCIDENT_RESTORE_MS, type RoadRules, type RoadSource } from '../rules/roads';
import { readIndexHistory } from './roadsIndex';
import type { TwinAt } from './twinAt';

/**
 * How far back a detector's readings are folded into its track, ms: the smoothing window for the
 * speed, and beyond it the stuck window, so a value frozen since before the window still shows as
 * unchanged for longer than `stuckMs` (the run then starts at the window's first reading).
 */
export function trackWindowMs(roads: RoadRules): number {
  return roads.options.stuckMs + roads.options.smoothingMs;
}

/**
 * The road source at `then.atMs`. Tracks are rebuilt lazily (one series query per detector asked
 * for); the incidents are folded once, here.
 *
 * @param storagePath the SQLite file the network index samples are read from; null: no history
 */
export function roadSourceAt(roads: RoadRules, then: TwinAt, storagePath: string | null): RoadSource {
  const windowMs = trackWindowMs(roads);
  const tracks = new Map<string, SpeedTrack>();
  const incidents = new Map<string, IncidentView>();
  for (const e of then.events('roads', INCIDENT_RESTORE_MS)) {
    if (e.type === 'incident') foldIncident(incidents, e.deviceId, e.event as IncidentEvent);
  }
  return {
    states: then,
    track: (deviceId) => {
      let track = tracks.get(deviceId);
      if (!track) {
        track = EMPTY_TRACK;
        for (const [ts, v] of then.series(deviceId, 'speed_kmh', windowMs)) track = addSample(track, ts, v, roads.options);
        tracks.set(deviceId, track);
      }
      return track;
    },
    incidents,
    indexHistory: (fromMs, toMs) => (storagePath ? readIndexHistory(storagePath, fromMs, Math.min(toMs, then.atMs)) : []),
    stationAlarmIds: (deviceId) =>
      then
        .list('roads', true, Number.MAX_SAFE_INTEGER)
        .filter((a) => a.deviceId === deviceId && (a.rule === 'fog' || a.rule === 'ice'))
        .map((a) => a.id),
  };
}
