/**
 * The container of the Cesium canvas. The globe is created once this div is mounted, with every
 * scene's layer and camera (./scenes), and destroyed with it; `onGlobe` hands it to the panels
 * (and the test hook) once ready. Without WebGL the globe fails to start and says so; the panels
 * still work, their data being the session's.
 */
import i18next from 'i18next';
import { useEffect, useRef } from 'react';
import { createGlobe, type GlobeOptions } from '../scene/cesium';
import { twin } from '../state';
import type { AppGlobe } from './globe';
import { mapScenes, type SceneLayerApis } from './scenes';
import { exposeForTests } from './testHook';

// Each entry is its client's own layer, so its API is the one SceneLayerApis reads off that client.
const SCENE_LAYERS = mapScenes((c) => ({ layer: c.globeLayer, camera: c.camera })) as GlobeOptions<SceneLayerApis>['scenes'];

export function GlobeView({ onGlobe }: { onGlobe: (globe: AppGlobe | null) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let globe: AppGlobe | null = null;
    let cancelled = false;
    createGlobe<SceneLayerApis>(el, twin, { scenes: SCENE_LAYERS, t: (key, params) => i18next.t(key, params) }).then(
      (g) => {
        if (cancelled) return g.destroy();
        globe = g;
        exposeForTests({ globe: g });
        onGlobe(g);
      },
      (e: unknown) => {
        console.error('createGlobe failed', e);
        if (cancelled) return;
        const message = (e as Error)?.message ?? String(e);
        // Cesium's own text is English only: the common cause gets the operator's language, the rest its message.
        const key = /webgl/i.test(message) ? 'error.globeWebgl' : 'error.globe';
        twin.getState().notify({ kind: 'error', text: String(e), key, params: { message } });
      },
    );
    return () => {
      cancelled = true;
      globe?.destroy();
      exposeForTests({ globe: null });
      onGlobe(null);
    };
    // Created once per mount: the adapter follows the store by itself.
  }, []);
  return <div ref={ref} className="globe" data-testid="globe" />;
}
