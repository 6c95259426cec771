/**
 * The twin service in one call: broker (embedded or external), ingest, alarm engine, live batches,
 * SQLite history and the HTTP API on one port. `startService` runs in-process, so the CLI
 * (main.ts), scripts/start.ts and the integration tests all start the same thing.
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { SCENES, type Registry } from '../contracts';
import { AlarmEngine } from './alarms';
import { alarmRoutes } from './api/alarms';
import { historyRoutes } from './api/history';
import { bearerToken, sendError, type ApiContext } from './api/context';
import { liveRoutes } from './api/live';
import { replayRoutes } from './api/replay';
import { publicRoutes } from './api/public';
import { compressAnswers } from './api/compress';
import { staticRoutes } from './api/static';
import { twinRoutes } from './api/twin';
import { auditRoutes } from './api/audit';
import { registerGuard } from './api/guard';
import { identityRoutes } from './api/identity';
import { Auth, sameSecret } from './auth';
import { brokerAuthRoutes } from './brokerAuth';
import { DeferredBus, connectExternalBus, type Bus } from './bus';
import { MQTT_WS_PATH, startEmbeddedBroker } from './broker';
import { redactUrl, type Config } from './config';
import { Escalator } from './escalation';
import { Leadership, forwardToLeader } from './ha';
import { AuditLog, SERVICE_ACTOR } from './identity/audit';
import { MqttCredentials } from './identity/credentials';
import { Ingest } from './ingest';
import { LiveBatcher } from './live';
import { Metrics } from './metrics';
import { DynsecSync } from './mosquitto';
import { EMPTY_REGISTRY, RegistryIndex, loadRegistry } from './registry';
import { RegistryManager } from './registryManager';
import { registryRoutes } from './api/registry';
import { registrySay } from './texts';
import { createScenes, viewAt } from './scenes';
import { openStorage } from './storage';
import { demoStreams } from './video/demoStreams';
import { videoRoutes } from './video/routes';
import { VideoDetections, withDetections } from './video/detections';
import { linkCameras } from './video/linkage';
import type { ParkView } from './scenes/park/routes';
import type { AlarmRecord } from '../contracts';

/** Stale detection, shelve expiry and the scenes' clocks run this often: a second is the resolution operators read. */
export const TICK_MS = 1000;
/** How often a standby reloads the latest values and open alarms the leader stored. */
export const STANDBY_REFRESH_MS = 2000;

export interface ServiceOptions {
  /** Use this registry instead of reading `cfg.registryPath`. */
  registry?: Registry;
  /** Fastify/pino logger: default warnings and errors only; false for silence, or e.g. `{ level: 'info' }`. */
  logger?: boolean | { level: string };
  /** Clock, for tests. */
  now?: () => number;
  /** Served behind STATIC_DIR (so /data/ and /models/ work before a build); default `./public`. */
  publicDir?: string;
  /** Called when this instance lost the leader lock and stops (main.ts exits non-zero so a supervisor restarts it). */
  onLeaderLost?: (err: Error) => void;
}

export interface Service {
  /** Bound HTTP port (the real one when `cfg.port` was 0). */
  port: number;
  /** Bound MQTT TCP port of the embedded broker; null with an external broker. */
  mqttPort: number | null;
  /** `http://host:port` of the app and API. */
  url: string;
  /** Where devices connect: `mqtt://host:mqttPort`, or the external broker (password removed). */
  mqttUrl: string;
  /** MQTT over WebSocket for browsers: `ws://host:port/mqtt` (embedded broker only). */
  wsUrl: string | null;
  config: Config;
  /** Every route the HTTP server answers (`GET /api/devices`, …): what an access review goes through. */
  routes: readonly { method: string; url: string }[];
  /** Stops timers, disconnects every client, flushes and closes the database. Idempotent. */
  close(): Promise<void>;
}

/** Starts the service on `cfg`; rejects (after cleaning up) when a port or the database is unavailable. */
export async function startService(cfg: Config, options: ServiceOptions = {}): Promise<Service> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  // Read before anything starts, so a broken registry file fails the start with its own message.
  const seed = options.registry ?? (cfg.seedRegistry ? loadRegistry(cfg.registryPath) : EMPTY_REGISTRY);
  // Filled from the database below; one object for the service's life, refilled by every change.
  const registry = new RegistryIndex(EMPTY_REGISTRY);
  // Request logging off: the browser polls, and a line per request would drown real events.
  const app: FastifyInstance = Fastify({
    logger: options.logger ?? { level: 'warn' },
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
  });
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url });
  });
  await compressAnswers(app);
  const storage = await openStorage(
    { databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir },
    {
      retentionDays: cfg.retentionDays,
      rollupRetentionDays: cfg.rollupRetentionDays,
      now,
      info: (m) => app.log.info(m),
      warn: (m) => app.log.warn(m),
    },
  );
  const identity = storage.identity;
  const audit = new AuditLog(identity, now);
  const auth = new Auth(identity, audit, now);
  const credentials = new MqttCredentials(identity, audit, now, cfg.devicePassword, (r) => auth.revoke(r));
  let bus: Bus | null = null;
  let ha: Leadership | null = null;
  let stopTimers = (): void => {};
  let standbyRefresh: NodeJS.Timeout | null = null;
  let refreshing: Promise<unknown> = Promise.resolve();
  let video: ReturnType<typeof demoStreams> | null = null;
  // MQTT clients first (so nothing new arrives), then HTTP, then the final database flush.
  const shutdown = async (): Promise<void> => {
    stopTimers();
    if (standbyRefresh) clearInterval(standbyRefresh);
    await video?.stop();
    await bus?.close().catch(() => {});
    await app.close().catch(() => {});
    await storage.close();
    // Last: the lock is released once everything this instance took is committed.
    await ha?.close();
  };

  try {
    const manager = await RegistryManager.open({
      store: storage.registry,
      index: registry,
      bus: () => bus,
      seed,
      now,
      info: (m) => app.log.info(m),
      warn: (m) => app.log.warn(m),
    });
    const streams = demoStreams(cfg, registry, app.log);
    video = streams;
    const seeded = await auth.seedDemoUsers(cfg.demoPassword);
    if (seeded > 0) await audit.record('user.seed', SERVICE_ACTOR, null, { users: seeded });
    await audit.record('service.start', SERVICE_ACTOR, null, configSummary(cfg));
    // The broker needs the ingest's reject counter before the ingest exists: late-bound.
    let ingest: Ingest | null = null;
    let mqttPort: number | null = null;
    // Several instances on one database and one external broker: one leads, the others stand by.
    const highlyAvailable = cfg.databaseUrl !== null && cfg.mqttUrl !== null;
    const account = { username: cfg.mqttUsername, password: cfg.mqttPassword };
    const onBrokerError = (err: Error) => app.log.warn({ err }, 'external broker');
    const deferred = highlyAvailable ? new DeferredBus() : null;
    if (deferred) bus = deferred;
    else if (cfg.mqttUrl) bus = await connectExternalBus(cfg.mqttUrl, account, onBrokerError);
    else {
      const embedded = await startEmbeddedBroker({
        host: cfg.host,
        mqttPort: cfg.mqttPort,
        auth,
        credentials,
        registry,
        onRefused: (reason, detail) => ingest?.reject(reason, detail),
      });
      bus = embedded.bus;
      mqttPort = embedded.tcpPort;
      embedded.attachWebSocket(app.server);
    }
    const theBus = bus;
    manager.announce();
    // Credentials issued from here on reach Mosquitto's dynamic-security plugin (made by npm run broker:mosquitto).
    if (cfg.broker === 'mosquitto' && cfg.mqttUrl) {
      const sync = new DynsecSync(theBus, registry);
      credentials.onIssued((c) => sync.issued(c).catch((err) => app.log.error({ err }, `broker: credentials of ${c.username} not sent to Mosquitto`)));
      registry.onChange(() => void credentials.list().then((all) => sync.registryChanged(all)).catch((err) => app.log.error({ err }, 'broker: registry change not sent to Mosquitto')));
    }

    let alarms: AlarmEngine | null = null;
    const metrics = new Metrics(
      () => alarms?.openCounts() ?? [],
      () => theBus.status().clients,
    );
    const live = new LiveBatcher(theBus, cfg.liveBatchMs, metrics, now);
    alarms = new AlarmEngine(storage, theBus, metrics, (err) => app.log.warn({ err }, 'alarm publish failed'), registrySay(registry, 'zh'), now);
    ingest = new Ingest({
      registry,
      storage,
      live,
      alarms,
      metrics,
      now,
      onError: (err, topic) => app.log.error({ err, topic }, 'ingest failed on a message'),
      onReject: (reason, detail) => app.log.debug({ reason, detail }, 'message rejected'),
    });
    const haRole = () => (ha ? { role: ha.role, instanceId: ha.instanceId } : { role: 'leader' as const, instanceId: cfg.instanceId });
    const ctx: ApiContext = { cfg, auth, audit, registry, manager, ingest, alarms, storage, bus: theBus, metrics, startedAt, now, haRole };
    const scenes = createScenes({ ...ctx, log: (m) => app.log.warn(m) });
    const ing = ingest;
    const eng = alarms;
    eng.useCameras((subject, cond) => linkCameras({ registry, values: (id) => ing.state(id)?.values }, subject, cond));
    const detections = new VideoDetections(registry, eng, {
      peopleInside: (spaceId) => scenes.confined.shelveContext({ scene: 'confined', siteId: spaceId } as AlarmRecord).peopleInside,
      dangerZones: () => (scenes.park.live() as ParkView).zones().features.filter((z) => z.properties.active),
    });
    // A retired device or site raises nothing more (its open alarms are closed by the retiring route).
    eng.useRetired((x) => (x.deviceId !== null && registry.retiredDevices.has(x.deviceId)) || (x.siteId !== null && registry.retiredSites.has(x.siteId)));
    // A registry change is in force at once: new devices are ingested, rules see new limits and places.
    registry.onChange(() => {
      ing.registryChanged();
      eng.registryChanged();
      for (const name of SCENES) scenes[name].registryChanged?.();
    });

    /** Takes the stream: the state rebuilt from the database, then the messages, the clocks and retention. */
    const lead = async (): Promise<void> => {
      if (standbyRefresh) clearInterval(standbyRefresh);
      // A refresh still reading must not replace what the restore below loads.
      await refreshing;
      if (deferred) deferred.attach(await connectExternalBus(cfg.mqttUrl!, account, onBrokerError, { persistentClientId: cfg.mqttClientId }));
      const restored = await eng.restore();
      // Before anything can change an alarm: the escalator follows every transition from here on.
      const escalator = await new Escalator({ cfg, alarms: eng, storage, bus: theBus, metrics, warn: (d, m) => app.log.warn(d, m) }).attach();
      await ing.restore();
      // Each scene's rules, then their own state rebuilt from what was stored (open alarms and values are back by now).
      eng.useScenes(withDetections(scenes, detections));
      for (const name of SCENES) await scenes[name].restore(now());
      detections.restore(eng.list(undefined, true, Number.MAX_SAFE_INTEGER));
      // Messages that arrived while the state was restored waited in the bus; they go in now.
      // The write path: a QoS 1/2 message is acknowledged once what it wrote is committed; a message
      // that could not be handled is refused (no PUBACK: the device sends it again).
      theBus.onMessage((msg, ack) => {
        if (!ing.handle(msg.topic, msg.payload)) return ack(new Error(`not stored: ${msg.topic}`));
        if (msg.qos === 0) ack();
        else storage.whenCommitted(ack);
      });
      live.start();
      storage.startBackground();
      const tick = setInterval(() => {
        try {
          const t = now();
          ing.checkStale(t);
          eng.tick(t);
          for (const name of SCENES) scenes[name].tick(t);
          detections.tick(t);
          escalator.tick(t);
        } catch (err) {
          // A failing store must not kill the process from a timer; the next tick tries again.
          app.log.error({ err }, 'periodic check failed');
        }
      }, TICK_MS);
      tick.unref();
      stopTimers = () => {
        clearInterval(tick);
        eng.stopTimers();
        live.stop();
        escalator.close();
      };
      if (restored > 0) app.log.info(`republished ${restored} open alarm(s) from ${storage.where}`);
    };
    // One instance alone leads from the start, before it answers anything.
    if (!highlyAvailable) await lead();

    forwardToLeader(app, () => ha);
    registerHttp(app, ctx);
    identityRoutes(app, ctx, credentials);
    brokerAuthRoutes(app, ctx, credentials);
    for (const name of SCENES) scenes[name].routes(app, viewAt(ctx, name, scenes[name]));
    videoRoutes(app, registry, streams);
    await staticRoutes(app, cfg.staticDir, options.publicDir);
    await app.listen({ port: cfg.port, host: cfg.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : cfg.port;
    streams.start();

    const host = cfg.host === '0.0.0.0' || cfg.host === '::' ? '127.0.0.1' : cfg.host;
    if (highlyAvailable) {
      ha = await Leadership.start(cfg.databaseUrl!, cfg.instanceId, cfg.instanceUrl ?? `http://${host}:${port}`, {
        lead,
        warn: (m) => app.log.warn(m),
        // Another instance may lead already: this one stops taking messages at once.
        lost: (err) => {
          app.log.error({ err }, 'lost the leader lock: stopping');
          options.onLeaderLost?.(err);
          void shutdown();
        },
      });
      app.log.info(`instance ${cfg.instanceId}: ${ha.role}`);
      if (ha.role === 'standby') {
        // A standby's views of the values and open alarms follow the leader's, from the shared database.
        const refresh = () =>
          (refreshing = Promise.all([manager.refresh(), ing.restore(), eng.restore(false)]).catch((err) => app.log.warn({ err }, 'standby: refresh from the database failed')));
        await refresh();
        standbyRefresh = setInterval(() => void refresh(), STANDBY_REFRESH_MS);
        standbyRefresh.unref();
      }
    }
    let closing: Promise<void> | null = null;
    return {
      port,
      mqttPort,
      url: `http://${host}:${port}`,
      mqttUrl: cfg.mqttUrl ? redactUrl(cfg.mqttUrl) : `mqtt://${host}:${mqttPort}`,
      wsUrl: cfg.mqttUrl ? null : `ws://${host}:${port}${MQTT_WS_PATH}`,
      config: cfg,
      routes,
      close() {
        closing ??= shutdown();
        return closing;
      },
    };
  } catch (err) {
    await shutdown();
    throw err;
  }
}

/** What the audit log keeps of the configuration at each start: no secret, only whether each is set. */
function configSummary(cfg: Config): Record<string, unknown> {
  return {
    nodeEnv: cfg.nodeEnv,
    broker: cfg.mqttUrl ? 'external' : 'embedded',
    database: cfg.databaseUrl ? 'postgres' : 'sqlite',
    sharedDeviceAccount: cfg.devicePassword !== null,
    metricsToken: cfg.metricsToken !== null,
    escalateAfterS: cfg.escalateAfterS,
    liveBatchMs: cfg.liveBatchMs,
  };
}

const HTTP_ERRORS: Record<number, string> = { 400: 'bad_request', 404: 'not_found', 413: 'too_large', 415: 'unsupported_media_type' };

/** The guard, the JSON error body and every API route. */
function registerHttp(app: FastifyInstance, ctx: ApiContext): void {
  registerGuard(app, ctx);
  auditRoutes(app, ctx);

  // An empty JSON body counts as none: `POST /api/alarms/{id}/ack` needs no comment.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    if (body === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });

  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) {
      req.log.error({ err }, 'request failed');
      return sendError(reply, status, 'internal', 'internal error'); // never leak internals
    }
    // Fastify's own 4xx (bad JSON, body too large, wrong media type) keep their message.
    return sendError(reply, status, HTTP_ERRORS[status] ?? 'bad_request', err.message);
  });

  publicRoutes(app, ctx);
  twinRoutes(app, ctx);
  liveRoutes(app, ctx);
  replayRoutes(app, ctx);
  alarmRoutes(app, ctx);
  historyRoutes(app, ctx);
  registryRoutes(app, ctx);

  // Without credentials nothing but login, static assets and health. A scraper that cannot log in
  // sends METRICS_TOKEN as its Bearer token instead.
  app.get('/metrics', async (req, reply) => {
    const token = bearerToken(req);
    const scraper = ctx.cfg.metricsToken !== null && !!token && sameSecret(token, ctx.cfg.metricsToken);
    if (!scraper && !(await ctx.auth.verify(token))) {
      return sendError(reply, 401, 'unauthorized', 'log in first, or send METRICS_TOKEN as the Bearer token');
    }
    reply.header('content-type', ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}
