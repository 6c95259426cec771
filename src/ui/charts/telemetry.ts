/**
 * GET /api/telemetry/{deviceId} for the device chart: one quantity over a window, downsampled by
 * the service keeping each bucket's minimum and maximum (a gas spike is never averaged away).
 */
import { telemetrySchema } from '../../contracts';
import { api } from '../../live';

/** The chart windows an operator picks from, in ms. */
export const CHART_WINDOWS = { '15m': 15 * 60_000, '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 24 * 3_600_000 } as const;
export type ChartWindow = keyof typeof CHART_WINDOWS;

/** The points of one quantity, oldest first: `[tsMs, value]`. Throws an ApiError (with the service's message) on failure. */
export async function fetchTelemetry(
  token: string,
  deviceId: string,
  quantity: string,
  fromMs: number,
  toMs: number,
  maxPoints: number,
  signal?: AbortSignal,
): Promise<[number, number][]> {
  const qs = new URLSearchParams({ quantity, from: String(Math.floor(fromMs)), to: String(Math.ceil(toMs)), maxPoints: String(maxPoints) });
  const body = await api.call(`/api/telemetry/${encodeURIComponent(deviceId)}?${qs}`, telemetrySchema, { token, signal });
  return body.points;
}
