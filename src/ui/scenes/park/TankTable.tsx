/**
 * Major hazard sources: every tank's level, pressure and temperature against its high / high-high
 * limits (cells coloured by band, from GET /api/park/summary). Clicking a tank selects its sensor
 * and flies to it; the device detail then shows its readings against limits and their last hours.
 */
import { useTranslation } from 'react-i18next';
import type { ParkSummary, Quantity } from '../../../contracts';
import { parkSummary } from '../../../state/park';
import { twin, useResource, useTwin } from '../../../state/react';
import { formatValue } from '../../format';
import { useGlobe } from '../../globe';

const COLUMNS: { q: Quantity; key: string }[] = [
  { q: 'level_pct', key: 'level' },
  { q: 'pressure_kpa', key: 'pressure' },
  { q: 'temp_c', key: 'temp' },
];

type Tank = ParkSummary['tanks'][number];

export function TankTable() {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  const selectedDevice = useTwin((s) => s.selectedDeviceId);
  const tanks = useResource(parkSummary, (s) => s.data?.tanks);
  const globe = useGlobe();
  if (!tanks) return null;

  const pick = (tank: Tank) => {
    if (!tank.deviceId) return;
    twin.getState().select({ deviceId: tank.deviceId, siteId: tank.id });
    globe?.flyToDevice(tank.deviceId);
  };

  return (
    <section className="park-card" data-testid="park-tank-table">
      <h3 className="park-card-title">{t('parkUi.tanks.title')}</h3>
      <table className="tank-table">
        <thead>
          <tr>
            <th>{t('parkUi.tanks.tank')}</th>
            {COLUMNS.map((c) => (
              <th key={c.q}>{t(`parkUi.tanks.${c.key}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {tanks.map((tank) => {
            const sel = tank.deviceId !== null && tank.deviceId === selectedDevice;
            const dim = tank.status !== 'online';
            return (
              <tr
                key={tank.id}
                className={`tank-row${sel ? ' selected' : ''}${dim ? ' dim' : ''}`}
                data-testid="tank-row"
                data-tank-id={tank.id}
                data-device-id={tank.deviceId ?? ''}
                onClick={() => pick(tank)}
              >
                <td className="tank-name" title={tank.substance ?? undefined}>
                  {shortName(lang === 'zh' ? tank.nameZh || tank.name : tank.name)}
                </td>
                {COLUMNS.map((c) => {
                  const band = tank.bands[c.q] ?? 'normal';
                  const l = tank.limits[c.q];
                  return (
                    <td
                      key={c.q}
                      className={`tank-cell band-${dim ? 'stale' : band}`}
                      data-testid={`tank-${c.q}`}
                      data-band={band}
                      title={l ? `${t(`parkUi.tanks.band.${band}`)} · ${t('parkUi.tanks.limits', { h: l.high ?? '—', hh: l.highHigh ?? '—' })}` : undefined}
                    >
                      {formatValue(c.q, tank.values[c.q])}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** "Hengyu tank 1 (methanol)" is too long for a 380 px table: the substance goes to the tooltip. */
function shortName(name: string): string {
  return name.replace(/\s*[（(].*[)）]\s*$/, '');
}
