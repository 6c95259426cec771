/**
 * A site's own 3D model in its form: upload a GLB or IFC file, see it on the globe, place its
 * origin by clicking the ground, turn it (heading slider) and scale it, then save; or remove it.
 * While the placement is edited the globe shows it unsaved, with how much of the footprint lies
 * outside the site's outline (the same check the service answers with): a warning, not a refusal.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ModelPlacement, Site } from '../../../contracts';
import { outlineCheck } from '../../../domain/modelFootprint';
import { twin } from '../../../state';
import { useTwin } from '../../../state/react';
import { useGlobe } from '../../globe';
import { adminUi, useAdminUi } from '../state';
import { FormErrors, useSubmit } from './FormErrors';
import { RegistryApiError } from './api';
import { placeModel, removeModel, uploadModel } from './modelApi';
import { modeOfGeometry, pointsOf } from './shape';

const MODEL_CODES = ['unsupported_format', 'too_large', 'invalid_model'];

const placementOf = (s: Site): ModelPlacement | null => {
  const m = s.props?.model;
  return m ? { lonDeg: m.lonDeg, latDeg: m.latDeg, heightM: m.heightM, headingDeg: m.headingDeg, scale: m.scale } : null;
};

export function ModelPanel({ siteId }: { siteId: string }) {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  const site = useTwin((s) => s.sites.get(siteId));
  const globe = useGlobe();
  const picking = useAdminUi((s) => (s.pickFor === 'model' ? s.picking : null));
  const model = site?.props?.model;
  const [draft, setDraft] = useState<ModelPlacement | null>(() => (site ? placementOf(site) : null));
  const [note, setNote] = useState<string | null>(null);
  const [confirm, setConfirm] = useState(false);
  const { busy, error, submit } = useSubmit();

  // A new version of the site (an upload, a save, another admin): the draft starts from it again.
  useEffect(() => setDraft(site ? placementOf(site) : null), [model?.file, model?.lonDeg, model?.latDeg, model?.headingDeg, model?.scale, model?.heightM]);
  const dirty = !!draft && !!site && JSON.stringify(draft) !== JSON.stringify(placementOf(site));
  useEffect(() => {
    globe?.siteModels.preview(siteId, dirty ? draft : null);
  }, [globe, siteId, draft, dirty]);
  useEffect(() => () => globe?.siteModels.preview(siteId, null), [globe, siteId]);

  // The origin picked on the globe; picked or cancelled, the globe stops taking clicks and shows the site's shape again.
  useEffect(() => {
    const draw = globe?.draw;
    if (!draw || picking !== 'point') return;
    const unsubscribe = draw.subscribe(() => {
      const s = draw.getState();
      if (!s.done || s.points.length === 0) return;
      const [lonDeg, latDeg] = s.points[0];
      setDraft((d) => (d ? { ...d, lonDeg, latDeg } : d));
      adminUi.getState().set({ picking: null, pickFor: 'shape' });
    });
    return () => {
      unsubscribe();
      const shape = twin.getState().sites.get(siteId)?.geometry;
      const mode = modeOfGeometry(shape);
      if (mode) draw.show(mode, pointsOf(shape));
      else draw.stop();
      if (adminUi.getState().pickFor === 'model') adminUi.getState().set({ pickFor: 'shape' });
    };
  }, [globe, picking, siteId]);

  const check = useMemo(() => (site && model && draft ? outlineCheck(site.geometry, model.bounds, draft) : null), [site, model, draft]);
  if (!site) return null;

  const upload = (file: File) =>
    submit(async (token) => {
      setNote(t('adminUi.model.uploading'));
      try {
        await uploadModel(token, lang, siteId, file);
        setNote(t('adminUi.model.uploaded'));
      } catch (e) {
        setNote(null);
        throw e;
      }
    });
  const save = () =>
    submit(async (token) => {
      if (!draft) return;
      await placeModel(token, lang, siteId, draft);
      setNote(t('adminUi.model.placed'));
    });
  const remove = () => {
    if (!confirm) return setConfirm(true);
    setConfirm(false);
    void submit(async (token) => {
      await removeModel(token, lang, siteId);
      setNote(t('adminUi.model.removed'));
    });
  };
  const pick = () => {
    if (!globe) return;
    globe.flyToSite(siteId);
    globe.draw.start('point');
    adminUi.getState().set({ picking: 'point', pickFor: 'model' });
  };
  const set = (key: keyof ModelPlacement, text: string) => {
    const v = Number(text);
    if (text.trim() !== '' && Number.isFinite(v)) setDraft((d) => (d ? { ...d, [key]: v } : d));
  };
  // The service's code in the page's language; its detail (a file's problem) as it words it.
  const shown = error instanceof RegistryApiError && MODEL_CODES.includes(error.code) ? new Error(t(`adminUi.model.error.${error.code}`, { detail: error.message })) : error;

  return (
    <fieldset className="admin-form reg-form model-panel" data-testid="model-panel" data-file={model?.file ?? ''}>
      <legend>{t('adminUi.model.title')}</legend>
      <p className="muted" data-testid="model-current">
        {model ? t('adminUi.model.current', { label: model.label ?? model.file, format: model.format.toUpperCase(), size: model.bytes < 1024 * 1024 ? `${Math.ceil(model.bytes / 1024)} KB` : `${(model.bytes / 1024 / 1024).toFixed(1)} MB` }) : t('adminUi.model.none')}
      </p>
      <label>
        {t('adminUi.model.file')}
        <input type="file" accept=".glb,.ifc,model/gltf-binary" data-testid="model-file" disabled={busy} onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void upload(f);
        }} />
      </label>
      {model && draft && (
        <>
          <div className="place-coords">
            <label>
              {t('adminUi.model.lon')}
              <input inputMode="decimal" data-testid="model-lon" value={draft.lonDeg.toFixed(7)} onChange={(e) => set('lonDeg', e.target.value)} />
            </label>
            <label>
              {t('adminUi.model.lat')}
              <input inputMode="decimal" data-testid="model-lat" value={draft.latDeg.toFixed(7)} onChange={(e) => set('latDeg', e.target.value)} />
            </label>
          </div>
          <label>
            {t('adminUi.model.heading')} · {Math.round(draft.headingDeg)}°
            <input type="range" min={0} max={359} step={1} data-testid="model-heading" value={Math.round(((draft.headingDeg % 360) + 360) % 360)} onChange={(e) => set('headingDeg', e.target.value)} />
          </label>
          <div className="place-coords">
            <label>
              {t('adminUi.model.scale')}
              <input type="number" min={0.001} max={1000} step={0.1} data-testid="model-scale" value={draft.scale} onChange={(e) => Number(e.target.value) > 0 && set('scale', e.target.value)} />
            </label>
            <label>
              {t('adminUi.model.heightM')}
              <input type="number" step={0.5} data-testid="model-height" value={draft.heightM} onChange={(e) => set('heightM', e.target.value)} />
            </label>
          </div>
          <div className={check && check.outsidePct > 0 ? 'admin-note warn' : 'admin-note ok'} data-testid="model-check" data-outside-pct={check?.outsidePct ?? ''}>
            {check === null ? t('adminUi.model.noOutline') : check.outsidePct > 0 ? t('adminUi.model.outside', { pct: check.outsidePct.toFixed(1) }) : t('adminUi.model.inside')}
          </div>
          {dirty && <p className="muted">{t('adminUi.model.unsaved')}</p>}
        </>
      )}
      <FormErrors error={shown} />
      {note && !error && <p className="ok-text" role="status" data-testid="model-note">{note}</p>}
      {model && (
        <div className="reg-form-actions">
          <button type="button" className="ghost" data-testid="model-remove" disabled={busy} onClick={remove}>
            {confirm ? t('adminUi.model.confirmRemove') : t('adminUi.model.remove')}
          </button>
          <button type="button" className="ghost" data-testid="model-pick" disabled={!globe || busy} onClick={pick}>
            {t('adminUi.model.pick')}
          </button>
          <button type="button" className="primary" data-testid="model-save" disabled={!dirty || busy} onClick={save}>
            {t('adminUi.model.save')}
          </button>
        </div>
      )}
    </fieldset>
  );
}
