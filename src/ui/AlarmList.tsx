/**
 * The alarm centre of the current view (every scene in the overview): counts per severity, a flood
 * warning, and the open alarms worst first, newest first within a severity.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { SEVERITIES } from '../contracts';
import { isFlood } from '../domain';
import { alarmsInView, severityCounts } from '../state';
import { twin, useNow, useTwin } from '../state/react';
import { AlarmRow } from './AlarmRow';

export function AlarmList() {
  const { t } = useTranslation();
  const view = useTwin((s) => s.view);
  const alarmsVersion = useTwin((s) => s.alarmsVersion);
  // `alarms` is mutated in place: its version counter says when to re-derive.
  const list = useMemo(() => alarmsInView(twin.getState().alarms, view), [alarmsVersion, view]);
  const counts = useMemo(() => severityCounts(list), [list]);
  const now = useNow(5000);
  const flooded = isFlood(
    list.map((a) => a.raisedAt),
    now,
  );

  return (
    <section className="panel alarm-panel" data-testid="alarm-list" aria-label={t('alarms.title')}>
      <header className="panel-head">
        <h2>
          {t('alarms.title')}
          <span className="panel-sub">{t(`view.${view}`)}</span>
        </h2>
        <div className="sev-counts">
          {SEVERITIES.map((s) => (
            <span key={s} className={`sev-count sev-${s}${counts[s] === 0 ? ' zero' : ''}`} data-testid={`alarm-count-${s}`}>
              <b>{counts[s]}</b>
              {t(`sev.${s}`)}
            </span>
          ))}
        </div>
      </header>
      {flooded && (
        <div className="flood" data-testid="alarm-flood" role="alert">
          {t('alarms.flood', { n: list.length })}
        </div>
      )}
      {list.length === 0 ? (
        <div className="empty" data-testid="alarm-empty">
          {t('alarms.empty')}
        </div>
      ) : (
        <ol className="alarm-rows">
          {list.map((a) => (
            <AlarmRow key={a.id} alarm={a} />
          ))}
        </ol>
      )}
    </section>
  );
}
