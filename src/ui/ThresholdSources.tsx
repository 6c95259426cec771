/**
 * Why a device alarms where it does: each threshold in force with its source — the standard's
 * clause, the registry's own limit, a site override or a device override (who set it, when, and the
 * reason a looser one was accepted). Folded by default; asked of the service when opened, and again
 * when the registry changes while it is open.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { quantitySchema, type Device } from '../contracts';
import { fetchAnswer } from '../live/api';
import { useTwin } from '../state/react';
import { formatValue, nameOf } from './format';
import { formatTime } from './history/api';

/** `GET /api/thresholds/{deviceId}`: the limits in force, each with where it comes from. */
const thresholdsSchema = z.object({
  deviceId: z.string(),
  thresholds: z.array(
    z.object({
      quantity: quantitySchema,
      limit: z.enum(['high', 'highHigh', 'low', 'lowLow']),
      severity: z.enum(['major', 'critical']),
      value: z.number(),
      standard: z.number().nullable(),
      source: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('standard'), clause: z.string() }),
        z.object({ kind: z.literal('registry') }),
        z.object({ kind: z.literal('site'), siteId: z.string(), reason: z.string().nullable(), setBy: z.string().nullable(), setAt: z.number() }),
        z.object({ kind: z.literal('device'), reason: z.string().nullable(), setBy: z.string().nullable(), setAt: z.number() }),
      ]),
    }),
  ),
});
type Thresholds = z.infer<typeof thresholdsSchema>;
type Source = Thresholds['thresholds'][number]['source'];

export function ThresholdSources({ device }: { device: Device }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [data, setData] = useState<Thresholds | null>(null);
  const [error, setError] = useState<string | null>(null);
  const token = useTwin((s) => s.auth?.token);
  // The device object is replaced when the registry reloads: a changed override is fetched again.
  useEffect(() => {
    if (!open || !token) return;
    const ctl = new AbortController();
    fetchAnswer(`/api/thresholds/${encodeURIComponent(device.id)}`, thresholdsSchema, { token, signal: ctl.signal }).then(
      (d) => {
        setData(d);
        setError(null);
      },
      (e: Error) => !ctl.signal.aborted && setError(e.message),
    );
    return () => ctl.abort();
  }, [open, token, device]);

  return (
    <details className="threshold-sources" data-testid="threshold-sources" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('adminUi.thresholds.title')}</summary>
      {error && <p className="muted">{t('adminUi.failed', { msg: error })}</p>}
      {data && (
        <table className="threshold-table">
          <thead>
            <tr>
              <th>{t('adminUi.thresholds.quantity')}</th>
              <th>{t('adminUi.thresholds.limit')}</th>
              <th>{t('adminUi.thresholds.value')}</th>
              <th>{t('adminUi.thresholds.source')}</th>
            </tr>
          </thead>
          <tbody>
            {data.thresholds.map((r) => (
              <tr key={`${r.quantity}:${r.limit}`} data-testid="threshold-row" data-quantity={r.quantity} data-limit={r.limit} data-source={r.source.kind}>
                <td>{t(`q.${r.quantity}`)}</td>
                <td className={`sev-text-${r.severity}`}>{t(`limit.${r.limit}`)}</td>
                <td className="mono">
                  {formatValue(r.quantity, r.value)} {t(`unit.${r.quantity}`)}
                  {r.standard !== null && r.standard !== r.value && <span className="muted"> ({t('adminUi.thresholds.standardValue', { value: formatValue(r.quantity, r.standard) })})</span>}
                </td>
                <td>
                  <SourceText source={r.source} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}

function SourceText({ source }: { source: Source }) {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  const site = useTwin((s) => (source.kind === 'site' ? s.sites.get(source.siteId) : undefined));
  if (source.kind === 'standard') return <>{t('adminUi.thresholds.standard', { clause: source.clause })}</>;
  if (source.kind === 'registry') return <>{t('adminUi.thresholds.registry')}</>;
  const head = source.kind === 'site' ? t('adminUi.thresholds.site', { site: nameOf(site, lang) || source.siteId }) : t('adminUi.thresholds.device');
  const who = [source.setBy && t('adminUi.thresholds.by', { who: source.setBy }), formatTime(source.setAt), source.reason && t('adminUi.thresholds.reason', { reason: source.reason })];
  return (
    <>
      <b>{head}</b> <span className="muted">{who.filter(Boolean).join(' · ')}</span>
    </>
  );
}
