/**
 * `npm start`: the whole twin on one machine. Makes the generated parts when missing or stale
 * (scripts/prepare.ts), starts the service (embedded broker, HTTP API, SQLite, alarm engine) and,
 * unless SIMULATE=0, the scenario simulator as an ordinary MQTT client with device credentials.
 */
import { readFileSync } from 'node:fs';
import { prepare } from './prepare';
import { describeConfig, loadConfig } from '../src/server/config';
import { startService } from '../src/server/app';
import { startSimulator } from '../src/simulator/run';
import type { Registry } from '../src/contracts';

async function main(): Promise<void> {
  // Configuration first: production refuses weak passwords before anything is built or started.
  const cfg = loadConfig(process.env);
  prepare();
  const service = await startService(cfg);
  console.log(describeConfig(cfg));
  let simulator: { stop(): Promise<void> } | null = null;
  if (cfg.simulate && cfg.devicePassword === null) {
    console.log('[simulator] not started: it publishes as the shared device account, which needs CITYTWIN_DEVICE_PASSWORD');
  } else if (cfg.simulate && cfg.devicePassword !== null) {
    const registry = JSON.parse(readFileSync(cfg.registryPath, 'utf8')) as Registry;
    const url = cfg.mqttUrl ?? `mqtt://127.0.0.1:${service.mqttPort}`;
    simulator = await startSimulator({ url, registry, password: cfg.devicePassword, speed: cfg.simulateSpeed, log: (m: string) => console.log(`[simulator] ${m}`) });
    console.log(`[simulator] publishing ${registry.devices.length} demo devices to ${url}`);
  }
  console.log(`\nCityTwin is running: http://localhost:${service.port}  (log in as inspector, park_manager, traffic or admin)\n`);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('stopping…');
    await simulator?.stop();
    await service.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
