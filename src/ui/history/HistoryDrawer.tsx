/**
 * The alarm history drawer: a search box and filters (scene, severity, state, time window), the
 * matching alarms newest first — closed ones included — and, for a clicked alarm, its transitions.
 * "Export CSV" downloads the same filtered history. Follows new alarm changes while open.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ALARM_STATES, SCENES, SEVERITIES, type AlarmRecord } from '../../contracts';
import { alarmText } from '../../domain/texts';
import { useSay, useTwin } from '../../state/react';
import { nameOf, ruleTitle } from '../format';
import { AlarmTimeline } from './AlarmTimeline';
import { HISTORY_WINDOWS, NO_FILTERS, downloadHistoryCsv, fetchHistory, formatTime, type HistoryFilters, type HistoryWindow } from './api';
import { tools, useTools } from './tools';
import './history.css';

/** Typing pauses this long before a search goes out. */
const SEARCH_DEBOUNCE_MS = 300;
/** Alarm changes arrive in bursts; the drawer refreshes at most this often because of them. */
const REFRESH_MS = 1000;

export function HistoryDrawer() {
  const open = useTools((s) => s.historyOpen);
  return open ? <Drawer /> : null;
}

function Drawer() {
  const { t } = useTranslation();
  const token = useTwin((s) => s.auth?.token);
  const view = useTwin((s) => s.view);
  const lang = useTwin((s) => s.lang);
  const devices = useTwin((s) => s.devices);
  const sites = useTwin((s) => s.sites);
  const say = useSay();
  const alarmsVersion = useTwin((s) => s.alarmsVersion);
  const [filters, setFilters] = useState<HistoryFilters>(() => ({ ...NO_FILTERS, scene: view === 'overview' ? '' : view }));
  const [query, setQuery] = useState(filters.q);
  const [rows, setRows] = useState<AlarmRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => (f.q === query ? f : { ...f, q: query })), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query]);

  useEffect(() => {
    const timer = setTimeout(() => setRefresh((n) => n + 1), REFRESH_MS);
    return () => clearTimeout(timer);
  }, [alarmsVersion]);

  useEffect(() => {
    if (!token) return;
    const abort = new AbortController();
    fetchHistory(token, filters, abort.signal).then(
      (list) => {
        setRows(list);
        setError(null);
      },
      (e: Error) => e.name !== 'AbortError' && setError(e.message),
    );
    return () => abort.abort();
  }, [token, filters, refresh]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && tools.getState().set({ historyOpen: false });
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const current = useMemo(() => rows?.find((r) => r.id === selected) ?? null, [rows, selected]);
  const patch = (p: Partial<HistoryFilters>) => setFilters((f) => ({ ...f, ...p }));
  const exportCsv = async () => {
    if (!token) return;
    setExporting(true);
    try {
      await downloadHistoryCsv(token, { ...filters, q: query }, lang);
    } catch (e) {
      setError(t('commonUi.history.exportFailed', { msg: (e as Error).message }));
    } finally {
      setExporting(false);
    }
  };

  return (
    <aside className="panel history-drawer" data-testid="history-drawer" aria-label={t('commonUi.history.title')}>
      <header className="panel-head">
        <h2>
          {t('commonUi.history.title')}
          <span className="panel-sub">{rows ? t('commonUi.history.count', { count: rows.length }) : t('commonUi.history.loading')}</span>
        </h2>
        <button type="button" className="close" aria-label={t('common.close')} data-testid="history-close" onClick={() => tools.getState().set({ historyOpen: false })}>
          ×
        </button>
      </header>
      <div className="hist-filters">
        <input
          type="search"
          className="hist-search"
          data-testid="history-search"
          placeholder={t('commonUi.history.search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <select data-testid="history-scene" aria-label={t('commonUi.history.scene')} value={filters.scene} onChange={(e) => patch({ scene: e.target.value as HistoryFilters['scene'] })}>
          <option value="">{t('commonUi.history.allScenes')}</option>
          {SCENES.map((s) => (
            <option key={s} value={s}>
              {t(`view.${s}`)}
            </option>
          ))}
        </select>
        <select data-testid="history-severity" aria-label={t('commonUi.history.severity')} value={filters.severity} onChange={(e) => patch({ severity: e.target.value as HistoryFilters['severity'] })}>
          <option value="">{t('commonUi.history.allSeverities')}</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {t(`sev.${s}`)}
            </option>
          ))}
        </select>
        <select data-testid="history-state" aria-label={t('commonUi.history.state')} value={filters.state} onChange={(e) => patch({ state: e.target.value as HistoryFilters['state'] })}>
          <option value="">{t('commonUi.history.allStates')}</option>
          <option value="open">{t('commonUi.history.open')}</option>
          {ALARM_STATES.map((s) => (
            <option key={s} value={s}>
              {t(`commonUi.history.stateName.${s}`)}
            </option>
          ))}
        </select>
        <select data-testid="history-window" aria-label={t('commonUi.history.window')} value={filters.window} onChange={(e) => patch({ window: e.target.value as HistoryWindow })}>
          {(Object.keys(HISTORY_WINDOWS) as HistoryWindow[]).map((w) => (
            <option key={w} value={w}>
              {t(`commonUi.history.windows.${w}`)}
            </option>
          ))}
        </select>
        <button type="button" className="ghost" data-testid="history-export" disabled={exporting} onClick={() => void exportCsv()}>
          {exporting ? t('commonUi.history.exporting') : t('commonUi.history.export')}
        </button>
      </div>
      {error && <div className="hist-error warn">{t('commonUi.history.failed', { msg: error })}</div>}
      <div className="hist-body">
        {current ? (
          <AlarmTimeline alarm={current} version={refresh} onBack={() => setSelected(null)} />
        ) : rows && rows.length === 0 ? (
          <div className="empty">{t('commonUi.history.empty')}</div>
        ) : (
          <table className="hist-table">
            <thead>
              <tr>
                <th>{t('commonUi.history.col.raised')}</th>
                <th>{t('commonUi.history.col.severity')}</th>
                <th>{t('commonUi.history.col.alarm')}</th>
                <th>{t('commonUi.history.col.device')}</th>
                <th>{t('commonUi.history.col.state')}</th>
                <th>{t('commonUi.history.col.acked')}</th>
              </tr>
            </thead>
            <tbody>
              {rows?.map((a) => {
                const device = a.deviceId ? devices.get(a.deviceId) : undefined;
                const site = a.siteId ? sites.get(a.siteId) : undefined;
                return (
                  <tr
                    key={a.id}
                    className={`hist-row state-${a.state}`}
                    data-testid="history-row"
                    data-alarm-id={a.id}
                    data-device-id={a.deviceId ?? ''}
                    data-state={a.state}
                    tabIndex={0}
                    onClick={() => setSelected(a.id)}
                    onKeyDown={(e) => e.key === 'Enter' && setSelected(a.id)}
                  >
                    <td className="mono">{formatTime(a.raisedAt)}</td>
                    <td>
                      <span className={`sev-chip sev-${a.severity}`}>{t(`sev.${a.severity}`)}</span>
                      {a.peakSeverity && a.peakSeverity !== a.severity && (
                        <span className={`sev-chip sev-${a.peakSeverity} peak`} data-testid="history-peak">
                          {t('commonUi.history.peak', { sev: t(`sev.${a.peakSeverity}`) })}
                        </span>
                      )}
                    </td>
                    <td title={alarmText(a, say)}>{ruleTitle(a.rule, t)}</td>
                    <td>{nameOf(device, lang) || nameOf(site, lang) || a.deviceId || a.siteId}</td>
                    <td>{t(`commonUi.history.stateName.${a.state}`)}</td>
                    <td>{a.ackedBy ? `${a.ackedBy} · ${formatTime(a.ackedAt ?? a.updatedAt).slice(11)}` : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </aside>
  );
}
