/**
 * What a scene is to the service, so that app.ts treats every scene alike: its rules (called by the
 * alarm engine with the scene's own devices and alarms), a restore after a restart, a tick once a
 * second, its HTTP routes, and `at(then)`, the same view of the scene at a past instant for the
 * `?at=` form of those routes. A scene is a folder beside this file plus one line in ./index.ts.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Scene } from '../../contracts';
import type { SceneRules } from '../alarms';
import { twinAtOr400, type ApiContext } from '../api/context';
import type { TwinAt } from '../history/twinAt';

/** What a scene's rules and routes may use of the service. */
export type SceneDeps = ApiContext & {
  /** Where the scene reports what it could not do (a history not restored, a sample not stored). */
  log: (message: string) => void;
};

/**
 * One scene in the service. `V` is what its routes read: the live state, or the scene rebuilt at a
 * past instant by `at`, so the same answer-building code serves both.
 */
export interface SceneService<V> extends SceneRules {
  /** After a restart, once open alarms and device values are back: the rules' own state. */
  restore(nowMs: number): void | Promise<void>;
  /** Once a second (`TICK_MS`): what the clock notices (silence, a new minute, an expiry). */
  tick(nowMs: number): void;
  /** The scene as it is now. */
  live(): V;
  /** The scene as it stood at `then.atMs`, rebuilt from SQLite (by the reader threads); it asserts nothing and changes nothing live. */
  at(then: TwinAt): V | Promise<V>;
  /** The registry changed (registry management): whatever the scene indexed from it is rebuilt. */
  registryChanged?(): void;
  /** Registers the scene's HTTP routes; each answers from `viewAt(at)`. */
  routes(app: FastifyInstance, viewAt: ViewAt<V>): void;
}

/**
 * The view a request asks for: `live()` without `at`, `at(then)` with it, with the instant it
 * stands for; null once a 400 has been sent (an instant in the future).
 */
export type ViewAt<V> = (at: number | undefined, reply: FastifyReply) => Promise<{ nowMs: number; view: V } | null>;

/** Builds a scene's service from the service's parts (a line of ./index.ts). */
export type SceneFactory = (deps: SceneDeps) => SceneService<unknown>;

/** What a scene must provide; the rules' hooks, `restore` and `tick` default to doing nothing. */
export type SceneParts<V> = Partial<SceneRules> & Partial<Pick<SceneService<V>, 'restore' | 'tick' | 'registryChanged'>> & Pick<SceneService<V>, 'live' | 'at' | 'routes'>;

const nothing = (): void => {};

/** A scene's service from its parts, every hook it leaves out a no-op. */
export function defineScene<V>(parts: SceneParts<V>): SceneService<V> {
  return {
    onValues: nothing,
    onEvent: nothing,
    refuseEvent: () => null,
    decorate: (_device, cond) => cond,
    onAlarm: nothing,
    shelveContext: () => ({ peopleInside: 0, permitOpen: false }),
    restore: nothing,
    tick: nothing,
    ...parts,
  };
}

/** `ViewAt` over the `live` and `at` of scene `name` (the twin at an instant loads that scene's devices only). */
export function viewAt<V>(ctx: ApiContext, name: Scene, scene: Pick<SceneService<V>, 'live' | 'at'>): ViewAt<V> {
  return async (at, reply) => {
    const then = await twinAtOr400(ctx, at, reply, name);
    if (then === false) return null;
    return then === null ? { nowMs: ctx.now(), view: scene.live() } : { nowMs: then.atMs, view: await scene.at(then) };
  };
}
