/**
 * The four-colour enterprise risk board (重大 / 较大 / 一般 / 低, 应急管理部 chemical-park guide
 * 2022): how many enterprises stand at each assessed level (安全风险分区分级, from GET
 * /api/park/summary) and the list, worst first. Open alarms are drawn over the level as a badge of
 * their worst severity — they never change the level, which is an assessment, not today's state.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { RiskLevel } from '../../../contracts';
import { RISK_INFO, RISK_LEVELS } from '../../../domain';
import { parkStore } from '../../../state/park';
import { twin } from '../../../state/react';
import { useGlobe } from '../../globe';
import { useTwin } from '../../../state/react';

export function RiskBoard() {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  const summary = useStore(parkStore, (s) => s.summary);
  const globe = useGlobe();
  const list = useMemo(() => {
    const rank = (l: RiskLevel | null) => (l ? RISK_INFO[l].rank : 9);
    return [...(summary?.enterprises ?? [])].sort(
      (a, b) => rank(a.effectiveRiskLevel) - rank(b.effectiveRiskLevel) || b.openAlarms.total - a.openAlarms.total || a.id.localeCompare(b.id),
    );
  }, [summary]);
  const counts = useMemo(() => {
    const c: Record<RiskLevel, number> = { red: 0, orange: 0, yellow: 0, blue: 0 };
    for (const e of list) if (e.effectiveRiskLevel) c[e.effectiveRiskLevel]++;
    return c;
  }, [list]);
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
