/** One alarm: severity bar, what and where, value against threshold, age, state, and the ack button. */
import { memo } from 'react';
import { isUnacked, type AlarmRecord } from '../contracts';
import { useTwin } from '../state/react';
import { formatAge, nameOf, ruleTitle } from './format';
import { useAlarmRow } from './useAlarmRow';

export const AlarmRow = memo(function AlarmRow({ alarm: a }: { alarm: AlarmRecord }) {
  const { t, lang, device, site, now, busy, allowed, why, text, threshold, vs, liveNow: now_, focus, ack } = useAlarmRow(a);
  const selected = useTwin((s) => a.deviceId !== null && s.selectedDeviceId === a.deviceId);

  return (
    <li
      className={`alarm-row sev-${a.severity} state-${a.state}${selected ? ' selected' : ''}`}
      data-testid="alarm-row"
      data-alarm-id={a.id}
      data-device-id={a.deviceId ?? ''}
      data-rule={a.rule}
      data-state={a.state}
      data-severity={a.severity}
      title={text || undefined}
      tabIndex={0}
      onClick={focus}
      onKeyDown={(e) => (e.key === 'Enter' ? focus() : undefined)}
    >
      <span className="sev-bar" aria-hidden />
      <div className="alarm-body">
        <div className="alarm-line1">
          <span className={`sev-chip sev-${a.severity}`}>{t(`sev.${a.severity}`)}</span>
          <span className="alarm-title">{ruleTitle(a.rule, t)}</span>
          <span className="alarm-age" title={new Date(a.raisedAt).toLocaleString()}>
            {formatAge(now - a.raisedAt, t)}
          </span>
        </div>
        <div className="alarm-where">
          {[nameOf(device, lang), nameOf(site, lang)].filter(Boolean).join(' · ') || a.deviceId || a.siteId || a.scene}
        </div>
        {vs && (
          <div className="alarm-value" data-testid="alarm-value">
            <span className="alarm-raised">
              {now_ ? <span className="muted">{t('alarms.atRaise')} </span> : null}
              {vs}
            </span>
            {now_ && (
              <span className="alarm-live" data-testid="alarm-live">
                {' '}
                · {now_}
              </span>
            )}
          </div>
        )}
        {text && !threshold && <div className="alarm-msg">{text}</div>}
        <div className="alarm-foot">
          <span className={`alarm-state state-${a.state}`}>{t(`alarmState.${a.state}`)}</span>
          {a.cameraIds?.length ? (
            <span className="muted alarm-cameras" data-testid="alarm-cameras">
              {t('videoUi.cameraCount', { count: a.cameraIds.length })}
            </span>
          ) : null}
          {a.ackedBy && !isUnacked(a) && <span className="muted">{t('alarms.ackedBy', { user: a.ackedBy })}</span>}
          {isUnacked(a) && (
            <>
              <button
                type="button"
                className="ack"
                data-testid="alarm-ack"
                disabled={!allowed || busy}
                title={why}
                onClick={ack}
              >
                {busy ? t('alarms.acking') : t('alarms.ack')}
              </button>
              {why && <span className="muted why">{why}</span>}
            </>
          )}
        </div>
      </div>
    </li>
  );
});
