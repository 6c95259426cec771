/**
 * Create or change a device: its id (fixed once created), scene, site, kind, names in both
 * languages, where it is (typed or clicked, see PlaceField), what it reports and how often. The
 * service validates and answers per-field errors in the user's language, shown beside the form.
 */
import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DEVICE_ID_PATTERN, QUANTITIES, SCENES, type Device, type GasLevel, type Quantity, type Scene } from '../../../contracts';
import { useTwin } from '../../../state/react';
import { nameOf } from '../../format';
import { DEFAULT_INTERVAL_S, DEFAULT_QUANTITIES, DEVICE_KINDS_BY_SCENE } from './catalog';
import { FormErrors, useSubmit } from './FormErrors';
import { createDevice, updateDevice } from './api';
import { PlaceField } from './PlaceField';
import { ThresholdForm } from './ThresholdForm';
import type { Pt } from './shape';

const ALL_QUANTITIES = Object.keys(QUANTITIES) as Quantity[];
const LEVELS: GasLevel[] = ['upper', 'middle', 'lower'];

export function DeviceForm({ id, onDone }: { id: string | null; onDone(savedId: string | null): void }) {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  const sites = useTwin((s) => s.sites);
  const existing = useTwin((s) => (id ? s.devices.get(id) : undefined));
  const view = useTwin((s) => s.view);
  const firstScene: Scene = existing?.scene ?? (view === 'overview' ? 'confined' : view);
  const [d, setD] = useState<Device>(
    () =>
      existing ?? {
        id: '',
        scene: firstScene,
        siteId: '',
        kind: DEVICE_KINDS_BY_SCENE[firstScene][0],
        name: '',
        nameZh: '',
        position: [NaN, NaN, 0],
        quantities: DEFAULT_QUANTITIES[DEVICE_KINDS_BY_SCENE[firstScene][0]] ?? [],
        intervalS: DEFAULT_INTERVAL_S,
      },
  );
  const patch = (p: Partial<Device>) => setD((cur) => ({ ...cur, ...p }));
  const points: Pt[] = useMemo(() => (Number.isFinite(d.position[0]) && Number.isFinite(d.position[1]) ? [[d.position[0], d.position[1]]] : []), [d.position]);
  const setPoints = useCallback((pts: Pt[]) => setD((cur) => ({ ...cur, position: pts[0] ? [pts[0][0], pts[0][1], cur.position[2]] : [NaN, NaN, cur.position[2]] })), []);
  const site = sites.get(d.siteId);
  const siteOptions = useMemo(() => [...sites.values()].filter((s) => s.scene === d.scene).slice(0, 2000), [sites, d.scene]);
  const { busy, error, submit } = useSubmit();

  const save = (e: FormEvent) => {
    e.preventDefault();
    void submit(async (token) => {
      const body: Device = { ...d, id: d.id.trim(), name: d.name.trim(), nameZh: d.nameZh.trim() };
      if (body.kind !== 'gas_detector') delete body.level;
      // The served limits include the threshold overrides: sent back, they would become the registry's own.
      delete body.limits;
      if (id) {
        const { id: _fixed, ...rest } = body;
        await updateDevice(token, lang, id, rest);
      } else await createDevice(token, lang, body);
      onDone(body.id);
    });
  };

  return (
    <>
      <form className="admin-form reg-form" data-testid="device-form" onSubmit={save}>
        <h3>{id ? t('adminUi.registry.editDevice', { id }) : t('adminUi.registry.newDevice')}</h3>
        <label>
          {t('adminUi.registry.field.id')}
          <input required disabled={!!id} pattern={DEVICE_ID_PATTERN.source.slice(1, -1)} data-testid="device-id" value={d.id} onChange={(e) => patch({ id: e.target.value })} />
        </label>
        <label>
          {t('adminUi.registry.field.scene')}
          <select data-testid="device-scene" disabled={!!id} value={d.scene} onChange={(e) => {
            const scene = e.target.value as Scene;
            const kind = DEVICE_KINDS_BY_SCENE[scene][0];
            patch({ scene, kind, siteId: '', quantities: DEFAULT_QUANTITIES[kind] ?? [] });
          }}>
            {SCENES.map((s) => <option key={s} value={s}>{t(`view.${s}`)}</option>)}
          </select>
        </label>
        <label>
          {t('adminUi.registry.field.kind')}
          <select data-testid="device-kind" value={d.kind} onChange={(e) => {
            const kind = e.target.value as Device['kind'];
            patch({ kind, quantities: DEFAULT_QUANTITIES[kind] ?? [] });
          }}>
            {DEVICE_KINDS_BY_SCENE[d.scene].map((k) => <option key={k} value={k}>{t(`device.kind.${k}`)}</option>)}
          </select>
        </label>
        <label>
          {t('adminUi.registry.field.site')}
          <select required data-testid="device-site" value={d.siteId} onChange={(e) => patch({ siteId: e.target.value })}>
            <option value="">{t('adminUi.registry.choose')}</option>
            {siteOptions.map((s) => <option key={s.id} value={s.id}>{nameOf(s, lang) || s.id} · {s.id}</option>)}
          </select>
        </label>
        <label>
          {t('adminUi.registry.field.nameZh')}
          <input required data-testid="device-name-zh" value={d.nameZh} onChange={(e) => patch({ nameZh: e.target.value })} />
        </label>
        <label>
          {t('adminUi.registry.field.name')}
          <input required data-testid="device-name" value={d.name} onChange={(e) => patch({ name: e.target.value })} />
        </label>
        <label>
          {t('adminUi.registry.field.heightM')}
          <input type="number" step="0.1" data-testid="device-height" value={Number.isFinite(d.position[2]) ? d.position[2] : 0} onChange={(e) => patch({ position: [d.position[0], d.position[1], Number(e.target.value)] })} />
        </label>
        <label>
          {t('adminUi.registry.field.intervalS')}
          <input type="number" min={1} step={1} required data-testid="device-interval" value={d.intervalS} onChange={(e) => patch({ intervalS: Number(e.target.value) })} />
        </label>
        {d.kind === 'gas_detector' && (
          <label>
            {t('adminUi.registry.field.level')}
            <select data-testid="device-level" value={d.level ?? ''} onChange={(e) => patch({ level: (e.target.value || undefined) as GasLevel | undefined })}>
              <option value="">—</option>
              {LEVELS.map((l) => <option key={l} value={l}>{t(`device.level.${l}`)}</option>)}
            </select>
          </label>
        )}
        <fieldset className="reg-quantities" data-testid="device-quantities">
          <legend>{t('adminUi.registry.field.quantities')}</legend>
          {ALL_QUANTITIES.map((q) => (
            <label key={q} className={d.quantities.includes(q) ? 'q-chip on' : 'q-chip'}>
              <input
                type="checkbox"
                checked={d.quantities.includes(q)}
                onChange={(e) => patch({ quantities: e.target.checked ? [...d.quantities, q] : d.quantities.filter((x) => x !== q) })}
              />
              {QUANTITIES[q][lang]} <span className="muted mono">{q}</span>
            </label>
          ))}
        </fieldset>
        <PlaceField mode="point" points={points} onChange={setPoints} reference={site ? { id: site.id, geometry: site.geometry, name: nameOf(site, lang) || site.id } : null} />
        <FormErrors error={error} />
        <div className="reg-form-actions">
          <button type="button" className="ghost" onClick={() => onDone(null)}>
            {t('adminUi.registry.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="device-save" disabled={busy || points.length === 0}>
            {id ? t('adminUi.registry.save') : t('adminUi.registry.create')}
          </button>
        </div>
      </form>
      {id && <ThresholdForm type="device" id={id} />}
    </>
  );
}
