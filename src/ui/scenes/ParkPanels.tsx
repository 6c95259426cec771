/**
 * The park scene's own panels, shown while its view is open (see ../ScenePanels.tsx): a left column
 * under the top bar with the active leak (if any), the park manager's alarm centre, the four-colour
 * enterprise risk board and the tank table. Polls the park state (src/state/park.ts) while open.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { retainParkPolling } from '../../state/park';
import { twin, useTwin } from '../../state/react';
import { useGlobe } from '../globe';
import { LiveOnlyNote } from '../replay/ReplayBar';
import { AlarmCentre } from './park/AlarmCentre';
import { RiskBoard } from './park/RiskBoard';
import { TankTable } from './park/TankTable';
import { ZonePanel } from './park/ZonePanel';
import './park/park.css';

export function ParkPanels() {
  const { t } = useTranslation();
  const detailOpen = useTwin((s) => s.selectedDeviceId !== null);
  const globe = useGlobe();
  useEffect(() => retainParkPolling(twin), []);
  // The view was framed before this column existed: frame it again in the part it leaves uncovered.
  useEffect(() => {
    if (!globe) return;
    const id = requestAnimationFrame(() => globe.flyToView('park'));
    return () => cancelAnimationFrame(id);
  }, [globe]);
  return (
    <aside className={`park-panels${detailOpen ? ' with-detail' : ''}`} data-testid="park-panels" aria-label={t('view.park')}>
      <LiveOnlyNote />
      <ZonePanel />
      <AlarmCentre />
      <RiskBoard />
      <TankTable />
    </aside>
  );
}
