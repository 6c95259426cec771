/**
 * The chemical park scene (Shangyu Hangzhou Bay): hazmat-truck geofences and leak danger zones,
 * fed by the park's readings and alarms, and the zones and park summary at any instant.
 */
import { parkRoutes, type ParkView } from './routes';
import { ParkRules, loadHazmatRoute } from './rules';
import { defineScene, type SceneFactory } from '../scene';

export const parkScene: SceneFactory = (deps) => {
  const rules = new ParkRules({ registry: deps.registry, ingest: deps.ingest, alarms: deps.alarms, route: loadHazmatRoute(deps.cfg.registryPath) });
  return defineScene<ParkView>({
    onValues: (device, values, nowMs) => rules.onValues(device, values, nowMs),
    onAlarm: (alarm) => rules.onAlarm(alarm, alarm.updatedAt),
    restore: (nowMs) => rules.restore(nowMs),
    registryChanged: () => rules.registryChanged(),
    live: () => ({ states: deps.ingest, alarms: deps.alarms, zones: () => rules.zonesGeoJson(), zoneCount: () => rules.zoneCount() }),
    at: (then) => ({ states: then, alarms: then, zones: () => rules.zonesAt(then, then.atMs), zoneCount: () => rules.zoneCountAt(then) }),
    routes: (app, viewAt) => parkRoutes(app, deps.registry, viewAt),
  });
};
