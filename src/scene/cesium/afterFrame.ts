/**
 * Work that must not hold up the next frame runs in a task after it. A new registry's first frame
 * is its device marks' and live colours' own; what does not show in it (the sites' sorting into
 * cells, the camera cones, the roads' jam halos) comes a task later, each a frame behind.
 */
import type { Scene } from 'cesium';

/** Runs `run` in a task after `scene`'s next frame; returns a cancel (safe to call at any time). */
export function afterNextFrame(scene: Pick<Scene, 'postRender'>, run: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const remove = scene.postRender.addEventListener(() => {
    remove();
    timer = setTimeout(run, 0);
  });
  return () => {
    remove();
    clearTimeout(timer);
  };
}
