/**
 * One camera's picture: its HLS stream played by hls.js (bundled, nothing fetched from outside; a
 * chunk of its own fetched when the first picture opens, 146 KB brotli the page no longer loads
 * before its first frame),
 * with the login token on every request to the twin's own origin (never to a media server
 * elsewhere). It says what it can show: connecting, playing live, a recorded clip at the replay
 * instant, "live only" when the stream holds no recording of that instant, "no signal" (and why,
 * as the service tells it; it keeps retrying), or that the stream kind cannot be played here.
 *
 * A recorded clip is captioned with the instant it shows. The container's `data-state` is the
 * state and `data-picture-at` that instant (epoch ms, whole seconds), for tests and the video wall.
 */
import type Hls from 'hls.js';
import type { ErrorData, LevelLoadedData } from 'hls.js';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CameraDevice } from '../../contracts';
import { clipPosition, instantAt, isSameOrigin, noSignalWhy, type NoSignalWhy, type TimelineFragment } from './clip';
import './video.css';

export type PlayerState =
  | { kind: 'loading' }
  | { kind: 'playing'; clip: boolean }
  | { kind: 'no_signal'; why: NoSignalWhy }
  | { kind: 'live_only' }
  | { kind: 'unsupported' };

export interface VideoPlayerProps {
  /** The camera: its id, names and stream. */
  camera: Pick<CameraDevice, 'id' | 'name' | 'nameZh' | 'stream'>;
  /** The login token; sent only to the twin's own origin. */
  token: string | null;
  /** The replay instant, epoch ms; absent or null plays live. */
  atMs?: number | null;
  /** Called on every change of state (the video wall counts its live tiles). */
  onState?: (state: PlayerState) => void;
}

/** Retry after "no signal", ms: the service restarts a dead encoder within seconds. */
const RETRY_MS = 10_000;
/** A starting stream is asked again sooner, ms (segments are 2 s). */
const STARTING_RETRY_MS = 2_000;
/** In replay, the picture is moved when it drifts further than this from the cursor, s. */
const SEEK_TOLERANCE_S = 2;

let hlsModule: Promise<typeof import('hls.js')> | null = null;
/** hls.js, loaded once when the first picture opens. */
const loadHls = (): Promise<typeof import('hls.js')> => (hlsModule ??= import('hls.js'));

export function VideoPlayer({ camera, token, atMs = null, onState }: VideoPlayerProps) {
  const { t, i18n } = useTranslation();
  const videoRef = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<PlayerState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [pictureAtMs, setPictureAtMs] = useState<number | null>(null);
  const fragments = useRef<readonly TimelineFragment[]>([]);
  const hlsRef = useRef<Hls | null>(null);
  const atRef = useRef(atMs);
  atRef.current = atMs;
  const replaying = atMs !== null;
  const url = 'hls' in camera.stream ? camera.stream.hls : null;

  const onStateRef = useRef(onState);
  onStateRef.current = onState;
  useEffect(() => {
    onStateRef.current?.(state);
  }, [state]);

  useEffect(() => {
    const video = videoRef.current;
    // WHEP (WebRTC) needs a client this version does not have; a browser without MSE cannot run hls.js.
    if (!video || url === null) {
      setState({ kind: 'unsupported' });
      return;
    }
    setState({ kind: 'loading' });
    fragments.current = [];
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let hls: Hls | null = null;
    const origin = window.location.origin;
    const onPlaying = () => setState({ kind: 'playing', clip: atRef.current !== null });
    const play = ({ default: HlsClass, Events }: typeof import('hls.js')): void => {
      if (cancelled) return;
      if (!HlsClass.isSupported()) {
        setState({ kind: 'unsupported' });
        return;
      }
      const player = new HlsClass({
        xhrSetup: (xhr, u) => {
          if (token && isSameOrigin(u, origin)) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
        },
        liveSyncDurationCount: 2, // two segments (4 s) behind the live edge: a camera, not a broadcast
        backBufferLength: 30,
      });
      hls = player;
      hlsRef.current = player;
      player.on(Events.LEVEL_LOADED, (_e, data: LevelLoadedData) => {
        const first = fragments.current.length === 0;
        fragments.current = data.details.fragments.map((f) => ({ start: f.start, duration: f.duration, programDateTime: f.programDateTime }));
        // Placed once on the first playlist; afterwards the picture moves only with the cursor.
        if (first && atRef.current !== null) followCursor(atRef.current);
      });
      player.on(Events.ERROR, (_e, data: ErrorData) => {
        if (!data.fatal || cancelled) return;
        cancelled = true;
        player.destroy();
        void whyNoSignal(camera.id, url, data.response?.code, token, origin).then((why) => {
          if (hlsRef.current !== player) return; // unmounted or replaced meanwhile
          setState(why === 'starting' ? { kind: 'loading' } : { kind: 'no_signal', why });
          retry = setTimeout(() => setAttempt((n) => n + 1), why === 'starting' ? STARTING_RETRY_MS : RETRY_MS);
        });
      });
      player.loadSource(new URL(url, origin).href);
      player.attachMedia(video);
      video.muted = true; // cameras have no sound worth hearing, and muted video may start by itself
      void video.play().catch(() => {});
    };
    video.addEventListener('playing', onPlaying);
    loadHls().then(play, () => {
      // The chunk did not arrive (a flaky network, the service away): said and retried as no signal.
      // The retry imports the same URL: Chromium fetches a module again after a failed fetch
      // (whatwg/html#10327; tests/e2e/video.test.ts), engines on the older rule only after a reload.
      if (cancelled) return;
      hlsModule = null;
      setState({ kind: 'no_signal', why: 'unreachable' });
      retry = setTimeout(() => setAttempt((n) => n + 1), RETRY_MS);
    });
    return () => {
      if (retry) clearTimeout(retry);
      video.removeEventListener('playing', onPlaying);
      if (!cancelled) hls?.destroy();
      cancelled = true;
      hlsRef.current = null;
    };
  }, [camera.id, url, token, replaying, attempt]);

  /**
   * In replay, shows the instant when the stream still holds it (a recorded clip), else says
   * "live only" and stops loading; back inside the window it loads and plays from there.
   */
  function followCursor(at: number): void {
    const video = videoRef.current;
    const hls = hlsRef.current;
    if (!video || !hls || fragments.current.length === 0) return;
    const pos = clipPosition(fragments.current, at);
    if (pos === null) {
      hls.stopLoad();
      video.pause();
      setState({ kind: 'live_only' });
      return;
    }
    if (video.paused || Math.abs(video.currentTime - pos) > SEEK_TOLERANCE_S) {
      hls.startLoad(pos);
      video.currentTime = pos;
      void video.play().catch(() => {});
    }
  }

  useEffect(() => {
    if (atMs !== null) followCursor(atMs);
  }, [atMs]); // eslint-disable-line react-hooks/exhaustive-deps -- followCursor reads refs only

  // The instant on screen, to the second (a re-render a second at most, not per frame).
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const onTime = () => {
      const at = instantAt(fragments.current, video.currentTime);
      setPictureAtMs(at === null ? null : Math.floor(at / 1000) * 1000);
    };
    video.addEventListener('timeupdate', onTime);
    return () => video.removeEventListener('timeupdate', onTime);
  }, []);

  const name = i18n.language === 'en' ? camera.name : camera.nameZh;
  const showVideo = state.kind === 'playing' || state.kind === 'loading';
  const clockOf = (ms: number) => new Date(ms).toLocaleTimeString(i18n.language === 'en' ? 'en-GB' : 'zh-CN');
  return (
    <figure className={`video-player video-${state.kind}`} data-testid="video-player" data-camera-id={camera.id} data-state={state.kind} data-picture-at={pictureAtMs ?? ''}>
      <video ref={videoRef} className="video-picture" muted playsInline hidden={!showVideo} aria-label={name} />
      <figcaption className="video-caption">
        <span className="video-name">{name}</span>
        {state.kind === 'playing' && (
          <span className={state.clip ? 'video-badge video-badge-clip' : 'video-badge video-badge-live'}>
            {state.clip ? (pictureAtMs === null ? t('videoUi.recorded') : t('videoUi.recordedAt', { time: clockOf(pictureAtMs) })) : t('videoUi.live')}
          </span>
        )}
      </figcaption>
      {!showVideo || state.kind === 'loading' ? (
        <div className="video-message" role="status">
          {state.kind === 'loading' && t('videoUi.connecting')}
          {state.kind === 'no_signal' && (
            <>
              <strong>{t('videoUi.noSignal')}</strong>
              <span>{t(`videoUi.why.${state.why}`)}</span>
            </>
          )}
          {state.kind === 'live_only' && (
            <>
              <strong>{t('videoUi.liveOnly')}</strong>
              <span>{t('videoUi.liveOnlyHint', { time: atMs === null ? '' : clockOf(atMs) })}</span>
            </>
          )}
          {state.kind === 'unsupported' && <span>{t('videoUi.unsupported')}</span>}
        </div>
      ) : null}
    </figure>
  );
}

/** Why a stream failed: the service's own status for its cameras; otherwise the HTTP status says what it can. */
async function whyNoSignal(cameraId: string, url: string, httpStatus: number | undefined, token: string | null, origin: string): Promise<NoSignalWhy | 'starting'> {
  if (!isSameOrigin(url, origin) || !token) return noSignalWhy(httpStatus, null);
  try {
    const res = await fetch(`/api/video/${encodeURIComponent(cameraId)}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) return noSignalWhy(res.status, null);
    const body = (await res.json()) as { state?: string; reason?: unknown };
    if (body.state === 'starting' || body.state === 'live') return 'starting';
    return noSignalWhy(httpStatus, body.reason);
  } catch {
    return 'unreachable';
  }
}
