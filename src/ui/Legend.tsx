/**
 * What the colours on the globe and in the panels mean: the alarm colours (the four-colour risk map
 * plus normal and grey) and, in the road view, the five congestion levels as road stripes — a
 * separate scale, so a jammed road is never read as an alarm severity.
 */
import { useTranslation } from 'react-i18next';
import { SEVERITIES } from '../contracts';
import { useTwin } from '../state/react';
import { LEVEL_CSS, UNKNOWN_LEVEL_CSS } from '../view';

const LEVELS = [1, 2, 3, 4, 5] as const;

export function Legend() {
  const { t } = useTranslation();
  const roads = useTwin((s) => s.view) === 'roads';
  const items: [cls: string, label: string][] = [
    ['normal', t('legend.normal')],
    ...SEVERITIES.map((s): [string, string] => [s, t(`sev.${s}`)]),
    ['stale', t('legend.stale')],
    ['nodata', t('legend.nodata')],
  ];
  return (
    <aside className="panel legend" data-testid="legend" aria-label={t('legend.title')}>
      {roads && (
        <div className="legend-group" data-testid="legend-congestion">
          <span className="legend-head">{t('legend.congestion')}</span>
          {LEVELS.map((l) => (
            <span key={l} className="legend-item" data-level={l}>
              <span className="swatch-road" style={{ background: LEVEL_CSS[l] }} aria-hidden />
              {t(`roadsUi.level.${l}`)}
            </span>
          ))}
          <span className="legend-item" data-level="unknown">
            <span className="swatch-road" style={{ background: UNKNOWN_LEVEL_CSS }} aria-hidden />
            {t('roadsUi.level.unknown')}
          </span>
        </div>
      )}
      <div className="legend-group">
        {roads && <span className="legend-head">{t('legend.alarms')}</span>}
        {items.map(([cls, label]) => (
          <span key={cls} className="legend-item">
            <span className={`swatch health-${cls}`} aria-hidden />
            {label}
          </span>
        ))}
      </div>
    </aside>
  );
}
