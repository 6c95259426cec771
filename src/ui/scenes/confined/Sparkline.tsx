/**
 * A 30-minute sparkline of one gas channel at the three levels (uPlot), from
 * `GET /api/telemetry/{deviceId}?quantity=&from=&to=`. The threshold is a dashed line, so "how
 * close to the limit" reads at a glance.
 *
 * Live it shows the last 30 min, refetched every 15 s. In replay it shows the 30 min
 * ending at the replayed instant (the display clock, `nowMs()`), refetched whenever that instant
 * changes, with a line at the instant (`sparkline-cursor`, its `data-at` the instant in epoch ms),
 * as the device chart marks its cursor. An answer for an instant since left is dropped.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { GasLevel, Quantity } from '../../../contracts';
import { clockIsReplay, nowMs, onClockChange } from '../../../state/clock';
import { twin } from '../../../state/react';
import { GAS_LEVEL_CSS, SEVERITY_CSS } from '../../../view';
import { fetchTelemetry } from '../../charts/telemetry';

/** Window of the sparkline and how often it is refetched live, ms. */
const WINDOW_MS = 30 * 60 * 1000;
const REFRESH_MS = 15_000;
/** Points per answer: the service's default cap, more than a 180-px line can show. */
const SERVICE_MAX_POINTS = 2000;

interface Props {
  quantity: Quantity;
  label: string;
  /** Detector id per level. */
  detectors: Partial<Record<GasLevel, string>>;
  /** Alarm threshold drawn as a dashed line (e.g. H₂S 7 ppm), if any. */
  thresholdValue: number | null;
}

/** One detector's points of `q` in the window; an empty line when they cannot be had (the sparkline is a glance, not a record). */
async function fetchPoints(deviceId: string, q: Quantity, fromMs: number, toMs: number, signal: AbortSignal): Promise<[number, number][]> {
  const token = twin.getState().auth?.token;
  if (!token) return [];
  return fetchTelemetry(token, deviceId, q, fromMs, toMs, SERVICE_MAX_POINTS, signal).catch(() => []);
}

/** Puts the three series on one time axis (seconds, as uPlot wants), nulls where a level has no point. */
function align(series: [number, number][][]): uPlot.AlignedData {
  const times = [...new Set(series.flatMap((s) => s.map((p) => p[0])))].sort((a, b) => a - b);
  const idx = new Map(times.map((t, i) => [t, i]));
  const ys = series.map((s) => {
    const y: (number | null)[] = new Array(times.length).fill(null);
    for (const [t, v] of s) y[idx.get(t)!] = v;
    return y;
  });
  return [times.map((t) => t / 1000), ...ys] as uPlot.AlignedData;
}

export function Sparkline({ quantity, label, detectors, thresholdValue }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const holder = useRef<HTMLDivElement>(null);
  const key = `${quantity}:${detectors.upper}:${detectors.middle}:${detectors.lower}`;

  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    const levels = (['upper', 'middle', 'lower'] as GasLevel[]).filter((l) => detectors[l]);
    /** The window drawn last, epoch ms, and whether it was a replayed one. */
    let shown = { fromMs: 0, toMs: 0, replay: false };

    // The replayed instant: a line in uPlot's overlay, present only while replaying.
    const cursorEl = document.createElement('div');
    cursorEl.className = 'chart-replay-cursor'; // charts.css, as on device charts
    cursorEl.dataset.testid = 'sparkline-cursor';
    const placeCursor = (u: uPlot) => {
      if (!shown.replay) return void cursorEl.remove();
      if (!cursorEl.isConnected) u.over.appendChild(cursorEl);
      cursorEl.dataset.at = String(shown.toMs);
      // The instant ends the window: keep the 2 px line inside the plot's right edge.
      cursorEl.style.left = `${Math.max(0, u.valToPos(shown.toMs / 1000, 'x') - 2)}px`;
    };

    const opts: uPlot.Options = {
      width: 180,
      height: 44,
      legend: { show: false },
      cursor: { show: false },
      axes: [{ show: false }, { show: false }],
      scales: { x: { time: true } },
      series: [
        {},
        ...levels.map((l) => ({ stroke: GAS_LEVEL_CSS[l], width: l === 'lower' ? 2 : 1.25, spanGaps: true, points: { show: false } })),
      ],
      hooks: {
        setScale: [(u: uPlot, scaleKey: string) => void (scaleKey === 'x' && placeCursor(u))],
        draw: [
          (u: uPlot) => {
            if (thresholdValue === null) return;
            const y = u.valToPos(thresholdValue, 'y', true);
            if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) return;
            const c = u.ctx;
            c.save();
            c.strokeStyle = SEVERITY_CSS.critical;
            c.setLineDash([4, 3]);
            c.beginPath();
            c.moveTo(u.bbox.left, y);
            c.lineTo(u.bbox.left + u.bbox.width, y);
            c.stroke();
            c.restore();
          },
        ],
      },
    };
    const plot = new uPlot(opts, [[], ...levels.map(() => [])] as uPlot.AlignedData, el);
    let alive = true;
    let abort: AbortController | null = null;
    const load = async () => {
      // A newer window supersedes one still in flight.
      abort?.abort();
      const mine = (abort = new AbortController());
      const replay = clockIsReplay();
      const toMs = replay ? nowMs() : Date.now();
      const fromMs = toMs - WINDOW_MS;
      const all = await Promise.all(levels.map((l) => fetchPoints(detectors[l]!, quantity, fromMs, toMs, mine.signal)));
      if (!alive || mine.signal.aborted) return;
      shown = { fromMs, toMs, replay };
      plot.setData(align(all));
      // In replay the window, not the data, sets the x range: the instant stays at the right edge.
      if (replay) plot.setScale('x', { min: fromMs / 1000, max: toMs / 1000 });
      placeCursor(plot);
      if (box.current) {
        box.current.dataset.toMs = String(toMs);
        box.current.dataset.points = String(all.reduce((n, s) => n + s.length, 0));
      }
    };
    void load();
    const timer = setInterval(() => {
      // A replayed window does not change: only a new instant refetches it (below).
      if (!clockIsReplay()) void load();
    }, REFRESH_MS);
    // A new replayed instant, or back to live: that window at once.
    const unClock = onClockChange(() => void load());
    return () => {
      alive = false;
      abort?.abort();
      clearInterval(timer);
      unClock();
      plot.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, thresholdValue]);

  return (
    <div className="spark" ref={box} data-testid="sparkline" data-quantity={quantity}>
      <span className="spark-label">{label}</span>
      <div ref={holder} className="spark-plot" />
    </div>
  );
}
