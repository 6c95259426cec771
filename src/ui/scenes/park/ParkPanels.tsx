/**
 * The park scene's own panels, shown while its view is open (see ../ScenePanels.tsx): a left column
 * under the top bar with the active leak (if any), the park manager's alarm centre, the four-colour
 * enterprise risk board and the tank table, from the park state the session polls
 * (src/state/park.ts); in replay that state is the replayed instant's (`data-shown-at` says which).
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { parkSummary } from '../../../state/park';
import { useResource, useTwin } from '../../../state/react';
import { useGlobe } from '../../globe';
import { AlarmCentre } from './AlarmCentre';
import { RiskBoard } from './RiskBoard';
import { TankTable } from './TankTable';
import { ZonePanel } from './ZonePanel';
import './park.css';

export function ParkPanels() {
  const { t } = useTranslation();
  const detailOpen = useTwin((s) => s.selectedDeviceId !== null);
  const globe = useGlobe();
  const shownAt = useResource(parkSummary, (s) => s.shownAt);
  // The view was framed before this column existed: frame it again in the part it leaves uncovered.
  useEffect(() => {
    if (!globe) return;
    const id = requestAnimationFrame(() => globe.flyToView('park'));
    return () => cancelAnimationFrame(id);
  }, [globe]);
  return (
    <aside
      className={`park-panels${detailOpen ? ' with-detail' : ''}`}
      data-testid="park-panels"
      data-shown-at={shownAt ?? 'live'}
      aria-label={t('view.park')}
    >
      <ZonePanel />
      <AlarmCentre />
      <RiskBoard />
      <TankTable />
    </aside>
  );
}
