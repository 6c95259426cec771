/**
 * `npm run bench -- --devices 25000`: the service at city scale, each figure beside a baseline
 * measured in the same run. The service runs as `npm run serve` does, in a process of its own, on a
 * generated city registry (cityRegistry.ts); the load comes from another process (loadGen.ts).
 *
 *  - ingestSustainedPerS: telemetry accepted per second over 30 s, the generator writing as fast as
 *    the service's sockets take it (backlog bounded by the kernel's buffers; its growth over the
 *    window is printed too), against bareAedesPerS, a bare aedes taking the same stream.
 *  - alarmP99Ms / liveP99Ms: a device reading to the alarm it raises, and to the live batch that
 *    carries it, as a subscribed operator sees them, with 5,000 msg/s of other telemetry going in;
 *    against the same with no background (alarmIdleP99Ms, liveIdleP99Ms); majorOnDelayLateP99Ms:
 *    how late a major alarm comes after its 2 s on-delay (idle; judged on a 1 s tick it was 0.5–1.3 s).
 *  - the raw-readings layout, one row per quantity against one per message (layout.ts);
 *  - the browser figures, from scaleBrowser.ts.
 *
 * Writes bench-results/scale.json. BENCH_PROF=<dir> writes the service's CPU profiles there;
 * BENCH_SCALE_BROWSER=0 leaves the browser figures out (a shorter run while working on the service);
 * BENCH_SCALE_LATENCY_ONLY=1 measures the alarm and live latencies alone (no bare aedes, sustained
 * ingest, layout or browser section: about a minute).
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { Device, Registry } from '../../src/contracts';
import { dbPath } from '../../src/server/storage/files';
import { writeCityRegistry } from './cityRegistry';
import { benchLayout } from './layout';
import type { LoadGenOptions } from './loadGen';
import { benchTour } from './cellTour';
import { benchColdOnly, benchScaleBrowser } from './scaleBrowser';
import { DEMO_PASSWORD, DEVICE_PASSWORD, serviceProcess, stopProcess } from './serviceProcess';

const SUSTAIN_S = Number(process.env.BENCH_SUSTAIN_S ?? 30);
const WARMUP_S = 5;
const BACKGROUND_PER_S = 5000;
const PROBES = Number(process.env.BENCH_PROBES ?? 200);
const PROBE_EVERY_MS = 100;
const LATENCY_ONLY = process.env.BENCH_SCALE_LATENCY_ONLY === '1';
/** The on-delay of a major alarm (server/alarms.ts ON_DELAY_MS). */
const MAJOR_DELAY_MS = 2000;

/** A figure, or a named set of them (the cold start's breakdown). */
export type Figures = Record<string, number | Record<string, number>>;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const tsxArgs = ['--import', 'tsx'];

/** Starts the load generator; `sent()` is its latest count. */
function loadGen(o: LoadGenOptions): { sent(): number; stop(): Promise<number> } {
  const child = fork('scripts/bench/loadGen.ts', [], { execArgv: tsxArgs, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let sent = 0;
  child.on('message', (m: { sent: number }) => (sent = m.sent));
  child.send(o);
  return {
    sent: () => sent,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.send('stop');
      await exited;
      return sent;
    },
  };
}

/** Accepted over the window after a warm-up, and how much the backlog (sent − accepted) grew meanwhile. */
async function sustained(accepted: () => Promise<number>, gen: { sent(): number }): Promise<{ perS: number; backlogGrowth: number }> {
  await sleep(WARMUP_S * 1000);
  const a0 = await accepted();
  const s0 = gen.sent();
  const t0 = performance.now();
  await sleep(SUSTAIN_S * 1000);
  const a1 = await accepted();
  const s1 = gen.sent();
  const s = (performance.now() - t0) / 1000;
  return { perS: (a1 - a0) / s, backlogGrowth: s1 - a1 - (s0 - a0) };
}

async function bareAedesRate(devices: Device[]): Promise<{ perS: number; backlogGrowth: number }> {
  const child = fork('scripts/bench/bareBroker.ts', [], { execArgv: tsxArgs, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const port = await new Promise<string>((ok) => child.stdout!.on('data', (b: Buffer) => /port (\d+)/.test(b.toString()) && ok(/port (\d+)/.exec(b.toString())![1])));
  const count = (): Promise<number> =>
    new Promise((ok) => {
      child.once('message', (m: { accepted: number }) => ok(m.accepted));
      child.send('count');
    });
  const gen = loadGen({ url: `mqtt://127.0.0.1:${port}`, devices, mode: 'max', connections: 4 });
  const r = await sustained(count, gen);
  await gen.stop();
  await stopProcess(child);
  return r;
}

const p99 = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)] ?? NaN;
};

/**
 * Alarm and live latency: every PROBE_EVERY_MS a gas detector not yet probed reads H₂S above its
 * critical limit (no on-delay) and a traffic detector a new speed; the operator's client times the
 * alarm record and the live batch carrying that reading.
 */
async function probeLatency(
  svc: { url: string; mqttUrl: string },
  registry: Registry,
  first: number,
  n: number,
  /** Above the major limit instead (2 s on-delay): the alarm's time is then its lateness past the delay. */
  major = false,
): Promise<{ alarmP99Ms: number; liveP99Ms: number; lost: number }> {
  const login = await fetch(`${svc.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }) });
  const { token } = (await login.json()) as { token: string };
  const op = await mqtt.connectAsync(svc.mqttUrl, { username: 'browser', password: token, reconnectPeriod: 0 });
  const dev = await mqtt.connectAsync(svc.mqttUrl, { username: 'device', password: DEVICE_PASSWORD, reconnectPeriod: 0 });
  const gas = registry.devices.filter((d) => d.kind === 'gas_detector').slice(first, first + n);
  const det = registry.devices.filter((d) => d.kind === 'traffic_detector');
  const alarmAt = new Map<string, number>();
  const liveAt = new Map<string, number>();
  const alarmMs: number[] = [];
  const liveMs: number[] = [];
  op.on('message', (topic, payload) => {
    const now = performance.now();
    if (topic.startsWith('citytwin/v1/alarms/')) {
      const a = JSON.parse(payload.toString()) as { deviceId?: string; rule?: string };
      const t0 = a.deviceId && a.rule?.startsWith('h2s_ppm') ? alarmAt.get(a.deviceId) : undefined;
      if (t0 !== undefined) (alarmMs.push(now - t0 - (major ? MAJOR_DELAY_MS : 0)), alarmAt.delete(a.deviceId!));
    } else if (liveAt.size > 0) {
      const b = JSON.parse(payload.toString()) as { readings: [string, number][] };
      for (const [id, ts] of b.readings) {
        const t0 = liveAt.get(`${id}@${ts}`);
        if (t0 !== undefined) (liveMs.push(now - t0), liveAt.delete(`${id}@${ts}`));
      }
    }
  });
  await op.subscribeAsync(['citytwin/v1/alarms/#', 'citytwin/v1/live/roads']);
  await sleep(500); // retained alarms of earlier rounds arrive first; they are not probes
  for (let i = 0; i < gas.length; i++) {
    const g = gas[i];
    const d = det[(first + i) % det.length];
    const ts = Date.now() + 60_000 + i; // newer than anything the background sent
    alarmAt.set(g.id, performance.now());
    dev.publish(`citytwin/v1/confined/${g.id}/telemetry`, JSON.stringify({ ts, values: { o2_pct: 20.9, h2s_ppm: major ? 10 : 25, co_ppm: 1, nh3_ppm: 0.5, lel_pct: 1 } }));
    liveAt.set(`${d.id}@${ts}`, performance.now());
    dev.publish(`citytwin/v1/roads/${d.id}/telemetry`, JSON.stringify({ ts, values: { speed_kmh: 40 + (i % 20), flow_vph: 1000, occupancy_pct: 12 } }));
    await sleep(PROBE_EVERY_MS);
  }
  const t0 = Date.now();
  while ((alarmAt.size > 0 || liveAt.size > 0) && Date.now() - t0 < 10_000) await sleep(50);
  const lost = alarmAt.size + liveAt.size;
  await dev.endAsync();
  await op.endAsync();
  return { alarmP99Ms: p99(alarmMs), liveP99Ms: p99(liveMs), lost };
}

/** The service at `devices` devices; every figure beside its same-run baseline. */
export async function benchScale(devices: number, opts: { browserOnly?: boolean; coldOnly?: boolean; tourOnly?: boolean } = {}): Promise<Figures> {
  const registryPath = writeCityRegistry(devices);
  const registry = JSON.parse(readFileSync(registryPath, 'utf8')) as Registry;
  const out: Figures = { devices: registry.devices.length };
  if (opts.tourOnly) return save(Object.assign(out, await benchTour({ registryPath })));
  if (opts.coldOnly) return save(Object.assign(out, await benchColdOnly({ devices: registry.devices.length, registryPath })));
  if (opts.browserOnly) {
    Object.assign(out, await benchScaleBrowser({ devices: registry.devices.length, registryPath }));
    return save(out);
  }

  let bare = { perS: NaN, backlogGrowth: NaN };
  if (!LATENCY_ONLY) {
    console.log(`  bare aedes, ${SUSTAIN_S} s at the rate its sockets take…`);
    bare = await bareAedesRate(registry.devices);
    out.bareAedesPerS = bare.perS;
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'citytwin-scale-'));
  const svc = await serviceProcess(registryPath, dataDir, { staticDir: join(dataDir, 'no-dist'), cpuProfDir: process.env.BENCH_PROF ? resolve(process.env.BENCH_PROF) : undefined });
  // The WAL file's largest size while the service runs: it must stay bounded under the sustained load.
  let walMaxBytes = 0;
  const walWatch = setInterval(() => {
    try {
      walMaxBytes = Math.max(walMaxBytes, statSync(`${dbPath(dataDir)}-wal`).size);
    } catch {
      // not made yet
    }
  }, 100);
  try {
    const accepted = async (): Promise<number> => ((await (await fetch(`${svc.url}/api/health`)).json()) as { messages: { accepted: number } }).messages.accepted;
    console.log('  alarm and live latency, idle…');
    const idle = await probeLatency(svc, registry, 0, Math.max(20, PROBES / 2));
    const delayed = await probeLatency(svc, registry, 3 * PROBES, 50, true);
    console.log(`  alarm and live latency at ${BACKGROUND_PER_S} msg/s…`);
    let gen = loadGen({ url: svc.mqttUrl, username: 'device', password: DEVICE_PASSWORD, devices: registry.devices, mode: 'rate', ratePerS: BACKGROUND_PER_S, connections: 2 });
    await sleep(2000);
    const a0 = await accepted();
    const t0 = performance.now();
    const loaded = await probeLatency(svc, registry, PROBES, PROBES);
    const backgroundPerS = ((await accepted()) - a0) / ((performance.now() - t0) / 1000);
    await gen.stop();
    if (!LATENCY_ONLY) {
      console.log(`  service, ${SUSTAIN_S} s at the rate its sockets take…`);
      gen = loadGen({ url: svc.mqttUrl, username: 'device', password: DEVICE_PASSWORD, devices: registry.devices, mode: 'max', connections: 4 });
      const twin = await sustained(accepted, gen);
      await gen.stop();
      Object.assign(out, {
        ingestSustainedPerS: twin.perS,
        ingestOverBareAedes: twin.perS / bare.perS,
        ingestBacklogGrowth: twin.backlogGrowth,
        bareAedesBacklogGrowth: bare.backlogGrowth,
      });
    }
    Object.assign(out, {
      alarmP99Ms: loaded.alarmP99Ms,
      alarmIdleP99Ms: idle.alarmP99Ms,
      liveP99Ms: loaded.liveP99Ms,
      liveIdleP99Ms: idle.liveP99Ms,
      majorOnDelayLateP99Ms: delayed.alarmP99Ms,
      backgroundPerS,
      probesLost: loaded.lost + idle.lost + delayed.lost,
      walMaxBytes,
    });
  } finally {
    clearInterval(walWatch);
    await stopProcess(svc.child);
    rmSync(dataDir, { recursive: true, force: true });
  }

  if (LATENCY_ONLY) return save(out);
  console.log('  raw readings layout: one row per quantity against one per message…');
  Object.assign(out, benchLayout(registry.devices));

  if (process.env.BENCH_SCALE_BROWSER !== '0') Object.assign(out, await benchScaleBrowser({ devices: registry.devices.length, registryPath }));
  return save(out);
}

/** Writes the figures to bench-results/scale.json, over the figures of an earlier run for the keys this run did not measure. */
function save(out: Figures): Figures {
  mkdirSync('bench-results', { recursive: true });
  const path = 'bench-results/scale.json';
  const before = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { results: Figures }).results : {};
  writeFileSync(path, JSON.stringify({ at: new Date().toISOString(), results: { ...before, ...out } }, null, 2));
  return out;
}
