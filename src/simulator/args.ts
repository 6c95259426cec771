/** Command line of `npm run simulate`, read and checked once. */
import { parseArgs } from 'node:util';
import { DEFAULT_SEED } from './engine';

export interface SimArgs {
  url: string;
  seed: number;
  speed: number;
  scenario?: string;
  demo: boolean;
  /** Simulated epoch ms at start; undefined = now. */
  simStartMs?: number;
  registryPath?: string;
  help: boolean;
}

export const USAGE = `npm run simulate -- [options]
  --url URL          broker (default mqtt://localhost:$MQTT_PORT, MQTT_PORT default 1883)
  --seed N           random seed: same seed and start time, same streams (default ${DEFAULT_SEED})
  --speed K          simulated time runs K× faster; reporting intervals shrink to match (default 1)
  --scenario NAME    start a scenario at once: %SCENARIOS%
  --no-demo          no demo loop (every scenario begun within 15 simulated minutes, then again)
  --start ISO        simulated start time, e.g. 2025-11-28T07:30:00+08:00 for the morning rush
  --registry PATH    registry JSON (default public/data/registry.json)
  password: env CITYTWIN_DEVICE_PASSWORD (default citytwin-device)`;

/** Parses argv (without node and script); throws an Error with a readable message on bad input. */
export function parseSimArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): SimArgs {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      url: { type: 'string' },
      seed: { type: 'string' },
      speed: { type: 'string' },
      scenario: { type: 'string' },
      'no-demo': { type: 'boolean' },
      start: { type: 'string' },
      registry: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!Number.isFinite(speed) || speed <= 0) throw new Error(`--speed must be a positive number, got ${values.speed}`);
  let simStartMs: number | undefined;
  if (values.start !== undefined) {
    simStartMs = Date.parse(values.start);
    if (Number.isNaN(simStartMs)) throw new Error(`--start must be an ISO-8601 time, got ${values.start}`);
  }
  const url = values.url ?? `mqtt://localhost:${env.MQTT_PORT || 1883}`;
  if (!/^(mqtts?|wss?|tcp):\/\//.test(url)) throw new Error(`--url must be mqtt://host:port (or mqtts, ws, wss), got ${url}`);
  return {
    url,
    seed,
    speed,
    scenario: values.scenario,
    demo: !values['no-demo'],
    simStartMs,
    registryPath: values.registry,
    help: values.help ?? false,
  };
}
