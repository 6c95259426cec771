/** What every time chart in the app shares: the axis look and 24-hour local time, as control rooms read it. */

/** Axis strokes on the dark panels. */
export const AXIS = { stroke: '#7d8aa3', grid: { stroke: '#1a2740', width: 1 }, ticks: { stroke: '#22304a', width: 1 }, font: '11px sans-serif' };

/** `14:05` on an axis, `14:05:09` in a legend, from uPlot's seconds (never "2pm"). */
export function axisClock(xS: number, seconds = false): string {
  const d = new Date(xS * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}${seconds ? `:${p(d.getSeconds())}` : ''}`;
}
