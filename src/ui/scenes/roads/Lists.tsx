/**
 * The controller's lists: worst segments (level, then speed against free flow), incidents, road
 * weather (fog band, ice) and now against the usual speed of the same hour, per road. A click on a
 * segment or incident selects the segment and flies the globe there.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentView, SegmentView, WeatherStationView } from '../../../contracts';
import { compareWorst, levelCss, speedRatio } from '../../../view';
import { incidents as incidentsResource, segments as segmentsResource, weather as weatherResource } from '../../../state/roads';
import { twin, useNow, useResource, useTwin } from '../../../state/react';
import { formatAge } from '../../format';
import { useGlobe } from '../../globe';

const NO_SEGMENTS: ReadonlyMap<string, SegmentView> = new Map();
const NO_INCIDENTS: IncidentView[] = [];
const NO_WEATHER: WeatherStationView[] = [];

const WORST_SHOWN = 8;

function useFocusSegment() {
  const globe = useGlobe();
  return (id: string) => {
    twin.getState().select({ siteId: id, deviceId: null });
    globe?.flyToSite(id);
  };
}

function useSegmentName() {
  const lang = useTwin((s) => s.lang);
  const sites = useTwin((s) => s.sites);
  return (id: string, seg?: SegmentView) => {
    const site = sites.get(id);
    return (lang === 'zh' ? (seg?.nameZh ?? site?.nameZh) : (seg?.name ?? site?.name)) || site?.name || id;
  };
}

const kmh = (v: number | null | undefined) => (v === null || v === undefined ? '—' : String(Math.round(v)));

export function WorstSegments() {
  const { t } = useTranslation();
  const segments = useResource(segmentsResource, (s) => s.data ?? NO_SEGMENTS);
  const selected = useTwin((s) => s.selectedSiteId);
  const focus = useFocusSegment();
  const nameOf = useSegmentName();
  const list = useMemo(() => [...segments.values()].sort(compareWorst).slice(0, WORST_SHOWN), [segments]);
  const anyJam = list.some((s) => (s.level ?? 0) >= 2);
  return (
    <section className="roads-sec" data-testid="roads-worst">
      <h3>{t('roadsUi.worst')}</h3>
      {!anyJam && list.length > 0 && <div className="roads-ok">{t('roadsUi.worstEmpty')}</div>}
      <ol className="roads-rows">
        {list.map((s) => {
          const v = s.smoothedSpeedKmh ?? s.speedKmh;
          const ratio = speedRatio(s);
          return (
            <li
              key={s.id}
              className={`roads-row${selected === s.id ? ' selected' : ''}`}
              data-testid="roads-worst-row"
              data-segment-id={s.id}
              data-level={s.level ?? 'unknown'}
              tabIndex={0}
              onClick={() => focus(s.id)}
              onKeyDown={(e) => (e.key === 'Enter' ? focus(s.id) : undefined)}
            >
              <span className="roads-bar" style={{ background: levelCss(s.level) }} aria-hidden />
              <div className="roads-row-main">
                <div className="roads-row-name">{nameOf(s.id, s)}</div>
                <div className="roads-hint">
                  {s.health !== 'ok' ? t(`roadsUi.health.${s.health}`) : t('roadsUi.speedOf', { v: kmh(v), free: Math.round(s.freeFlowKmh) })}
                  {s.closed && <span className="warn"> · {t('roadsUi.closed')}</span>}
                </div>
              </div>
              <div className="roads-row-right">
                <span className="roads-level" style={{ color: levelCss(s.level) }}>
                  {t(`roadsUi.level.${s.level ?? 'unknown'}`)}
                </span>
                {ratio !== null && (
                  <span className="roads-meter" aria-hidden>
                    <span style={{ width: `${Math.min(100, Math.round(ratio * 100))}%`, background: levelCss(s.level) }} />
                  </span>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

export function IncidentList() {
  const { t } = useTranslation();
  const incidents = useResource(incidentsResource, (s) => s.data ?? NO_INCIDENTS);
  const focus = useFocusSegment();
  const nameOf = useSegmentName();
  const now = useNow(5000);
  const list = useMemo(
    () => [...incidents].sort((a, b) => Number(a.state !== 'open') - Number(b.state !== 'open') || b.openedAt - a.openedAt),
    [incidents],
  );
  const open = list.filter((i) => i.state === 'open').length;
  return (
    <section className="roads-sec" data-testid="roads-incidents">
      <h3>
        {t('roadsUi.incidents')} {open > 0 && <span className="roads-count">{open}</span>}
      </h3>
      {list.length === 0 && <div className="roads-ok">{t('roadsUi.incidentsEmpty')}</div>}
      <ol className="roads-rows">
        {list.map((i) => (
          <li
            key={i.incidentId}
            className={`roads-row incident-${i.state}`}
            data-testid="roads-incident-row"
            data-incident-id={i.incidentId}
            data-state={i.state}
            tabIndex={0}
            onClick={() => focus(i.segmentId)}
            onKeyDown={(e) => (e.key === 'Enter' ? focus(i.segmentId) : undefined)}
          >
            <span className={`roads-bar kind-${i.kind}`} aria-hidden />
            <div className="roads-row-main">
              <div className="roads-row-name">
                {t(`roadsUi.incidentKind.${i.kind}`)} · {nameOf(i.segmentId)}
              </div>
              <div className="roads-hint">
                {t(`roadsUi.incidentState.${i.state}`)} · {formatAge(now - i.openedAt, t)}
              </div>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function WeatherList() {
  const { t } = useTranslation();
  const weather = useResource(weatherResource, (s) => s.data ?? NO_WEATHER);
  const lang = useTwin((s) => s.lang);
  return (
    <section className="roads-sec" data-testid="roads-weather">
      <h3>{t('roadsUi.weather')}</h3>
      {weather.length === 0 && <div className="roads-hint">{t('roadsUi.weatherEmpty')}</div>}
      <ol className="roads-rows">
        {weather.map((w) => (
          <li key={w.deviceId} className="roads-row roads-wx" data-testid="roads-weather-row" data-fog={w.fog ? w.fog.belowM : ''} data-ice={w.ice}>
            <span className={`roads-bar sev-${w.fog?.severity ?? (w.ice ? 'major' : 'normal')}${w.health !== 'ok' ? ' health-stale' : ''}`} aria-hidden />
            <div className="roads-row-main">
              <div className="roads-row-name">{lang === 'zh' ? w.nameZh : w.name}</div>
              <div className="roads-hint">
                {t('roadsUi.visibility')} <b>{w.visibilityM === null ? '—' : `${Math.round(w.visibilityM)} m`}</b> · {t('roadsUi.roadTemp')}{' '}
                <b>{w.roadTempC === null ? '—' : `${w.roadTempC.toFixed(1)} °C`}</b>
                {w.health !== 'ok' && <> · {t(`roadsUi.health.${w.health}`)}</>}
              </div>
              <div className={w.fog || w.ice ? 'roads-wx-alert' : 'roads-ok'}>
                {w.fog
                  ? t(w.fog.exit ? 'roadsUi.fogExit' : 'roadsUi.fog', { m: w.fog.belowM, kmh: w.fog.limitKmh })
                  : !w.ice && t('roadsUi.clear')}
                {w.ice && <span> {t('roadsUi.ice')}</span>}
              </div>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function TimeOfDay() {
  const { t } = useTranslation();
  const segments = useResource(segmentsResource, (s) => s.data ?? NO_SEGMENTS);
  const sites = useTwin((s) => s.sites);
  const lang = useTwin((s) => s.lang);
  const rows = useMemo(() => {
    const byRoad = new Map<string, { name: string; now: number; usual: number; n: number }>();
    for (const s of segments.values()) {
      const v = s.smoothedSpeedKmh ?? s.speedKmh;
      if (v === null) continue;
      const site = sites.get(s.id);
      const key = String(site?.props?.roadKey ?? s.roadName ?? s.id);
      const name = String((lang === 'zh' ? site?.props?.roadNameZh : site?.props?.roadName) ?? s.roadName ?? key);
      const r = byRoad.get(key) ?? { name, now: 0, usual: 0, n: 0 };
      r.now += v;
      r.usual += s.usualSpeedKmh;
      r.n++;
      byRoad.set(key, r);
    }
    return [...byRoad.entries()].map(([key, r]) => ({ key, name: r.name, now: r.now / r.n, usual: r.usual / r.n }));
  }, [segments, sites, lang]);
  const max = Math.max(1, ...rows.flatMap((r) => [r.now, r.usual]));
  return (
    <section className="roads-sec" data-testid="roads-tod">
      <h3>
        {t('roadsUi.tod')} <span className="roads-hint">{t('roadsUi.todHint')}</span>
      </h3>
      <ol className="roads-rows">
        {rows.map((r) => {
          const pct = Math.round((1 - r.now / r.usual) * 100);
          return (
            <li key={r.key} className="roads-tod-row">
              <div className="roads-row-name">{r.name}</div>
              <div className="roads-tod-bars">
                <span className="now" style={{ width: `${(r.now / max) * 100}%` }}>
                  {Math.round(r.now)}
                </span>
                <span className="usual" style={{ width: `${(r.usual / max) * 100}%` }}>
                  {Math.round(r.usual)}
                </span>
              </div>
              <div className={pct >= 15 ? 'warn' : 'roads-hint'}>
                {pct >= 5 ? t('roadsUi.slower', { pct }) : pct <= -5 ? t('roadsUi.faster', { pct: -pct }) : t('roadsUi.usual')}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
