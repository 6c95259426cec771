/**
 * The roads scene's own panels, shown while its view is open (see ../ScenePanels.tsx): the
 * controller's column on the left — network index and its chart, the deck.gl network view, travel
 * time, worst segments, incidents, the message signs to publish, road weather and now-vs-usual
 * speeds. Data comes from the road resources the session polls (src/state/roads.ts), with or without the globe; in replay every
 * panel shows the replayed instant (each asks the service with `?at=`), the route tool included.
 */
import { Suspense, lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { incidents, network, segments, weather } from '../../../state/roads';
import { useResource } from '../../../state/react';
import { NetworkCard } from './NetworkCard';
import { RouteTool } from './RouteTool';
import { IncidentList, TimeOfDay, WeatherList, WorstSegments } from './Lists';
import { SignsToPublish } from './Signs';
import './roads.css';

// deck.gl and uPlot in chunks of their own, fetched once the roads view is open.
const NetworkMap = lazy(async () => ({ default: (await import('./NetworkMap')).NetworkMap }));
const SegmentDetail = lazy(async () => ({ default: (await import('./SegmentDetail')).SegmentDetail }));

export function RoadsPanels() {
  const { t } = useTranslation();
  // The first failing answer says why the panels may be behind (they keep the last good one).
  const error = [
    useResource(segments, (s) => s.error?.message),
    useResource(network, (s) => s.error?.message),
    useResource(incidents, (s) => s.error?.message),
    useResource(weather, (s) => s.error?.message),
  ].find((m) => m !== undefined);
  return (
    <>
      <Suspense fallback={null}>
        <SegmentDetail />
      </Suspense>
      <aside className="panel roads-panels" data-testid="roads-panels" aria-label={t('roadsUi.title')}>
        {error && (
          // The service's own words (English, technical) stay in the tooltip for whoever fixes it.
          <div className="roads-error" role="alert" title={error}>
            {t('roadsUi.stale')}
          </div>
        )}
        <NetworkCard />
        <section className="roads-sec">
          <h3>{t('roadsUi.map')}</h3>
          <Suspense fallback={null}>
            <NetworkMap />
          </Suspense>
          <div className="roads-hint">{t('roadsUi.mapHint')}</div>
        </section>
        <RouteTool />
        <WorstSegments />
        <IncidentList />
        <SignsToPublish />
        <WeatherList />
        <TimeOfDay />
      </aside>
    </>
  );
}
