/**
 * The time cursor: a toggle in the top bar, and while replaying a bar over the bottom of
 * the globe with the cursor's time, a range slider over the last hour (1 s steps), play / pause,
 * speed ×1 / ×10 / ×60, a jump to the start of an alarm of that hour, and the way back to live.
 * Cesium's own Timeline widget, bound to a Cesium Clock over the last hour, is the main cursor
 * control: scrubbing it sets the cursor; while playing a requestAnimationFrame loop ticks the clock
 * (multiplier = speed) and moves the cursor (every PLAY_PUSH_MS, so each position is fetched), and
 * any other cursor change (slider, alarm jump) moves the clock. The range slider stays as the
 * keyboard control.
 */
import { Clock, ClockRange, ClockStep, JulianDate, Timeline } from 'cesium';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { SEVERITIES, type AlarmRecord, type Severity } from '../../contracts';
import { api } from '../../live';
import { jumpAlarms } from '../../state';
import { useSay, useTwin, useWallNow } from '../../state/react';
import { ruleTitle } from '../format';
import { REPLAY_SPEEDS, REPLAY_WINDOW_MS, replay, setExternalPlayDriver } from '../../state/replay';
import './replay.css';

const pad = (n: number) => String(n).padStart(2, '0');
/** While playing, the clock's time becomes the cursor this often (ms of wall time): each is fetched. */
const PLAY_PUSH_MS = 500;

function clock(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Public members of Cesium's Timeline that its type declarations leave out. */
type TimelineWidget = Timeline & {
  makeLabel(t: JulianDate): string;
  addEventListener(type: string, listener: (e: Event) => void, useCapture?: boolean): void;
  updateFromClock(): void;
};

/** Cesium's Timeline over the last hour, bound to a Clock that follows and drives the replay cursor. */
function CesiumTimeline() {
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    const wall = Date.now();
    const start = replay.getState();
    const clk = new Clock({
      startTime: JulianDate.fromDate(new Date(wall - REPLAY_WINDOW_MS)),
      stopTime: JulianDate.fromDate(new Date(wall)),
      currentTime: JulianDate.fromDate(new Date(start.at)),
      clockRange: ClockRange.CLAMPED,
      clockStep: ClockStep.SYSTEM_CLOCK_MULTIPLIER,
      multiplier: start.speed,
      shouldAnimate: false,
    });
    const timeline = new Timeline(el, clk) as TimelineWidget;
    // Local 24-hour time, as the rest of the app reads it (Cesium's default is UTC with month names).
    timeline.makeLabel = (t: JulianDate) => clock(JulianDate.toDate(t).getTime()).slice(11);
    timeline.zoomTo(clk.startTime, clk.stopTime);
    const onSetTime = (e: Event) => {
      const t = (e as Event & { timeJulian?: JulianDate }).timeJulian;
      if (!t) return;
      clk.currentTime = JulianDate.clone(t);
      replay.getState().setAt(JulianDate.toDate(t).getTime());
    };
    timeline.addEventListener('settime', onSetTime, false);
    el.dataset.ready = 'true';

    // Any other cursor change (slider, jump, a clamp) moves the clock and its needle.
    const unsubscribe = replay.subscribe((r, prev) => {
      if (r.at !== prev.at && Math.abs(JulianDate.toDate(clk.currentTime).getTime() - r.at) > 1) {
        clk.currentTime = JulianDate.fromDate(new Date(r.at));
        timeline.updateFromClock();
      }
    });

    setExternalPlayDriver(true);
    let raf = 0;
    let lastPush = performance.now();
    let lastZoom = wall;
    const frame = () => {
      raf = requestAnimationFrame(frame);
      const r = replay.getState();
      const now = Date.now();
      // The window ends at the wall clock; the timeline's scale follows it every 10 s.
      JulianDate.fromDate(new Date(now - REPLAY_WINDOW_MS), clk.startTime);
      JulianDate.fromDate(new Date(now), clk.stopTime);
      if (now - lastZoom >= 10_000) {
        lastZoom = now;
        timeline.zoomTo(clk.startTime, clk.stopTime);
      }
      if (clk.shouldAnimate !== r.playing) {
        clk.shouldAnimate = r.playing;
        lastPush = performance.now();
      }
      clk.multiplier = r.speed;
      clk.tick();
      if (!r.playing) return;
      const ms = JulianDate.toDate(clk.currentTime).getTime();
      if (ms >= now - 1000) {
        r.setAt(now);
        r.pause();
      } else if (performance.now() - lastPush >= PLAY_PUSH_MS) {
        lastPush = performance.now();
        r.setAt(ms);
      }
    };
    raf = requestAnimationFrame(frame);
    const onResize = () => timeline.resize();
    window.addEventListener('resize', onResize);
    timeline.resize();

    return () => {
      cancelAnimationFrame(raf);
      window.removeEventListener('resize', onResize);
      unsubscribe();
      setExternalPlayDriver(false);
      timeline.destroy();
    };
  }, []);
  return <div className="replay-timeline" data-testid="replay-timeline" ref={holder} />;
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
  const now = useWallNow(10_000);
  const max = Math.floor(now / 1000);
  const min = max - REPLAY_WINDOW_MS / 1000;
  const [alarms, setAlarms] = useState<AlarmRecord[]>([]);
  const say = useSay();
  const view = useTwin((s) => s.view);
  const [minSev, setMinSev] = useState<Severity>('warning');
  // The jump list: the current scene's alarms (all scenes in the overview) at or above a severity, named.
  const jumpList = jumpAlarms(alarms, view, minSev);

  useEffect(() => {
    if (!token) return;
    const ac = new AbortController();
    // The jump list is a shortcut: without it the cursor and the timeline still work.
    api
      .fetchAlarmHistory(token, `from=${Date.now() - REPLAY_WINDOW_MS}&to=${Date.now()}&limit=200`, ac.signal)
      .then((list) => setAlarms(list.filter((a) => a.raisedAt >= Date.now() - REPLAY_WINDOW_MS)))
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
      <CesiumTimeline />
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
        className="replay-jump-severity"
        data-testid="replay-jump-severity"
        value={minSev}
        aria-label={t('commonUi.replay.jumpSeverity')}
        onChange={(e) => setMinSev(e.target.value as Severity)}
      >
        {SEVERITIES.map((s) => (
          <option key={s} value={s}>
            {s === 'warning' ? t('commonUi.replay.jumpAll') : t('commonUi.replay.jumpAtLeast', { sev: t(`sev.${s}`) })}
          </option>
        ))}
      </select>
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
        {jumpList.map((a) => (
          <option key={a.id} value={a.id}>
            {`${clock(a.raisedAt).slice(11)} ${t(`sev.${a.severity}`)} ${ruleTitle(a.rule, t)} · ${a.deviceId ? say.device(a.deviceId) : a.siteId ? say.site(a.siteId) : ''}`}
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
