/**
 * The browser side of the scale bench: the real app (the built dist/, logged in) on a city
 * registry, in headless Chromium, while the service takes 2,500 readings/s spread over every
 * device, each within its reporting interval (the city's copies report every 30 s or slower,
 * cityRegistry.ts), of ordinary values: the figures are the stream's, with no alarm raised
 * (`browserOpenAlarms`, `browserOpenStaleAlarms` say so after the window). Each figure beside its
 * same-run baseline:
 *
 *  - browserUsPerReading: main-thread task time (CDP `Performance.getMetrics` TaskDuration) per
 *    reading sent, over 60 s (15 s with BENCH_QUICK, or BENCH_LOAD_S), minus the same page's idle
 *    task time over the same span (measured first, before any reading); the gross figure beside it;
 *  - browserLongTasksOver50ms: long tasks over 50 ms while streaming (Long Tasks API), and idle;
 *  - coldStartRatio: a fresh page's first frame with live points (a saved login, a cold cache)
 *    over a bare Cesium globe's first frame on the same Cesium assets (fixtures/bareCesium.html),
 *    medians of 3 alternating runs, every device's latest value in the service (the stream stopped),
 *    with the page's start-up steps beside it (coldStartBreakdownMs; coldStart.ts);
 *  - ownJsBrotliKB: the app's JavaScript fetched before that first live frame, Cesium excluded,
 *    counted as the brotli files the service sends.
 *
 * The service runs as a child process of its own (REGISTRY = the registry given, STATIC_DIR = the
 * build, BENCH_DIST to measure another build); the readings come from this process. BENCH_PROF=<dir>
 * writes the page's CPU profiles of the idle and streaming windows there; BENCH_SHOT=<file.png> a
 * screenshot of the page after streaming.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Registry } from '../../src/contracts';
import { CHROMIUM_ARGS, chromiumPath } from '../../tests/e2e/browser';
import { benchColdStart, breakdownLine, newContext } from './coldStart';
import { DEMO_PASSWORD, DEVICE_PASSWORD, serviceProcess, stopProcess } from './serviceProcess';

export interface ScaleBrowserOptions {
  devices: number;
  /** The generated city registry (its `layers/` beside it). */
  registryPath: string;
}

const RATE_PER_S = 2500;

/** Ordinary values per quantity: nothing in alarm (the figure is the stream's cost, not alarms'). */
const NORMAL: Record<string, number> = {
  o2_pct: 20.9, h2s_ppm: 0.2, co_ppm: 1, nh3_ppm: 0.5, cl2_ppm: 0.01, lel_pct: 1, voc_ppm: 2,
  level_pct: 50, pressure_kpa: 2, temp_c: 20, wind_speed_ms: 3, wind_dir_deg: 90,
  speed_kmh: 60, flow_vph: 1200, occupancy_pct: 10, visibility_m: 5000, road_temp_c: 15, precip_mmh: 0, heading_deg: 90,
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Telemetry at `RATE_PER_S` in all, each device within its own reporting interval: devices of one
 * interval share the rate by their number over that interval, round-robin, so a 5 s detector comes
 * back as much more often than a 30 s one as its interval is shorter, and none goes stale (which
 * would measure a storm of stale alarms, not the stream). Each `ts` increasing.
 */
export async function startReadings(mqttUrl: string, registry: Registry): Promise<{ sent(): number; cycleS: number; stop(): Promise<void> }> {
  const byInterval = new Map<number, { topics: string[]; tails: string[]; next: number; sent: number; perS: number }>();
  for (const d of registry.devices) {
    if (d.quantities.length === 0) continue;
    const values: Record<string, number> = {};
    for (const q of d.quantities) values[q] = q === 'lon_deg' ? d.position[0] : q === 'lat_deg' ? d.position[1] : (NORMAL[q] ?? 1);
    const g = byInterval.get(d.intervalS) ?? { topics: [], tails: [], next: 0, sent: 0, perS: 0 };
    g.topics.push(`citytwin/v1/${d.scene}/${d.id}/telemetry`);
    g.tails.push(`,"values":${JSON.stringify(values)}}`);
    byInterval.set(d.intervalS, g);
  }
  const groups = [...byInterval].map(([intervalS, g]) => ({ ...g, weight: g.topics.length / intervalS }));
  const weights = groups.reduce((a, g) => a + g.weight, 0);
  for (const g of groups) g.perS = (RATE_PER_S * g.weight) / weights;
  // Each device comes back every intervalS × weights / RATE_PER_S seconds; past 3 intervals it is stale.
  if (weights > RATE_PER_S) console.log(`  browser: ${RATE_PER_S}/s reaches each device every ${(weights / RATE_PER_S).toFixed(1)} of its intervals: some go stale`);
  const client: MqttClient = await mqtt.connectAsync(mqttUrl, { username: 'device', password: DEVICE_PASSWORD, reconnectPeriod: 0, clientId: `bench-browser-${process.pid}` });
  let lastTs = 0;
  const t0 = performance.now();
  let sent = 0;
  // Paced every 20 ms against the elapsed time, so a late timer catches up instead of lowering the rate.
  const timer = setInterval(() => {
    const elapsedS = (performance.now() - t0) / 1000;
    const ts = Math.max(Date.now(), lastTs + 1);
    lastTs = ts;
    for (const g of groups) {
      const due = Math.floor(elapsedS * g.perS) - g.sent;
      for (let k = 0; k < due; k++) {
        client.publish(g.topics[g.next], `{"ts":${ts}${g.tails[g.next]}`);
        g.next = (g.next + 1) % g.topics.length;
      }
      g.sent += due;
      sent += due;
    }
  }, 20);
  return {
    sent: () => sent,
    cycleS: Math.max(...groups.map((g) => g.topics.length / g.perS)),
    async stop() {
      clearInterval(timer);
      await client.endAsync();
    },
  };
}

/** A fresh page of the app with a saved login (as after a reload), recording long tasks. */
export async function appPage(browser: Browser, url: string, auth: object, before?: (page: Page) => Promise<void>): Promise<Page> {
  const context = await newContext(browser);
  await context.addInitScript((saved) => {
    sessionStorage.setItem('citytwin.auth', saved);
    const w = window as unknown as { __longTasks: [number, number][] };
    w.__longTasks = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) w.__longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  }, JSON.stringify(auth));
  const page = await context.newPage();
  await before?.(page);
  await page.goto(url, { waitUntil: 'commit' });
  return page;
}

/** Waits (up to 120 s) until the page's main thread is busy under a quarter of two seconds in a row: start-up is over. */
async function settled(page: Page): Promise<boolean> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const task = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')!.value;
  const t0 = Date.now();
  let prev = await task();
  while (Date.now() - t0 < 120_000) {
    await sleep(2000);
    const cur = await task();
    if (cur - prev < 0.5) return (await cdp.detach(), true);
    prev = cur;
  }
  await cdp.detach();
  return false;
}

/** Main-thread figures of a page over `seconds`: task and script time (s), long tasks over 50 ms, heap. */
async function window_(
  page: Page,
  seconds: number,
  name: string,
  sent: () => number = () => 0,
): Promise<{ taskS: number; scriptS: number; spanS: number; readings: number; longTasks: number; worstMs: number; heapMB: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
  };
  const prof = process.env.BENCH_PROF;
  if (prof) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
  // Readings counted between the two metric samples: a busy page answers CDP late, and the window is theirs.
  const a = await metric();
  const n0 = sent();
  const from = await page.evaluate(() => performance.now());
  await sleep(seconds * 1000);
  const b = await metric();
  const n1 = sent();
  if (prof) {
    mkdirSync(prof, { recursive: true });
    writeFileSync(join(prof, `browser-${name}.cpuprofile`), JSON.stringify((await cdp.send('Profiler.stop')).profile));
  }
  const to = await page.evaluate(() => performance.now());
  const tasks = await page.evaluate(
    ({ from, to }) => (window as unknown as { __longTasks: [number, number][] }).__longTasks.filter(([s, d]) => s >= from && s + d <= to && d > 50).map(([, d]) => d),
    { from, to },
  );
  await cdp.detach();
  return { taskS: b.TaskDuration - a.TaskDuration, scriptS: b.ScriptDuration - a.ScriptDuration, spanS: b.Timestamp - a.Timestamp, readings: n1 - n0, longTasks: tasks.length, worstMs: Math.max(0, ...tasks), heapMB: b.JSHeapUsedSize / 2 ** 20 };
}

export async function benchScaleBrowser(opts: ScaleBrowserOptions): Promise<Record<string, number | Record<string, number>>> {
  const quick = !!process.env.BENCH_QUICK;
  const loadS = Number(process.env.BENCH_LOAD_S ?? (quick ? 15 : 60));
  const dist = resolve(process.env.BENCH_DIST ?? 'dist');
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`no build in ${dist}: run npm run build`);
  const registry = JSON.parse(readFileSync(opts.registryPath, 'utf8')) as Registry;
  const reporting = registry.devices.filter((d) => d.quantities.length > 0);
  // A sample across the registry: the first live frame is the first one showing any of them.
  const sample = reporting.filter((_, i) => i % Math.max(1, Math.floor(reporting.length / 200)) === 0).map((d) => d.id);
  const dataDir = mkdtempSync(join(tmpdir(), 'citytwin-scale-browser-'));
  const svc = await serviceProcess(resolve(opts.registryPath), dataDir, { staticDir: dist });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  let readings: { sent(): number; cycleS: number; stop(): Promise<void> } | null = null;
  const out: Record<string, number | Record<string, number>> = {};
  try {
    const login = await fetch(`${svc.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'inspector', password: DEMO_PASSWORD }) });
    const auth = (await login.json()) as { token: string };
    if (!auth.token) throw new Error(`login failed: ${JSON.stringify(auth)}`);

    console.log(`  browser: the app on ${registry.devices.length} devices, idle…`);
    const page = await appPage(browser, svc.url, auth);
    await page.waitForFunction(() => {
      const s = window.__citytwin?.store.getState();
      return !!window.__citytwin?.globe && s?.registryLoaded && s.connection === 'connected';
    }, undefined, { timeout: 180_000 });
    if (!(await settled(page))) console.log('  browser: start-up still busy after 120 s; measuring anyway');
    const idle = await window_(page, loadS, 'idle');

    console.log(`  browser: ${RATE_PER_S} readings/s for ${loadS} s…`);
    readings = await startReadings(svc.mqttUrl, registry);
    // Every device reports once before the window, so the stream is in its steady state.
    await sleep(Math.min(15, readings.cycleS + 2) * 1000);
    const load = await window_(page, loadS, 'streaming', readings.sent);
    const n = load.readings;
    // What the stream raised: none of it should be alarms (ordinary values, every device on time).
    const open = (await (await fetch(`${svc.url}/api/alarms?state=open`, { headers: { authorization: `Bearer ${auth.token}` } })).json()) as { rule: string }[];
    if (process.env.BENCH_SHOT) await page.screenshot({ path: process.env.BENCH_SHOT });
    await page.context().close();
    // The cold start reads the values the stream left (the live snapshot): the stream stops, as at
    // 2,500/s beside cold pages the service's aedes overflowed its stack (mqemitter recursing over its backlog).
    await readings.stop();
    readings = null;
    console.log(`  browser: idle ${JSON.stringify(idle)}, streaming ${JSON.stringify(load)}, ${n} readings`);

    console.log('  browser: cold start against a bare Cesium globe…');
    const { breakdown, ...cold } = await benchColdStart(browser, svc.url, dist, sample, (b, before) => appPage(b, svc.url, auth, before));
    console.log(`  browser: cold start, medians: ${breakdownLine(breakdown)}`);
    // The idle page's task time scaled to the streaming window's span.
    const idleTaskS = (idle.taskS * load.spanS) / idle.spanS;
    const usPerReading = ((load.taskS - idleTaskS) * 1e6) / n;
    Object.assign(out, {
      browserUsPerReading: round(usPerReading, 2),
      browserUsPerReadingGross: round((load.taskS * 1e6) / n, 2),
      browserScriptUsPerReading: round(((load.scriptS - (idle.scriptS * load.spanS) / idle.spanS) * 1e6) / n, 2),
      browserIdleTaskMsPerS: round((idle.taskS * 1000) / idle.spanS, 1),
      browserStreamingTaskMsPerS: round((load.taskS * 1000) / load.spanS, 1),
      browserReadingsPerS: round(n / load.spanS, 0),
      browserOpenAlarms: open.length,
      browserOpenStaleAlarms: open.filter((a) => a.rule === 'stale').length,
      browserLongTasksOver50ms: load.longTasks,
      browserLongTasksOver50msIdle: idle.longTasks,
      browserWorstLongTaskMs: round(load.worstMs, 0),
      browserHeapIdleMB: round(idle.heapMB, 1),
      browserHeapStreamingMB: round(load.heapMB, 1),
      ...cold,
      coldStartBreakdownMs: breakdown,
    });
  } finally {
    await readings?.stop().catch(() => {});
    await browser.close();
    await stopProcess(svc.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * The cold start alone (`--cold`, a short locked run while working on it): every device reports
 * once (its latest value is what a cold page shows), the stream stops, then the cold runs.
 */
export async function benchColdOnly(opts: ScaleBrowserOptions): Promise<Record<string, number | Record<string, number>>> {
  const dist = resolve(process.env.BENCH_DIST ?? 'dist');
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`no build in ${dist}: run npm run build`);
  const registry = JSON.parse(readFileSync(opts.registryPath, 'utf8')) as Registry;
  const reporting = registry.devices.filter((d) => d.quantities.length > 0);
  const sample = reporting.filter((_, i) => i % Math.max(1, Math.floor(reporting.length / 200)) === 0).map((d) => d.id);
  const dataDir = mkdtempSync(join(tmpdir(), 'citytwin-cold-'));
  const svc = await serviceProcess(resolve(opts.registryPath), dataDir, { staticDir: dist });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const login = await fetch(`${svc.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'inspector', password: DEMO_PASSWORD }) });
    const auth = (await login.json()) as { token: string };
    if (!auth.token) throw new Error(`login failed: ${JSON.stringify(auth)}`);
    console.log(`  browser: each of ${reporting.length} devices reports once…`);
    const readings = await startReadings(svc.mqttUrl, registry);
    await sleep((reporting.length / RATE_PER_S + 2) * 1000);
    await readings.stop();
    console.log('  browser: cold start against a bare Cesium globe…');
    const { breakdown, ...cold } = await benchColdStart(browser, svc.url, dist, sample, (b, before) => appPage(b, svc.url, auth, before));
    console.log(`  browser: cold start, medians: ${breakdownLine(breakdown)}`);
    return { ...cold, coldStartBreakdownMs: breakdown };
  } finally {
    await browser.close();
    await stopProcess(svc.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
