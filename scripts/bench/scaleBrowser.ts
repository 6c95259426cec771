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
 *    task time over a window as long just before (after a warm-up stream has had every device
 *    report once and the page is steady again); the gross figure beside it;
 *  - browserIngestUsPerReading: the page's own ingest time per reading, timed around its live code
 *    (WebSocket message events: mqtt.js and the app's decode; the app's per-frame fold), which does
 *    not depend on how fast software WebGL draws (browserIngestParts: its parts);
 *  - browserLongTasksOver50ms: long tasks over 50 ms while streaming (Long Tasks API), and idle;
 *  - coldStartRatio: a fresh page's first frame with live points (a saved login, a cold cache)
 *    over a bare Cesium globe's first frame on the same Cesium assets (fixtures/bareCesium.html),
 *    medians of 3 alternating runs, every device's latest value in the service (the stream stopped),
 *    with the page's start-up steps beside it (coldStartBreakdownMs; coldStart.ts); beside it the
 *    floor (coldStartBareDataMs, coldStartFloorRatio): the bare globe that also fetches the device
 *    list and live state and draws every device as a point (fixtures/bareCesium.html with a token);
 *  - ownJsBrotliKB: the app's JavaScript fetched before that first live frame, Cesium excluded,
 *    counted as the brotli files the service sends (BENCH_COLD=0 leaves the cold start out).
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

/**
 * The page's own ingest time, timed the same way on any build (`__ingest` in the page): each
 * WebSocket message event (mqtt.js's parse, the app's decode, check and buffer) and each animation
 * frame or timer callback in which the store's live values moved (the fold, the redraws and
 * selectors it runs synchronously), each up to its microtasks (React's synchronous re-render runs
 * in one). The readings folded are counted from the store's `changedIds` (`watchFolds`). A string:
 * tsx's name helper is not in the page.
 */
const TIME_INGEST = `{
  const c = { wsMs: 0, ws: 0, foldMs: 0, folds: 0, readings: 0, worstMs: 0, over50: 0, folded: 0 };
  window.__ingest = c;
  const add = (t0, ws) => queueMicrotask(() => {
    const ms = performance.now() - t0;
    if (ws) { c.wsMs += ms; c.ws++; }
    else if (c.folded > 0) { c.foldMs += ms; c.folds++; c.readings += c.folded; c.folded = 0; }
    else return;
    if (ms > c.worstMs) c.worstMs = ms;
    if (ms > 50) c.over50++;
  });
  const timed = (h, ws) => function (...args) {
    const t0 = performance.now();
    try { return h.apply(this, args); } finally { add(t0, ws); }
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    set onmessage(h) { super.onmessage = typeof h === 'function' ? timed(h, true) : h; }
    get onmessage() { return super.onmessage; }
    addEventListener(type, h, o) { super.addEventListener(type, type === 'message' && typeof h === 'function' ? timed(h, true) : h, o); }
  };
  const raf = window.requestAnimationFrame;
  window.requestAnimationFrame = (h) => raf(timed(h, false));
  const st = window.setTimeout;
  window.setTimeout = (h, ...rest) => st(typeof h === 'function' ? timed(h, false) : h, ...rest);
}`;

/** Counts the readings each live fold brings into the page's store (for `__ingest`). */
const watchFolds = (page: Page): Promise<void> =>
  page.evaluate(() => {
    const c = (window as unknown as { __ingest: { folded: number } }).__ingest;
    window.__citytwin!.store.subscribe((s, prev) => {
      if (s.liveVersion !== prev.liveVersion) c.folded += s.changedIds.length;
    });
  });

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
  await context.addInitScript(TIME_INGEST);
  const page = await context.newPage();
  await before?.(page);
  await page.goto(url, { waitUntil: 'commit' });
  return page;
}

/**
 * Waits (up to 45 s) until the page is in its steady state: over two seconds in a row its main
 * thread is busy about as much as over the two before (within a tenth of the time) and held by no
 * task of half a second or more, so a start-up task or a shader compile is not in the window after.
 * An idle page in software WebGL may stay busy (panels, the globe's tiles), so "steady", not "idle".
 */
async function settled(page: Page): Promise<boolean> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const task = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')!.value;
  const longSince = (from: number) =>
    page.evaluate((from) => (window as unknown as { __longTasks: [number, number][] }).__longTasks.some(([s, d]) => s + d >= from && d >= 500), from);
  const t0 = Date.now();
  let prev = await task();
  let prevBusy = Infinity;
  while (Date.now() - t0 < 45_000) {
    const from = await page.evaluate(() => performance.now());
    await sleep(2000);
    const cur = await task();
    const busy = cur - prev;
    prev = cur;
    if (Math.abs(busy - prevBusy) < 0.2 && busy < 1.9 && !(await longSince(from))) return (await cdp.detach(), true);
    prevBusy = busy;
  }
  await cdp.detach();
  return false;
}

interface IngestCost {
  wsMs: number;
  ws: number;
  foldMs: number;
  folds: number;
  readings: number;
  worstMs: number;
  over50: number;
}
const ingestCost = (page: Page): Promise<IngestCost> => page.evaluate(() => ({ ...(window as unknown as { __ingest: IngestCost }).__ingest }));

/** Main-thread figures of a page over `seconds`: task and script time (s), long tasks over 50 ms, heap. */
async function window_(
  page: Page,
  seconds: number,
  name: string,
  sent: () => number = () => 0,
): Promise<{ taskS: number; scriptS: number; spanS: number; readings: number; longTasks: number; worstMs: number; heapMB: number; cost: IngestCost }> {
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
  const c0 = await ingestCost(page);
  const n0 = sent();
  const from = await page.evaluate(() => performance.now());
  await sleep(seconds * 1000);
  const b = await metric();
  const c1 = await ingestCost(page);
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
  return { taskS: b.TaskDuration - a.TaskDuration, scriptS: b.ScriptDuration - a.ScriptDuration, spanS: b.Timestamp - a.Timestamp, readings: n1 - n0, longTasks: tasks.length, worstMs: Math.max(0, ...tasks), heapMB: b.JSHeapUsedSize / 2 ** 20, cost: {
    wsMs: c1.wsMs - c0.wsMs, ws: c1.ws - c0.ws, foldMs: c1.foldMs - c0.foldMs, folds: c1.folds - c0.folds,
    readings: c1.readings - c0.readings, worstMs: c1.worstMs, over50: c1.over50 - c0.over50,
  } };
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
    await watchFolds(page);
    // Warm-up: every device reports once, so the points' first redraw with values (a Cesium shader
    // link of seconds in software WebGL) and the start-up tasks are over before either window.
    readings = await startReadings(svc.mqttUrl, registry);
    await sleep(Math.min(15, readings.cycleS + 2) * 1000);
    await readings.stop();
    readings = null;
    if (!(await settled(page))) console.log('  browser: the page still not steady after 45 s; measuring anyway');
    const idle = await window_(page, loadS, 'idle');

    console.log(`  browser: ${RATE_PER_S} readings/s for ${loadS} s…`);
    readings = await startReadings(svc.mqttUrl, registry);
    await sleep(2000);
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

    let cold = {};
    if (process.env.BENCH_COLD !== '0') {
      console.log('  browser: cold start against a bare Cesium globe…');
      const { breakdown, ...figures } = await benchColdStart(browser, svc.url, dist, sample, (b, before) => appPage(b, svc.url, auth, before), auth.token);
      console.log(`  browser: cold start, medians: ${breakdownLine(breakdown)}`);
      cold = { ...figures, coldStartBreakdownMs: breakdown };
    }
    // The idle page's task time scaled to the streaming window's span.
    const idleTaskS = (idle.taskS * load.spanS) / idle.spanS;
    const usPerReading = ((load.taskS - idleTaskS) * 1e6) / n;
    // The page's own ingest time, measured around its live code: WebSocket message events (mqtt.js
    // and the app's decode) and the per-frame fold (with the redraws it asks for synchronously).
    const c = load.cost;
    // Per reading the page folded (a saturated page folds fewer than were sent in the window).
    const folded = Math.max(1, c.readings);
    const ingest = {
      browserIngestUsPerReading: round(((c.wsMs + c.foldMs) * 1000) / folded, 2),
      browserIngestOver50ms: c.over50,
      browserIngestParts: { wsUs: round((c.wsMs * 1000) / folded, 2), foldUs: round((c.foldMs * 1000) / folded, 2), messages: c.ws, folds: c.folds, readingsFolded: c.readings, worstMs: round(c.worstMs, 1) },
    };
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
      ...ingest,
      ...cold,
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
    const { breakdown, ...cold } = await benchColdStart(browser, svc.url, dist, sample, (b, before) => appPage(b, svc.url, auth, before), auth.token);
    console.log(`  browser: cold start, medians: ${breakdownLine(breakdown)}`);
    return { ...cold, coldStartBreakdownMs: breakdown };
  } finally {
    await browser.close();
    await stopProcess(svc.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
