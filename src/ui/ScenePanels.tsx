/**
 * The open view's own panels (inspector's space list, park alarm centre, controller's network
 * view). Each scene owns its file under ./scenes; they float in the left column under the top bar.
 */
import { useTwin } from '../state/react';
import { ConfinedPanels } from './scenes/ConfinedPanels';
import { ParkPanels } from './scenes/ParkPanels';
import { RoadsPanels } from './scenes/RoadsPanels';

export function ScenePanels() {
  const view = useTwin((s) => s.view);
  if (view === 'confined') return <ConfinedPanels />;
  if (view === 'park') return <ParkPanels />;
  if (view === 'roads') return <RoadsPanels />;
  return null;
}
