/**
 * The twin service as the scale benches run it: a child process on free ports, as `npm run serve`
 * runs it, with the bench's own passwords, no simulator and no video.
 */
import { fork, type ChildProcess } from 'node:child_process';

export const DEMO_PASSWORD = 'bench-demo-pw';
export const DEVICE_PASSWORD = 'bench-device-pw';

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  mqttUrl: string;
}

/** Starts the service on `registryPath`; resolves with its URLs once it listens. `cpuProfDir` writes its CPU profile there. */
export async function serviceProcess(registryPath: string, dataDir: string, o: { staticDir: string; cpuProfDir?: string }): Promise<ServiceProcess> {
  const prof = o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : [];
  const child = fork('src/server/main.ts', [], {
    execArgv: ['--import', 'tsx', ...prof],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: {
      ...process.env,
      PORT: '0', MQTT_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, REGISTRY: registryPath, STATIC_DIR: o.staticDir,
      SIMULATE: '0', VIDEO: '0', LOG_LEVEL: 'warn', CITYTWIN_DEMO_PASSWORD: DEMO_PASSWORD, CITYTWIN_DEVICE_PASSWORD: DEVICE_PASSWORD,
    },
  });
  let out = '';
  return new Promise((ok, fail) => {
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /twin service on (\S+) · MQTT (\S+)/.exec(out);
      if (m) ok({ child, url: m[1], mqttUrl: m[2] });
    });
    child.once('exit', (code) => fail(new Error(`service exited (${code}) before listening:\n${out}`)));
  });
}

/** Stops a child with SIGTERM and waits for it to go. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
