/**
 * The active leak(s): for each danger zone from GET /api/zones, its source and concentration, the
 * wind (an arrow pointing where the cloud goes, and the speed), the people count, the hazmat trucks
 * inside and every affected site — enterprises first, coloured by their risk level — and why the
 * zone reaches as far as it does (ZoneWhy).
 */
import { useTranslation } from 'react-i18next';
import type { RiskLevel, ZoneFeature } from '../../../contracts';
import { zones as zonesResource } from '../../../state/park';
import { twin, useResource, useTwin } from '../../../state/react';
import { nameOf } from '../../format';
import { useGlobe } from '../../globe';
import { ZoneWhy } from './ZoneWhy';

export function ZonePanel() {
  const { t } = useTranslation();
  const zones = useResource(zonesResource, (s) => s.data);
  if (!zones || zones.length === 0) return null;
  return (
    <section className="park-card park-zone" data-testid="park-zone-panel" data-zone-count={zones.length}>
      <h3 className="park-card-title">
        {t('parkUi.zone.title')}
        <span className="park-card-count">{zones.length}</span>
      </h3>
      {zones.map((z) => (
        <ZoneCard key={z.properties.alarmId} zone={z} />
      ))}
    </section>
  );
}

function ZoneCard({ zone }: { zone: ZoneFeature }) {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  const sites = useTwin((s) => s.sites);
  const devices = useTwin((s) => s.devices);
  const globe = useGlobe();
  const p = zone.properties;
  const source = devices.get(p.sourceDeviceId);
  const entIds = new Set(p.affectedEnterprises.map((e) => e.id));
  const others = p.affectedSiteIds.filter((id) => !entIds.has(id));
  const toDeg = p.windFromDeg === null ? null : (p.windFromDeg + 180) % 360;
  const fly = () => globe?.scenes.park?.flyToZone(p.alarmId);
  const focusSite = (id: string) => {
    twin.getState().select({ siteId: id, deviceId: null });
    globe?.flyToSite(id);
  };

  return (
    <div className={`zone-card ${p.active ? 'zone-active' : 'zone-cleared'}`} data-alarm-id={p.alarmId} data-active={p.active ? 'true' : 'false'}>
      <div className="zone-head">
        <span className={`sev-chip sev-${p.active ? 'critical' : 'major'}`}>{p.active ? t('parkUi.zone.active') : t('parkUi.zone.cleared')}</span>
        <button type="button" className="ghost small" onClick={fly}>
          {t('parkUi.zone.show')}
        </button>
      </div>
      <div className="zone-source">
        <span className="muted">{t('parkUi.zone.source')}:</span> {nameOf(source, lang) || p.sourceDeviceId} · {t(`q.${p.quantity}`)}{' '}
        {t('parkUi.zone.ratio', { ratio: p.concentrationRatio.toFixed(1) })}
      </div>
      <div className="zone-figures">
        <div className="zone-wind" data-testid="zone-wind" data-from-deg={p.windFromDeg ?? ''} data-speed-ms={p.windSpeedMs ?? ''}>
          {p.calm || toDeg === null ? (
            <span className="wind-calm">○</span>
          ) : (
            <span className="wind-arrow" style={{ transform: `rotate(${toDeg}deg)` }} aria-hidden>
              ↑
            </span>
          )}
          <div>
            <div className="zone-big">{p.calm || p.windSpeedMs === null ? '—' : `${p.windSpeedMs.toFixed(1)} m/s`}</div>
            <div className="muted small">
              {p.calm || p.windFromDeg === null ? t('parkUi.zone.calm') : t('parkUi.zone.from', { deg: Math.round(p.windFromDeg) })}
            </div>
          </div>
        </div>
        <div className="zone-people">
          <div className="zone-big" data-testid="zone-people">
            {p.peopleCount}
          </div>
          <div className="muted small">{t('parkUi.zone.people')}</div>
        </div>
        <div className="zone-people">
          <div className="zone-big">{p.trucksInside.length}</div>
          <div className="muted small">{t('parkUi.zone.trucks')}</div>
        </div>
      </div>
      <ZoneWhy p={p} />
      {p.affectedEnterprises.length > 0 && (
        <>
          <div className="zone-sub">{t('parkUi.zone.enterprises')}</div>
          <ul className="zone-list">
            {p.affectedEnterprises.map((e) => (
              <li
                key={e.id}
                className={`zone-row risk-${(e.riskLevel as RiskLevel | null) ?? 'none'}`}
                data-testid={`zone-affected-${e.id}`}
                data-site-id={e.id}
                onClick={() => focusSite(e.id)}
              >
                <span className="risk-swatch" aria-hidden />
                <span className="zone-row-name">{lang === 'zh' ? e.nameZh || e.name : e.name}</span>
                <span className="zone-row-n">{t('parkUi.zone.people')}: {e.people}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {p.trucksInside.length > 0 && (
        <>
          <div className="zone-sub">{t('parkUi.zone.trucks')}</div>
          <ul className="zone-list">
            {p.trucksInside.map((id) => (
              <li key={id} className="zone-row" data-testid={`zone-truck-${id}`} onClick={() => globe?.flyToDevice(id)}>
                <span className="truck-dot" aria-hidden />
                <span className="zone-row-name">{nameOf(devices.get(id), lang) || id}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {others.length > 0 && (
        <>
          <div className="zone-sub">{t('parkUi.zone.otherSites')}</div>
          <ul className="zone-list zone-list-compact">
            {others.map((id) => (
              <li key={id} className="zone-row" data-testid={`zone-affected-${id}`} data-site-id={id} onClick={() => focusSite(id)}>
                <span className="zone-row-name">{nameOf(sites.get(id), lang) || id}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
