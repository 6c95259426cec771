/**
 * The simulator as an ordinary MQTT client with device credentials: one connection publishes for
 * every device of the registry on a timer. Survives broker restarts (mqtt.js reconnects; statuses
 * are re-published on every connect, as an in-memory broker forgets retained messages) and never
 * throws on broker errors: they are logged, at most once a minute per distinct message.
 *
 * No Last Will: one connection can carry one will, not one per device. A crashed simulator shows
 * instead as stale devices (silent for 3 × their interval); a graceful stop publishes `offline`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { DEVICE_MQTT_USERNAME, type Registry } from '../contracts';
import { createSimulator, type Simulator } from './engine';
import type { RoadLayer } from './trucks';

/** Default device password (`CITYTWIN_DEVICE_PASSWORD`). */
export const DEFAULT_DEVICE_PASSWORD = 'citytwin-device';
/** How often the timer asks the engine what is due, wall ms. */
const TICK_MS = 100;
/** Give up on a clean goodbye after this long: stop() must not hang on a dead broker. */
const STOP_TIMEOUT_MS = 3000;

export interface StartOptions {
  /** Broker URL, e.g. `mqtt://localhost:1883`. */
  url: string;
  registry: Registry;
  /** @default DEFAULT_SEED of the engine */
  seed?: number;
  /** Simulated seconds per wall second. @default 1 */
  speed?: number;
  /** Password of MQTT user `device`. @default CITYTWIN_DEVICE_PASSWORD or 'citytwin-device' */
  password?: string;
  /** Where messages for people go. @default console.log */
  log?: (message: string) => void;
  /** A scenario to start at once. */
  scenario?: string;
  /** Run the demo loop (schedule.ts: every scenario begun within 15 simulated minutes). @default true */
  demo?: boolean;
  /** Simulated epoch ms at start. @default now */
  simStartMs?: number;
  /** Park roads for truck routes. @default read from public/data/layers/park-roads.geojson if present */
  roads?: RoadLayer;
}

export interface RunningSimulator {
  /** Publishes every device offline (retained), disconnects and stops the timer. */
  stop(): Promise<void>;
  readonly simulator: Simulator;
}

/** public/data of this checkout. */
export const DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../public/data');

/** The park-roads layer, or undefined when it is missing or unreadable (trucks then loop). */
export function readRoadLayer(path = join(DATA_DIR, 'layers', 'park-roads.geojson')): RoadLayer | undefined {
  try {
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as RoadLayer) : undefined;
  } catch {
    return undefined;
  }
}

/** Connects to the broker and publishes the registry's devices until `stop()`. */
export async function startSimulator(opts: StartOptions): Promise<RunningSimulator> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const startMs = Date.now();
  const roads = opts.roads ?? readRoadLayer();
  if (!roads) log('no park-roads layer: trucks drive loops round their start');
  const sim = createSimulator({
    registry: opts.registry,
    startMs,
    seed: opts.seed,
    speed: opts.speed,
    simStartMs: opts.simStartMs,
    scenario: opts.scenario,
    demo: opts.demo,
    roads,
  });

  const client = mqtt.connect(opts.url, {
    username: DEVICE_MQTT_USERNAME,
    password: opts.password ?? process.env.CITYTWIN_DEVICE_PASSWORD ?? DEFAULT_DEVICE_PASSWORD,
    clientId: `citytwin-sim-${process.pid}-${startMs.toString(36)}`,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
    reconnectOnConnackError: true, // the service may refuse us while it is still starting
    queueQoSZero: false, // while disconnected, readings are dropped as a real sensor's would be
  });

  const lastLogged = new Map<string, number>();
  const logLimited = (m: string) => {
    const now = Date.now();
    if ((lastLogged.get(m) ?? 0) + 60_000 > now) return;
    lastLogged.set(m, now);
    log(m);
  };

  const publish = (topic: string, payload: string, retain = false) => {
    client.publish(topic, payload, { qos: retain ? 1 : 0, retain }, (err) => {
      if (err) logLimited(`publish failed: ${err.message}`);
    });
  };

  // No step before the first connection: a scenario started with the simulator has events at its
  // first instant (the fan switched on), which a step while still connecting would drop.
  let everConnected = false;
  client.on('connect', () => {
    everConnected = true;
    log(`connected to ${opts.url}; ${sim.devices.length} devices reporting, speed ×${opts.speed ?? 1}`);
    for (const m of sim.status(true, Date.now())) publish(m.topic, m.payload, m.retain);
  });
  client.on('error', (err) => logLimited(`broker error: ${err.message}`));
  client.on('offline', () => logLimited(`broker ${opts.url} unreachable; retrying every 2 s`));

  let running = new Set<string>();
  const timer = setInterval(() => {
    if (!everConnected) return;
    try {
      const now = Date.now();
      const messages = sim.step(now); // always step, so the schedule does not pile up while offline
      if (client.connected) for (const m of messages) publish(m.topic, m.payload, m.retain);
      const active = new Set(sim.activeScenarios(now));
      for (const name of active) if (!running.has(name)) log(`scenario ${name} started`);
      for (const name of running) if (!active.has(name)) log(`scenario ${name} ended`);
      running = active;
    } catch (e) {
      logLimited(`simulator step failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }, TICK_MS);

  let stopped: Promise<void> | null = null;
  async function goodbye(): Promise<void> {
    clearInterval(timer);
    if (client.connected) {
      const acks = sim.status(false, Date.now()).map(
        (m) => new Promise<void>((done) => client.publish(m.topic, m.payload, { qos: 1, retain: true }, () => done())),
      );
      await withTimeout(Promise.all(acks), STOP_TIMEOUT_MS);
    }
    await withTimeout(client.endAsync().catch(() => undefined), STOP_TIMEOUT_MS);
    client.end(true); // no-op when already ended; forces it otherwise
    log('stopped');
  }

  return {
    simulator: sim,
    stop: () => (stopped ??= goodbye()),
  };
}

/** Resolves when `p` settles or after `ms`, whichever comes first; never rejects. */
function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, ms);
    const finish = () => {
      clearTimeout(timer);
      done();
    };
    p.then(finish, finish);
  });
}
