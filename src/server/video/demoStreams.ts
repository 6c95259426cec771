/**
 * The demo's test streams: one ffmpeg process (encoder.ts) writing an HLS stream per demo camera
 * under `DATA_DIR/video/{cameraId}/`, started and stopped with the service. A demo camera is one
 * whose `stream.hls` is the service's own path; other cameras come from their media server.
 *
 * The service owns the process rather than the simulator because it serves the files (the
 * simulator may run on another machine against any broker) and because its lifetime must bound
 * the encoder's: ffmpeg runs under `setpriv --pdeathsig SIGKILL`, so even a SIGKILLed service
 * leaves no encoder behind. Without ffmpeg, or with VIDEO=0, every demo camera says "no signal".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCamera, servicePlaylistPath, type CameraDevice, type Device, type NoSignalReason, type VideoState } from '../../contracts';
import type { Config } from '../config';
import type { RegistryIndex } from '../registry';
import { SEGMENT_S, encoderArgs, findExecutable, findLabelFont, labelText } from './encoder';

/** A playlist not rewritten for this long means the encoder stalled (three segments' time), ms. */
const STALE_PLAYLIST_MS = 3 * SEGMENT_S * 1000 + 2000;
/** After a (re)start the encoder gets this long to write its first playlist before it counts as stalled, ms. */
const START_GRACE_MS = 15_000;
/** Restart delays after the encoder dies: doubling from 2 s up to a minute; reset after a minute's good run. */
const RESTART_MIN_MS = 2000;
const RESTART_MAX_MS = 60_000;
/** On stop, SIGTERM (ffmpeg closes its playlists), then SIGKILL after this long, ms. */
const STOP_GRACE_MS = 3000;

export interface DemoStreamsOptions {
  /** The registry's devices; the demo cameras are picked from them. */
  devices: Iterable<Device>;
  /** Where the streams are written: `DATA_DIR/video`. */
  dir: string;
  /** VIDEO=0 turns the demo streams off. */
  enabled: boolean;
  /** ffmpeg to run: a path or a name on PATH. */
  ffmpegPath: string;
  warn: (msg: string) => void;
  info: (msg: string) => void;
}

/** Whether the service feeds this camera itself (its HLS URL is the service's own path). */
export function isDemoCamera(d: Device): d is CameraDevice {
  return isCamera(d) && 'hls' in d.stream && d.stream.hls === servicePlaylistPath(d.id);
}

export class DemoStreams {
  readonly cameras: ReadonlyMap<string, CameraDevice>;
  private child: ChildProcess | null = null;
  private childStartedAt = 0;
  private stopping = false;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private restartMs = RESTART_MIN_MS;
  private missing: string | null = null;
  private lastErrors: string[] = [];

  constructor(private readonly o: DemoStreamsOptions) {
    this.cameras = new Map([...o.devices].filter(isDemoCamera).map((c) => [c.id, c]));
  }

  /** Starts the encoder when there is anything to encode; never throws (no encoder means no signal). */
  start(): void {
    if (!this.o.enabled || this.cameras.size === 0) return;
    try {
      this.startEncoder();
    } catch (err) {
      this.o.warn(`video: the demo streams could not start: ${(err as Error).message}`);
    }
  }

  private startEncoder(): void {
    const ffmpeg = findExecutable(this.o.ffmpegPath);
    if (!ffmpeg) {
      this.missing = this.o.ffmpegPath;
      this.o.warn(`video: no ffmpeg at ${this.o.ffmpegPath}; the ${this.cameras.size} demo cameras show "no signal" (install Debian's ffmpeg, or set FFMPEG_PATH)`);
      return;
    }
    // A previous run's segments are not this run's stream: start from an empty folder.
    rmSync(this.o.dir, { recursive: true, force: true });
    const font = findLabelFont();
    const list = [...this.cameras.values()].map((c) => ({ id: c.id, title: font.cjk ? c.nameZh : c.id }));
    for (const c of list) {
      mkdirSync(join(this.o.dir, c.id), { recursive: true });
      writeFileSync(join(this.o.dir, c.id, 'label.txt'), labelText(c));
    }
    const args = encoderArgs(list, font);
    const setpriv = findExecutable('setpriv');
    const [cmd, argv] = setpriv ? [setpriv, ['--pdeathsig', 'SIGKILL', '--', ffmpeg, ...args]] : [ffmpeg, args];
    if (!setpriv) this.o.warn('video: no setpriv (util-linux): a SIGKILLed service may leave its ffmpeg running');
    this.o.info(`video: ${list.length} demo streams from ${ffmpeg}${font.cjk ? ` (labels in ${font.family})` : ' (no Chinese font: labels show camera ids)'}`);
    this.launch(cmd, argv);
  }

  private launch(cmd: string, argv: string[]): void {
    this.childStartedAt = Date.now();
    this.lastErrors = [];
    const child = spawn(cmd, argv, { cwd: this.o.dir, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.lastErrors.push(...chunk.split('\n').filter(Boolean));
      this.lastErrors.splice(0, Math.max(0, this.lastErrors.length - 10));
    });
    child.on('error', (err) => {
      this.o.warn(`video: ffmpeg did not start: ${err.message}`);
      // A process that never started sends no 'exit': forget it (its cameras say encoder_failed).
      if (child.pid === undefined && this.child === child) this.child = null;
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      if (this.stopping) return;
      const ranMs = Date.now() - this.childStartedAt;
      if (ranMs > RESTART_MAX_MS) this.restartMs = RESTART_MIN_MS;
      this.o.warn(`video: ffmpeg exited (${signal ?? `code ${code}`}) after ${Math.round(ranMs / 1000)} s; restarting in ${this.restartMs / 1000} s. ${this.lastErrors.slice(-3).join(' | ')}`);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (!this.stopping) this.launch(cmd, argv);
      }, this.restartMs);
      this.restartTimer.unref();
      this.restartMs = Math.min(RESTART_MAX_MS, this.restartMs * 2);
    });
  }

  /** Process ids of the running encoder (for measuring what the demo's video costs). */
  pids(): number[] {
    return this.child?.pid !== undefined && this.child.exitCode === null ? [this.child.pid] : [];
  }

  /** How a demo camera's stream stands now; null for a camera the service does not feed. */
  state(cameraId: string): { state: VideoState; reason?: NoSignalReason } | null {
    if (!this.cameras.has(cameraId)) return null;
    if (!this.o.enabled) return { state: 'no_signal', reason: 'disabled' };
    if (this.missing !== null) return { state: 'no_signal', reason: 'no_encoder' };
    const running = this.child !== null && this.child.exitCode === null;
    if (!running) return { state: 'no_signal', reason: 'encoder_failed' };
    // File times are wall-clock, so this compares with the wall clock, not the service's injected one.
    const now = Date.now();
    const written = this.playlistWrittenAt(cameraId);
    if (written !== null && now - written <= STALE_PLAYLIST_MS) return { state: 'live' };
    if (now - this.childStartedAt <= START_GRACE_MS) return { state: 'starting' };
    return { state: 'no_signal', reason: 'stalled' };
  }

  /** The folder of a demo camera's stream files. */
  folder(cameraId: string): string {
    return join(this.o.dir, cameraId);
  }

  private playlistWrittenAt(cameraId: string): number | null {
    try {
      return statSync(join(this.o.dir, cameraId, 'index.m3u8')).mtimeMs;
    } catch {
      return null;
    }
  }

  /** Stops the encoder (SIGTERM, then SIGKILL) and waits for it to exit. Idempotent. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
}

/** The demo streams of a service: its registry's demo cameras, written under `DATA_DIR/video`. */
export function demoStreams(cfg: Pick<Config, 'dataDir' | 'video' | 'ffmpegPath'>, registry: RegistryIndex, log: { warn(m: string): void; info(m: string): void }): DemoStreams {
  return new DemoStreams({
    devices: registry.devices.values(),
    dir: join(cfg.dataDir, 'video'),
    enabled: cfg.video,
    ffmpegPath: cfg.ffmpegPath,
    warn: (m) => log.warn(m),
    info: (m) => log.info(m),
  });
}
