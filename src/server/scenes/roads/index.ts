/**
 * The road scene (Zhuji): detector tracks, operators' incidents, weather stations, lasting jams
 * (the congestion alarm) and the network index, and every road answer at any instant.
 */
import { CongestionAlarms } from './congestion';
import { roadSourceAt } from './replay';
import { roadRoutes } from './routes';
import { RoadRules, type RoadSource } from './rules';
import { defineScene, type SceneFactory } from '../scene';

export const roadsScene: SceneFactory = (deps) => {
  const rules = new RoadRules({ registry: deps.registry, ingest: deps.ingest, alarms: deps.alarms, storage: deps.storage, log: deps.log });
  const jams = new CongestionAlarms({ alarms: deps.alarms, ingest: deps.ingest, segment: (id, nowMs) => rules.segments(nowMs, rules.live, id)[0] });
  return defineScene<RoadSource>({
    onValues: (device, values, nowMs) => {
      // The track first: the segment's level follows the reading just added.
      rules.valueRule(device, values, nowMs);
      jams.valueRule(device, values, nowMs);
    },
    onEvent: rules.eventRule,
    decorate: rules.decorate,
    onAlarm: rules.onAlarmChange,
    restore: async (nowMs) => {
      // Open congestion alarms are in the engine's memory already; the rules read storage.
      jams.restore(deps.alarms.list('roads', true, 10_000));
      await rules.restore(nowMs);
    },
    tick: (nowMs) => rules.tick(nowMs),
    registryChanged: () => rules.registryChanged(),
    live: () => rules.live,
    at: (then) => roadSourceAt(rules, deps.registry, then, deps.storage),
    routes: (app, viewAt) => roadRoutes(app, rules, viewAt),
  });
};
