/**
 * The bar shown while the globe takes clicks for a registry form (the drawer has stepped aside):
 * what to click, the points so far, and finish / undo / cancel. Esc cancels too.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { DrawApi, DrawMode, DrawState } from '../../../scene/cesium';
import { useGlobe } from '../../globe';
import { adminUi, useAdminUi } from '../state';

const NONE: DrawState = { mode: null, points: [], done: false };
const noop = () => () => undefined;

export function PickBar({ mode }: { mode: DrawMode }) {
  const { t } = useTranslation();
  const forModel = useAdminUi((s) => s.pickFor === 'model');
  const draw: DrawApi | null = useGlobe()?.draw ?? null;
  const state = useSyncExternalStore(draw ? draw.subscribe : noop, draw ? draw.getState : () => NONE);
  const cancel = () => adminUi.getState().set({ picking: null });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && cancel();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const min = mode === 'polygon' ? 3 : 2;
  return (
    <div className="panel pick-bar" role="status" data-testid="pick-bar" data-points={state.points.length}>
      <span className="pick-hint">{t(forModel ? 'adminUi.model.pickHint' : `adminUi.registry.pickHint.${mode}`)}</span>
      {mode !== 'point' && <span className="muted">{t('adminUi.registry.place.vertices', { n: state.points.length })}</span>}
      {mode !== 'point' && (
        <>
          <button type="button" className="ghost" disabled={state.points.length === 0} onClick={() => draw?.undo()}>
            {t('adminUi.registry.undo')}
          </button>
          <button type="button" className="primary" data-testid="pick-finish" disabled={state.points.length < min} onClick={() => draw?.finish()}>
            {t('adminUi.registry.finish')}
          </button>
        </>
      )}
      <button type="button" className="ghost" data-testid="pick-cancel" onClick={cancel}>
        {t('adminUi.registry.cancel')}
      </button>
    </div>
  );
}
