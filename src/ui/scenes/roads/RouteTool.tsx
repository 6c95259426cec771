/**
 * Travel time: pick two points (globe or network view), then the route's time now against free
 * flow; in replay, on the speeds and closures of the replayed instant (the service's `?at=`).
 */
import { useTranslation } from 'react-i18next';
import { route as routeResource } from '../../../state/roads';
import { useReplayAt, useResource } from '../../../state/react';
import { roads, useRouteTool } from './useRoads';

export function RouteTool() {
  const { t } = useTranslation();
  const mode = useRouteTool((s) => s.routeMode);
  const hasFrom = useRouteTool((s) => s.routeFrom !== null);
  const route = useResource(routeResource, (s) => s.data);
  const busy = useResource(routeResource, (s) => s.loading && s.data === null);
  const error = useResource(routeResource, (s) => s.error?.message ?? null);
  const replaying = useReplayAt() !== null;
  // The service's delay counts only segments rated worse than free, so it agrees with their colours.
  const delayMin = route ? Math.max(0, route.delayS / 60) : 0;
  const ratio = route && route.freeFlowTimeS > 0 ? (route.freeFlowTimeS + route.delayS) / route.freeFlowTimeS : 1;
  return (
    <section className="roads-sec roads-route" data-testid="roads-route" data-mode={mode}>
      <h3>
        {t('roadsUi.route')}
        <span className="roads-actions">
          {mode === 'off' ? (
            <button type="button" className="ghost" data-testid="roads-route-start" onClick={() => roads.getState().startRoute()}>
              {t('roadsUi.routeStart')}
            </button>
          ) : (
            <button type="button" className="ghost" onClick={() => roads.getState().clearRoute()}>
              {t('roadsUi.routeCancel')}
            </button>
          )}
          {mode === 'off' && (route || error) && (
            <button type="button" className="ghost" onClick={() => roads.getState().clearRoute()}>
              {t('roadsUi.routeClear')}
            </button>
          )}
        </span>
      </h3>
      {mode !== 'off' && <div className="roads-pick">{hasFrom ? t('roadsUi.routePickTo') : t('roadsUi.routePickFrom')}</div>}
      {busy && <div className="roads-hint">{t('roadsUi.routeBusy')}</div>}
      {error && <div className="warn">{t('roadsUi.routeFailed', { msg: error })}</div>}
      {route && (
        <div className="roads-route-times" data-testid="roads-route-result">
          <div>
            <span className="roads-hint">{t(replaying ? 'roadsUi.routeThen' : 'roadsUi.routeNow')}</span>
            <b className={ratio > 1.5 ? 'bad' : ratio > 1.15 ? 'meh' : 'good'} data-testid="roads-route-time">
              {t('roadsUi.min', { n: Math.round(route.travelTimeS / 60) })}
            </b>
          </div>
          <div>
            <span className="roads-hint">{t('roadsUi.routeFree')}</span>
            <b>{t('roadsUi.min', { n: Math.round(route.freeFlowTimeS / 60) })}</b>
          </div>
          <div className="roads-route-delay">
            {delayMin >= 0.5 ? t('roadsUi.routeDelay', { min: Math.round(delayMin) }) : t('roadsUi.routeNoDelay')}
            <div className="roads-hint">{t('roadsUi.routeLength', { km: (route.lengthM / 1000).toFixed(1), count: route.segmentIds.length })}</div>
          </div>
        </div>
      )}
    </section>
  );
}
