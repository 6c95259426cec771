/**
 * Who is inside the confined spaces now (or at the replayed instant): each occupied space with its
 * attendant at the opening, and each person's name, role and time inside — marked past the space's
 * limit (the `overstay` alarm's `maxInsideMin`). A click on a space selects it. Names and roles come
 * from the registry's roster; a badge not on it shows as its id, so it stands out.
 */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { SpaceSummary } from '../../../contracts';
import { useSay, useTwin } from '../../../state/react';
import { clockTime, nameOf } from '../../format';
import './roster.css';

/** "45 min", "2 h 05 min": how long someone has been inside. */
export function insideFor(ms: number, t: TFunction): string {
  const total = Math.max(0, Math.floor(ms / 60_000));
  if (total < 60) return t('confinedUi.roster.minutes', { m: total });
  return t('confinedUi.roster.hours', { h: Math.floor(total / 60), m: String(total % 60).padStart(2, '0') });
}

/** Whether a person has been inside longer than the space allows. */
export function overLimit(s: Pick<SpaceSummary, 'enteredAt' | 'maxInsideMin'>, personId: string, nowMs: number): boolean {
  const at = s.enteredAt[personId];
  return at !== undefined && s.maxInsideMin !== undefined && nowMs - at > s.maxInsideMin * 60_000;
}

export function Roster({ spaces, nowMs, replayAt, onSelect }: { spaces: SpaceSummary[]; nowMs: number; replayAt: number | null; onSelect: (id: string) => void }) {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  const persons = useTwin((s) => s.persons);
  const say = useSay();
  const occupied = spaces.filter((s) => s.inside.length > 0);
  if (occupied.length === 0) return null;
  const total = occupied.reduce((n, s) => n + s.inside.length, 0);
  return (
    <details className="roster" open data-testid="roster">
      <summary>
        {replayAt === null ? t('confinedUi.roster.title') : t('confinedUi.roster.titleAt', { time: clockTime(replayAt) })} <b className="big-count">{total}</b>
      </summary>
      <ul className="roster-spaces">
        {occupied.map((s) => (
          <li key={s.id} className={`roster-space status-${s.status}`} data-testid="roster-space" data-space-id={s.id}>
            <div className="roster-space-head">
              <button type="button" className="roster-space-name" onClick={() => onSelect(s.id)}>
                {nameOf(s, lang)}
              </button>
              <span className="roster-attendant">{s.attendant ? t('confinedUi.roster.attendant', { name: say.person(s.attendant) }) : t('confinedUi.roster.noAttendant')}</span>
            </div>
            <ul className="roster-people">
              {s.inside.map((p) => {
                const over = overLimit(s, p, nowMs);
                const at = s.enteredAt[p];
                return (
                  <li key={p} className={`roster-person${over ? ' over' : ''}`} data-testid="roster-person" data-person-id={p} data-over={over}>
                    <b className="roster-name">{say.person(p)}</b>
                    <span className="roster-role">{t(`confinedUi.roster.role.${persons.get(p)?.role ?? 'unknown'}`)}</span>
                    <span className="roster-time" title={over && s.maxInsideMin ? t('confinedUi.detail.overLimit', { limit: s.maxInsideMin }) : undefined}>
                      {at !== undefined ? insideFor(nowMs - at, t) : '—'}
                      {over && ' ⚠'}
                    </span>
                  </li>
                );
              })}
            </ul>
          </li>
        ))}
      </ul>
    </details>
  );
}
