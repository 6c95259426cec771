import type { AlarmRecord } from './alarm';
import type { LiveBatch, RejectReason } from './payloads';
import type { Role } from './scenes';

/** GET /api/health */
export interface HealthResponse {
  status: 'ok' | 'degraded';
  broker: { mode: 'embedded' | 'external'; connected: boolean; clients?: number };
  db: { ok: boolean; readings?: number };
  uptimeS: number;
  messages: { accepted: number; rejected: Partial<Record<RejectReason, number>> };
}

/** POST /api/login */
export interface LoginResponse {
  token: string;
  role: Role;
  username?: string;
}

/** GET /api/segments item */
export interface SegmentState {
  id: string;
  class: string;
  speedKmh: number | null;
  /** 1 free … 5 severe; null when unknown (no data, stale or stuck detector). */
  level: 1 | 2 | 3 | 4 | 5 | null;
}

/** GET /api/telemetry/{deviceId} */
export interface TelemetryResponse {
  deviceId: string;
  quantity: string;
  points: [ts: number, value: number][];
}

/** Error body of every 4xx/5xx answer. */
export interface ApiError {
  error: string;
  message: string;
}

/** MQTT username browsers use; the password is their login token. */
export const BROWSER_MQTT_USERNAME = 'browser';
/** MQTT username of devices (DESIGN: password `CITYTWIN_DEVICE_PASSWORD`). */
export const DEVICE_MQTT_USERNAME = 'device';

/** GET /api/replay?at= — the twin at one instant, in the shape of a live batch, plus the alarms open then. */
export interface ReplaySnapshot extends LiveBatch {
  /** The cursor (epoch ms). */
  at: number;
  alarms: AlarmRecord[];
}
