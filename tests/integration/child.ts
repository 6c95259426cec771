/**
 * The real service as a child process (`node --import tsx src/server/main.ts`), for the tests that
 * kill it: SIGKILL must hit the process that holds the database, not a wrapper around it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { databaseEnv } from '../fixture/database';
import { DEMO_PASSWORD, DEVICE_PASSWORD, FIXTURE_REGISTRY } from './helpers';

export interface ChildService {
  url: string;
  mqttUrl: string;
  proc: ChildProcess;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** What it wrote to stderr, for failure messages. */
  stderr(): string;
}

const READY = /twin service on (http:\/\/\S+) · MQTT (mqtt:\/\/\S+)/;

/** Starts `npm run serve`'s entry on free ports and waits for the line that says where it listens. */
export async function startChildService(dataDir: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ChildService> {
  const { NODE_OPTIONS: _drop, ...inherited } = process.env;
  const database = await databaseEnv(dataDir);
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: {
      ...inherited,
      PORT: '0',
      MQTT_PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      REGISTRY: FIXTURE_REGISTRY,
      STATIC_DIR: join(dataDir, 'no-dist'),
      CITYTWIN_DEMO_PASSWORD: DEMO_PASSWORD,
      CITYTWIN_DEVICE_PASSWORD: DEVICE_PASSWORD,
      SIMULATE: '0',
      LOG_LEVEL: 'warn',
      ...database,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((ok) => proc.once('exit', (code, signal) => ok(code ?? signal)));
  const ready = await new Promise<RegExpExecArray>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`service did not start within ${timeoutMs} ms: ${err}`)), timeoutMs);
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = READY.exec(out);
      if (m) (clearTimeout(timer), ok(m));
    });
    exited.then((code) => (clearTimeout(timer), fail(new Error(`service exited (${code}) before it was ready: ${err}`))));
  });
  return { url: ready[1], mqttUrl: ready[2], proc, exited, stderr: () => err };
}
