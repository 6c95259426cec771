/** One alarm: severity bar, what and where, value against threshold, age, state, and the ack button. */
import { memo, useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isUnacked, type AlarmRecord } from '../contracts';
import { ruleQuantity } from '../state';
import { alarmText } from '../domain/texts';
import { twin, useNow, useSay, useTwin } from '../state/react';
import { ackAlarm } from './ackAlarm';
import { formatAge, liveBeside, nameOf, ruleTitle, valueVsThreshold } from './format';
import { useGlobe } from './globe';
import { useAlarmActions } from './useAlarmActions';
import { video } from '../state/video';

export const AlarmRow = memo(function AlarmRow({ alarm: a }: { alarm: AlarmRecord }) {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  const device = useTwin((s) => (a.deviceId ? s.devices.get(a.deviceId) : undefined));
  const site = useTwin((s) => (a.siteId ? s.sites.get(a.siteId) : undefined));
  const selected = useTwin((s) => a.deviceId !== null && s.selectedDeviceId === a.deviceId);
  const globe = useGlobe();
  const now = useNow(5000);
  const [busy, setBusy] = useState(false);

  const { allowed, why } = useAlarmActions(a.scene);
  const say = useSay();
  const text = alarmText(a, say);
  const threshold = ruleQuantity(a.rule) !== null;
  // A threshold alarm's sentence is its value line; other rules' sentences say their numbers with units.
  const vs = threshold || !a.detail ? valueVsThreshold(a, t) : null;
  const q = ruleQuantity(a.rule)?.quantity;
  const liveValue = useTwin((s) => (a.deviceId && q ? (s.live.get(a.deviceId)?.values as Record<string, number> | undefined)?.[q] : undefined));
  const now_ = liveBeside(a, liveValue, t);

  const focus = () => {
    twin.getState().select({ deviceId: a.deviceId, siteId: a.siteId });
    // Opening an alarm opens the cameras that see it, beside the globe (视频联动).
    if (a.cameraIds?.length) video.getState().openCameras(a.cameraIds, a.id);
    if (a.deviceId) globe?.flyToDevice(a.deviceId);
    else if (a.siteId) globe?.flyToSite(a.siteId);
  };
  const ack = async (e: MouseEvent) => {
    e.stopPropagation(); // acknowledging is not selecting
    setBusy(true);
    await ackAlarm(a.id);
    setBusy(false);
  };

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
