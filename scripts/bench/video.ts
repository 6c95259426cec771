/**
 * What the demo's camera streams cost the machine: CPU of the service with VIDEO=1 (its own
 * process plus its one ffmpeg for every demo camera of the registry) over BENCH_VIDEO_S seconds,
 * against two baselines measured in the same run: the same service with VIDEO=0, and the same
 * cameras encoded the naive way, one ffmpeg process per camera. Also the disk a camera's
 * five-minute window takes and the encoder's memory. CPU is read from /proc/<pid>/stat (user +
 * system ticks), memory from /proc/<pid>/status. Runs alone too: `npx tsx scripts/bench/video.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isCamera, type Registry } from '../../src/contracts';
import { startService } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import { WINDOW_SEGMENTS, encoderArgs, findLabelFont, labelText } from '../../src/server/video/encoder';
import { childrenOf, cpuSeconds, rssMb } from '../../tests/integration/procs';

const SECONDS = Number(process.env.BENCH_VIDEO_S ?? 60);
/** Let encoders settle (font loading, first keyframes) before measuring, ms. */
const WARMUP_MS = 5000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU used by `pids` over `seconds`, as % of one core; with `self`, this process's own CPU too (the in-process service). */
async function cpuPercent(pids: number[], seconds: number): Promise<number>;
async function cpuPercent(pids: number[], seconds: number, self: true): Promise<{ pids: number; self: number }>;
async function cpuPercent(pids: number[], seconds: number, self = false): Promise<number | { pids: number; self: number }> {
  const total = () => pids.reduce((s, p) => s + (cpuSeconds(p) ?? 0), 0);
  const own = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const t0 = total();
  const s0 = own();
  const w0 = Date.now();
  await sleep(seconds * 1000);
  const wallS = (Date.now() - w0) / 1000;
  const p = (100 * (total() - t0)) / wallS;
  return self ? { pids: p, self: (100 * (own() - s0)) / wallS } : p;
}

/** A service on the demo registry with no simulator (nothing but what VIDEO changes), in `dir`. */
function service(dir: string, video: '0' | '1') {
  return startService(loadConfig({ PORT: '0', MQTT_PORT: '0', DATA_DIR: dir, SIMULATE: '0', VIDEO: video }), { logger: false });
}

/** Mean size of the segments written so far under `dir`/{camera}/, bytes. */
function meanSegmentBytes(dir: string): number {
  const sizes: number[] = [];
  for (const cam of readdirSync(dir)) {
    for (const f of readdirSync(join(dir, cam))) if (/^seg\d+\.ts$/.test(f)) sizes.push(statSync(join(dir, cam, f)).size);
  }
  return sizes.reduce((a, b) => a + b, 0) / Math.max(1, sizes.length);
}

export async function benchVideo(): Promise<Record<string, number>> {
  const registry = JSON.parse(readFileSync('public/data/registry.json', 'utf8')) as Registry;
  const cameras = registry.devices.filter(isCamera);
  const dir = mkdtempSync(join(tmpdir(), 'citytwin-bench-video-'));
  // Baseline: the same service without video.
  const quiet = await service(join(dir, 'no-video'), '0');
  let serviceNoVideo: number;
  try {
    await sleep(WARMUP_MS);
    serviceNoVideo = (await cpuPercent([], SECONDS, true)).self;
  } finally {
    await quiet.close();
  }
  const withVideo = await service(join(dir, 'video-on'), '1');
  let shared: number;
  let serviceWithVideo: number;
  let segmentBytes: number;
  let rss: number;
  try {
    await sleep(WARMUP_MS);
    const encoders = childrenOf(process.pid, 'ffmpeg');
    if (encoders.length !== 1) throw new Error(`expected one demo encoder, found ${encoders.length}: is ffmpeg installed?`);
    const cpu = await cpuPercent(encoders, SECONDS, true);
    shared = cpu.pids;
    serviceWithVideo = cpu.self;
    rss = rssMb(encoders[0]) ?? NaN;
    segmentBytes = meanSegmentBytes(join(dir, 'video-on', 'video'));
  } finally {
    await withVideo.close();
  }

  // Baseline: one process per camera, each with its own pattern and label, same encoder settings.
  const font = findLabelFont();
  const procs: ChildProcess[] = [];
  const base = join(dir, 'per-camera');
  try {
    for (const c of cameras) {
      const cam = { id: c.id, title: font.cjk ? c.nameZh : c.id };
      mkdirSync(join(base, c.id), { recursive: true });
      writeFileSync(join(base, c.id, 'label.txt'), labelText(cam));
      // Under setpriv like the service's encoder: a killed bench leaves no ffmpeg behind.
      procs.push(spawn('setpriv', ['--pdeathsig', 'SIGKILL', '--', 'ffmpeg', ...encoderArgs([cam], font)], { cwd: base, stdio: 'ignore' }));
    }
    await sleep(WARMUP_MS);
    const perCamera = await cpuPercent(procs.map((p) => p.pid!).filter(Boolean), SECONDS);
    return {
      cameras: cameras.length,
      seconds: SECONDS,
      serviceNoVideoCpuPct: serviceNoVideo,
      serviceWithVideoCpuPct: serviceWithVideo + shared,
      videoCostCpuPct: serviceWithVideo + shared - serviceNoVideo,
      oneEncoderCpuPct: shared,
      perCameraProcessesCpuPct: perCamera,
      ratio: shared / perCamera,
      cpuPctPerCamera: shared / cameras.length,
      windowMbPerCamera: (segmentBytes * WINDOW_SEGMENTS) / 1e6,
      encoderRssMb: rss,
    };
  } finally {
    for (const p of procs) p.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

// Alone: `npx tsx scripts/bench/video.ts` prints the video figures only.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchVideo();
  for (const [k, v] of Object.entries(figures)) console.log(`video ${k.padEnd(27)} ${v >= 100 ? v.toFixed(0) : v.toFixed(2)}`);
}
