/**
 * `--tour` (with `--devices N`): frames and memory after the camera has been everywhere. The
 * sites' shapes and names are built by cell the first time the camera comes to them
 * (src/scene/cesium/siteCells.ts, siteLabels.ts); an operator flies all over the city in a shift.
 *
 * The real app (the built dist/, logged in) on the city registry in headless Chromium, the service
 * taking 2,500 readings/s over every device as the browser section does (scaleBrowser.ts), all
 * through. Before the tour, at the city view (the app's `flyToView('overview', 0)`) and then at a
 * close view (3 km over the demo's first plant), then the tour: the camera set (Cesium's public
 * `camera.setView`) 6 km above the middle of every 0.2° cell holding a parcel, looking down — the
 * height where parcels (under FAR_M) and their names (within 14 km) are built — a frame drawn at
 * each (the cells the camera calls for are built before it); then the city view and the close view
 * again, and BENCH_TOUR_LATER_S (70) after the tour, past siteCells.ts's EVICT_MS, the heap and the
 * cells at the city view once more (0: not). At each view the frames are drawn back to back
 * (a render asked for every animation frame, as while the camera moves) for BENCH_TOUR_S seconds
 * (10; longer until 6 intervals, up to 4 windows): the interval between drawn frames (Cesium's
 * postRender) and the main thread's time in each (preUpdate → postRender), median and p95. Beside them the JS heap after a garbage collection and
 * the site layer's cells, primitives and names, before and after.
 *
 * Keys in bench-results/scale.json: tourFrameMsBefore / tourFrameMsAfter (city view intervals,
 * median), tourCloseFrameMsBefore / After, tourFrames (every figure), tourHeapMBBefore / After,
 * tourHeapMBLater, tourCells (the layer's counts before, right after the tour, after the windows
 * after it and later), tourS (the tour's own time).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import type { Registry, Site } from '../../src/contracts';
import { CHROMIUM_ARGS, chromiumPath } from '../../tests/e2e/browser';
import { appPage, startReadings } from './scaleBrowser';
import { DEMO_PASSWORD, serviceProcess, stopProcess } from './serviceProcess';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Kinds built as parcels (siteCells.ts's 'big' and 'small' bands) and named by cell. */
const PARCEL_KINDS = new Set(['plant', 'enterprise', 'tankfarm', 'tank', 'space', 'lot', 'building', 'bridge']);
/** The tour's cells, degrees: siteCells.ts's parcel cells (each stop also names the 0.1° cells within 14 km). */
const STOP_DEG = 0.2;
const STOP_HEIGHT_M = 6_000;
const CLOSE_HEIGHT_M = 3_000;

/** A lon/lat of a site: its first coordinate. */
function firstPoint(site: Site): [number, number] | null {
  let c: unknown = site.geometry.coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  return Array.isArray(c) && typeof c[0] === 'number' ? [c[0], c[1] as number] : null;
}

/** One stop per 0.2° cell holding a parcel: the middle of that cell's parcels. */
export function tourStops(sites: readonly Site[]): [number, number][] {
  const cells = new Map<string, { lon: number; lat: number; n: number }>();
  for (const s of sites) {
    if (!PARCEL_KINDS.has(s.kind)) continue;
    const p = firstPoint(s);
    if (!p) continue;
    const key = `${Math.floor(p[0] / STOP_DEG)},${Math.floor(p[1] / STOP_DEG)}`;
    const c = cells.get(key) ?? { lon: 0, lat: 0, n: 0 };
    c.lon += p[0];
    c.lat += p[1];
    c.n++;
    cells.set(key, c);
  }
  // A serpentine order (row by row), as an operator's shift would wander, not a jump across the city each stop.
  return [...cells.entries()]
    .map(([k, c]) => ({ k: k.split(',').map(Number), at: [c.lon / c.n, c.lat / c.n] as [number, number] }))
    .sort((a, b) => a.k[1] - b.k[1] || (a.k[1] % 2 === 0 ? a.k[0] - b.k[0] : b.k[0] - a.k[0]))
    .map((s) => s.at);
}

/**
 * The page's side, as a string (tsx's name helper is not in the page): window.__tour with the
 * camera set over a lon/lat, frames drawn back to back for a while, and the primitives not ready.
 */
const TOUR_PAGE = `(() => {
  const globe = window.__citytwin.globe;
  const scene = globe.bench.scene;
  const Cart = scene.camera.position.constructor;
  const rad = Math.PI / 180;
  const ecef = (lon, lat, h) => {
    const a = 6378137, e2 = 6.69437999014e-3, p = lat * rad, l = lon * rad;
    const n = a / Math.sqrt(1 - e2 * Math.sin(p) ** 2);
    return new Cart((n + h) * Math.cos(p) * Math.cos(l), (n + h) * Math.cos(p) * Math.sin(l), (n * (1 - e2) + h) * Math.sin(p));
  };
  const drawn = (n) => new Promise((res) => {
    let k = 0;
    const off = scene.postRender.addEventListener(() => { if (++k >= n) { off(); res(); } else scene.requestRender(); });
    scene.requestRender();
  });
  const walk = (coll, out) => {
    for (let i = 0; i < coll.length; i++) {
      const p = coll.get(i);
      if (typeof p.raiseToTop === 'function') { if (p.show !== false) walk(p, out); }
      // Ground primitives and primitives (built in workers over frames); not billboard or label collections.
      else if (typeof p.length !== 'number') { out.all++; if (p.show !== false && p.ready === false) out.notReady++; }
    }
    return out;
  };
  window.__tour = {
    async look(lon, lat, h, pitchDeg) {
      scene.camera.cancelFlight();
      scene.camera.setView({ destination: ecef(lon, lat, h), orientation: { heading: 0, pitch: pitchDeg * rad, roll: 0 } });
      await drawn(1);
    },
    async city() {
      globe.flyToView('overview', 0);
      await drawn(2);
    },
    primitives() {
      return walk(scene.primitives, walk(scene.groundPrimitives, { all: 0, notReady: 0 }));
    },
    drawn,
    frames(seconds) {
      return new Promise((res) => {
        const cost = [], gap = [];
        let t0 = 0, last = 0;
        const start = performance.now();
        const end = start + seconds * 1000;
        const offPre = scene.preUpdate.addEventListener(() => { t0 = performance.now(); });
        const offPost = scene.postRender.addEventListener(() => {
          const t = performance.now();
          if (t0) cost.push(t - t0);
          if (last) gap.push(t - last);
          last = t;
        });
        const tick = () => {
          // At least the window, and at least 6 intervals (a loaded machine draws a frame in seconds), within 4 windows.
          const now = performance.now();
          if (now < end || (gap.length < 6 && now < start + 4 * seconds * 1000)) { scene.requestRender(); requestAnimationFrame(tick); return; }
          offPre(); offPost();
          res({ cost, gap });
        };
        requestAnimationFrame(tick);
      });
    },
  };
})()`;

const q = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};
const r1 = (x: number): number => Math.round(x * 10) / 10;

interface FrameFigures {
  gapMedianMs: number;
  gapP95Ms: number;
  costMedianMs: number;
  costP95Ms: number;
  frames: number;
}

/** Waits (up to 60 s) until every shown primitive is ready (ground primitives build in workers, over frames). */
async function primitivesReady(page: Page): Promise<{ all: number; notReady: number }> {
  const t0 = Date.now();
  for (;;) {
    const c = await page.evaluate(() => (window as unknown as { __tour: { primitives(): { all: number; notReady: number } } }).__tour.primitives());
    if (c.notReady === 0 || Date.now() - t0 > 60_000) return c;
    await page.evaluate(() => (window as unknown as { __tour: { drawn(n: number): Promise<void> } }).__tour.drawn(1));
    await sleep(100);
  }
}

async function frames(page: Page, seconds: number): Promise<FrameFigures> {
  const { cost, gap } = await page.evaluate((s) => (window as unknown as { __tour: { frames(s: number): Promise<{ cost: number[]; gap: number[] }> } }).__tour.frames(s), seconds);
  return { gapMedianMs: r1(q(gap, 0.5)), gapP95Ms: r1(q(gap, 0.95)), costMedianMs: r1(q(cost, 0.5)), costP95Ms: r1(q(cost, 0.95)), frames: cost.length };
}

async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  return r1(metrics.find((m) => m.name === 'JSHeapUsedSize')!.value / 2 ** 20);
}

type Tour = { look(lon: number, lat: number, h: number, pitchDeg: number): Promise<void>; city(): Promise<void> };
const tour = (page: Page) => ({
  look: (lon: number, lat: number, h: number, pitchDeg: number) =>
    page.evaluate(([lon, lat, h, p]) => (window as unknown as { __tour: Tour }).__tour.look(lon, lat, h, p), [lon, lat, h, pitchDeg] as const),
  city: () => page.evaluate(() => (window as unknown as { __tour: Tour }).__tour.city()),
  cells: () => page.evaluate(() => window.__citytwin!.globe!.bench.siteCells()),
});

export async function benchTour(opts: { registryPath: string }): Promise<Record<string, number | Record<string, number>>> {
  const seconds = Number(process.env.BENCH_TOUR_S ?? 10);
  const dist = resolve(process.env.BENCH_DIST ?? 'dist');
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`no build in ${dist}: run npm run build`);
  const registry = JSON.parse(readFileSync(opts.registryPath, 'utf8')) as Registry;
  const stops = tourStops(registry.sites);
  const plant = registry.sites.find((s) => s.kind === 'plant');
  const close = (plant && firstPoint(plant)) ?? stops[0];
  const dataDir = mkdtempSync(join(tmpdir(), 'citytwin-tour-'));
  const svc = await serviceProcess(resolve(opts.registryPath), dataDir, { staticDir: dist });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  let readings: Awaited<ReturnType<typeof startReadings>> | null = null;
  try {
    const login = await fetch(`${svc.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'inspector', password: DEMO_PASSWORD }) });
    const auth = (await login.json()) as { token: string };
    if (!auth.token) throw new Error(`login failed: ${JSON.stringify(auth)}`);
    console.log(`  tour: the app on ${registry.devices.length} devices, ${stops.length} stops, ${seconds}-s frame windows…`);
    const page = await appPage(browser, svc.url, auth);
    await page.waitForFunction(() => {
      const w = window.__citytwin;
      const s = w?.store.getState();
      return !!w?.globe && s?.registryLoaded && s.connection === 'connected' && w.globe.devicePointsPending() === 0 && w.globe.bench.siteCells() !== null;
    }, undefined, { timeout: 180_000, polling: 500 });
    await page.evaluate(TOUR_PAGE);
    const t = tour(page);
    // 2,500 readings/s from here to the end; a first pass so every device has reported (the points' redraw with values).
    readings = await startReadings(svc.mqttUrl, registry);
    await sleep(Math.min(15, readings.cycleS + 2) * 1000);

    const at = async (name: string) => {
      if (name === 'city') await t.city();
      else await t.look(close[0], close[1] - 0.02, CLOSE_HEIGHT_M, -50);
      const ready = await primitivesReady(page);
      const f = await frames(page, seconds);
      console.log(`  tour: ${name}: ${JSON.stringify(f)}, primitives ${JSON.stringify(ready)}`);
      return f;
    };
    const cityBefore = await at('city');
    const heapBefore = await heapMB(page);
    const closeBefore = await at('close');
    const cellsBefore = await t.cells();

    const t0 = performance.now();
    for (const [lon, lat] of stops) await t.look(lon, lat, STOP_HEIGHT_M, -90);
    const tourS = (performance.now() - t0) / 1000;
    const cellsTour = await t.cells();
    console.log(`  tour: ${stops.length} stops in ${tourS.toFixed(1)} s, ${JSON.stringify(cellsTour)}`);

    const cityAfter = await at('city');
    const heapAfter = await heapMB(page);
    const closeAfter = await at('close');
    const cellsAfter = await t.cells();
    console.log(`  tour: heap ${heapBefore} → ${heapAfter} MB, cells ${JSON.stringify(cellsBefore)} → ${JSON.stringify(cellsAfter)}`);
    const laterS = Number(process.env.BENCH_TOUR_LATER_S ?? 70);
    let later: { heapMB: number; cells: Awaited<ReturnType<typeof t.cells>> } | null = null;
    if (laterS > 0) {
      await t.city();
      const tourEnd = t0 + tourS * 1000;
      // Frames drawn now and then meanwhile, as the stream's folds ask for them.
      while (performance.now() - tourEnd < laterS * 1000) {
        await sleep(2000);
        await page.evaluate(() => (window as unknown as { __tour: { drawn(n: number): Promise<void> } }).__tour.drawn(1));
      }
      later = { heapMB: await heapMB(page), cells: await t.cells() };
      console.log(`  tour: ${laterS} s after the tour: heap ${later.heapMB} MB, cells ${JSON.stringify(later.cells)}`);
    }
    await readings.stop();
    readings = null;
    const fig = (f: FrameFigures, name: string) => Object.fromEntries(Object.entries(f).map(([k, v]) => [`${name}${k[0].toUpperCase()}${k.slice(1)}`, v]));
    return {
      tourFrameMsBefore: cityBefore.gapMedianMs,
      tourFrameMsAfter: cityAfter.gapMedianMs,
      tourCloseFrameMsBefore: closeBefore.gapMedianMs,
      tourCloseFrameMsAfter: closeAfter.gapMedianMs,
      tourFrames: { ...fig(cityBefore, 'cityBefore'), ...fig(closeBefore, 'closeBefore'), ...fig(cityAfter, 'cityAfter'), ...fig(closeAfter, 'closeAfter') },
      tourHeapMBBefore: heapBefore,
      tourHeapMBAfter: heapAfter,
      ...(later ? { tourHeapMBLater: later.heapMB } : {}),
      tourCells: {
        ...Object.fromEntries(Object.entries(cellsBefore ?? {}).map(([k, v]) => [`${k}Before`, v])),
        ...Object.fromEntries(Object.entries(cellsTour ?? {}).map(([k, v]) => [`${k}Toured`, v])),
        ...Object.fromEntries(Object.entries(cellsAfter ?? {}).map(([k, v]) => [`${k}After`, v])),
        ...Object.fromEntries(Object.entries(later?.cells ?? {}).map(([k, v]) => [`${k}Later`, v])),
        stops: stops.length,
      },
      tourS: r1(tourS),
    };
  } finally {
    await readings?.stop().catch(() => {});
    await browser.close();
    await stopProcess(svc.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
