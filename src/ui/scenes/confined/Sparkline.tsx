/**
 * A 30-minute sparkline of one gas channel at the three levels (uPlot), from
 * `GET /api/telemetry/{deviceId}?quantity=&from=&to=`, refetched every 15 s while shown.
 * The threshold is a dashed line, so "how close to the limit" reads at a glance.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { GasLevel, Quantity } from '../../../contracts';
import { twin } from '../../../state/react';

/** Window of the sparkline and how often it is refetched, ms. */
const WINDOW_MS = 30 * 60 * 1000;
const REFRESH_MS = 15_000;
const LEVEL_CSS: Record<GasLevel, string> = { upper: '#7dd3fc', middle: '#c4b5fd', lower: '#fb923c' };

interface Props {
  quantity: Quantity;
  label: string;
  /** Detector id per level. */
  detectors: Partial<Record<GasLevel, string>>;
  /** Alarm threshold drawn as a dashed line (e.g. H₂S 7 ppm), if any. */
  thresholdValue: number | null;
}

async function fetchPoints(deviceId: string, q: Quantity, fromMs: number, toMs: number): Promise<[number, number][]> {
  const token = twin.getState().auth?.token;
  if (!token) return [];
  try {
    const res = await fetch(`/api/telemetry/${encodeURIComponent(deviceId)}?quantity=${q}&from=${fromMs}&to=${toMs}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!res.ok) return [];
    const body = (await res.json()) as { points?: [number, number][] };
    return Array.isArray(body.points) ? body.points : [];
  } catch {
    return [];
  }
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
  const key = `${quantity}:${detectors.upper}:${detectors.middle}:${detectors.lower}`;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const levels = (['upper', 'middle', 'lower'] as GasLevel[]).filter((l) => detectors[l]);
    const opts: uPlot.Options = {
      width: 180,
      height: 44,
      legend: { show: false },
      cursor: { show: false },
      axes: [{ show: false }, { show: false }],
      scales: { x: { time: true } },
      series: [
        {},
        ...levels.map((l) => ({ stroke: LEVEL_CSS[l], width: l === 'lower' ? 2 : 1.25, spanGaps: true, points: { show: false } })),
      ],
      hooks: {
        draw: [
          (u: uPlot) => {
            if (thresholdValue === null) return;
            const y = u.valToPos(thresholdValue, 'y', true);
            if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) return;
            const c = u.ctx;
            c.save();
            c.strokeStyle = '#e5484d';
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
    const load = async () => {
      const to = Date.now();
      const all = await Promise.all(levels.map((l) => fetchPoints(detectors[l]!, quantity, to - WINDOW_MS, to)));
      if (alive) plot.setData(align(all));
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(timer);
      plot.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, thresholdValue]);

  return (
    <div className="spark" data-testid="sparkline" data-quantity={quantity}>
      <span className="spark-label">{label}</span>
      <div ref={box} className="spark-plot" />
    </div>
  );
}
