/**
 * The camera beside the globe (视频联动): opened by an alarm with cameras (its cameras nearest
 * first, one playing, the others a click away), by a click on a camera's cone or point, or by
 * itself for a new critical alarm when the operator asked for that (only an alarm of the scene on
 * screen, and of the operator's role). In replay the player shows
 * the recorded instant when the stream holds it, else "live only". A video detection's snapshot
 * is shown under the picture.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { isCamera, isValidCamera, type CameraDevice } from '../../contracts';
import { alarmText } from '../../domain/texts';
import { twin, useReplayAt, useSay, useTwin } from '../../state/react';
import { criticalToPopUp, video } from '../../state/video';
import { nameOf, ruleTitle } from '../format';
import { VideoPlayer } from './VideoPlayer';
import { isSameOrigin } from './clip';
import './video.css';

/** Follows the session: whose choices, camera clicks, and critical alarms that pop their camera up. */
function useVideoLinkage(): void {
  const user = useTwin((s) => s.auth?.username ?? null);
  const selected = useTwin((s) => s.selectedDeviceId);
  const alarmsVersion = useTwin((s) => s.alarmsVersion);
  const popup = useStore(video, (s) => s.popupCritical);
  const seen = useRef(new Set<string>());
  const since = useRef(Date.now());
  useEffect(() => video.getState().useUser(user), [user]);
  useEffect(() => {
    const d = selected ? twin.getState().devices.get(selected) : undefined;
    // A camera's own alarm selects the camera too: its dock, with the alarm's other cameras, stays.
    if (d && isCamera(d) && !video.getState().dock?.cameraIds.includes(d.id)) video.getState().openCameras([d.id]);
  }, [selected]);
  useEffect(() => {
    const { alarms, view, auth } = twin.getState();
    const a = criticalToPopUp(alarms.values(), seen.current, popup, since.current, { view, role: auth?.role ?? null });
    if (a?.cameraIds) video.getState().openCameras(a.cameraIds, a.id);
  }, [alarmsVersion, popup]);
}

export function VideoDock() {
  useVideoLinkage();
  const { t } = useTranslation();
  const dock = useStore(video, (s) => s.dock);
  const popup = useStore(video, (s) => s.popupCritical);
  const lang = useTwin((s) => s.lang);
  const view = useTwin((s) => s.view);
  const wallOpen = useStore(video, (s) => s.wallScene !== null && s.wallScene === view);
  const token = useTwin((s) => s.auth?.token ?? null);
  const devices = useTwin((s) => s.devices);
  const alarm = useTwin((s) => (dock?.alarmId ? s.alarms.get(dock.alarmId) : undefined));
  const atMs = useReplayAt();
  const say = useSay();
  const cameras = useMemo(
    () => (dock?.cameraIds ?? []).map((id) => devices.get(id)).filter((d): d is CameraDevice => d !== undefined && isValidCamera(d)),
    [dock, devices],
  );
  if (!dock || cameras.length === 0) return null;
  const shown = cameras.find((c) => c.id === dock.shown) ?? cameras[0];
  const snapshot = alarm?.detail?.params.snapshotUrl;

  return (
    <section className={wallOpen ? 'panel video-dock with-wall' : 'panel video-dock'} data-testid="video-dock" data-alarm-id={dock.alarmId ?? ''} aria-label={t('videoUi.dockTitle')}>
      <header className="panel-head video-dock-head">
        <div className="video-dock-title">
          <h2>{alarm ? ruleTitle(alarm.rule, t) : t('videoUi.dockTitle')}</h2>
          {alarm && <div className="video-dock-sub">{alarmText(alarm, say)}</div>}
        </div>
        <button type="button" className="close" aria-label={t('videoUi.close')} data-testid="video-dock-close" onClick={() => video.getState().closeDock()}>
          ×
        </button>
      </header>
      <VideoPlayer key={shown.id} camera={shown} token={token} atMs={atMs} />
      {cameras.length > 1 && (
        <div className="video-tabs" role="tablist" aria-label={t('videoUi.camerasOfAlarm')}>
          {cameras.map((c) => (
            <button
              key={c.id}
              type="button"
              role="tab"
              aria-selected={c.id === shown.id}
              className={c.id === shown.id ? 'video-tab active' : 'video-tab'}
              data-testid="video-tab"
              title={c.id}
              onClick={() => video.getState().show(c.id)}
            >
              {nameOf(c, lang)}
            </button>
          ))}
        </div>
      )}
      {typeof snapshot === 'string' && <Snapshot url={snapshot} token={token} />}
      <label className="video-popup-pref">
        <input type="checkbox" checked={popup} data-testid="video-popup-critical" onChange={(e) => video.getState().setPopupCritical(e.target.checked)} />
        {t('videoUi.popupCritical')}
      </label>
    </section>
  );
}

/**
 * A video-AI box's snapshot. On the twin's own origin it is fetched with the login (an <img> cannot
 * send it) and shown from a blob; elsewhere the page policy loads no outside image, so it is a link.
 */
function Snapshot({ url, token }: { url: string; token: string | null }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string | null>(null);
  const own = isSameOrigin(url, window.location.origin);
  useEffect(() => {
    if (!own) return;
    let objectUrl: string | null = null;
    let cancelled = false;
    void fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} })
      .then((r) => (r.ok ? r.blob() : null))
      .then((b) => {
        if (!b || cancelled) return;
        objectUrl = URL.createObjectURL(b);
        setSrc(objectUrl);
      })
      .catch(() => {});
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url, token, own]);
  if (!own) {
    return (
      <a className="video-snapshot-link" href={url} target="_blank" rel="noopener noreferrer" data-testid="video-snapshot">
        {t('videoUi.openSnapshot')}
      </a>
    );
  }
  return (
    <figure className="video-snapshot" data-testid="video-snapshot">
      {src ? <img src={src} alt={t('videoUi.snapshot')} /> : null}
      <figcaption>{t('videoUi.snapshot')}</figcaption>
    </figure>
  );
}
