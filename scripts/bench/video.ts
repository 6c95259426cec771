/**
 * What the demo's camera streams cost the machine: CPU of the service's one ffmpeg (every demo
 * camera of the registry, VIDEO=1) over BENCH_VIDEO_S seconds, against a baseline measured in the
 * same run — the same cameras encoded the naive way, one ffmpeg process per camera. Also the disk a
 * camera's five-minute window takes and the encoder's memory. CPU is read from /proc/<pid>/stat
 * (user + system ticks), memory from /proc/<pid>/status.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCamera, type Registry } from '../../src/contracts';
import { startService } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import { WINDOW_SEGMENTS, encoderArgs, findLabelFont, labelText } from '../../src/server/video/encoder';
import { childrenOf, cpuSeconds, rssMb } from '../../tests/integration/procs';

const SECONDS = Number(process.env.BENCH_VIDEO_S ?? 60);
/** Let encoders settle (font loading, first keyframes) before measuring, ms. */
const WARMUP_MS = 5000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU used by `pids` over `seconds`, as % of one core. */
async function cpuPercent(pids: number[], seconds: number): Promise<number> {
  const total = () => pids.reduce((s, p) => s + (cpuSeconds(p) ?? 0), 0);
  const t0 = total();
  const w0 = Date.now();
  await sleep(seconds * 1000);
  return (100 * (total() - t0)) / ((Date.now() - w0) / 1000);
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
  const service = await startService(loadConfig({ PORT: '0', MQTT_PORT: '0', DATA_DIR: dir, SIMULATE: '0', VIDEO: '1' }), { logger: false });
  let shared: number;
  let segmentBytes: number;
  let rss: number;
  try {
    await sleep(WARMUP_MS);
    const encoders = childrenOf(process.pid, 'ffmpeg');
    if (encoders.length !== 1) throw new Error(`expected one demo encoder, found ${encoders.length}: is ffmpeg installed?`);
    shared = await cpuPercent(encoders, SECONDS);
    rss = rssMb(encoders[0]) ?? NaN;
    segmentBytes = meanSegmentBytes(join(dir, 'video'));
  } finally {
    await service.close();
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
