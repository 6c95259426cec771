/** Default ceiling of points in a history answer (docs/contract.md: "at most ~2,000 points"). */
export const MAX_POINTS = 2000;

/**
 * The reference of history downsampling: the history reader does the same in its worker thread
 * (src/server/storage/readerWorker.cjs), off the main thread, and is tested against this.
 *
 * Downsamples a time series (oldest first) to at most `maxPoints` points by splitting its time span
 * into `maxPoints / 2` equal buckets and keeping each bucket's minimum and maximum, in time order.
 * Unlike averaging, a short gas spike (or an O₂ dip) survives at any zoom level.
 */
export function downsampleMinMax(points: readonly [number, number][], maxPoints = MAX_POINTS): [number, number][] {
  if (points.length <= maxPoints) return points.slice();
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const t0 = points[0][0];
  const span = points[points.length - 1][0] - t0 + 1;
  const width = span / buckets;
  const out: [number, number][] = [];
  let bucket = -1;
  let min: [number, number] | null = null;
  let max: [number, number] | null = null;
  const emit = () => {
    if (!min || !max) return;
    if (min === max) out.push(min);
    else if (min[0] <= max[0]) out.push(min, max);
    else out.push(max, min);
  };
  for (const p of points) {
    const b = Math.min(buckets - 1, Math.floor((p[0] - t0) / width));
    if (b !== bucket) {
      emit();
      bucket = b;
      min = max = p;
      continue;
    }
    if (p[1] < min![1]) min = p;
    if (p[1] > max![1]) max = p;
  }
  emit();
  return out;
}
