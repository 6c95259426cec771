/**
 * Create or change a site: id, scene, kind, parent, names in both languages and its geometry — a
 * point, a line (a road segment) or an outline (a plant, a confined space, an enterprise) typed or
 * drawn on the globe. An enterprise carries its assessed four-colour level, a segment its road class.
 */
import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DEVICE_ID_PATTERN, SCENES, type RiskLevel, type RoadClass, type Scene, type Site } from '../../../contracts';
import type { DrawMode } from '../../../scene/cesium';
import { useTwin } from '../../../state/react';
import { nameOf } from '../../format';
import { SITE_KINDS_BY_SCENE, drawModeOf } from './catalog';
import { FormErrors, useSubmit } from './FormErrors';
import { createSite, updateSite } from './api';
import { PlaceField } from './PlaceField';
import { ModelPanel } from './ModelPanel';
import { ThresholdForm } from './ThresholdForm';
import { geometryOf, modeOfGeometry, pointsOf, type Pt } from './shape';

const MODES: DrawMode[] = ['point', 'polyline', 'polygon'];
const RISK: RiskLevel[] = ['red', 'orange', 'yellow', 'blue'];
const ROAD_CLASSES: RoadClass[] = ['expressway', 'highway', 'urban_expressway', 'arterial', 'secondary'];

export function SiteForm({ id, onDone }: { id: string | null; onDone(savedId: string | null): void }) {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  const sites = useTwin((s) => s.sites);
  const existing = useTwin((s) => (id ? s.sites.get(id) : undefined));
  const view = useTwin((s) => s.view);
  const firstScene: Scene = existing?.scene ?? (view === 'overview' ? 'confined' : view);
  const [s, setS] = useState(() => ({
    id: existing?.id ?? '',
    scene: existing?.scene ?? firstScene,
    kind: (existing?.kind ?? SITE_KINDS_BY_SCENE[firstScene][0]) as string,
    name: existing?.name ?? '',
    nameZh: existing?.nameZh ?? '',
    parentId: existing?.parentId ?? '',
    props: existing?.props ?? {},
  }));
  const [mode, setMode] = useState<DrawMode>(modeOfGeometry(existing?.geometry) ?? drawModeOf(s.kind));
  const [points, setPointsState] = useState<Pt[]>(() => pointsOf(existing?.geometry));
  // Until the shape is changed an existing site keeps its own geometry (a MultiPolygon's other parts, a Point's height).
  const [touched, setTouched] = useState(false);
  const setPoints = useCallback((p: Pt[]) => {
    setPointsState(p);
    setTouched(true);
  }, []);
  const patch = (p: Partial<typeof s>) => setS((cur) => ({ ...cur, ...p }));
  const parent = s.parentId ? sites.get(s.parentId) : undefined;
  const parents = useMemo(() => [...sites.values()].filter((x) => x.scene === s.scene && x.id !== id).slice(0, 2000), [sites, s.scene, id]);
  const geometry = existing && !touched && modeOfGeometry(existing.geometry) === mode ? existing.geometry : geometryOf(mode, points);
  const { busy, error, submit } = useSubmit();

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!geometry) return;
    void submit(async (token) => {
      const body: Site = { id: s.id.trim(), scene: s.scene, kind: s.kind as Site['kind'], name: s.name.trim(), nameZh: s.nameZh.trim(), parentId: s.parentId || null, geometry, props: s.props };
      if (id) {
        const { id: _fixed, ...rest } = body;
        await updateSite(token, lang, id, rest);
      } else await createSite(token, lang, body);
      onDone(body.id);
    });
  };
  const setProp = (key: string, value: unknown) => patch({ props: { ...s.props, [key]: value === '' ? undefined : value } });

  return (
    <>
      <form className="admin-form reg-form" data-testid="site-form" onSubmit={save}>
        <h3>{id ? t('adminUi.registry.editSite', { id }) : t('adminUi.registry.newSite')}</h3>
        <label>
          {t('adminUi.registry.field.id')}
          <input required disabled={!!id} pattern={DEVICE_ID_PATTERN.source.slice(1, -1)} data-testid="site-id" value={s.id} onChange={(e) => patch({ id: e.target.value })} />
        </label>
        <label>
          {t('adminUi.registry.field.scene')}
          <select data-testid="site-scene" disabled={!!id} value={s.scene} onChange={(e) => {
            const scene = e.target.value as Scene;
            const kind = SITE_KINDS_BY_SCENE[scene][0];
            patch({ scene, kind, parentId: '' });
            setMode(drawModeOf(kind));
          }}>
            {SCENES.map((x) => <option key={x} value={x}>{t(`view.${x}`)}</option>)}
          </select>
        </label>
        <label>
          {t('adminUi.registry.field.kind')}
          <select data-testid="site-kind" value={s.kind} onChange={(e) => {
            patch({ kind: e.target.value });
            if (points.length === 0) setMode(drawModeOf(e.target.value));
          }}>
            {[...new Set([...SITE_KINDS_BY_SCENE[s.scene], s.kind])].map((k) => <option key={k} value={k}>{t(`adminUi.registry.siteKind.${k}`, { defaultValue: k })}</option>)}
          </select>
        </label>
        <label>
          {t('adminUi.registry.field.parent')}
          <select data-testid="site-parent" value={s.parentId} onChange={(e) => patch({ parentId: e.target.value })}>
            <option value="">{t('adminUi.registry.none')}</option>
            {parents.map((p) => <option key={p.id} value={p.id}>{nameOf(p, lang) || p.id} · {p.id}</option>)}
          </select>
        </label>
        <label>
          {t('adminUi.registry.field.nameZh')}
          <input required data-testid="site-name-zh" value={s.nameZh} onChange={(e) => patch({ nameZh: e.target.value })} />
        </label>
        <label>
          {t('adminUi.registry.field.name')}
          <input required data-testid="site-name" value={s.name} onChange={(e) => patch({ name: e.target.value })} />
        </label>
        {s.kind === 'enterprise' && (
          <label>
            {t('adminUi.registry.field.assessedLevel')}
            <select value={String(s.props.assessedLevel ?? '')} onChange={(e) => setProp('assessedLevel', e.target.value)}>
              <option value="">—</option>
              {RISK.map((r) => <option key={r} value={r}>{t(`adminUi.registry.risk.${r}`)}</option>)}
            </select>
          </label>
        )}
        {s.kind === 'segment' && (
          <label>
            {t('adminUi.registry.field.roadClass')}
            <select value={String(s.props.roadClass ?? '')} onChange={(e) => setProp('roadClass', e.target.value)}>
              <option value="">—</option>
              {ROAD_CLASSES.map((r) => <option key={r} value={r}>{t(`adminUi.registry.roadClass.${r}`)}</option>)}
            </select>
          </label>
        )}
        <label>
          {t('adminUi.registry.field.geometry')}
          <select data-testid="site-geometry" value={mode} onChange={(e) => setMode(e.target.value as DrawMode)}>
            {MODES.map((m) => <option key={m} value={m}>{t(`adminUi.registry.place.${m}`)}</option>)}
          </select>
        </label>
        <PlaceField mode={mode} points={points} onChange={setPoints} reference={parent ? { id: parent.id, geometry: parent.geometry, name: nameOf(parent, lang) || parent.id } : null} />
        <FormErrors error={error} />
        <div className="reg-form-actions">
          <button type="button" className="ghost" onClick={() => onDone(null)}>
            {t('adminUi.registry.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="site-save" disabled={busy || !geometry}>
            {id ? t('adminUi.registry.save') : t('adminUi.registry.create')}
          </button>
        </div>
      </form>
      {id && <ModelPanel siteId={id} />}
      {id && <ThresholdForm type="site" id={id} />}
    </>
  );
}
