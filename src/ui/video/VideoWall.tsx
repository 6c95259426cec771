/**
 * The per-scene video wall: 2 × 2 tiles, each showing the camera the operator chose for it from the
 * scene's cameras (remembered per user, see state/video.ts). The toggle sits in the top bar and is
 * there only in a scene, whose cameras the wall shows.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { isValidCamera, type CameraDevice, type Scene } from '../../contracts';
import { useReplayAt, useTwin } from '../../state/react';
import { WALL_TILES, video } from '../../state/video';
import { nameOf } from '../format';
import { VideoPlayer } from './VideoPlayer';
import './video.css';

function useSceneCameras(scene: Scene | null): CameraDevice[] {
  const devices = useTwin((s) => s.devices);
  return useMemo(() => [...devices.values()].filter((d): d is CameraDevice => isValidCamera(d) && d.scene === scene), [devices, scene]);
}

export function VideoWallToggle() {
  const { t } = useTranslation();
  const view = useTwin((s) => s.view);
  const open = useStore(video, (s) => s.wallScene);
  const scene = view === 'overview' ? null : view;
  const cameras = useSceneCameras(scene);
  if (!scene || cameras.length === 0) return null;
  const on = open === scene;
  return (
    <button
      type="button"
      className={on ? 'ghost on' : 'ghost'}
      aria-pressed={on}
      data-testid="video-wall-toggle"
      onClick={() => video.getState().openWall(on ? null : scene)}
    >
      {t('videoUi.wall')}
    </button>
  );
}

export function VideoWall() {
  const { t } = useTranslation();
  const view = useTwin((s) => s.view);
  const open = useStore(video, (s) => s.wallScene);
  const scene = open !== null && open === view ? open : null;
  const tiles = useStore(video, (s) => (scene ? s.wall[scene] : null));
  const cameras = useSceneCameras(scene);
  const lang = useTwin((s) => s.lang);
  const token = useTwin((s) => s.auth?.token ?? null);
  const atMs = useReplayAt();
  // With the camera dock open the wall leaves it the bottom strip (video.css): neither covers the other.
  const docked = useStore(video, (s) => s.dock !== null);
  if (!scene || !tiles) return null;
  const byId = new Map(cameras.map((c) => [c.id, c]));
  return (
    <section className={docked ? 'panel video-wall with-dock' : 'panel video-wall'} data-testid="video-wall" data-scene={scene} aria-label={t('videoUi.wallTitle', { scene: t(`view.${scene}`) })}>
      <header className="panel-head">
        <h2>{t('videoUi.wallTitle', { scene: t(`view.${scene}`) })}</h2>
        <button type="button" className="close" aria-label={t('videoUi.close')} onClick={() => video.getState().openWall(null)}>
          ×
        </button>
      </header>
      <div className="video-wall-grid">
        {Array.from({ length: WALL_TILES }, (_, i) => {
          const cam = tiles[i] ? byId.get(tiles[i]!) : undefined;
          return (
            <div className="video-wall-tile" key={i} data-testid="video-wall-tile">
              <select
                className="video-wall-select"
                aria-label={t('videoUi.chooseCamera', { n: i + 1 })}
                value={cam?.id ?? ''}
                onChange={(e) => video.getState().setWallTile(scene, i, e.target.value || null)}
              >
                <option value="">{t('videoUi.emptyTile')}</option>
                {cameras.map((c) => (
                  <option key={c.id} value={c.id}>
                    {nameOf(c, lang)}
                  </option>
                ))}
              </select>
              {cam ? <VideoPlayer key={cam.id} camera={cam} token={token} atMs={atMs} /> : <div className="video-wall-empty">{t('videoUi.emptyTile')}</div>}
            </div>
          );
        })}
      </div>
    </section>
  );
}
