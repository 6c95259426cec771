/**
 * The confined-space scene (Keqiao dyeing plants): entry rules fed by the access terminals' events
 * and the detectors' alarms, re-evaluated every second, and the space list at any instant.
 */
import { ConfinedAt } from './replay';
import { confinedRoutes, type ConfinedView } from './routes';
import { ConfinedRules } from './rules';
import { defineScene, type SceneFactory } from '../scene';

export const confinedScene: SceneFactory = (deps) => {
  const rules = new ConfinedRules(deps);
  return defineScene<ConfinedView>({
    onEvent: rules.eventRule,
    refuseEvent: (device, event) => rules.refuseEvent(device, event),
    onAlarm: rules.onAlarmChange,
    shelveContext: (alarm) => rules.shelveContext(alarm),
    restore: async (nowMs) => void (await rules.restore(nowMs)),
    tick: (nowMs) => rules.tick(nowMs),
    registryChanged: () => rules.registryChanged(),
    live: () => ({ devices: deps.ingest, alarms: deps.alarms, entry: rules }),
    at: async (then) => ({ devices: then, alarms: then, entry: await ConfinedAt.load(rules.spaces, rules.rulesOf, deps.registry, then) }),
    routes: (app, viewAt) => confinedRoutes(app, rules.spaces, viewAt, rules.maxInsideMinOf),
  });
};
