/**
 * The scale bench's cold start (run by scaleBrowser.ts): a fresh page of the app with a saved login
 * and a cold cache against a bare Cesium globe on the same Cesium assets (fixtures/bareCesium.html),
 * alternating, medians of BENCH_COLD_RUNS (3). Beside the ratio, where the app's time goes: the
 * page's start-up marks (`ct:*`, src/state/boot.ts), each the median over the runs of ms since
 * navigation, and the main thread's long tasks before the first live frame. Beside them the floor:
 * the bare globe that also fetches the device list and live state and draws every device as a point
 * (fixtures/bareCesium.html with a token; BENCH_FLOOR=0 leaves it out). BENCH_PROF=<dir> writes
 * one app run's CPU profile there (`browser-cold.cpuprofile`; the first, or run BENCH_PROF_RUN, from 0).
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { HEALTH_CSS } from '../../src/view';

const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 3);
/** BENCH_FLOOR=0 leaves the floor page out (shorter holds when comparing two builds of the app). */
const FLOOR = process.env.BENCH_FLOOR !== '0';
const BARE_PAGE = readFileSync(resolve('scripts/bench/fixtures/bareCesium.html'));
const CESIUM_IIFE = resolve('node_modules/cesium/Build/Cesium/Cesium.js');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface ColdStartFigures {
  coldStartAppMs: number;
  coldStartBareMs: number;
  coldStartRatio: number;
  /** The bare globe that also fetches the device list and live state and draws every device as a point (fixtures/bareCesium.html with a token): the least any page does for that frame. */
  coldStartBareDataMs: number;
  /** coldStartBareDataMs over coldStartBareMs: what the data alone costs a page that does nothing else. */
  coldStartFloorRatio: number;
  ownJsBrotliKB: number;
  /** Median ms since navigation of each start-up mark reached in every run, in order, and `firstLiveFrame`. */
  breakdown: Record<string, number>;
}

/** performance.now() of the first animation frame in which one of `ids` is drawn from a live value. */
function firstLiveFrame(page: Page, ids: string[]): Promise<number> {
  // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
  return page.evaluate(`new Promise((done) => {
    const ids = ${JSON.stringify(ids)};
    const nodata = ${JSON.stringify(HEALTH_CSS.nodata)};
    const step = () => {
      const g = window.__citytwin && window.__citytwin.globe;
      if (g && ids.some((id) => (g.deviceColorCss(id) ?? nodata) !== nodata)) done(performance.now());
      else requestAnimationFrame(step);
    };
    step();
  })`) as Promise<number>;
}

/** A fresh context (a cold cache) with the page size and language the bench's pages use. */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' });
  context.setDefaultTimeout(180_000);
  return context;
}

/** The bare page's first frame; with `token`, the floor page's first frame with every device's point. */
async function bareFirstFrame(browser: Browser, url: string, token?: string): Promise<number> {
  const context = await newContext(browser);
  await context.route('**/bench-bare.html', (r) => r.fulfill({ body: BARE_PAGE, contentType: 'text/html' }));
  await context.route('**/bench-bare/Cesium.js', (r) => r.fulfill({ body: readFileSync(CESIUM_IIFE), contentType: 'text/javascript' }));
  const page = await context.newPage();
  // Not until 'load': the first frame is the figure, whatever the page still fetches after it.
  await page.goto(`${url}/bench-bare.html${token ? `#token=${encodeURIComponent(token)}` : ''}`, { waitUntil: 'commit' });
  await page.waitForFunction(() => (window as unknown as { __firstFrameMs?: number }).__firstFrameMs !== undefined, undefined, { timeout: 180_000 });
  const ms = await page.evaluate(() => (window as unknown as { __firstFrameMs: number }).__firstFrameMs);
  await context.close();
  return ms;
}

/** The page's start-up marks, long tasks up to `until` (ms since navigation) and its API calls (path, asked, answer began, answer read). */
async function startMarks(page: Page, until: number): Promise<{ marks: [string, number][]; longTasks: [number, number][]; api: [string, number, number, number][] }> {
  return page.evaluate((until) => {
    const marks = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('ct:')).map((m): [string, number] => [m.name.slice(3), m.startTime]);
    const longTasks = ((window as unknown as { __longTasks?: [number, number][] }).__longTasks ?? []).filter(([s]) => s < until);
    const api = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((r) => new URL(r.name).pathname.startsWith('/api/') && r.startTime < until)
      .map((r): [string, number, number, number] => [new URL(r.name).pathname, r.startTime, r.responseStart, r.responseEnd]);
    return { marks, longTasks, api };
  }, until);
}

/**
 * Cold starts of the app at `url` (a fresh page from `openApp`, navigated and recording long tasks)
 * against the bare globe; `sample` are device ids whose live colour marks the first live frame.
 */
export async function benchColdStart(
  browser: Browser,
  url: string,
  dist: string,
  sample: string[],
  openApp: (browser: Browser, before?: (page: Page) => Promise<void>) => Promise<Page>,
  token: string,
): Promise<ColdStartFigures> {
  const bare: number[] = [];
  const bareData: number[] = [];
  const app: number[] = [];
  const marksByRun: Map<string, number>[] = [];
  let ownJs = 0;
  const prof = process.env.BENCH_PROF;
  const profRun = Number(process.env.BENCH_PROF_RUN ?? 0);
  for (let i = 0; i < COLD_RUNS; i++) {
    bare.push(await bareFirstFrame(browser, url));
    if (FLOOR) bareData.push(await bareFirstFrame(browser, url, token));
    let stopProfile: (() => Promise<void>) | null = null;
    const p = await openApp(browser, async (page) => {
      if (!prof || i !== profRun) return;
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
      stopProfile = async () => {
        mkdirSync(prof, { recursive: true });
        writeFileSync(join(prof, 'browser-cold.cpuprofile'), JSON.stringify((await cdp.send('Profiler.stop')).profile));
        await cdp.detach();
      };
    });
    const live = await firstLiveFrame(p, sample);
    app.push(live);
    await (stopProfile as (() => Promise<void>) | null)?.();
    const { marks, longTasks, api } = await startMarks(p, live);
    marksByRun.push(new Map([...marks, ['firstLiveFrame', live]]));
    const scripts = await p.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    ownJs = ownJsBrotliBytes(dist, scripts);
    await p.context().close();
    const busy = longTasks.reduce((s, [, d]) => s + d, 0);
    const worst = longTasks.sort((a, b) => b[1] - a[1]).slice(0, 5).map(([s, d]) => `${Math.round(d)} ms at ${Math.round(s)}`);
    console.log(`  browser: cold start ${i + 1}: bare ${Math.round(bare[i])} ms, ${FLOOR ? `bare with the data ${Math.round(bareData[i])} ms, ` : ''}app ${Math.round(live)} ms (long tasks before it: ${Math.round(busy)} ms; worst ${worst.join(', ')})`);
    console.log(`    marks: ${marks.map(([n, t]) => `${n} ${Math.round(t)}`).join(' → ')}`);
    console.log(`    api (asked/began/read): ${api.map(([path, a, b, c]) => `${path} ${Math.round(a)}/${Math.round(b)}/${Math.round(c)}`).join(', ')}`);
  }
  if (COLD_RUNS === 0) app.push(NaN), bare.push(NaN);
  if (bareData.length === 0) bareData.push(NaN);
  // Each mark's median over the runs that reached it in all of them, in the order of the medians.
  const names = [...(marksByRun[0]?.keys() ?? [])].filter((n) => marksByRun.every((m) => m.has(n)));
  const breakdown = Object.fromEntries(
    names.map((n): [string, number] => [n, Math.round(median(marksByRun.map((m) => m.get(n)!)))]).sort((a, b) => a[1] - b[1]),
  );
  return {
    coldStartAppMs: Math.round(median(app)),
    coldStartBareMs: Math.round(median(bare)),
    coldStartRatio: Math.round((median(app) / median(bare)) * 100) / 100,
    coldStartBareDataMs: Math.round(median(bareData)),
    coldStartFloorRatio: Math.round((median(bareData) / median(bare)) * 100) / 100,
    ownJsBrotliKB: Math.round((ownJs / 1024) * 10) / 10,
    breakdown,
  };
}

/** Bytes of the brotli files of the build's own scripts among `urls` (Cesium's chunk left out). */
function ownJsBrotliBytes(dist: string, urls: string[]): number {
  let bytes = 0;
  for (const url of urls) {
    const path = new URL(url).pathname;
    if (!/^\/assets\/.+\.js$/.test(path) || /^cesium-/.test(basename(path))) continue;
    const file = join(dist, path);
    bytes += existsSync(`${file}.br`) ? statSync(`${file}.br`).size : statSync(file).size;
  }
  return bytes;
}

/** The breakdown as one line: each step and the ms it took after the one before. */
export function breakdownLine(b: Record<string, number>): string {
  let prev = 0;
  return Object.entries(b)
    .map(([n, t]) => {
      const s = `${n} ${t} (+${t - prev})`;
      prev = t;
      return s;
    })
    .join(' → ');
}
