/**
 * The roads scene's own panels, shown while its view is open (see ../ScenePanels.tsx): the
 * controller's column on the left — network index and its chart, the deck.gl network view, travel
 * time, worst segments, incidents, the message signs to publish, road weather and now-vs-usual
 * speeds. Data comes from the road
 * store (src/state/roads.ts), polled by the globe's roads layer; in replay every panel shows the
 * replayed instant (the store asks the service with `?at=`), the route tool included.
 */
import { useTranslation } from 'react-i18next';
import { useRoads } from './roads/useRoads';
import { NetworkCard } from './roads/NetworkCard';
import { NetworkMap } from './roads/NetworkMap';
import { RouteTool } from './roads/RouteTool';
import { IncidentList, TimeOfDay, WeatherList, WorstSegments } from './roads/Lists';
import { SignsToPublish } from './roads/Signs';
import './roads/roads.css';

export function RoadsPanels() {
  const { t } = useTranslation();
  const error = useRoads((s) => s.error);
  return (
    <aside className="panel roads-panels" data-testid="roads-panels" aria-label={t('roadsUi.title')}>
      {error && (
        <div className="roads-error" role="alert">
          {t('roadsUi.stale', { msg: error })}
        </div>
      )}
      <NetworkCard />
      <section className="roads-sec">
        <h3>{t('roadsUi.map')}</h3>
        <NetworkMap />
        <div className="roads-hint">{t('roadsUi.mapHint')}</div>
      </section>
      <RouteTool />
      <WorstSegments />
      <IncidentList />
      <SignsToPublish />
      <WeatherList />
      <TimeOfDay />
    </aside>
  );
}
