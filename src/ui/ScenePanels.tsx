/**
 * The open view's own panels (inspector's space list, park alarm centre, controller's network
 * view), as each scene's client provides them (./scenes); they float in the left column under the
 * top bar. Loaded when a view is first opened.
 */
import { Suspense, lazy } from 'react';
import { useTwin } from '../state/react';
import { mapScenes } from './scenes';

const PANELS = mapScenes((client) => lazy(() => client.panels().then((Panels) => ({ default: Panels }))));

export function ScenePanels() {
  const view = useTwin((s) => s.view);
  if (view === 'overview') return null;
  const Panels = PANELS[view];
  return (
    <Suspense fallback={null}>
      <Panels />
    </Suspense>
  );
}
