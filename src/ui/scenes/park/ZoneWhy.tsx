/**
 * Why a leak zone is as long as it is: the substance and its endpoint (AEGL-2 or the flammable
 * limit), the Pasquill–Gifford stability of the hour (day or night, wind, cloud), the planning
 * release the plume is drawn for, and the reach that follows. Light wind on a clear night gives
 * the longest zone, and the panel says so when it is the case.
 */
import { useTranslation } from 'react-i18next';
import { SUBSTANCES } from '../../../domain';
import type { ZoneFeature } from '../../../contracts';
import { useTwin } from '../../../state/react';

export function ZoneWhy({ p }: { p: ZoneFeature['properties'] }) {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  if (!p.substance || !p.stability) return <div className="muted small">{t('parkUi.zone.length', { m: p.lengthM })}</div>;
  const s = SUBSTANCES[p.substance];
  const name = s ? (lang === 'zh' ? s.zh : s.en) : p.substance;
  const worstCase = p.stability === 'F' || p.stability === 'E';
  return (
    <div className="zone-why" data-testid="zone-why" data-substance={p.substance} data-stability={p.stability} data-length-m={p.lengthM}>
      <div className="zone-why-reach">
        <b>{t('parkUi.zone.length', { m: p.lengthM })}</b>
        {p.capped && <span className="muted"> {t('parkUi.why.capped')}</span>}
      </div>
      <ul className="zone-why-list">
        <li>{t('parkUi.why.substance', { name, ppm: p.endpointPpm, kind: p.endpointKind })}</li>
        <li>
          {t('parkUi.why.stability', { cls: p.stability, desc: t(`parkUi.why.class.${p.stability}`) })}{' '}
          <span className="muted">
            {t(p.daytime ? 'parkUi.why.day' : 'parkUi.why.night', { deg: p.sunElevationDeg })}
            {p.cloudCoverTenths != null ? ` · ${t('parkUi.why.cloud', { tenths: p.cloudCoverTenths })}` : ` · ${t('parkUi.why.cloudUnknown')}`}
          </span>
        </li>
        <li>{t('parkUi.why.release', { gs: p.releaseRateGs })}</li>
      </ul>
      {worstCase && <div className="zone-why-worst">{t('parkUi.why.worstCase')}</div>}
    </div>
  );
}
