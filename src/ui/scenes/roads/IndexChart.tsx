/**
 * The network congestion index over the last hours (uPlot): one line on a 1–5 scale, with faint
 * bands in the level colours so a rising line reads as "getting worse" without a legend.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { LEVEL_CSS } from '../../../scene/cesium/scenes/roadsStyle';

export function IndexChart({ history, width = 320, height = 90 }: { history: readonly [number, number | null][]; width?: number; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width,
      height,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true }, y: { range: [1, 5] } },
      axes: [
        { stroke: '#7d8aa3', grid: { show: false }, ticks: { stroke: '#22304a' }, font: '11px sans-serif', size: 24 },
        { stroke: '#7d8aa3', grid: { stroke: '#22304a', width: 1 }, ticks: { show: false }, font: '11px sans-serif', size: 22, splits: () => [1, 2, 3, 4, 5] },
      ],
      series: [{}, { stroke: '#4cc3ff', width: 2, spanGaps: false, points: { show: false } }],
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
      },
    };
    plot.current = new uPlot(opts, [[], []], el);
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, [width, height]);

  useEffect(() => {
    const xs = history.map((h) => h[0] / 1000);
    const ys = history.map((h) => h[1]);
    plot.current?.setData([xs, ys] as uPlot.AlignedData);
  }, [history]);

  return <div ref={ref} className="roads-chart" data-testid="roads-index-chart" />;
}
