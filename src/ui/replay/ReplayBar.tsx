/**
 * The time cursor (issue 6): a toggle in the top bar, and while replaying a bar over the bottom of
 * the globe with the cursor's time, a range slider over the last hour (1 s steps), play / pause,
 * speed ×1 / ×10 / ×60, a jump to the start of an alarm of that hour, and the way back to live.
 * A React range slider drives the cursor (Cesium's own Timeline widget is not used).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { AlarmRecord } from '../../contracts';
import { useNow, useTwin } from '../../state/react';
import { REPLAY_SPEEDS, REPLAY_WINDOW_MS, replay } from '../../state/replay';
import './replay.css';

const pad = (n: number) => String(n).padStart(2, '0');
function clock(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The top bar's live / replay switch. */
export function ReplayToggle() {
  const { t } = useTranslation();
  const mode = useStore(replay, (s) => s.mode);
  const on = mode === 'replay';
  return (
    <button
      type="button"
      className={on ? 'ghost on' : 'ghost'}
      aria-pressed={on}
      data-testid="replay-toggle"
      data-mode={mode}
      onClick={() => (on ? replay.getState().goLive() : replay.getState().enter())}
    >
      {on ? t('commonUi.replay.live') : t('commonUi.replay.button')}
    </button>
  );
}

export function ReplayBar() {
  const mode = useStore(replay, (s) => s.mode);
  if (mode !== 'replay') return null;
  return <ReplayControls />;
}

function ReplayControls() {
  const { t } = useTranslation();
  const at = useStore(replay, (s) => s.at);
  const playing = useStore(replay, (s) => s.playing);
  const speed = useStore(replay, (s) => s.speed);
  const shownAt = useStore(replay, (s) => s.shownAt);
  const loading = useStore(replay, (s) => s.loading);
  const error = useStore(replay, (s) => s.error);
  const token = useTwin((s) => s.auth?.token ?? null);
  // The slider's window ends at the wall clock, moving once every 10 s.
  const now = useNow(10_000);
  const max = Math.floor(now / 1000);
  const min = max - REPLAY_WINDOW_MS / 1000;
  const [alarms, setAlarms] = useState<AlarmRecord[]>([]);

  useEffect(() => {
    if (!token) return;
    const ac = new AbortController();
    fetch(`/api/alarms/history?from=${Date.now() - REPLAY_WINDOW_MS}&to=${Date.now()}&limit=200`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: ac.signal,
    })
      .then((r) => (r.ok ? (r.json() as Promise<AlarmRecord[]>) : []))
      .then((list) => setAlarms(Array.isArray(list) ? list.filter((a) => a.raisedAt >= Date.now() - REPLAY_WINDOW_MS) : []))
      .catch(() => undefined);
    return () => ac.abort();
  }, [token]);

  const r = replay.getState();
  return (
    <div className="replay-bar" data-testid="replay-bar" data-playing={playing} data-shown-at={shownAt ?? ''} data-loading={loading}>
      <span className="replay-badge">{t('commonUi.replay.title')}</span>
      <time className="replay-time" data-testid="replay-time" data-at={at} dateTime={new Date(at).toISOString()}>
        {clock(at)}
      </time>
      <button type="button" className="ghost" data-testid="replay-play" aria-pressed={playing} onClick={() => (playing ? r.pause() : r.play())}>
        {playing ? t('commonUi.replay.pause') : t('commonUi.replay.play')}
      </button>
      <span className="replay-speeds" role="group" aria-label={t('commonUi.replay.speed')}>
        {REPLAY_SPEEDS.map((s) => (
          <button key={s} type="button" className={speed === s ? 'ghost on' : 'ghost'} aria-pressed={speed === s} data-testid={`replay-speed-${s}`} onClick={() => r.setSpeed(s)}>
            ×{s}
          </button>
        ))}
      </span>
      <input
        className="replay-slider"
        data-testid="replay-slider"
        type="range"
        min={min}
        max={max}
        step={1}
        value={Math.min(max, Math.max(min, Math.round(at / 1000)))}
        aria-label={t('commonUi.replay.cursor')}
        onChange={(e) => r.setAt(Number(e.target.value) * 1000)}
      />
      <select
        className="replay-jump"
        data-testid="replay-jump"
        value=""
        aria-label={t('commonUi.replay.jump')}
        onChange={(e) => {
          const a = alarms.find((x) => x.id === e.target.value);
          if (a) r.setAt(a.raisedAt);
        }}
      >
        <option value="">{t('commonUi.replay.jump')}</option>
        {alarms.map((a) => (
          <option key={a.id} value={a.id}>
            {`${clock(a.raisedAt).slice(11)} ${a.severity} ${a.message || a.rule}`}
          </option>
        ))}
      </select>
      {error && <span className="replay-error">{t('commonUi.replay.failed', { msg: error })}</span>}
      <button type="button" className="replay-live" data-testid="replay-live" onClick={() => r.goLive()}>
        {t('commonUi.replay.live')}
      </button>
    </div>
  );
}
