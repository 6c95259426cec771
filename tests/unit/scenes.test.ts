/**
 * The service's scene registry: one entry per scene of the contract, and a scene that lacks its
 * routes or its replay does not compile (the `@ts-expect-error` lines fail `npm run typecheck`,
 * which `npm test` runs, the day they stop being errors).
 */
import { describe, expect, it } from 'vitest';
import { SCENES, type Device, type Scene } from '../../src/contracts';
import type { Condition } from '../../src/domain';
import { SCENE_SERVICES } from '../../src/server/scenes';
import { defineScene, type SceneFactory } from '../../src/server/scenes/scene';

describe('scene registry', () => {
  it('has a service for every scene of the contract, and nothing else', () => {
    expect(Object.keys(SCENE_SERVICES).sort()).toEqual([...SCENES].sort());
  });

  it('fills every hook a scene leaves out with one that does nothing', () => {
    const scene = defineScene({ live: () => 'now', at: () => 'then', routes: () => {} });
    const cond: Condition = { rule: 'fog', severity: 'minor', value: 150, threshold: 200, message: 'fog' };
    expect(scene.decorate({} as Device, cond)).toBe(cond);
    expect(scene.onValues({} as Device, {}, 0)).toBeUndefined();
    expect(scene.onEvent({} as Device, { ts: 0, type: 'entry' } as never, 0)).toBeUndefined();
    expect(scene.onAlarm({} as never, 'key')).toBeUndefined();
    expect([scene.restore(0), scene.tick(0)]).toEqual([undefined, undefined]);
    expect([scene.live(), scene.at({} as never)]).toEqual(['now', 'then']);
  });

  it('refuses at compile time a scene without its routes or replay, and a registry without a scene', () => {
    const parts = { live: () => 0, at: () => 0, routes: () => {} };
    const { routes: _r, ...noRoutes } = parts;
    const { at: _a, ...noReplay } = parts;
    // @ts-expect-error a scene must register its routes
    defineScene(noRoutes);
    // @ts-expect-error a scene must answer at a past instant
    defineScene(noReplay);
    const one: SceneFactory = () => defineScene(parts);
    // @ts-expect-error every scene of the contract needs its line
    const missing: Record<Scene, SceneFactory> = { confined: one, park: one };
    expect(Object.keys(missing)).toHaveLength(2);
  });
});
