/**
 * The selected road segment, beside the controller's column (which stays in view): its name, road
 * class and direction, the level word in its colour, speed now against the usual speed of the hour
 * and free flow, detector health and open incidents, and the last hour of its detector's speed
 * (uPlot, from /api/telemetry) with the usual speed dashed. In replay the hour ends at the replayed
 * instant. Escape or × closes it.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SegmentView } from '../../../contracts';
import { clockIsReplay, nowMs, onClockChange } from '../../../state/clock';
import { twin, useResource, useTwin } from '../../../state/react';
import { segments as segmentsResource } from '../../../state/roads';
import { ACCENT_CSS, STALE_CSS, levelCss } from '../../../view';
import { AXIS, axisClock } from '../../charts/axis';
import { fetchTelemetry } from '../../charts/telemetry';

const WINDOW_MS = 60 * 60_000;
const REFRESH_MS = 30_000;
const kmh = (v: number | null | undefined) => (v === null || v === undefined ? '—' : String(Math.round(v)));

export function SegmentDetail() {
  const id = useTwin((s) => s.selectedSiteId);
  const seg = useResource(segmentsResource, (s) => (id ? s.data?.get(id) : undefined));
  useEffect(() => {
    if (!seg) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && twin.getState().select({ siteId: null, deviceId: null });
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [seg]);
  return seg ? <SegmentCard seg={seg} /> : null;
}

function SegmentCard({ seg }: { seg: SegmentView }) {
  const { t } = useTranslation();
  const zh = useTwin((s) => s.lang) === 'zh';
  const site = useTwin((s) => s.sites.get(seg.id));
  // Looked up when the registry or the segment changes, not in the selector: a selector runs on every
  // store update (each live frame), and this one walked every device of the city.
  const devices = useTwin((s) => s.devices);
  const detectorId = useMemo(() => {
    for (const d of devices.values()) if (d.siteId === seg.id && d.kind === 'traffic_detector') return d.id;
    return undefined;
  }, [devices, seg.id]);
  const roadName = zh ? (site?.props?.roadNameZh as string | undefined) : seg.roadName;
  const now = seg.smoothedSpeedKmh ?? seg.speedKmh;
  const vsUsual = now === null || seg.usualSpeedKmh <= 0 ? null : Math.round((now / seg.usualSpeedKmh - 1) * 100);
  const level = seg.level === null ? 'unknown' : String(seg.level);
  return (
    <aside className="panel roads-segment" data-testid="roads-segment" data-segment={seg.id} data-level={level} aria-label={t('roadsUi.segment')}>
      <header className="roads-segment-head">
        <div className="device-title">
          <h2>{zh ? seg.nameZh : seg.name}</h2>
          <div className="roads-hint">
            {[roadName, t(`roadsUi.roadClass.${seg.class}`, { defaultValue: seg.class }), seg.lanes ? t('roadsUi.lanes', { n: seg.lanes }) : null, t('roadsUi.km', { km: (seg.lengthM / 1000).toFixed(1) })]
              .filter(Boolean)
              .join(' · ')}
          </div>
        </div>
        <button type="button" className="close" aria-label={t('roadsUi.close')} onClick={() => twin.getState().select({ siteId: null, deviceId: null })}>
          ×
        </button>
      </header>
      <div className="roads-segment-now">
        <span className="roads-segment-level" style={{ color: levelCss(seg.level) }} data-testid="roads-segment-level">
          <span className="swatch-road" style={{ background: levelCss(seg.level) }} aria-hidden />
          {t(`roadsUi.level.${level}`)}
        </span>
        <span>
          <b className="roads-segment-speed" data-testid="roads-segment-speed">{kmh(now)}</b> km/h
        </span>
      </div>
      <dl className="roads-segment-facts">
        <dt>{t('roadsUi.usualNow')}</dt>
        <dd>
          {kmh(seg.usualSpeedKmh)} km/h
          {vsUsual !== null && Math.abs(vsUsual) >= 5 && (
            <span className="roads-hint"> ({t(vsUsual < 0 ? 'roadsUi.slower' : 'roadsUi.faster', { pct: Math.abs(vsUsual) })})</span>
          )}
        </dd>
        <dt>{t('roadsUi.freeFlow')}</dt>
        <dd>{kmh(seg.freeFlowKmh)} km/h</dd>
        <dt>{t('roadsUi.detector')}</dt>
        <dd>{t(`roadsUi.health.${seg.health}`)}</dd>
        {seg.incidentIds.length > 0 && (
          <>
            <dt>{t('roadsUi.incidents')}</dt>
            <dd>{seg.closed ? t('roadsUi.closed') : seg.incidentIds.length}</dd>
          </>
        )}
      </dl>
      <div className="roads-hint">{t('roadsUi.speedHistory')}</div>
      {detectorId ? <SpeedChart deviceId={detectorId} usualKmh={seg.usualSpeedKmh} /> : <div className="roads-hint">{t('roadsUi.health.nodata')}</div>}
    </aside>
  );
}

/** The last hour of one detector's speed; the usual speed of the hour dashed. */
function SpeedChart({ deviceId, usualKmh }: { deviceId: string; usualKmh: number }) {
  const holder = useRef<HTMLDivElement>(null);
  const usual = useRef(usualKmh);
  usual.current = usualKmh;

  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    const plot = new uPlot(
      {
        width: 316,
        height: 120,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(max ?? 0, usual.current, 20) * 1.1] } },
        axes: [{ ...AXIS, values: (_u, splits) => splits.map((x) => axisClock(x)) }, { ...AXIS, size: 34 }],
        series: [{}, { stroke: ACCENT_CSS, width: 1.5, points: { show: false }, spanGaps: false }],
        hooks: {
          draw: [
            (u: uPlot) => {
              const y = u.valToPos(usual.current, 'y', true);
              const c = u.ctx;
              c.save();
              c.strokeStyle = STALE_CSS;
              c.setLineDash([5, 4]);
              c.beginPath();
              c.moveTo(u.bbox.left, y);
              c.lineTo(u.bbox.left + u.bbox.width, y);
              c.stroke();
              c.restore();
            },
          ],
        },
      },
      [[], []],
      el,
    );
    let abort: AbortController | null = null;
    const load = async () => {
      abort?.abort();
      const mine = (abort = new AbortController());
      const token = twin.getState().auth?.token;
      const toMs = clockIsReplay() ? nowMs() : Date.now();
      if (!token) return;
      const points = await fetchTelemetry(token, deviceId, 'speed_kmh', toMs - WINDOW_MS, toMs, 600, mine.signal).catch(() => null);
      if (!points || mine.signal.aborted) return;
      plot.setData([points.map((p) => p[0] / 1000), points.map((p) => p[1])]);
      plot.setScale('x', { min: (toMs - WINDOW_MS) / 1000, max: toMs / 1000 });
      el.dataset.points = String(points.length);
    };
    void load();
    const timer = setInterval(() => void (clockIsReplay() || load()), REFRESH_MS);
    const off = onClockChange(() => void load());
    return () => {
      abort?.abort();
      clearInterval(timer);
      off();
      plot.destroy();
    };
  }, [deviceId]);

  return <div ref={holder} className="roads-segment-chart" data-testid="roads-segment-chart" />;
}
