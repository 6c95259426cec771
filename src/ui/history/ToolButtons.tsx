/** The top bar's tool buttons: alarm history, measurement, critical-alarm alerts (bell) and the sound mute. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { enableAlerts } from './alerts';
import { tools, useTools } from './tools';

export function ToolButtons() {
  const { t } = useTranslation();
  const historyOpen = useTools((s) => s.historyOpen);
  const measureOpen = useTools((s) => s.measureOpen);
  const muted = useTools((s) => s.muted);
  const alertsOn = useTools((s) => s.alertsOn);
  const alertCount = useTools((s) => s.alertCount);
  // Read once (a lazy initial state): Notification.permission asks the browser process synchronously,
  // and the top bar re-renders with every alarm change (up to 54 ms of a 10-s stream at 25,000 devices).
  const [permission, setPermission] = useState<string>(() => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission));

  const bell = async () => {
    const p = await enableAlerts();
    setPermission(p);
    tools.getState().set({ alertsOn: true, muted: false });
  };
  const bellTitle = !alertsOn ? t('commonUi.notify.enable') : permission === 'denied' ? t('commonUi.notify.denied') : t('commonUi.notify.on');

  return (
    <span className="tool-buttons">
      <button type="button" className={historyOpen ? 'ghost on' : 'ghost'} aria-pressed={historyOpen} data-testid="history-open" onClick={() => tools.getState().set({ historyOpen: !historyOpen })}>
        {t('commonUi.history.button')}
      </button>
      <button type="button" className={measureOpen ? 'ghost on' : 'ghost'} aria-pressed={measureOpen} data-testid="measure-open" onClick={() => tools.getState().set({ measureOpen: !measureOpen })}>
        {t('commonUi.measure.button')}
      </button>
      <button
        type="button"
        className={alertsOn ? 'ghost on' : 'ghost'}
        aria-label={t('commonUi.notify.bell')}
        title={bellTitle}
        data-testid="alerts-bell"
        data-alerts={alertCount}
        data-permission={permission}
        onClick={() => void bell()}
      >
        <Icon d={BELL} />
      </button>
      <button
        type="button"
        className="ghost"
        aria-pressed={muted}
        aria-label={muted ? t('commonUi.notify.unmute') : t('commonUi.notify.mute')}
        title={muted ? t('commonUi.notify.unmute') : t('commonUi.notify.mute')}
        data-testid="alerts-mute"
        onClick={() => tools.getState().set({ muted: !muted })}
      >
        <Icon d={muted ? SPEAKER_OFF : SPEAKER} />
      </button>
    </span>
  );
}

/** 24-px stroke icons (no emoji: a control-room PC may have no colour-emoji font). */
const BELL = 'M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0';
const SPEAKER = 'M4 9h4l5-4v14l-5-4H4zM16 9a4 4 0 0 1 0 6M18.5 6.5a8 8 0 0 1 0 11';
const SPEAKER_OFF = 'M4 9h4l5-4v14l-5-4H4zM16 9l6 6M22 9l-6 6';

function Icon({ d }: { d: string }) {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d={d} />
    </svg>
  );
}
