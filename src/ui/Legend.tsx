/** What the colours on the globe and in the panels mean (the four-colour risk map plus normal and grey). */
import { useTranslation } from 'react-i18next';
import { SEVERITIES } from '../contracts';

export function Legend() {
  const { t } = useTranslation();
  const items: [cls: string, label: string][] = [
    ['normal', t('legend.normal')],
    ...SEVERITIES.map((s): [string, string] => [s, t(`sev.${s}`)]),
    ['stale', t('legend.stale')],
    ['nodata', t('legend.nodata')],
  ];
  return (
    <aside className="panel legend" data-testid="legend" aria-label={t('legend.title')}>
      {items.map(([cls, label]) => (
        <span key={cls} className="legend-item">
          <span className={`swatch health-${cls}`} aria-hidden />
          {label}
        </span>
      ))}
    </aside>
  );
}
