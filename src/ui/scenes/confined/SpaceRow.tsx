/**
 * One space in the inspector's list: status colour and word (撤离 big and red), how many are
 * inside, the permit, and the gas grid — three levels × five channels against their limits.
 */
import { memo, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceLive, GasLevel, SpaceSummary } from '../../../contracts';
import type { TwinState } from '../../../state';
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

/** What a gas grid shows: each cell's health and value, as one comparable string. */
function gridShown(st: Pick<TwinState, 'devices' | 'live'>, byLevel: Partial<Record<GasLevel, string>>, nowMs: number): string {
  let out = '';
  for (const level of LEVELS) {
    const id = byLevel[level];
    const device = id ? st.devices.get(id) : undefined;
    const live = id ? st.live.get(id) : undefined;
    for (const q of GAS_CHANNELS) {
      const c = gasCell(device, live, q, nowMs);
      out += `${c.health}:${formatValue(q, c.value)},`;
    }
  }
  return out;
}

/**
 * The gas grid alone re-renders, not the whole row, and only when what its cells show changed: a
 * detector that reports the same values (a frame touches some detector of most rows in view at
 * city scale) costs its selector, not a render and a commit of 60 elements.
 */
const GasGrid = memo(function GasGrid({ nowMs, ...byLevel }: Partial<Record<GasLevel, string>> & { nowMs: number }) {
  const { t } = useTranslation();
  const { upper, middle, lower } = byLevel;
  // Judged again only when one of its detectors' live state is another object (each change makes
  // a new one), the clock or the registry moved: every store update runs this selector.
  const seen = useRef<{ lives: (DeviceLive | undefined)[]; devices: TwinState['devices']; nowMs: number; shown: string } | null>(null);
  const shown = useTwin((st) => {
    const lives = [upper, middle, lower].map((id) => (id ? st.live.get(id) : undefined));
    const last = seen.current;
    if (last && last.devices === st.devices && last.nowMs === nowMs && last.lives.every((l, i) => l === lives[i])) return last.shown;
    const next = gridShown(st, byLevel, nowMs);
    seen.current = { lives, devices: st.devices, nowMs, shown: next };
    return next;
  });
  // The table is a function of `shown` (and the language): the same string gives the same element.
  return useMemo(() => {
    const st = twin.getState();
    const ids: Partial<Record<GasLevel, string>> = { upper, middle, lower };
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
            const id = ids[level];
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
  }, [shown, t, upper, middle, lower]); // eslint-disable-line react-hooks/exhaustive-deps -- nowMs and the store are read through `shown`
});
