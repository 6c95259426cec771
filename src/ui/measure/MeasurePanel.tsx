/**
 * The measurement tool's panel: pick a mode (distance, area, height above ground), read the result
 * in the UI language (m / km, m² / ha / km²; 米 / 公里, 平方米 / 公顷 / 平方公里), keep a shape under
 * a name, export the kept shapes as GeoJSON. The drawing and clicks are the globe's measure layer.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { areaText, heightText, lengthText, type MeasureMode, type MeasureText } from '../../domain/measure';
import type { MeasureApi, MeasureState } from '../../scene/cesium/measure';
import { useGlobe } from '../globe';
import { saveBlob } from '../history/api';
import { tools, useTools } from '../history/tools';
import '../charts/charts.css';
import './measure.css';

const MODES: MeasureMode[] = ['distance', 'area', 'height'];
const NONE: MeasureState = { mode: null, points: [], value: 0, done: false, kept: [] };
const noop = () => () => undefined;

/** A measured value as text in the mode's units. */
export function measureText(mode: MeasureMode, value: number): MeasureText {
  return mode === 'area' ? areaText(value) : mode === 'height' ? heightText(value) : lengthText(value);
}

export function MeasurePanel() {
  const open = useTools((s) => s.measureOpen);
  const globe = useGlobe();
  const api = globe?.measure ?? null;
  return open ? <Panel api={api} /> : null;
}

function Panel({ api }: { api: MeasureApi | null }) {
  const { t } = useTranslation();
  const state = useSyncExternalStore(api ? api.subscribe : noop, api ? api.getState : () => NONE);
  const [name, setName] = useState('');
  const mode = state.mode ?? 'distance';

  // Opening the panel turns the tool on; closing it turns it off (kept shapes stay on the map).
  useEffect(() => {
    if (!api) return;
    if (!api.getState().mode) api.setMode('distance');
    return () => {
      api.clear();
      api.setMode(null);
    };
  }, [api]);

  const close = () => tools.getState().set({ measureOpen: false });
  const text = measureText(mode, state.value);
  const unit = (u: MeasureText['unit']) => t(`commonUi.measure.unit.${u}`);
  // Areas also in hectares (公顷), the unit land is talked about in, when the main unit is another.
  const alt = mode === 'area' && state.value > 0 && text.unit !== 'ha' ? { value: (state.value / 10_000).toFixed(state.value < 10_000 ? 4 : 2), unit: 'ha' as const } : null;
  const hasShape = state.points.length > 0;

  return (
    <section className="panel measure-panel" data-testid="measure-panel" aria-label={t('commonUi.measure.title')}>
      <header className="panel-head">
        <h2>{t('commonUi.measure.title')}</h2>
        <button type="button" className="close" aria-label={t('common.close')} data-testid="measure-close" onClick={close}>
          ×
        </button>
      </header>
      {!api ? (
        <p className="muted measure-pad">{t('commonUi.measure.noGlobe')}</p>
      ) : (
        <div className="measure-pad">
          <div className="chart-tabs" role="tablist">
            {MODES.map((m) => (
              <button key={m} type="button" role="tab" aria-selected={m === mode} className={m === mode ? 'chip active' : 'chip'} data-testid={`measure-mode-${m}`} onClick={() => api.setMode(m)}>
                {t(`commonUi.measure.mode.${m}`)}
              </button>
            ))}
          </div>
          <p className="muted measure-hint">{t(`commonUi.measure.hint.${mode}`)}</p>
          <div className="measure-result" data-testid="measure-result" data-mode={mode} data-value={state.value} data-points={state.points.length}>
            <span className="muted">{t(`commonUi.measure.result.${mode}`)}</span>
            <span className="measure-value">
              <b data-testid="measure-value">{text.value}</b> <span data-testid="measure-unit">{unit(text.unit)}</span>
            </span>
            {alt && (
              <span className="muted">
                = {alt.value} {unit(alt.unit)}
              </span>
            )}
            <span className="muted">{t('commonUi.measure.points', { count: state.points.length })}</span>
          </div>
          <div className="measure-actions">
            <button type="button" className="ghost" disabled={!hasShape || state.done} onClick={() => api.finish()}>
              {t('commonUi.measure.finish')}
            </button>
            <button type="button" className="ghost" data-testid="measure-clear" disabled={!hasShape} onClick={() => api.clear()}>
              {t('commonUi.measure.clear')}
            </button>
          </div>
          <div className="measure-actions">
            <input data-testid="measure-name" value={name} placeholder={t('commonUi.measure.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
            <button
              type="button"
              className="ghost"
              data-testid="measure-keep"
              disabled={!hasShape}
              onClick={() => {
                api.keep(name);
                setName('');
              }}
            >
              {t('commonUi.measure.keep')}
            </button>
          </div>
          {state.kept.length > 0 && (
            <>
              <h3 className="measure-kept-title">{t('commonUi.measure.kept')}</h3>
              <ul className="measure-kept" data-testid="measure-kept">
                {state.kept.map((k) => {
                  const kt = measureText(k.mode, k.value);
                  return (
                    <li key={k.id}>
                      <span className="measure-kept-name">{k.name}</span>
                      <span className="muted">{t(`commonUi.measure.mode.${k.mode}`)}</span>
                      <span>
                        {kt.value} {unit(kt.unit)}
                      </span>
                      <button type="button" className="chip" onClick={() => api.removeKept(k.id)}>
                        {t('commonUi.measure.remove')}
                      </button>
                    </li>
                  );
                })}
              </ul>
            </>
          )}
          <div className="measure-actions">
            <button
              type="button"
              className="ghost"
              data-testid="measure-export"
              disabled={state.kept.length === 0 && !hasShape}
              onClick={() => saveBlob(new Blob([api.exportGeoJson()], { type: 'application/geo+json' }), 'citytwin-measurements.geojson')}
            >
              {t('commonUi.measure.export')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
