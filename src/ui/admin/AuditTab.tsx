/** The audit log: who did what, when and from where, filtered by time, user and action; CSV export. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditRecord } from '../../contracts';
import { formatTime } from '../history/api';
import { downloadAuditCsv, fetchAudit, type AuditFilters } from './api';

/** Action families the filter offers; each matches the action and its `.…` variants. */
const ACTIONS = ['login', 'logout', 'alarm', 'user', 'password', 'credentials', 'service'] as const;

export function AuditTab({ token }: { token: string }) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<AuditFilters>({ from: '', to: '', user: '', action: '' });
  const [rows, setRows] = useState<AuditRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const search = useCallback(
    (f: AuditFilters) => {
      fetchAudit(token, f).then(
        (list) => {
          setRows(list);
          setError(null);
        },
        (e: Error) => setError(e.message),
      );
    },
    [token],
  );
  useEffect(() => search({ from: '', to: '', user: '', action: '' }), [search]);
  const patch = (p: Partial<AuditFilters>) => setFilters((f) => ({ ...f, ...p }));

  return (
    <div className="admin-page" data-testid="admin-audit">
      <form
        className="admin-filters"
        onSubmit={(e) => {
          e.preventDefault();
          search(filters);
        }}
      >
        <label>
          {t('adminUi.audit.from')}
          <input type="datetime-local" data-testid="audit-from" value={filters.from} onChange={(e) => patch({ from: e.target.value })} />
        </label>
        <label>
          {t('adminUi.audit.to')}
          <input type="datetime-local" data-testid="audit-to" value={filters.to} onChange={(e) => patch({ to: e.target.value })} />
        </label>
        <input placeholder={t('adminUi.audit.user')} aria-label={t('adminUi.audit.user')} data-testid="audit-user" value={filters.user} onChange={(e) => patch({ user: e.target.value })} />
        <select aria-label={t('adminUi.audit.action')} data-testid="audit-action" value={filters.action} onChange={(e) => patch({ action: e.target.value })}>
          <option value="">{t('adminUi.audit.anyAction')}</option>
          {ACTIONS.map((a) => (
            <option key={a} value={a}>
              {t(`adminUi.audit.actions.${a}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="primary" data-testid="audit-search">
          {t('adminUi.audit.apply')}
        </button>
        <button type="button" className="ghost" data-testid="audit-export" onClick={() => void downloadAuditCsv(token, filters).catch((e: Error) => setError(e.message))}>
          {t('adminUi.audit.export')}
        </button>
      </form>
      {error && <div className="admin-note warn">{t('adminUi.failed', { msg: error })}</div>}
      {rows && rows.length === 0 ? (
        <div className="empty">{t('adminUi.audit.empty')}</div>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th>{t('adminUi.audit.time')}</th>
              <th>{t('adminUi.audit.user')}</th>
              <th>{t('adminUi.audit.address')}</th>
              <th>{t('adminUi.audit.action')}</th>
              <th>{t('adminUi.audit.target')}</th>
              <th>{t('adminUi.audit.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {rows?.map((e, i) => (
              <tr key={`${e.ts}-${i}`} data-testid="audit-row" data-action={e.action}>
                <td className="mono">{formatTime(e.ts)}</td>
                <td>{e.user ?? '—'}</td>
                <td className="mono">{e.address ?? '—'}</td>
                <td className="mono">{e.action}</td>
                <td className="mono">{e.target ?? ''}</td>
                <td className="mono detail">{e.detail ? JSON.stringify(e.detail) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
