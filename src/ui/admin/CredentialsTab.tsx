/**
 * Device credentials: every registered device with when its credentials were issued, a button to
 * issue (or rotate) them; gateways for chosen sites. The secret is shown once in SecretDialog.
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { deviceTopic, type CredentialInfo, type IssuedCredentials } from '../../contracts';
import { useTwin } from '../../state/react';
import { nameOf } from '../format';
import { formatTime } from '../history/api';
import { createGateway, issueDeviceCredentials, listCredentials } from './api';
import { SecretDialog } from './SecretDialog';

/** Rows shown at once; the search narrows the rest. */
const MAX_ROWS = 200;

export function CredentialsTab({ token }: { token: string }) {
  const { t } = useTranslation();
  const devices = useTwin((s) => s.devices);
  const sites = useTwin((s) => s.sites);
  const lang = useTwin((s) => s.lang);
  const [issued, setIssued] = useState<Map<string, CredentialInfo>>(new Map());
  const [query, setQuery] = useState('');
  const [secret, setSecret] = useState<{ creds: IssuedCredentials; topic: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [gateway, setGateway] = useState({ id: '', siteIds: [] as string[] });

  const reload = useCallback(() => {
    listCredentials(token).then(
      (list) => setIssued(new Map(list.map((c) => [c.username, c]))),
      (e: Error) => setError(e.message),
    );
  }, [token]);
  useEffect(reload, [reload]);

  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    const all = [...devices.values()].filter((d) => !q || d.id.toLowerCase().includes(q) || nameOf(d, lang).toLowerCase().includes(q));
    return all.slice(0, MAX_ROWS);
  }, [devices, query, lang]);
  const siteList = useMemo(() => [...sites.values()].slice(0, 400), [sites]);

  const issue = async (deviceId: string) => {
    try {
      const creds = await issueDeviceCredentials(token, deviceId);
      const d = devices.get(deviceId)!;
      setSecret({ creds, topic: deviceTopic(d.scene, d.id, 'telemetry') });
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
    reload();
  };
  const makeGateway = async (e: FormEvent) => {
    e.preventDefault();
    if (gateway.siteIds.length === 0) return setError(t('adminUi.devices.pickSites'));
    try {
      const creds = await createGateway(token, gateway.id.trim(), gateway.siteIds);
      setSecret({ creds, topic: 'citytwin/v1/{scene}/{deviceId}/telemetry' });
      setGateway({ id: '', siteIds: [] });
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
    reload();
  };

  const gateways = [...issued.values()].filter((c) => c.kind === 'gateway');
  return (
    <div className="admin-page" data-testid="admin-devices">
      <p className="admin-intro">{t('adminUi.devices.intro')}</p>
      {error && <div className="admin-note warn">{t('adminUi.failed', { msg: error })}</div>}
      <input type="search" className="admin-search" placeholder={t('adminUi.devices.search')} data-testid="cred-search" value={query} onChange={(e) => setQuery(e.target.value)} />
      <table className="admin-table">
        <thead>
          <tr>
            <th>{t('adminUi.devices.device')}</th>
            <th>{t('adminUi.devices.scene')}</th>
            <th>{t('adminUi.devices.issued')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => {
            const c = issued.get(d.id);
            return (
              <tr key={d.id} data-testid="cred-row" data-device-id={d.id}>
                <td>
                  <span className="mono">{d.id}</span> <span className="muted">{nameOf(d, lang)}</span>
                </td>
                <td>{t(`view.${d.scene}`)}</td>
                <td className="mono">{c ? `${formatTime(c.issuedAt)} · ${c.issuedBy}` : <span className="muted">{t('adminUi.devices.none')}</span>}</td>
                <td className="admin-actions">
                  <button type="button" className="ghost" data-testid="cred-issue" onClick={() => void issue(d.id)}>
                    {c ? t('adminUi.devices.rotate') : t('adminUi.devices.issue')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <form className="admin-form" data-testid="gateway-create" onSubmit={(e) => void makeGateway(e)}>
        <h3>{t('adminUi.devices.gateways')}</h3>
        <p className="admin-intro">{t('adminUi.devices.gatewayIntro')}</p>
        {gateways.map((g) => (
          <div key={g.username} className="gateway-row mono">
            {g.username} · {(g.siteIds ?? []).map((id) => nameOf(sites.get(id), lang) || id).join(', ')} · {formatTime(g.issuedAt)}
          </div>
        ))}
        <input
          aria-label={t('adminUi.devices.gatewayId')}
          placeholder={t('adminUi.devices.gatewayId')}
          required
          pattern="[A-Za-z0-9_\-]{1,64}"
          data-testid="gateway-id"
          value={gateway.id}
          onChange={(e) => setGateway({ ...gateway, id: e.target.value })}
        />
        <select
          multiple
          aria-label={t('adminUi.devices.sites')}
          data-testid="gateway-sites"
          value={gateway.siteIds}
          onChange={(e) => setGateway({ ...gateway, siteIds: [...e.target.selectedOptions].map((o) => o.value) })}
        >
          {siteList.map((s) => (
            <option key={s.id} value={s.id}>
              {nameOf(s, lang) || s.id} ({t(`view.${s.scene}`)})
            </option>
          ))}
        </select>
        <button type="submit" className="primary" data-testid="gateway-submit">
          {t('adminUi.devices.createGateway')}
        </button>
      </form>
      {secret && <SecretDialog creds={secret.creds} topic={secret.topic} onClose={() => setSecret(null)} />}
    </div>
  );
}
