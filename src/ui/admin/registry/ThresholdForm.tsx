/**
 * A site's or device's threshold override: for each quantity its devices report, the level-1
 * (`major`) and level-2 (`critical`) limits, and the low ones for oxygen. Tighter than the standard
 * is free; looser needs a reason, which the service records and the device detail shows. Saving
 * replaces the whole override; clearing every field removes it.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { Quantity } from '../../../contracts';
import { fetchAnswer } from '../../../live/api';
import { useTwin } from '../../../state/react';
import { FormErrors, useSubmit } from './FormErrors';
import { putThresholds } from './api';

const FIELDS = ['major', 'critical', 'majorLow', 'criticalLow'] as const;
type Field = (typeof FIELDS)[number];
/** Quantities that alarm when too low (oxygen deficiency) also get the low fields. */
const LOW_TOO = new Set<Quantity>(['o2_pct']);

const limitsSchema = z.record(z.string(), z.partialRecord(z.enum(FIELDS), z.number()));
const overrideSchema = z.object({ targetId: z.string(), target: z.enum(['site', 'device']), limits: limitsSchema, reason: z.string().nullable() });
/** A device's answer lists its overrides (its own and its sites'); a site's has its own. */
const answerSchema = z.union([z.object({ deviceId: z.string(), overrides: z.array(overrideSchema) }), z.object({ siteId: z.string(), override: overrideSchema.nullable() })]);

type Draft = Record<string, Partial<Record<Field, string>>>;

export function ThresholdForm({ type, id }: { type: 'site' | 'device'; id: string }) {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  const token = useTwin((s) => s.auth?.token);
  const devices = useTwin((s) => s.devices);
  const sites = useTwin((s) => s.sites);
  const [draft, setDraft] = useState<Draft>({});
  const [reason, setReason] = useState('');
  const [saved, setSaved] = useState(false);
  const { busy, error, submit } = useSubmit();

  const quantities = useMemo(() => {
    if (type === 'device') return devices.get(id)?.quantities ?? [];
    const under = (siteId: string): boolean => {
      for (let s = sites.get(siteId), n = 0; s && n < 20; s = s.parentId ? sites.get(s.parentId) : undefined, n++) if (s.id === id) return true;
      return false;
    };
    const qs = new Set<Quantity>();
    for (const d of devices.values()) if (under(d.siteId)) for (const q of d.quantities) qs.add(q);
    return [...qs].sort();
  }, [type, id, devices, sites]);

  useEffect(() => {
    if (!token) return;
    const ctl = new AbortController();
    fetchAnswer(`/api/thresholds/${encodeURIComponent(id)}`, answerSchema, { token, signal: ctl.signal }).then(
      (a) => {
        const own = 'overrides' in a ? a.overrides.find((o) => o.target === 'device' && o.targetId === id) : a.override;
        const d: Draft = {};
        for (const [q, l] of Object.entries(own?.limits ?? {})) d[q] = Object.fromEntries(Object.entries(l).map(([f, v]) => [f, String(v)]));
        setDraft(d);
        setReason(own?.reason ?? '');
      },
      () => undefined,
    );
    return () => ctl.abort();
  }, [token, id]);

  const setField = (q: Quantity, f: Field, v: string) => {
    setSaved(false);
    setDraft((cur) => ({ ...cur, [q]: { ...cur[q], [f]: v } }));
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    for (const [q, l] of Object.entries(draft)) {
      const limits = Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined && v.trim() !== '').map(([f, v]) => [f, Number(v)]));
      if (Object.keys(limits).length > 0) body[q] = limits;
    }
    if (reason.trim()) body.reason = reason.trim();
    void submit(async (tok) => {
      await putThresholds(tok, lang, id, body);
      setSaved(true);
    });
  };

  if (quantities.length === 0) return null;
  return (
    <form className="admin-form reg-form threshold-form" data-testid="threshold-form" onSubmit={save}>
      <h3>{t('adminUi.thresholds.override')}</h3>
      <p className="admin-intro">{t('adminUi.thresholds.overrideIntro')}</p>
      <table className="admin-table">
        <thead>
          <tr>
            <th>{t('adminUi.thresholds.quantity')}</th>
            {FIELDS.map((f) => <th key={f}>{t(`adminUi.thresholds.field.${f}`)}</th>)}
          </tr>
        </thead>
        <tbody>
          {quantities.map((q) => (
            <tr key={q} data-quantity={q}>
              <td>
                {t(`q.${q}`)} <span className="muted">{t(`unit.${q}`)}</span>
              </td>
              {FIELDS.map((f) => (
                <td key={f}>
                  {(!f.endsWith('Low') || LOW_TOO.has(q)) && (
                    <input inputMode="decimal" aria-label={`${q} ${f}`} data-testid={`threshold-${q}-${f}`} value={draft[q]?.[f] ?? ''} onChange={(e) => setField(q, f, e.target.value)} />
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <label className="threshold-reason">
        {t('adminUi.thresholds.reasonLabel')}
        <input data-testid="threshold-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <FormErrors error={error} />
      <div className="reg-form-actions">
        {saved && <span className="ok-text" data-testid="threshold-saved">{t('adminUi.thresholds.saved')}</span>}
        <button type="submit" className="primary" data-testid="threshold-save" disabled={busy}>
          {t('adminUi.registry.save')}
        </button>
      </div>
    </form>
  );
}
