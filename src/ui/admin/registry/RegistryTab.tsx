/**
 * The registry page: every site and device of one scene (or all) in one searchable, filterable
 * table that stays light at tens of thousands of rows (only the rows in view are drawn). From a row:
 * show it on the globe, edit it, retire it (two clicks; a retired device keeps its history), and
 * for a device issue its MQTT credentials (the secret shown once). New sites and devices are placed
 * by clicking the globe or typing coordinates. Every change bumps the registry version, and every
 * open app reloads the registry; this page reloads at once.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SCENES, deviceTopic, type IssuedCredentials, type Scene } from '../../../contracts';
import { reloadRegistry } from '../../../live';
import { twin } from '../../../state';
import { useTwin } from '../../../state/react';
import { NO_FILTER, kindsIn, registryRows, type RegistryFilter, type RegistryRow } from '../../../state/registryRows';
import { nameOf } from '../../format';
import { useGlobe } from '../../globe';
import { issueDeviceCredentials } from '../api';
import { SecretDialog } from '../SecretDialog';
import { adminUi, useAdminUi } from '../state';
import { retireDevice, retireSite } from './api';
import { DeviceForm } from './DeviceForm';
import { SiteForm } from './SiteForm';
import { VirtualRows } from './VirtualRows';
import './registry.css';

/** Row height, px (registry.css gives `.reg-table tr` the same). */
const ROW_PX = 34;

export function RegistryTab() {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  const sites = useTwin((s) => s.sites);
  const devices = useTwin((s) => s.devices);
  const editing = useAdminUi((s) => s.editing);
  const globe = useGlobe();
  const [filter, setFilter] = useState<RegistryFilter>(() => {
    const view = twin.getState().view;
    return { ...NO_FILTER, scene: view === 'overview' ? 'all' : view };
  });
  const [retiring, setRetiring] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ creds: IssuedCredentials; topic: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const rows = useMemo(() => registryRows(sites, devices, filter), [sites, devices, filter]);
  const kinds = useMemo(() => kindsIn(sites, devices, filter.scene, filter.type), [sites, devices, filter.scene, filter.type]);
  const total = sites.size + devices.size;
  const set = (p: Partial<RegistryFilter>) => setFilter((f) => ({ ...f, ...p }));

  const done = (savedId: string | null) => {
    const was = adminUi.getState().editing;
    adminUi.getState().set({ editing: null });
    if (!savedId || !was) return;
    twin.getState().notify({ kind: 'info', text: savedId, key: was.id ? 'adminUi.registry.saved' : 'adminUi.registry.created', params: { id: savedId } });
    void refresh();
  };
  const refresh = () => reloadRegistry(twin).catch((e: Error) => setError(e.message));
  const show = (r: RegistryRow) => {
    if (r.type === 'device') {
      twin.getState().select({ deviceId: r.id, siteId: r.parentId });
      globe?.flyToDevice(r.id);
    } else {
      twin.getState().select({ siteId: r.id, deviceId: null });
      globe?.flyToSite(r.id);
    }
  };
  const retire = async (r: RegistryRow) => {
    if (retiring !== r.id) return setRetiring(r.id);
    setRetiring(null);
    const token = twin.getState().auth?.token ?? '';
    try {
      await (r.type === 'device' ? retireDevice(token, lang, r.id) : retireSite(token, lang, r.id));
      setError(null);
      twin.getState().notify({ kind: 'info', text: r.id, key: 'adminUi.registry.retired', params: { id: r.id } });
      await refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const issue = async (r: RegistryRow) => {
    try {
      const creds = await issueDeviceCredentials(twin.getState().auth?.token ?? '', r.id);
      setSecret({ creds, topic: deviceTopic(r.scene, r.id, 'telemetry') });
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const parentName = (id: string | null) => (id ? nameOf(sites.get(id), lang) || id : '');
  return (
    <div className="admin-page reg-page" data-testid="admin-registry">
      {error && <div className="admin-note warn">{t('adminUi.failed', { msg: error })}</div>}
      {editing ? (
        editing.type === 'device' ? <DeviceForm key={editing.id ?? 'new'} id={editing.id} onDone={done} /> : <SiteForm key={editing.id ?? 'new'} id={editing.id} onDone={done} />
      ) : (
        <div className="admin-filters reg-filters">
          <select aria-label={t('adminUi.registry.field.scene')} data-testid="reg-scene" value={filter.scene} onChange={(e) => set({ scene: e.target.value as Scene | 'all', kind: '' })}>
            <option value="all">{t('adminUi.registry.allScenes')}</option>
            {SCENES.map((s) => <option key={s} value={s}>{t(`view.${s}`)}</option>)}
          </select>
          <select aria-label={t('adminUi.registry.type')} data-testid="reg-type" value={filter.type} onChange={(e) => set({ type: e.target.value as RegistryFilter['type'], kind: '' })}>
            <option value="all">{t('adminUi.registry.sitesAndDevices')}</option>
            <option value="site">{t('adminUi.registry.sites')}</option>
            <option value="device">{t('adminUi.registry.devices')}</option>
          </select>
          <select aria-label={t('adminUi.registry.field.kind')} data-testid="reg-kind" value={filter.kind} onChange={(e) => set({ kind: e.target.value })}>
            <option value="">{t('adminUi.registry.anyKind')}</option>
            {kinds.map((k) => <option key={k} value={k}>{kindName(t, k)}</option>)}
          </select>
          <input type="search" className="admin-search" placeholder={t('adminUi.registry.search')} data-testid="reg-search" value={filter.query} onChange={(e) => set({ query: e.target.value })} />
          <span className="muted" data-testid="reg-count">{t('adminUi.registry.count', { n: rows.length, total })}</span>
          <span className="reg-spacer" />
          <button type="button" className="ghost" data-testid="reg-new-site" onClick={() => adminUi.getState().set({ editing: { type: 'site', id: null } })}>
            {t('adminUi.registry.newSite')}
          </button>
          <button type="button" className="primary" data-testid="reg-new-device" onClick={() => adminUi.getState().set({ editing: { type: 'device', id: null } })}>
            {t('adminUi.registry.newDevice')}
          </button>
        </div>
      )}
      <VirtualRows
        rows={rows}
        rowPx={ROW_PX}
        className="reg-scroll"
        testId="reg-table"
        cols={
          <colgroup>
            <col style={{ width: '17%' }} />
            <col style={{ width: '25%' }} />
            <col style={{ width: '18%' }} />
            <col style={{ width: '15%' }} />
            <col style={{ width: '25%' }} />
          </colgroup>
        }
        head={
          <tr>
            <th>{t('adminUi.registry.field.id')}</th>
            <th>{t('adminUi.registry.nameCol')}</th>
            <th>{t('adminUi.registry.field.kind')}</th>
            <th>{t('adminUi.registry.field.where')}</th>
            <th />
          </tr>
        }
        render={(r) => (
          <tr key={`${r.type}:${r.id}`} data-testid="reg-row" data-type={r.type} data-id={r.id} className={r.type}>
            <td className="mono" title={r.id}>{r.id}</td>
            <td title={nameOf(r, lang)}>
              {nameOf(r, lang)} <span className="muted">{parentName(r.parentId)}</span>
            </td>
            <td>
              <span className={`reg-type ${r.type}`}>{t(`adminUi.registry.${r.type}`)}</span> {kindName(t, r.kind)} · <span className="muted">{t(`view.${r.scene}`)}</span>
            </td>
            <td className="mono muted">{r.lonLat ? `${r.lonLat[0].toFixed(5)}, ${r.lonLat[1].toFixed(5)}` : ''}</td>
            <td className="admin-actions">
              <button type="button" className="ghost" title={t('adminUi.registry.show')} onClick={() => show(r)}>
                {t('adminUi.registry.show')}
              </button>
              <button type="button" className="ghost" data-testid="reg-edit" onClick={() => adminUi.getState().set({ editing: { type: r.type, id: r.id } })}>
                {t('adminUi.registry.edit')}
              </button>
              {r.type === 'device' && (
                <button type="button" className="ghost" data-testid="reg-credentials" title={t('adminUi.devices.issue')} onClick={() => void issue(r)}>
                  {t('adminUi.registry.credentials')}
                </button>
              )}
              <button type="button" className={retiring === r.id ? 'ghost danger' : 'ghost'} data-testid="reg-retire" onClick={() => void retire(r)} onBlur={() => setRetiring(null)}>
                {retiring === r.id ? t('adminUi.registry.confirmRetire') : t('adminUi.registry.retire')}
              </button>
            </td>
          </tr>
        )}
      />
      {secret && <SecretDialog creds={secret.creds} topic={secret.topic} onClose={() => setSecret(null)} />}
    </div>
  );
}

/** A kind's name: a device kind's from the device strings, a site kind's from the registry's. */
function kindName(t: (k: string, o?: Record<string, unknown>) => string, kind: string): string {
  return t(`device.kind.${kind}`, { defaultValue: '' }) || t(`adminUi.registry.siteKind.${kind}`, { defaultValue: kind });
}
