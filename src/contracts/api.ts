import type { AlarmRecord } from './alarm';
import type { LiveBatch, RejectReason } from './payloads';
import type { Role } from './scenes';

/** GET /api/health */
export interface HealthResponse {
  status: 'ok' | 'degraded';
  broker: { mode: 'embedded' | 'external'; connected: boolean; clients?: number };
  db: {
    ok: boolean;
    /** `sqlite` (one machine) or `postgres` (DATABASE_URL). */
    engine?: 'sqlite' | 'postgres';
    readings?: number;
    /** Bytes on disk of the database file and of its write-ahead log (PostgreSQL: the database's size, WAL 0). */
    dbBytes?: number;
    walBytes?: number;
    /** What is kept (days) and what the background retention last did. */
    retention?: {
      rawDays: number;
      rollupDays: number;
      lastRunAt: number | null;
      lastRunMs: number | null;
      deleted: { readings: number; rollups: number; statuses: number };
    };
  };
  /** With several instances on one database: whether this one is the leader that runs the rules. */
  ha?: { role: 'leader' | 'standby'; instanceId: string };
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
/**
 * Where an answer about the past comes from: `raw` readings, or `1m` per-minute rollups (min and max
 * at the times they were seen; a replayed value is the minute's last) where raw readings are past
 * their retention, or too many to scan.
 */
export type HistoryResolution = 'raw' | '1m';

export interface TelemetryResponse {
  deviceId: string;
  quantity: string;
  points: [ts: number, value: number][];
  resolution?: HistoryResolution;
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
  /** `1m` when `at` is older than the raw readings kept: each value is its minute's last. */
  resolution?: HistoryResolution;
}
