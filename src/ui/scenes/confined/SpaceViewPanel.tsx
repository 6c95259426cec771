/**
 * The space view beside the globe: hosts the three.js cut-away (src/scene/three/spaceView.ts) for
 * the selected space and feeds it a view model from the space list and the live store. The
 * container tells tests what it shows: `data-space-id`, `data-level-{upper|middle|lower}` (the
 * level's state), `data-inside`, `data-frames` (renders so far: on demand, not a loop).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GasLevel, SpaceSummary } from '../../../contracts';
import { createSpaceView, type SpaceView } from '../../../scene/three/spaceView';
import { twin, useSay, useTwin } from '../../../state/react';
import { LEVELS, detectorsByLevel, gasCell, spaceViewModel, type SpaceViewModel } from '../../../view';
import { useClock } from './useClock';
import { formatValue, nameOf } from '../../format';

export function SpaceViewPanel({ space: s }: { space: SpaceSummary }) {
  const { t } = useTranslation();
  const lang = useTwin((st) => st.lang);
  const say = useSay();
  const liveVersion = useTwin((st) => st.liveVersion);
  const now = useClock(1000);
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<SpaceView | null>(null);
  const [frames, setFrames] = useState(0);
  const [failed, setFailed] = useState(false);

  const vm = useMemo(() => {
    const st = twin.getState();
    return spaceViewModel(s, st.devices, st.live, now);
  }, [s, liveVersion, now]); // eslint-disable-line react-hooks/exhaustive-deps
  const vmKey = JSON.stringify(vm);

  useEffect(() => {
    if (!host.current) return;
    try {
      view.current = createSpaceView(host.current);
    } catch (e) {
      console.error('space view failed to start', e);
      setFailed(true);
    }
    return () => {
      view.current?.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    if (!view.current) return;
    view.current.update(JSON.parse(vmKey) as SpaceViewModel);
    setFrames(view.current.frames());
  }, [vmKey]);

  const st = twin.getState();
  const byLevel = detectorsByLevel(s);
  const levelAttrs = Object.fromEntries(LEVELS.map((l) => [`data-level-${l}`, vm.levels[l].health]));

  return (
    <aside
      className={`panel space-view status-${s.status}`}
      data-testid="space-view"
      data-space-id={s.id}
      data-inside={s.inside.length}
      data-frames={frames}
      data-failed={failed ? 'true' : 'false'}
      {...levelAttrs}
    >
      <div className="space-view-head">
        <b>{t('confinedUi.view.title')}</b>
        <span>{nameOf(s, lang)}</span>
        <span className={`fan ${vm.ventilationOn ? 'on' : 'off'}`}>{vm.ventilationOn ? t('confinedUi.view.fanOn') : t('confinedUi.view.fanOff')}</span>
      </div>
      <div className="space-view-body">
        <div ref={host} className="space-view-canvas" />
        <ol className="space-levels">
          {LEVELS.map((level: GasLevel) => {
            const id = byLevel[level];
            const live = id ? st.live.get(id) : undefined;
            const device = id ? st.devices.get(id) : undefined;
            const h2s = gasCell(device, live, 'h2s_ppm', now);
            const o2 = gasCell(device, live, 'o2_pct', now);
            return (
              <li key={level} className={`lvl health-${vm.levels[level].health}`} data-testid={`space-level-${level}`} data-health={vm.levels[level].health}>
                <span className="lvl-name">{t(`confinedUi.level.${level}`)}</span>
                <span className={`lvl-val health-${h2s.health}`}>
                  H₂S <b>{formatValue('h2s_ppm', h2s.value)}</b>
                </span>
                <span className={`lvl-val health-${o2.health}`}>
                  O₂ <b>{formatValue('o2_pct', o2.value)}</b>
                </span>
              </li>
            );
          })}
        </ol>
      </div>
      <div className="space-view-foot muted">
        {t('confinedUi.view.h2sPools')}
        {s.attendant ? ` · ${t('confinedUi.view.attendant')}: ${say.person(s.attendant)}` : ''}
      </div>
    </aside>
  );
}
