/**
 * Threshold bands behind a uPlot series: orange between the first and second alarm levels, red
 * beyond the second (high / highHigh above, low / lowLow below), with a dashed line at each limit,
 * so a value's distance from an alarm reads at a glance. Drawn before the grid and the series.
 */
import type uPlot from 'uplot';
import type { QuantityLimits } from '../../contracts';
import { SEVERITY_CSS, cssToRgb } from '../../view';

const rgba = (css: string, alpha: number) => `rgba(${cssToRgb(css).join(', ')}, ${alpha})`;
const MAJOR = rgba(SEVERITY_CSS.major, 0.13);
const CRITICAL = rgba(SEVERITY_CSS.critical, 0.16);
const MAJOR_LINE = rgba(SEVERITY_CSS.major, 0.85);
const CRITICAL_LINE = rgba(SEVERITY_CSS.critical, 0.9);

/** Value intervals to shade, each `[from, to, fill]`; open ends are ±Infinity. Pure, for tests and the plugin. */
export function bandIntervals(l: QuantityLimits | undefined): [number, number, string][] {
  if (!l) return [];
  const out: [number, number, string][] = [];
  if (l.high !== undefined) out.push([l.high, l.highHigh ?? Infinity, MAJOR]);
  if (l.highHigh !== undefined) out.push([l.highHigh, Infinity, CRITICAL]);
  if (l.low !== undefined) out.push([l.lowLow ?? -Infinity, l.low, MAJOR]);
  if (l.lowLow !== undefined) out.push([-Infinity, l.lowLow, CRITICAL]);
  return out;
}

/** The y range to show: the data, plus the first alarm levels (and the second once the data passes the first). */
export function yRange(ys: readonly (number | null)[], l: QuantityLimits | undefined): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const y of ys) {
    if (y === null) continue;
    if (y < lo) lo = y;
    if (y > hi) hi = y;
  }
  if (l?.high !== undefined) hi = Math.max(hi, hi >= l.high && l.highHigh !== undefined ? l.highHigh : l.high);
  if (l?.low !== undefined) lo = Math.min(lo, lo <= l.low && l.lowLow !== undefined ? l.lowLow : l.low);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.08;
  return [lo - pad, hi + pad];
}

/** A uPlot plugin drawing the bands of `limits()` (read at each draw, so it follows the device). */
export function bandsPlugin(limits: () => QuantityLimits | undefined): uPlot.Plugin {
  return {
    hooks: {
      drawClear: (u: uPlot) => {
        const l = limits();
        if (!l) return;
        const { ctx, bbox } = u;
        const top = bbox.top;
        const bottom = bbox.top + bbox.height;
        const y = (v: number) => Math.min(bottom, Math.max(top, v === Infinity ? top : v === -Infinity ? bottom : u.valToPos(v, 'y', true)));
        ctx.save();
        for (const [from, to, fill] of bandIntervals(l)) {
          const y1 = y(to);
          const y2 = y(from);
          if (y2 - y1 <= 0) continue;
          ctx.fillStyle = fill;
          ctx.fillRect(bbox.left, y1, bbox.width, y2 - y1);
        }
        ctx.setLineDash([5, 4]);
        ctx.lineWidth = 1;
        for (const [v, colour] of [
          [l.high, MAJOR_LINE],
          [l.low, MAJOR_LINE],
          [l.highHigh, CRITICAL_LINE],
          [l.lowLow, CRITICAL_LINE],
        ] as const) {
          if (v === undefined) continue;
          const py = u.valToPos(v, 'y', true);
          if (py < top || py > bottom) continue;
          ctx.strokeStyle = colour;
          ctx.beginPath();
          ctx.moveTo(bbox.left, py);
          ctx.lineTo(bbox.left + bbox.width, py);
          ctx.stroke();
        }
        ctx.restore();
      },
    },
  };
}
