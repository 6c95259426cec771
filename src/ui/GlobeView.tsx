/**
 * The container of the Cesium canvas. The globe is created once this div is mounted and destroyed
 * with it; `onGlobe` hands it to the panels (and the test hook) once ready.
 */
import { useEffect, useRef } from 'react';
import { createGlobe, type Globe } from '../scene/cesium';
import { twin } from '../state';
import { exposeForTests } from './testHook';

export function GlobeView({ onGlobe }: { onGlobe: (globe: Globe | null) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let globe: Globe | null = null;
    let cancelled = false;
    createGlobe(el, twin).then(
      (g) => {
        if (cancelled) return g.destroy();
        globe = g;
        exposeForTests({ globe: g });
        onGlobe(g);
      },
      (e: unknown) => {
        console.error('createGlobe failed', e);
        // Without WebGL the panels still work; say why the map is missing.
        if (!cancelled) twin.getState().notify({ kind: 'error', text: String(e), key: 'error.globe', params: { message: (e as Error)?.message ?? String(e) } });
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
