/**
 * One alarm's transitions, oldest first: raised, acknowledged (by whom, with what comment), shelved
 * (why, until when), cleared, closed, escalated — from GET /api/alarms/{id}/events.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlarmRecord } from '../../contracts';
import { alarmText } from '../../domain/texts';
import { useSay, useTwin } from '../../state/react';
import { ruleTitle } from '../format';
import { fetchEvents, formatTime, type AlarmEvent } from './api';

export interface AlarmTimelineProps {
  alarm: AlarmRecord;
  /** Bumped by the drawer when the alarm list changed, so an open timeline follows new steps. */
  version: number;
  onBack(): void;
}

export function AlarmTimeline({ alarm, version, onBack }: AlarmTimelineProps) {
  const { t } = useTranslation();
  const token = useTwin((s) => s.auth?.token);
  const say = useSay();
  const [events, setEvents] = useState<AlarmEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!token) return;
    const abort = new AbortController();
    fetchEvents(token, alarm.id, abort.signal).then(
      (list) => {
        setEvents(list);
        setError(null);
      },
      (e: Error) => e.name !== 'AbortError' && setError(e.message),
    );
    return () => abort.abort();
  }, [token, alarm.id, version]);

  return (
    <div className="hist-timeline" data-testid="history-timeline" data-alarm-id={alarm.id}>
      <div className="hist-timeline-head">
        <button type="button" className="ghost" data-testid="history-back" onClick={onBack}>
          ← {t('commonUi.history.back')}
        </button>
        <span className={`sev-chip sev-${alarm.severity}`}>{t(`sev.${alarm.severity}`)}</span>
        <b>{ruleTitle(alarm.rule, t)}</b>
        <span className="muted">{alarm.deviceId ? say.device(alarm.deviceId) : alarm.siteId ? say.site(alarm.siteId) : ''}</span>
      </div>
      {alarm.message && <p className="hist-message">{alarmText(alarm, say)}</p>}
      <h3>{t('commonUi.history.timeline')}</h3>
      {error && <div className="warn">{t('commonUi.history.failed', { msg: error })}</div>}
      {events && events.length === 0 && <div className="muted">{t('commonUi.history.timelineEmpty')}</div>}
      {events && events.length > 0 && (
        <ol className="hist-steps">
          {events.map((e, i) => (
            <li key={i} className={`hist-step step-${e.action}`} data-testid="history-step" data-action={e.action} data-user={e.user ?? ''}>
              <span className="hist-dot" aria-hidden />
              <time dateTime={new Date(e.ts).toISOString()}>{formatTime(e.ts)}</time>
              <span className="hist-action">{t(`commonUi.history.action.${e.action}`, { defaultValue: e.action })}</span>
              {e.user && <span className="hist-user">{t('commonUi.history.by', { user: e.user })}</span>}
              {e.shelvedUntil ? <span className="muted">{t('commonUi.history.until', { time: formatTime(e.shelvedUntil) })}</span> : null}
              {e.comment && <span className="hist-comment">“{e.comment}”</span>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
