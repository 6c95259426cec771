/**
 * The road scene (Zhuji): detector tracks, operators' incidents, weather stations and the network
 * index, and every road answer at any instant.
 */
import { roadSourceAt } from './replay';
import { roadRoutes } from './routes';
import { RoadRules, type RoadSource } from './rules';
import { defineScene, type SceneFactory } from '../scene';

export const roadsScene: SceneFactory = (deps) => {
  const rules = new RoadRules({ registry: deps.registry, ingest: deps.ingest, alarms: deps.alarms, storage: deps.storage, log: deps.log });
  return defineScene<RoadSource>({
    onValues: rules.valueRule,
    onEvent: rules.eventRule,
    decorate: rules.decorate,
    onAlarm: rules.onAlarmChange,
    restore: (nowMs) => rules.restore(nowMs),
    tick: (nowMs) => rules.tick(nowMs),
    live: () => rules.live,
    at: (then) => roadSourceAt(rules, deps.registry, then, deps.storage),
    routes: (app, viewAt) => roadRoutes(app, rules, viewAt),
  });
};
