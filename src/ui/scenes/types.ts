/**
 * What a scene brings to the browser app, one `SceneClient` per scene in ./index.ts: the data the
 * session polls for it, its drawing on the globe, its panels, its strings and where its camera
 * looks. The globe layer and the panels are loaded through functions, so a scene's code (and the
 * engines it needs: three.js, deck.gl, uPlot) can move behind a dynamic `import()` without
 * changing anything that uses them.
 */
import type { ComponentType } from 'react';
import type { Translation } from '../../i18n/en';
import type { LayerApi, SceneCamera, SceneLayerFactory } from '../../scene/cesium';
import type { AnyResource } from '../../state/resource';

/** The strings every scene must have: its name (the tab, lists, filters) and its place (the tab's tooltip). */
export interface SceneStringsBase {
  scene: { name: string; place: string };
}

/** A scene's strings in both languages, merged into the translation under `${scene}Ui`. */
export interface SceneStrings<T extends SceneStringsBase = SceneStringsBase> {
  en: T;
  zh: Translation<T>;
}

/** A scene's strings; Chinese must have every key English has (a missing one is a type error). */
export function defineSceneStrings<T extends SceneStringsBase>(en: T, zh: Translation<T>): SceneStrings<T> {
  return { en, zh };
}

export interface SceneClient<Api extends LayerApi = LayerApi> {
  /** Polled by the session from login to logout; its panels and globe layer read them. */
  resources: readonly AnyResource[];
  /** The scene's layer on the globe (see src/scene/cesium/sceneLayer.ts), loaded when the globe starts. */
  globeLayer(): Promise<SceneLayerFactory<Api>>;
  /** The panels shown while the scene's view is open, loaded when it is first opened. */
  panels(): Promise<ComponentType>;
  strings: SceneStrings;
  /** Where the scene's view looks before (and as well as) its registry sites frame it. */
  camera: SceneCamera;
}
