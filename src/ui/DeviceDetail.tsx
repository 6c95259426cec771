/**
 * The selected device: what and where it is, its health, how fresh its data is, and each quantity's
 * live value (big) against its limits, and where each limit comes from (folded). Re-renders only when this device's live entry changes.
 */
import { Suspense, lazy, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Device, Quantity } from '../contracts';
import { limitsFor } from '../domain';
import { deviceAlarmSeverity, deviceHealth, deviceLink, quantityState } from '../view';
import { twin, useNow, useTwin } from '../state/react';
import { formatAge, nameOf } from './format';
import { QuantityTile } from './QuantityTile';
import { ThresholdSources } from './ThresholdSources';

// uPlot is fetched with the first chart, not before the first scene.
const DeviceChart = lazy(async () => ({ default: (await import('./charts/DeviceChart')).DeviceChart }));

export function DeviceDetail() {
  const id = useTwin((s) => s.selectedDeviceId);
  const device = useTwin((s) => (id ? s.devices.get(id) : undefined));
  useEffect(() => {
    if (!id) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && twin.getState().select({ deviceId: null, siteId: null });
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [id]);
  if (!device) return null;
  return <DeviceCard device={device} />;
}

function DeviceCard({ device }: { device: Device }) {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  const live = useTwin((s) => s.live.get(device.id));
  const site = useTwin((s) => s.sites.get(device.siteId));
  const parent = useTwin((s) => (site?.parentId ? s.sites.get(site.parentId) : undefined));
  const alarmsVersion = useTwin((s) => s.alarmsVersion);
  const now = useNow(1000);
  const limits = useMemo(() => limitsFor(device), [device]);

  // `alarms` is mutated in place; alarmsVersion is in the deps so health follows it.
  const health = useMemo(
    () => deviceHealth(device, live, deviceAlarmSeverity(device.id, twin.getState().alarms), now),
    [device, live, alarmsVersion, now],
  );
  const link = deviceLink(device, live, now);
  const dim = link !== 'online';
  const healthLabel = health === 'normal' || health === 'stale' || health === 'offline' || health === 'nodata' ? t(`health.${health}`) : t(`sev.${health}`);

  return (
    <section className="panel device-detail" data-testid="device-detail" data-device-id={device.id} data-health={health}>
      <header className="panel-head">
        <div className="device-title">
          {/* The id is for the technician who configures the device: in the tooltip, not in the operator's text. */}
          <h2 title={device.id}>{nameOf(device, lang)}</h2>
          <div className="device-sub">
            {t(`device.kind.${device.kind}`, { defaultValue: device.kind })}
            {device.level && <> · {t('device.levelLabel', { level: t(`device.level.${device.level}`) })}</>}
          </div>
        </div>
        <button
          type="button"
          className="close"
          aria-label={t('device.close')}
          data-testid="device-close"
          onClick={() => twin.getState().select({ deviceId: null, siteId: null })}
        >
          ×
        </button>
      </header>
      <div className="device-meta">
        <span className={`badge health-${health}`} data-testid="device-health">
          {healthLabel}
        </span>
        {health !== link && link !== 'online' && <span className={`badge health-${link}`}>{t(`health.${link}`)}</span>}
        <span className="meta-item">
          {t('device.site')}: {[nameOf(site, lang), nameOf(parent, lang)].filter(Boolean).join(' · ') || device.siteId}
        </span>
        <span className="meta-item" data-testid="device-age">
          {t('device.lastUpdate')}: {live?.ts ? formatAge(now - live.ts, t) : t('device.never')}
        </span>
      </div>
      {device.quantities.length === 0 ? (
        <p className="muted">{t('device.noQuantities')}</p>
      ) : (
        <div className="quantities">
          {device.quantities.map((q: Quantity) => (
            <QuantityTile
              key={q}
              quantity={q}
              value={live?.values[q]}
              limits={limits[q]}
              state={dim ? 'stale' : quantityState(q, live?.values[q], limits[q])}
            />
          ))}
        </div>
      )}
      {device.quantities.length > 0 && (
        <Suspense fallback={null}>
          <DeviceChart key={device.id} device={device} limits={limits} />
        </Suspense>
      )}
      {device.quantities.length > 0 && <ThresholdSources key={`t-${device.id}`} device={device} />}
    </section>
  );
}
