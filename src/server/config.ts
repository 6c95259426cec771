/**
 * Service configuration (README "Configuration"): read from the environment and validated once,
 * here and nowhere else. Everything downstream takes a typed `Config`.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from '../contracts';
import { MAX_INSIDE_MIN_DEFAULT } from '../domain/overstay';

export interface Config {
  /** HTTP: the app, the API and MQTT over WebSocket at `/mqtt`. 0 picks a free port. */
  port: number;
  /** Interface the HTTP and MQTT listeners bind to. */
  host: string;
  /** The embedded broker's TCP listener. 0 picks a free port. */
  mqttPort: number;
  /** External broker to use instead of the embedded one; null = embedded. */
  mqttUrl: string | null;
  /** The service's own account on the external broker; null = none (or in the URL). */
  mqttUsername: string | null;
  mqttPassword: string | null;
  /** `mosquitto`: device and gateway credentials reach Mosquitto's dynamic-security plugin as they are issued. */
  broker: 'mosquitto' | null;
  /** Bearer token of a broker's calls to /broker/auth and /broker/acl; null: those routes do not exist. */
  brokerAuthToken: string | null;
  /** The leader's fixed client id on an external broker (its session outlives a failover). */
  mqttClientId: string;
  /** This instance among several (`ha.instanceId` in /api/health); host name and process id by default. */
  instanceId: string;
  /** Where the other instances reach this one's API; its own listening address by default. */
  instanceUrl: string | null;
  /** SQLite history and other state (absolute); unused for the database with `databaseUrl`. */
  dataDir: string;
  /** PostgreSQL (`postgres://…`) instead of the SQLite file in dataDir; null = SQLite. */
  databaseUrl: string | null;
  /** Raw readings are kept this many days. */
  retentionDays: number;
  /** Per-minute rollups (min, max, avg, last, count) are kept this many days (≥ retentionDays). */
  rollupRetentionDays: number;
  /** Whether scripts/start.ts should run the scenario simulator (the service itself ignores it). */
  simulate: boolean;
  /** Simulated seconds per wall second of that simulator (`SIMULATE_SPEED`). */
  simulateSpeed: number;
  /**
   * Password of the shared MQTT account `device` (a gateway for every site); null: no such account
   * (production without CITYTWIN_DEVICE_PASSWORD).
   */
  devicePassword: string | null;
  /** Password of the four demo users created on first start. */
  demoPassword: string;
  /** At most one live message per scene this often. */
  liveBatchMs: number;
  /** Registry file the database's registry is seeded from on first start (absolute). */
  registryPath: string;
  /**
   * Whether a database without a registry is seeded from `registryPath` (DEMO=1, the default, or
   * REGISTRY set): false under DEMO=0 without REGISTRY — an empty twin to register one's own sites in.
   */
  seedRegistry: boolean;
  /** The built web app (absolute). */
  staticDir: string;
  nodeEnv: string;
  /** pino level of the CLI's log (`npm run serve`); in-process starts log warnings only. */
  logLevel: LogLevel;
  /** A `critical` alarm unacknowledged this long escalates; 0 turns escalation off. */
  escalateAfterS: number;
  /** Escalations are also POSTed here as JSON (an SMS or DingTalk gateway); null = no webhook. */
  escalationWebhookUrl: string | null;
  /** Bearer token a Prometheus scraper may use for /metrics; null = only logged-in users. */
  metricsToken: string | null;
  /** Whether the service makes the demo cameras' test streams with ffmpeg (VIDEO=0 turns them off). */
  video: boolean;
  /** ffmpeg for the demo streams: a path, or a name looked up on PATH. */
  ffmpegPath: string;
  /** Minutes a confined space's fan runs before its gas test counts, where the space's registry entry says none. */
  purgeMinutes: number;
  /** A permit without `validUntil` lapses this many minutes after it opens. */
  permitValidityMin: number;
  /** Entering a space whose terminal never reported its fan raises `permit` (off: v1 terminals report no fan). */
  requireVentilationRecord: boolean;
  /** Minutes a person may stay inside a confined space, where the space's registry entry sets none; past it, `overstay`. */
  maxInsideMin: number;
  /** The largest site model (GLB or IFC) an admin may upload, bytes (`MODEL_MAX_MB`). */
  modelMaxBytes: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_DEVICE_PASSWORD = 'citytwin-device';
export const DEFAULT_DEMO_PASSWORD = 'citytwin';
/** The demo registry `scripts/gen-data.ts` makes (seeds the database's registry unless DEMO=0). */
export const DEFAULT_REGISTRY = 'public/data/registry.json';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);

const envSchema = z.object({
  PORT: port(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  MQTT_PORT: port(1883),
  MQTT_URL: z
    .string()
    .regex(/^(mqtts?|wss?|tcp|tls):\/\/.+/, 'must be a broker URL such as mqtt://host:1883')
    .optional(),
  MQTT_USERNAME: z.string().min(1).optional(),
  MQTT_PASSWORD: z.string().min(1).optional(),
  // The leader's persistent session on an external broker: every instance of one deployment uses the same.
  // Which external broker the service keeps current with the issued credentials (its own admin API).
  BROKER: z.enum(['mosquitto']).optional(),
  MQTT_CLIENT_ID: z.string().min(1).max(128).default('citytwin-service'),
  INSTANCE_ID: z.string().min(1).max(128).optional(),
  INSTANCE_URL: z.string().regex(/^https?:\/\/.+/, 'must be an http(s) URL').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a PostgreSQL URL such as postgres://user:password@host:5432/citytwin')
    .optional(),
  // Up to a century: longer is "forever", which a disk is not.
  RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(30),
  ROLLUP_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(400),
  SIMULATE: z.enum(['0', '1', 'true', 'false']).default('1'),
  // DEMO=0: no demo registry seeded, no simulator (an empty twin for one's own sites).
  DEMO: z.enum(['0', '1', 'true', 'false']).default('1'),
  // Simulated seconds per wall second, for a quicker demo; above ×60 a one-minute story is over in a second.
  SIMULATE_SPEED: z.coerce.number().min(0.1).max(60).default(1),
  CITYTWIN_DEVICE_PASSWORD: z.string().min(1).optional(),
  CITYTWIN_DEMO_PASSWORD: z.string().min(1).default(DEFAULT_DEMO_PASSWORD),
  // Below 20 ms the batches stop saving anything; above 10 s the twin is no longer live.
  LIVE_BATCH_MS: z.coerce.number().int().min(20).max(10_000).default(200),
  // Empty counts as unset.
  REGISTRY: z.string().optional().transform((v) => v || undefined),
  STATIC_DIR: z.string().min(1).default('dist'),
  // Any case: `Production` is production too.
  NODE_ENV: z.string().default('development').transform((v) => v.toLowerCase()),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  // Five minutes by default; up to a day (a longer delay is no escalation at all).
  ESCALATE_AFTER_S: z.coerce.number().int().min(0).max(86_400).default(300),
  ESCALATION_WEBHOOK_URL: z.string().regex(/^https?:\/\/.+/, 'must be an http(s) URL').optional(),
  // A Prometheus scraper cannot log in: it sends this as its Bearer token instead.
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  // A broker that asks the service who may connect, publish and subscribe sends this as its Bearer token.
  BROKER_AUTH_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  VIDEO: z.enum(['0', '1', 'true', 'false']).default('1'),
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  // No regulation sets a purge time (the site procedure does, from the space and the fan): 10 min by default, up to 4 h.
  PURGE_MINUTES: z.coerce.number().min(0).max(240).default(10),
  // One 8-h shift by default; at most a day, the window of events the service restores a permit from.
  PERMIT_VALIDITY_MIN: z.coerce.number().int().min(1).max(1440).default(480),
  REQUIRE_VENTILATION_RECORD: z.enum(['0', '1', 'true', 'false']).default('0'),
  // No regulation sets a maximum time inside a confined space (the site's job assessment does): 2 h by default, up to a day.
  MAX_INSIDE_MIN: z.coerce.number().min(1).max(1440).default(MAX_INSIDE_MIN_DEFAULT),
  // A plant's GLB or IFC is a few to a few tens of MB; the upload is held in memory while it is checked.
  MODEL_MAX_MB: z.coerce.number().min(0.01).max(1024).default(100),
});

/**
 * Reads and validates the configuration. Empty variables count as unset. Throws ConfigError with
 * every problem listed, and in production on a default or short password (checked before anything
 * is built or started).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const demo = e.DEMO === '1' || e.DEMO === 'true';
  if (production) {
    const problems = [
      ...weakPassword('CITYTWIN_DEMO_PASSWORD', e.CITYTWIN_DEMO_PASSWORD, DEFAULT_DEMO_PASSWORD),
      // Unset in production: there is no shared device account at all.
      ...(e.CITYTWIN_DEVICE_PASSWORD === undefined ? [] : weakPassword('CITYTWIN_DEVICE_PASSWORD', e.CITYTWIN_DEVICE_PASSWORD, DEFAULT_DEVICE_PASSWORD)),
    ];
    if (problems.length > 0) throw new ConfigError(`refusing to start with NODE_ENV=production: ${problems.join('; ')}`);
  }
  const cfg: Config = {
    port: e.PORT,
    host: e.HOST,
    mqttPort: e.MQTT_PORT,
    mqttUrl: e.MQTT_URL ?? null,
    mqttUsername: e.MQTT_USERNAME ?? null,
    mqttPassword: e.MQTT_PASSWORD ?? null,
    mqttClientId: e.MQTT_CLIENT_ID,
    broker: e.BROKER ?? null,
    brokerAuthToken: e.BROKER_AUTH_TOKEN ?? null,
    instanceId: e.INSTANCE_ID ?? `${hostname()}-${process.pid}`,
    instanceUrl: e.INSTANCE_URL ?? null,
    dataDir: resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL ?? null,
    retentionDays: e.RETENTION_DAYS,
    rollupRetentionDays: e.ROLLUP_RETENTION_DAYS,
    simulate: (e.SIMULATE === '1' || e.SIMULATE === 'true') && demo,
    simulateSpeed: e.SIMULATE_SPEED,
    devicePassword: e.CITYTWIN_DEVICE_PASSWORD ?? (production ? null : DEFAULT_DEVICE_PASSWORD),
    demoPassword: e.CITYTWIN_DEMO_PASSWORD,
    liveBatchMs: e.LIVE_BATCH_MS,
    registryPath: resolve(e.REGISTRY ?? DEFAULT_REGISTRY),
    seedRegistry: demo || e.REGISTRY !== undefined,
    staticDir: resolve(e.STATIC_DIR),
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    escalateAfterS: e.ESCALATE_AFTER_S,
    escalationWebhookUrl: e.ESCALATION_WEBHOOK_URL ?? null,
    metricsToken: e.METRICS_TOKEN ?? null,
    video: e.VIDEO === '1' || e.VIDEO === 'true',
    ffmpegPath: e.FFMPEG_PATH,
    purgeMinutes: e.PURGE_MINUTES,
    permitValidityMin: e.PERMIT_VALIDITY_MIN,
    requireVentilationRecord: e.REQUIRE_VENTILATION_RECORD === '1' || e.REQUIRE_VENTILATION_RECORD === 'true',
    maxInsideMin: e.MAX_INSIDE_MIN,
    modelMaxBytes: Math.round(e.MODEL_MAX_MB * 1024 * 1024),
  };
  if (cfg.rollupRetentionDays < cfg.retentionDays) {
    throw new ConfigError(
      `invalid configuration: ROLLUP_RETENTION_DAYS (${cfg.rollupRetentionDays}) must be at least RETENTION_DAYS (${cfg.retentionDays}): history older than the raw readings is answered from the rollups`,
    );
  }
  if (cfg.mqttPassword !== null && cfg.mqttUsername === null) {
    throw new ConfigError('invalid configuration: MQTT_PASSWORD is set without MQTT_USERNAME');
  }
  return cfg;
}

/** Why a password may not guard a production service: the published default, or under 12 characters. */
function weakPassword(name: string, value: string, published: string): string[] {
  if (value === published) return [`${name} is the published default: set your own`];
  if (value.length < MIN_PASSWORD_LENGTH) return [`${name} is shorter than ${MIN_PASSWORD_LENGTH} characters`];
  return [];
}

/** Removes the password from a broker URL before it is printed or reported. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

/** A webhook URL without its secrets: a password and the query (DingTalk puts its access_token there). */
export function redactWebhookUrl(url: string): string {
  const q = url.indexOf('?');
  return redactUrl(q < 0 ? url : `${url.slice(0, q)}?***`);
}

/**
 * The effective configuration, one `NAME=value` a line. Passwords are shown only while they are the
 * published defaults (so a demo user can log in); a password that was set is masked.
 */
export function describeConfig(cfg: Config): string {
  const secret = (value: string, fallback: string) => (value === fallback ? `${value} (default)` : '*** (set)');
  const rows: [string, string][] = [
    ['PORT', String(cfg.port)],
    ['HOST', cfg.host],
    ['MQTT_PORT', cfg.mqttUrl ? `${cfg.mqttPort} (unused: external broker)` : String(cfg.mqttPort)],
    ['MQTT_URL', cfg.mqttUrl ? redactUrl(cfg.mqttUrl) : '(unset: embedded broker)'],
    ['MQTT_USERNAME', cfg.mqttUsername ?? '(unset)'],
    ['MQTT_PASSWORD', cfg.mqttPassword ? '*** (set)' : '(unset)'],
    ['BROKER', cfg.broker ?? (cfg.mqttUrl ? '(unset: the broker\'s accounts are kept elsewhere)' : '(unset)')],
    ['MQTT_CLIENT_ID', cfg.databaseUrl && cfg.mqttUrl ? cfg.mqttClientId : `${cfg.mqttClientId} (unused: one instance)`],
    ['INSTANCE_ID', cfg.instanceId],
    ['INSTANCE_URL', cfg.instanceUrl ?? '(unset: this instance\'s own address)'],
    ['DATA_DIR', cfg.databaseUrl ? `${cfg.dataDir} (uploaded site models only: PostgreSQL holds the rest)` : cfg.dataDir],
    ['DATABASE_URL', cfg.databaseUrl ? redactUrl(cfg.databaseUrl) : '(unset: SQLite in DATA_DIR)'],
    ['RETENTION_DAYS', String(cfg.retentionDays)],
    ['ROLLUP_RETENTION_DAYS', String(cfg.rollupRetentionDays)],
    ['DEMO', cfg.seedRegistry ? '1' : '0 (no demo registry, no simulator)'],
    ['SIMULATE', cfg.simulate ? '1' : '0'],
    ['SIMULATE_SPEED', `×${cfg.simulateSpeed}`],
    ['CITYTWIN_DEVICE_PASSWORD', cfg.devicePassword === null ? '(unset: no shared device account)' : secret(cfg.devicePassword, DEFAULT_DEVICE_PASSWORD)],
    ['CITYTWIN_DEMO_PASSWORD', `${secret(cfg.demoPassword, DEFAULT_DEMO_PASSWORD)}, for the demo users created on first start`],
    ['LIVE_BATCH_MS', String(cfg.liveBatchMs)],
    ['REGISTRY', cfg.seedRegistry ? `${cfg.registryPath} (seeds the database's registry on first start)` : '(unset: the registry starts empty)'],
    ['STATIC_DIR', cfg.staticDir],
    ['NODE_ENV', cfg.nodeEnv],
    ['LOG_LEVEL', cfg.logLevel],
    ['ESCALATE_AFTER_S', cfg.escalateAfterS > 0 ? String(cfg.escalateAfterS) : '0 (escalation off)'],
    ['ESCALATION_WEBHOOK_URL', cfg.escalationWebhookUrl ? redactWebhookUrl(cfg.escalationWebhookUrl) : '(unset: no webhook)'],
    ['BROKER_AUTH_TOKEN', cfg.brokerAuthToken ? '*** (set)' : '(unset: no /broker/auth, /broker/acl)'],
    ['METRICS_TOKEN', cfg.metricsToken ? '*** (set)' : '(unset: /metrics for logged-in users only)'],
    ['VIDEO', cfg.video ? '1' : '0 (demo camera streams off)'],
    ['FFMPEG_PATH', cfg.ffmpegPath],
    ['PURGE_MINUTES', `${cfg.purgeMinutes} (where a space's registry entry sets none)`],
    ['PERMIT_VALIDITY_MIN', `${cfg.permitValidityMin} (a permit without validUntil)`],
    ['MAX_INSIDE_MIN', `${cfg.maxInsideMin} (a confined space whose registry entry sets no maxInsideMin)`],
    ['MODEL_MAX_MB', `${Math.round((cfg.modelMaxBytes / 1024 / 1024) * 100) / 100} (largest site model upload)`],
    ['REQUIRE_VENTILATION_RECORD', cfg.requireVentilationRecord ? '1' : '0 (a terminal that never reports its fan raises nothing for it)'],
  ];
  return rows.map(([k, v]) => `  ${k}=${v}`).join('\n');
}
