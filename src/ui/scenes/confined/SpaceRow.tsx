/**
 * One space in the inspector's list: status colour and word (撤离 big and red), how many are
 * inside, the permit, and the gas grid — three levels × five channels against their limits.
 */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { GasLevel, SpaceSummary } from '../../../contracts';
import { twin, useSay, useTwin } from '../../../state/react';
import { formatValue, nameOf } from '../../format';
import { GAS_CHANNELS, LEVELS, detectorsByLevel, gasCell, reasonLines } from '../../../view';

interface Props {
  space: SpaceSummary;
  selected: boolean;
  nowMs: number;
  onSelect(id: string): void;
}

export const SpaceRow = memo(function SpaceRow({ space: s, selected, nowMs, onSelect }: Props) {
  const { t } = useTranslation();
  const lang = useTwin((st) => st.lang);
  const byLevel = detectorsByLevel(s);
  const st = twin.getState();
  const firstReason = reasonLines(s, useSay())[0];
  const plant = s.plantId ? st.sites.get(s.plantId) : undefined;
  const permitKey = !s.permit ? 'none' : s.permit.suspended ? 'suspended' : 'open';
  const sevClass = s.status === 'alarm' ? `sev-${s.worstSeverity ?? 'major'}` : '';

  return (
    <li
      className={`space-row status-${s.status} ${sevClass}${selected ? ' selected' : ''}`}
      data-testid="space-row"
      data-space-id={s.id}
      data-status={s.status}
      data-inside={s.inside.length}
      tabIndex={0}
      onClick={() => onSelect(s.id)}
      onKeyDown={(e) => (e.key === 'Enter' ? onSelect(s.id) : undefined)}
    >
      <div className="space-head">
        <span className="space-status" data-testid="space-status">
          {t(`confinedUi.status.${s.status}`)}
        </span>
        <span className="space-name">
          {nameOf(s, lang)}
          <span className="space-plant">{nameOf(plant, lang)}</span>
        </span>
        <span className={`space-inside${s.inside.length > 0 ? ' some' : ''}`} data-testid="space-inside">
          {s.inside.length > 0 ? (
            <>
              <b>{s.inside.length}</b>
              <span>{t('confinedUi.insideUnit')}</span>
            </>
          ) : (
            <span className="muted">{t('confinedUi.nobody')}</span>
          )}
        </span>
      </div>
      <div className="space-meta">
        <span className={`permit permit-${permitKey}`}>{t(`confinedUi.permit.${permitKey}`)}</span>
        {firstReason && (
          <span className="space-reason" title={firstReason}>
            {firstReason}
          </span>
        )}
      </div>
      <GasGrid upper={byLevel.upper} middle={byLevel.middle} lower={byLevel.lower} nowMs={nowMs} />
    </li>
  );
});

/**
 * The gas grid alone re-renders when one of its own detectors reports (its slice of the live store),
 * not the whole row: at city scale a frame touches some detector of most rows in view.
 */
const GasGrid = memo(function GasGrid({ nowMs, ...byLevel }: Partial<Record<GasLevel, string>> & { nowMs: number }) {
  const { t } = useTranslation();
  useTwin((st) => st.devices); // a registry change (new limits) redraws the cells too
  useTwin((st) =>
    LEVELS.map((l) => {
      const live = byLevel[l] ? st.live.get(byLevel[l]!) : undefined;
      return live ? `${live.ts}:${live.status ?? ''}` : '';
    }).join(),
  );
  const st = twin.getState();
  return (
    <table className="gas-grid" aria-label="gas">
      <thead>
        <tr>
          <th />
          {GAS_CHANNELS.map((q) => (
            <th key={q}>{t(`confinedUi.qShort.${q}`)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {LEVELS.map((level) => {
          const id = byLevel[level];
          const device = id ? st.devices.get(id) : undefined;
          const live = id ? st.live.get(id) : undefined;
          return (
            <tr key={level} data-level={level}>
              <th>{t(`confinedUi.levelShort.${level}`)}</th>
              {GAS_CHANNELS.map((q) => {
                const c = gasCell(device, live, q, nowMs);
                return (
                  <td key={q} className={`gas health-${c.health}`} data-quantity={q} data-health={c.health}>
                    {formatValue(q, c.value)}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
});
