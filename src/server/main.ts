/**
 * `npm run serve`: the twin service alone (scripts/start.ts adds the build and the simulator).
 * Reads the configuration, prints it, starts, and shuts down cleanly on SIGINT / SIGTERM.
 */
import { startService } from './app';
import { ConfigError, describeConfig, loadConfig, type Config } from './config';

/** A shutdown that takes longer than this is stuck: exit anyway. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  let cfg: Config;
  try {
    cfg = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`citytwin: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  console.log(`citytwin: configuration\n${describeConfig(cfg)}`);
  const service = await startService(cfg, {
    logger: { level: cfg.logLevel },
    // Stopping after a lost leader lock is a failure: a supervisor (systemd, Kubernetes) must restart us.
    onLeaderLost: () => {
      process.exitCode = 1;
    },
  });
  console.log(
    `citytwin: twin service on ${service.url} · MQTT ${service.mqttUrl}` + (service.wsUrl ? ` · WebSocket ${service.wsUrl}` : ''),
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      console.error(`citytwin: ${signal} again, exiting now`);
      process.exit(1);
    }
    stopping = true;
    console.log(`citytwin: ${signal}, shutting down`);
    setTimeout(() => {
      console.error('citytwin: shutdown timed out');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    service.close().then(
      () => process.exit(0),
      (err) => {
        console.error('citytwin: shutdown failed', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`citytwin: failed to start: ${(err as Error).message}`);
  process.exit(1);
});
