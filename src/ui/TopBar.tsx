/** Product name, scene tabs, language, connection, user and clock: everything an operator checks at a glance. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { SCENES } from '../contracts';
import { alarmCountsByScene, type View } from '../state';
import { twin, useTwin, useWallNow } from '../state/react';
import { ConnectionBadge } from './ConnectionBadge';
import { useGlobe } from './globe';
import { ToolButtons } from './history/ToolButtons';
import { LangToggle } from './LangToggle';
import { ReplayToggle } from './replay/ReplayBar';
import { AccountButtons } from './admin/TopBarAdmin';
import { VideoWallToggle } from './video/VideoWall';

const VIEWS: View[] = ['overview', ...SCENES];

export function TopBar() {
  const { t } = useTranslation();
  const view = useTwin((s) => s.view);
  const alarmsVersion = useTwin((s) => s.alarmsVersion);
  const globe = useGlobe();
  // `alarms` is mutated in place: its version counter says when to recount.
  const counts = useMemo(() => alarmCountsByScene(twin.getState().alarms), [alarmsVersion]);

  const go = (v: View) => {
    twin.getState().setView(v);
    globe?.flyToView(v);
  };

  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-name">{t('app.name')}</span>
        <span className="brand-sub">{t('app.subtitle')}</span>
      </div>
      <nav className="scene-tabs" role="tablist">
        {VIEWS.map((v) => {
          const n = v === 'overview' ? SCENES.reduce((sum, s) => sum + counts[s], 0) : counts[v];
          return (
            <button
              key={v}
              type="button"
              role="tab"
              aria-selected={view === v}
              className={view === v ? 'tab active' : 'tab'}
              data-testid={`scene-tab-${v}`}
              title={t(`viewPlace.${v}`)}
              onClick={() => go(v)}
            >
              {t(`view.${v}`)}
              {n > 0 && <span className="tab-count">{n}</span>}
            </button>
          );
        })}
      </nav>
      <div className="topbar-right">
        <ReplayToggle />
        <ToolButtons />
        <VideoWallToggle />
        <ConnectionBadge />
        <LangToggle />
        <AccountButtons />
        <Clock />
      </div>
    </header>
  );
}

/** Local wall-clock time; its own component so the tick re-renders only this. */
function Clock() {
  const now = useWallNow(1000);
  const d = new Date(now);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    <time className="clock" dateTime={d.toISOString()}>
      <span className="clock-date">{`${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`}</span>
      <span className="clock-time">{`${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`}</span>
    </time>
  );
}
