/**
 * Every scene of the browser app, one line each. The compiler checks it: a scene of the contract
 * without its client here, or a client missing a piece (resources, globe layer, panels, strings,
 * camera), does not build.
 */
import { SCENES, type Scene } from '../../contracts';
import type { SceneApis } from '../../scene/cesium';
import type { AnyResource } from '../../state/resource';
import { confinedClient } from './confined/client';
import { parkClient } from './park/client';
import { roadsClient } from './roads/client';
import type { SceneClient } from './types';

export const SCENE_CLIENTS = {
  confined: confinedClient,
  park: parkClient,
  roads: roadsClient,
} satisfies Record<Scene, SceneClient>;

/** Each scene's globe layer API, as its layer factory returns it (what `globe.scenes` holds). */
export type SceneLayerApis = { [S in Scene]: Awaited<ReturnType<Awaited<ReturnType<(typeof SCENE_CLIENTS)[S]['globeLayer']>>>>['api'] } & SceneApis;

/** `fn` of each scene's client, by scene. */
export function mapScenes<T>(fn: (client: SceneClient, scene: Scene) => T): Record<Scene, T> {
  return Object.fromEntries(SCENES.map((s) => [s, fn(SCENE_CLIENTS[s], s)])) as Record<Scene, T>;
}

/** Everything the session polls: every scene's resources. */
export const SCENE_RESOURCES: readonly AnyResource[] = SCENES.flatMap((s): readonly AnyResource[] => SCENE_CLIENTS[s].resources);

/** Every scene's strings, for the translation (see src/i18n). */
export const SCENE_STRINGS = mapScenes((c) => c.strings);
