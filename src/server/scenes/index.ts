/**
 * Every scene of the service, one line each. Keyed by the contract's `Scene`, so a scene added to
 * `SCENES` without its folder here, or a scene whose folder lacks routes or replay, does not compile.
 */
import { SCENES, type Scene } from '../../contracts';
import { confinedScene } from './confined';
import { parkScene } from './park';
import { roadsScene } from './roads';
import type { SceneDeps, SceneFactory, SceneService } from './scene';

export const SCENE_SERVICES: Readonly<Record<Scene, SceneFactory>> = {
  confined: confinedScene,
  park: parkScene,
  roads: roadsScene,
};

/** Builds every scene's service, keyed by scene (iterate `SCENES` for the display order). */
export function createScenes(deps: SceneDeps): Record<Scene, SceneService<unknown>> {
  return Object.fromEntries(SCENES.map((s) => [s, SCENE_SERVICES[s](deps)])) as Record<Scene, SceneService<unknown>>;
}

export { viewAt, type SceneDeps, type SceneService } from './scene';
