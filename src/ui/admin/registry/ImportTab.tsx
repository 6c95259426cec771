/**
 * Importing a registry file: choose a CSV or GeoJSON file, see its rows and what the service would
 * do with them (a dry run: rows created and updated, each error by line and field in the user's
 * language) before anything changes, then apply — all or nothing. Export buttons give the whole
 * registry back in either format, ready to edit and import again.
 */
import { useMemo, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { reloadRegistry } from '../../../live';
import { twin } from '../../../state';
import { useTwin } from '../../../state/react';
import { downloadRegistry, formatOf, importRegistry, type ImportAnswer, type ImportFormat, type RowError } from './api';
import { previewCsv, previewGeoJson, type Preview, type PreviewRow } from './preview';
import { VirtualRows } from './VirtualRows';
import './registry.css';

const ROW_PX = 30;
/** Columns shown in the preview (the file may have more; errors name any of them). */
const SHOWN = ['id', 'scene', 'kind', 'siteId', 'name', 'nameZh', 'lonDeg', 'latDeg', 'geometry', 'quantities'];

interface Chosen {
  name: string;
  text: string;
  format: ImportFormat;
  preview: Preview;
}

export function ImportTab() {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  const [file, setFile] = useState<Chosen | null>(null);
  const [check, setCheck] = useState<ImportAnswer | null>(null);
  const [applied, setApplied] = useState<ImportAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const token = () => twin.getState().auth?.token ?? '';

  const dryRun = async (chosen: Chosen) => {
    setBusy(true);
    try {
      setCheck(await importRegistry(token(), lang, chosen.text, chosen.format, true));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    e.target.value = '';
    if (!f) return;
    const text = await f.text();
    const format = formatOf(f.name, text);
    const chosen = { name: f.name, text, format, preview: format === 'csv' ? previewCsv(text) : previewGeoJson(text) };
    setFile(chosen);
    setCheck(null);
    setApplied(null);
    await dryRun(chosen);
  };
  const apply = async () => {
    if (!file) return;
    setBusy(true);
    try {
      const answer = await importRegistry(token(), lang, file.text, file.format, false);
      if (answer.errors.length > 0) setCheck(answer);
      else {
        setApplied(answer);
        setFile(null);
        setCheck(null);
        await reloadRegistry(twin);
      }
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const exportAs = (format: ImportFormat) => downloadRegistry(token(), format).catch((e: Error) => setError(e.message));

  const errorsByLine = useMemo(() => {
    const m = new Map<number, RowError[]>();
    for (const e of check?.errors ?? []) if (typeof e.line === 'number') m.set(e.line, [...(m.get(e.line) ?? []), e]);
    return m;
  }, [check]);
  const columns = file ? SHOWN.filter((c) => file.preview.columns.includes(c)) : [];
  const errorCount = check?.errors.length ?? 0;
  const badLines = errorsByLine.size;

  return (
    <div className="admin-page reg-page" data-testid="admin-import">
      <p className="admin-intro">{t('adminUi.import.intro')}</p>
      <div className="admin-filters">
        <label className="file-button primary">
          {t('adminUi.import.choose')}
          <input type="file" accept=".csv,.geojson,.json,text/csv,application/geo+json" data-testid="import-file" onChange={(e) => void choose(e)} />
        </label>
        <span className="reg-spacer" />
        <span className="muted">{t('adminUi.import.export')}</span>
        <button type="button" className="ghost" data-testid="export-csv" onClick={() => void exportAs('csv')}>CSV</button>
        <button type="button" className="ghost" data-testid="export-geojson" onClick={() => void exportAs('geojson')}>GeoJSON</button>
      </div>
      {error && <div className="admin-note warn" role="alert">{t('adminUi.failed', { msg: error })}</div>}
      {applied && (
        <div className="admin-note ok" data-testid="import-applied">
          {t('adminUi.import.applied', { created: applied.created, updated: applied.updated })}
        </div>
      )}
      {file && (
        <>
          <div className="import-summary" data-testid="import-summary" data-errors={errorCount} data-state={busy ? 'checking' : check ? 'checked' : 'idle'}>
            <b>{file.name}</b> · {t('adminUi.import.rows', { count: file.preview.rows.length })}
            {file.preview.problem && <span className="field-error"> · {t('adminUi.import.unreadable', { msg: file.preview.problem })}</span>}
            {busy && <span className="muted"> · {t('adminUi.import.checking')}</span>}
            {check && errorCount === 0 && <span className="ok-text"> · {t('adminUi.import.wouldApply', { created: check.created, updated: check.updated })}</span>}
            {check && errorCount > 0 && <span className="field-error"> · {t('adminUi.import.hasErrors', { errors: t('adminUi.import.errorCount', { count: errorCount }), lines: t('adminUi.import.onLines', { count: badLines }) })}</span>}
          </div>
          {check && errorCount > 0 && (
            <ul className="import-errors" data-testid="import-errors">
              {check.errors.slice(0, 200).map((e, i) => (
                <li key={i} data-testid="import-error" data-line={e.line ?? ''} data-field={e.field ?? ''}>
                  <span className="mono">{e.line ? t('adminUi.import.line', { n: e.line }) : t('adminUi.import.file')}</span>
                  {e.field && <b className="mono"> {e.field}</b>} {e.message}
                </li>
              ))}
              {errorCount > 200 && <li className="muted">{t('adminUi.import.more', { n: errorCount - 200 })}</li>}
            </ul>
          )}
          <VirtualRows<PreviewRow>
            rows={file.preview.rows}
            rowPx={ROW_PX}
            className="import-scroll"
            testId="import-preview"
            head={
              <tr>
                <th>{t(file.format === 'csv' ? 'adminUi.import.lineHead' : 'adminUi.import.featureHead')}</th>
                {columns.map((c) => <th key={c} className="mono">{c}</th>)}
              </tr>
            }
            render={(r) => {
              const errs = errorsByLine.get(r.line);
              return (
                <tr key={r.line} data-testid="preview-row" data-line={r.line} className={errs ? 'bad' : undefined} title={errs?.map((e) => `${e.field ?? ''} ${e.message}`).join('\n')}>
                  <td className="mono">{r.line}</td>
                  {columns.map((c) => (
                    <td key={c} className={errs?.some((e) => e.field === c) ? 'bad-cell' : undefined}>{r.cells[c]}</td>
                  ))}
                </tr>
              );
            }}
          />
          <div className="reg-form-actions">
            <button type="button" className="ghost" onClick={() => { setFile(null); setCheck(null); }}>
              {t('adminUi.registry.cancel')}
            </button>
            <button type="button" className="primary" data-testid="import-apply" disabled={busy || !check || errorCount > 0} onClick={() => void apply()}>
              {t('adminUi.import.apply', { count: (check?.created ?? 0) + (check?.updated ?? 0) })}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
