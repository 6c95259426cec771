/**
 * The network congestion index over the last hours (uPlot): one line on a 1–5 scale, with faint
 * bands in the level colours so a rising line reads as "getting worse" without a legend.
 *
 * In replay the history ends at the replayed instant (the service answers it so), the
 * window ends there too, and a vertical line marks the instant (`index-replay-cursor`, its
 * `data-at` the instant in epoch ms), as the device charts do.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { ACCENT_CSS, LEVEL_CSS } from '../../../view';
import { axisClock } from '../../charts/axis';

export interface IndexChartProps {
  /** `[ts, index]` samples, oldest first (NetworkView.history). */
  history: readonly [number, number | null][];
  /** The replayed instant, epoch ms; null when live (no cursor, the window follows the data). */
  cursorAtMs?: number | null;
  /** The window shown in replay, ending at the cursor, ms. @default 6 h */
  windowMs?: number;
  width?: number;
  height?: number;
}

/** Room right of the cursor, as a share of the window: the line stays inside the plot. */
const CURSOR_MARGIN = 0.02;

export function IndexChart({ history, cursorAtMs = null, windowMs = 6 * 3600_000, width = 320, height = 90 }: IndexChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const cursor = useRef<number | null>(cursorAtMs);
  cursor.current = cursorAtMs;

  // The replay cursor: a line in uPlot's overlay, present only while replaying.
  const cursorEl = useRef<HTMLDivElement | null>(null);
  const placeCursor = (u: uPlot) => {
    const el = cursorEl.current;
    const at = cursor.current;
    if (!el) return;
    if (at === null) return void el.remove();
    if (!el.isConnected) u.over.appendChild(el);
    el.dataset.at = String(at);
    el.style.left = `${u.valToPos(at / 1000, 'x')}px`;
  };

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const line = document.createElement('div');
    line.className = 'chart-replay-cursor'; // charts.css, as on device charts
    line.dataset.testid = 'index-replay-cursor';
    cursorEl.current = line;
    const opts: uPlot.Options = {
      width,
      height,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true }, y: { range: [1, 5] } },
      axes: [
        { stroke: '#7d8aa3', grid: { show: false }, ticks: { stroke: '#22304a' }, font: '11px sans-serif', size: 24, values: (_u, splits) => splits.map((x) => axisClock(x)) },
        { stroke: '#7d8aa3', grid: { stroke: '#22304a', width: 1 }, ticks: { show: false }, font: '11px sans-serif', size: 22, splits: () => [1, 2, 3, 4, 5] },
      ],
      series: [{}, { stroke: ACCENT_CSS, width: 2, spanGaps: false, points: { show: false } }],
      hooks: {
        drawClear: [
          (u: uPlot) => {
            // Level bands behind the line: 1–2 green … 4–5 red, faint.
            const ctx = u.ctx;
            ctx.save();
            for (let lv = 1; lv <= 4; lv++) {
              const y0 = u.valToPos(lv + 1, 'y', true);
              const y1 = u.valToPos(lv, 'y', true);
              ctx.fillStyle = LEVEL_CSS[(lv + 1) as 2 | 3 | 4 | 5] + '22';
              ctx.fillRect(u.bbox.left, y0, u.bbox.width, y1 - y0);
            }
            ctx.restore();
          },
        ],
        setScale: [(u: uPlot, key: string) => key === 'x' && placeCursor(u)],
        setSize: [(u: uPlot) => placeCursor(u)],
      },
    };
    plot.current = new uPlot(opts, [[], []], el);
    return () => {
      plot.current?.destroy();
      plot.current = null;
      cursorEl.current = null;
    };
    // placeCursor reads refs only: a new cursor needs no new plot.
  }, [width, height]);

  useEffect(() => {
    const u = plot.current;
    if (!u) return;
    const xs = history.map((h) => h[0] / 1000);
    const ys = history.map((h) => h[1]);
    u.setData([xs, ys] as uPlot.AlignedData);
    // The window, not the data, sets the x range (with no sample yet uPlot would draw years): it
    // ends now, or at the replayed instant.
    const spanS = windowMs / 1000;
    if (cursorAtMs !== null) {
      const endS = cursorAtMs / 1000;
      u.setScale('x', { min: endS - spanS, max: endS + spanS * CURSOR_MARGIN });
    } else {
      const nowS = Date.now() / 1000;
      u.setScale('x', { min: nowS - spanS, max: nowS });
    }
    placeCursor(u);
  }, [history, cursorAtMs, windowMs]);

  return <div ref={ref} className="roads-chart" data-testid="roads-index-chart" />;
}
