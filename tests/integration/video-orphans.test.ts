/**
 * The demo's ffmpeg lives and dies with the service, also when the service is killed outright:
 * the service runs as its own process here (`npm run serve`'s entry), so a signal to it is real.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { servicePlaylistPath, type Device, type Registry } from '../../src/contracts';
import { DEMO_PASSWORD, FIXTURE_REGISTRY, removeDir, tempDataDir, waitFor } from './helpers';
import { childrenOf, isRunning } from './procs';

let proc: ChildProcess | null = null;
let dataDir: string | null = null;

afterEach(() => {
  if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  if (dataDir) removeDir(dataDir);
  proc = null;
  dataDir = null;
});

/** Starts `src/server/main.ts` in its own process with one demo camera; resolves with its URL. */
async function startServiceProcess(): Promise<{ proc: ChildProcess; url: string }> {
  dataDir = tempDataDir();
  const registry = JSON.parse(readFileSync(FIXTURE_REGISTRY, 'utf8')) as Registry;
  registry.devices.push({
    id: 't-cam',
    scene: 'park',
    siteId: 't-tank',
    kind: 'camera',
    name: 'Tank camera',
    nameZh: '储罐摄像机',
    position: [120.8499, 30.1999, 10],
    quantities: [],
    intervalS: 60,
    headingDeg: 45,
    pitchDeg: -10,
    fovDeg: 60,
    rangeM: 100,
    stream: { hls: servicePlaylistPath('t-cam') },
  } as Device);
  const registryPath = join(dataDir, 'registry.json');
  writeFileSync(registryPath, JSON.stringify(registry));
  const env = {
    ...process.env,
    PORT: '0',
    MQTT_PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    REGISTRY: registryPath,
    STATIC_DIR: join(dataDir, 'no-dist'),
    CITYTWIN_DEMO_PASSWORD: DEMO_PASSWORD,
    VIDEO: '1',
    LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  proc = child;
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const url = await waitFor('the service to listen', () => /twin service on (http:\/\/[\d.]+:\d+)/.exec(out)?.[1], 30_000, 50).catch((err: Error) => {
    throw new Error(`${err.message}\n${out}`);
  });
  return { proc: child, url };
}

/** Waits until the camera plays, then returns the service's ffmpeg. */
async function encoderOf(p: ChildProcess, url: string): Promise<number> {
  const login = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  await waitFor(
    'the camera live',
    async () => ((await (await fetch(`${url}/api/video/t-cam`, { headers: { authorization: `Bearer ${token}` } })).json()) as { state: string }).state === 'live',
    20_000,
    200,
  );
  const encoders = childrenOf(p.pid!, 'ffmpeg');
  expect(encoders).toHaveLength(1);
  return encoders[0];
}

const exited = (p: ChildProcess): Promise<{ code: number | null; signal: string | null }> =>
  p.exitCode !== null || p.signalCode !== null
    ? Promise.resolve({ code: p.exitCode, signal: p.signalCode })
    : new Promise((resolve) => p.once('exit', (code, signal) => resolve({ code, signal })));

describe('no ffmpeg outlives the service', () => {
  it('SIGTERM: the service stops its encoder and exits cleanly', async () => {
    const { proc: p, url } = await startServiceProcess();
    const encoder = await encoderOf(p, url);
    p.kill('SIGTERM');
    expect(await exited(p)).toEqual({ code: 0, signal: null });
    expect(isRunning(encoder)).toBe(false);
  });

  it('SIGKILL: the encoder dies with the service that cannot clean up', async () => {
    const { proc: p, url } = await startServiceProcess();
    const encoder = await encoderOf(p, url);
    p.kill('SIGKILL');
    expect((await exited(p)).signal).toBe('SIGKILL');
    await waitFor('the orphaned encoder to die', () => !isRunning(encoder), 5000);
  });
});
