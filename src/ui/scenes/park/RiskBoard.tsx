/**
 * The four-colour enterprise risk board (重大 / 较大 / 一般 / 低, 应急管理部 chemical-park guide
 * 2022): how many enterprises stand at each assessed level (安全风险分区分级, from GET
 * /api/park/summary) and the list, worst first. Open alarms are drawn over the level as a badge of
 * their worst severity — they never change the level, which is an assessment, not today's state.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { RISK_LEVELS } from '../../../domain';
import { parkSummary } from '../../../state/park';
import { twin, useResource, useTwin } from '../../../state/react';
import { compareEnterprises, riskCounts } from '../../../view';
import { useGlobe } from '../../globe';

export function RiskBoard() {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  const summary = useResource(parkSummary, (s) => s.data);
  const globe = useGlobe();
  const list = useMemo(() => [...(summary?.enterprises ?? [])].sort(compareEnterprises), [summary]);
  const counts = useMemo(() => riskCounts(list), [list]);
  if (!summary) return null;
  return (
    <section className="park-card" data-testid="park-risk-board">
      <h3 className="park-card-title">{t('parkUi.risk.title')}</h3>
      <div className="risk-tiles">
        {RISK_LEVELS.map((l) => (
          <div key={l} className={`risk-tile risk-${l}${counts[l] === 0 ? ' zero' : ''}`} data-testid={`risk-count-${l}`}>
            <b>{counts[l]}</b>
            {t(`parkUi.risk.level.${l}`)}
          </div>
        ))}
      </div>
      <ul className="risk-list">
        {list.map((e) => {
          const over = e.overlay ?? null;
          return (
            <li
              key={e.id}
              className={`risk-row risk-${e.effectiveRiskLevel ?? 'none'}`}
              data-testid="risk-row"
              data-site-id={e.id}
              data-risk={e.effectiveRiskLevel ?? ''}
              data-overlay={over?.worstSeverity ?? ''}
              onClick={() => {
                twin.getState().select({ siteId: e.id, deviceId: null });
                globe?.flyToSite(e.id);
              }}
              title={over ? t('parkUi.risk.overlay', { level: t(`parkUi.risk.level.${e.riskLevel}`), sev: t(`sev.${over.worstSeverity}`) }) : undefined}
            >
              <span className="risk-swatch" aria-hidden />
              <span className="risk-name">
                {lang === 'zh' ? e.nameZh || e.name : e.name}
              </span>
              {over && <span className={`risk-overlay sev-chip sev-${over.worstSeverity}`}>{t('parkUi.risk.open', { n: over.openAlarms })}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
