/**
 * A device's history in its detail panel: one quantity at a time (tabs) over 15 min … 24 h, from
 * /api/telemetry, with its threshold bands, drag-to-zoom (double-click resets), and live: readings
 * folded into the store are appended as they arrive (one store subscription, no refetch per
 * frame); after a reconnect the window is fetched again so a dropped link leaves no gap.
 *
 * uPlot draws on a canvas and owns its data arrays, so React renders only the controls; the
 * container's `data-points` says how many points are drawn (for tests).
 *
 * In replay the window is centred on the replay cursor (ending no later than now), live
 * readings are not appended, and a vertical line marks the cursor (`chart-replay-cursor`, its
 * `data-at` the cursor in epoch ms); the window is fetched again when the cursor nears its edge.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Device, Limits, Quantity } from '../../contracts';
import { SEVERITY_RANK } from '../../domain';
import { ruleQuantity } from '../../state';
import { twin } from '../../state/react';
import { ACCENT_CSS } from '../../view';
import { isReplaying, replay } from '../../state/replay';
import { AXIS, axisClock } from './axis';
import { bandsPlugin, yRange } from './bands';
import { CHART_WINDOWS, fetchTelemetry, type ChartWindow } from './telemetry';
import './charts.css';

/** Positions and headings are not trends an operator reads from a chart. */
const NOT_CHARTED: ReadonlySet<string> = new Set(['lon_deg', 'lat_deg', 'heading_deg']);
/** About two points per horizontal pixel: the service keeps each bucket's min and max. */
const MAX_POINTS = 800;
const HEIGHT_PX = 170;

type Status = 'loading' | 'ok' | 'error';

/** The quantity of the device's worst open threshold alarm (most severe, then latest), if any. */
export function alarmedQuantity(deviceId: string, charted: readonly Quantity[]): Quantity | undefined {
  let best: { q: Quantity; rank: number; at: number } | undefined;
  for (const a of twin.getState().alarms.values()) {
    const rq = a.deviceId === deviceId && a.state !== 'closed' ? ruleQuantity(a.rule) : null;
    const q = rq?.quantity as Quantity | undefined;
    if (!q || !charted.includes(q)) continue;
    const rank = SEVERITY_RANK[a.severity];
    if (!best || rank < best.rank || (rank === best.rank && a.raisedAt > best.at)) best = { q, rank, at: a.raisedAt };
  }
  return best?.q;
}

export interface DeviceChartProps {
  device: Device;
  /** The device's limits in force (domain `limitsFor`), drawn as bands. */
  limits: Limits;
}

export function DeviceChart({ device, limits }: DeviceChartProps) {
  const { t, i18n } = useTranslation();
  const quantities = device.quantities.filter((q) => !NOT_CHARTED.has(q));
  // Opened from an alarm, the chart shows what alarmed (H₂S, not the first channel, O₂).
  const [quantity, setQuantity] = useState<Quantity | undefined>(() => alarmedQuantity(device.id, quantities) ?? quantities[0]);
  const [win, setWin] = useState<ChartWindow>('1h');
  const [status, setStatus] = useState<Status>('loading');
  const [error, setError] = useState('');
  // Whether any point is drawn; a boolean, so a live reading re-renders nothing.
  const [hasData, setHasData] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const holder = useRef<HTMLDivElement>(null);
  const limitsRef = useRef(quantity ? limits[quantity] : undefined);
  limitsRef.current = quantity ? limits[quantity] : undefined;

  useEffect(() => {
    const el = holder.current;
    if (!el || !quantity) return;
    const id = device.id;
    const windowMs = CHART_WINDOWS[win];
    const xs: number[] = [];
    const ys: number[] = [];
    /** Live readings that arrive while a fetch is in flight, merged when it answers. */
    let pending: [number, number][] = [];
    let loading = true;
    let stopped = false;
    let abort: AbortController | null = null;
    /** The window fetched last, epoch ms. */
    let range: [number, number] = [Date.now() - windowMs, Date.now()];
    const windowFor = (): [number, number] => {
      const r = replay.getState();
      const to = r.mode === 'replay' ? Math.min(Date.now(), r.at + windowMs / 2) : Date.now();
      return [to - windowMs, to];
    };

    // The replay cursor: a line in uPlot's overlay, present only while replaying.
    const cursorEl = document.createElement('div');
    cursorEl.className = 'chart-replay-cursor';
    cursorEl.dataset.testid = 'chart-replay-cursor';
    const placeCursor = (u: uPlot) => {
      const r = replay.getState();
      if (r.mode !== 'replay') return void cursorEl.remove();
      if (!cursorEl.isConnected) u.over.appendChild(cursorEl);
      cursorEl.dataset.at = String(r.at);
      const x = r.at / 1000;
      const sx = u.scales.x;
      const inView = sx.min != null && sx.max != null && x >= sx.min && x <= sx.max;
      cursorEl.style.display = inView ? '' : 'none';
      if (inView) cursorEl.style.left = `${u.valToPos(x, 'x')}px`;
    };

    // The time span on the axis, s: the chosen window unless zoomed (a test reads it off the page).
    const showSpan = (u: uPlot) => {
      if (box.current) box.current.dataset.spanS = String(Math.round((u.scales.x.max ?? 0) - (u.scales.x.min ?? 0)));
    };

    const plot = new uPlot(
      {
        width: Math.max(200, el.clientWidth || 360),
        height: HEIGHT_PX,
        legend: { show: true, live: true },
        cursor: { drag: { x: true, y: false, setScale: true } },
        scales: { x: { time: true }, y: { range: (u) => yRange(u.data[1] as (number | null)[], limitsRef.current) } },
        axes: [{ ...AXIS, values: (_u, splits) => splits.map((x) => axisClock(x)) }, { ...AXIS, size: 44 }],
        series: [{ label: t('commonUi.chart.time'), value: (_u, x) => (x == null ? '—' : axisClock(x, true)) }, { label: t(`q.${quantity}`), stroke: ACCENT_CSS, width: 1.5, points: { show: false } }],
        plugins: [bandsPlugin(() => limitsRef.current), { hooks: { setScale: [(u, key) => key === 'x' && (showSpan(u), placeCursor(u))], setSize: [(u) => placeCursor(u)] } }],
      },
      [[], []],
      el,
    );

    /** Redraws; keeps the operator's zoom when there is one, else follows the newest data. */
    const draw = () => {
      const sx = plot.scales.x;
      const first = plot.data[0]?.[0];
      const last = plot.data[0]?.[plot.data[0].length - 1];
      const zoomed = first !== undefined && last !== undefined && sx.min != null && sx.max != null && (sx.min > first + 0.5 || sx.max < last - 0.5);
      plot.setData([xs, ys], !zoomed);
      // The chosen window, not the data, sets the x range: one reading is not a 1-second chart, and
      // in replay the cursor stays in view.
      if (!zoomed) {
        const [from, to] = isReplaying() ? range : [Date.now() - windowMs, Date.now()];
        plot.setScale('x', { min: from / 1000, max: to / 1000 });
      }
      placeCursor(plot);
      if (box.current) {
        box.current.dataset.points = String(xs.length);
        // The peak in view: what a test (and an operator's eye) checks a spike by.
        box.current.dataset.peak = ys.length ? String(ys.reduce((m, v) => Math.max(m, v), -Infinity)) : '';
      }
      setHasData(xs.length > 0);
    };

    const push = (tsMs: number, v: number) => {
      const x = tsMs / 1000;
      if (xs.length > 0 && x <= xs[xs.length - 1]) return; // older or duplicate: history has it
      xs.push(x);
      ys.push(v);
    };

    const load = async () => {
      abort?.abort();
      abort = new AbortController();
      const token = twin.getState().auth?.token;
      if (!token) return;
      loading = true;
      range = windowFor();
      const [from, to] = range;
      try {
        const points = await fetchTelemetry(token, id, quantity, from, to, MAX_POINTS, abort.signal);
        if (stopped) return;
        xs.length = 0;
        ys.length = 0;
        for (const [ts, v] of points) push(ts, v);
        for (const [ts, v] of pending) push(ts, v);
        pending = [];
        loading = false;
        setStatus('ok');
        draw();
      } catch (e) {
        if (stopped || (e as Error).name === 'AbortError') return;
        loading = false;
        setError((e as Error).message);
        setStatus('error');
      }
    };

    const unsubscribe = twin.subscribe((s, prev) => {
      // Back from a drop: fetch the window again, which holds what came in while we were away.
      if (s.connection === 'connected' && prev.connection !== 'connected' && !loading) void load();
      // In replay the store holds a replayed moment, not new readings: the chart has them already.
      if (isReplaying() || s.liveVersion === prev.liveVersion || !s.changedIds.includes(id)) return;
      const live = s.live.get(id);
      const v = live?.values[quantity];
      if (v === undefined || live?.ts == null) return;
      if (loading) return void pending.push([live.ts, v]);
      push(live.ts, v);
      // Slide the window (unless the operator is looking at a zoomed stretch).
      const start = (Date.now() - windowMs) / 1000;
      let drop = 0;
      while (drop < xs.length - 1 && xs[drop] < start) drop++;
      if (drop > 0) {
        xs.splice(0, drop);
        ys.splice(0, drop);
      }
      draw();
    });

    // Replay: entering or leaving refetches; a cursor near the window's edge re-centres it.
    const unsubscribeReplay = replay.subscribe((r, prev) => {
      if (r.mode !== prev.mode) {
        placeCursor(plot);
        return void load();
      }
      if (r.mode !== 'replay' || r.at === prev.at) return;
      const margin = windowMs * 0.1;
      const [from, to] = range;
      if (r.at < from + margin || (r.at > to - margin && to < Date.now() - margin)) void load();
      placeCursor(plot);
    });

    setStatus('loading');
    void load();
    return () => {
      stopped = true;
      abort?.abort();
      unsubscribe();
      unsubscribeReplay();
      plot.destroy();
    };
    // The series' names follow a language switch (rare: one refetch is cheap).
  }, [device.id, quantity, win, i18n.language]);

  if (!quantity) return null;
  return (
    <div className="device-chart" ref={box} data-testid="device-chart" data-quantity={quantity} data-window={win} data-points={0}>
      <div className="chart-bar">
        <div className="chart-tabs" role="tablist" aria-label={t('commonUi.chart.title')}>
          {quantities.map((q) => (
            <button key={q} type="button" role="tab" aria-selected={q === quantity} className={q === quantity ? 'chip active' : 'chip'} data-testid={`chart-q-${q}`} onClick={() => setQuantity(q)}>
              {t(`q.${q}`)}
            </button>
          ))}
        </div>
        <div className="chart-tabs" role="group">
          {(Object.keys(CHART_WINDOWS) as ChartWindow[]).map((w) => (
            <button key={w} type="button" aria-pressed={w === win} className={w === win ? 'chip active' : 'chip'} data-testid={`chart-window-${w}`} onClick={() => setWin(w)}>
              {t(`commonUi.chart.window.${w}`)}
            </button>
          ))}
        </div>
      </div>
      <div className="chart-plot" ref={holder} />
      <div className="chart-foot muted">
        {status === 'loading' && t('commonUi.chart.loading')}
        {status === 'error' && t('commonUi.chart.failed', { msg: error })}
        {status === 'ok' && (!hasData ? t('commonUi.chart.empty') : `${t(`unit.${quantity}`)} · ${t('commonUi.chart.zoomHint')}`)}
      </div>
    </div>
  );
}
