/**
 * The shader warm-up (src/scene/cesium/shaderWarm.ts), in headless Chromium with software WebGL
 * on the demo registry: the programs of the layers the registry brings (the device points, the
 * camera cones, rays and icons, the label backgrounds) are linked while the page waits for the
 * registry, none of them again after it, and the warm-up leaves no item in the scene and, once the
 * registry's layers have drawn, holds no program.
 *
 * Every WebGL link is recorded from an init script (its shaders' attributes and #defines, and
 * whether the registry was in the store by then); the registry's device list is held back until the
 * warm-up is done, so "before the registry" does not depend on how fast the service answers.
 */
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openPage } from './browser';
import { startTwin, type Twin } from './twin';

interface Link {
  attrs: string;
  defs: string[];
  /** Linked after the page put the registry in its store (`ct:registryStore`). */
  afterRegistry: boolean;
}

/** Records every program link with its shaders' attributes and #defines. */
const RECORD_LINKS = `(() => {
  const links = (window.__links = []);
  for (const C of [window.WebGLRenderingContext, window.WebGL2RenderingContext]) {
    if (!C) continue;
    const link = C.prototype.linkProgram;
    C.prototype.linkProgram = function (p) {
      const src = (this.getAttachedShaders(p) || []).map((s) => this.getShaderSource(s) || '');
      const attrs = ((src[0] || '').match(/^(in|attribute) \\w+ \\w+/gm) || []).map((a) => a.split(' ')[2]).join(',');
      const defs = [...new Set(src.join('\\n').match(/^#define \\w+/gm) || [])].map((d) => d.slice(8));
      links.push({ attrs, defs, afterRegistry: performance.getEntriesByName('ct:registryStore').length > 0 });
      return link.call(this, p);
    };
  }
})();`;

/** The programs the warm-up is for, told apart by their shaders (Cesium's own attribute names and defines). */
const KINDS: Record<string, (l: Link) => boolean> = {
  'device points (PointPrimitiveCollection)': (l) => l.attrs.startsWith('positionHighAndSize,'),
  'camera icons (BillboardCollection, aligned axis)': (l) => l.attrs.startsWith('direction,positionHighAndScale,') && l.defs.includes('ALIGNED_AXIS'),
  'label backgrounds': (l) =>
    l.attrs.startsWith('direction,positionHighAndScale,') && !l.defs.includes('SDF') && !l.defs.includes('ALIGNED_AXIS') && l.defs.includes('DISTANCE_DISPLAY_CONDITION'),
  'camera rays (PolylineCollection)': (l) => l.attrs.includes('position2DHigh') && l.defs.includes('CLIP_POLYLINE'),
  'camera cones (Primitive, flat per-instance colour)': (l) => l.attrs === 'position3DHigh,position3DLow,batchId' && l.defs.includes('FLAT'),
};

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  twin = await startTwin();
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

const left = (p: Page) => p.evaluate(() => window.__citytwin?.globe?.shaderWarmLeft() ?? null);

describe('shader warm-up', () => {
  it('links the registry layers’ programs before the registry, none after, and leaves nothing behind', async () => {
    const login = await fetch(`${twin.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'inspector', password: twin.demoPassword }),
    });
    const auth = (await login.json()) as { token?: string };
    expect(auth.token).toBeTruthy();
    ({ page, errors } = await openPage(browser, twin.url));
    await page.context().addInitScript((saved) => sessionStorage.setItem('citytwin.auth', saved), JSON.stringify(auth));
    await page.context().addInitScript(RECORD_LINKS);
    // The device list waits until the warm-up is done.
    let held: Route | null = null;
    let released = false;
    await page.route(/\/api\/devices(\?|$)/, (route) => (released ? route.continue() : void (held = route)));
    await page.goto(twin.url);
    await expect.poll(() => left(page), { timeout: 90_000, interval: 250 }).toMatchObject({ items: 0 });
    const during = await left(page);
    expect(during!.programs).toBeGreaterThan(0);
    await expect.poll(() => held !== null, { timeout: 30_000 }).toBe(true);
    released = true;
    await (held as Route | null)!.continue();

    // The registry drawn, every point built and the held programs let go (5 s after the registry).
    await expect.poll(() => page.evaluate(() => performance.getEntriesByName('ct:registryStore').length), { timeout: 90_000 }).toBe(1);
    await expect.poll(() => page.evaluate(() => window.__citytwin?.globe?.devicePointsPending() ?? -1), { timeout: 90_000 }).toBe(0);
    await expect.poll(() => left(page), { timeout: 60_000, interval: 500 }).toEqual({ items: 0, programs: 0 });
    // A few more frames at the default view after that.
    await page.evaluate(() => new Promise((done) => setTimeout(done, 2000)));

    const links = (await page.evaluate(() => (window as unknown as { __links: Link[] }).__links)) as Link[];
    const after = links.filter((l) => l.afterRegistry);
    for (const [kind, is] of Object.entries(KINDS)) {
      expect(links.some((l) => !l.afterRegistry && is(l)), `${kind}: linked before the registry`).toBe(true);
      expect(after.filter(is).map((l) => `${l.attrs} ${l.defs.join(',')}`), `${kind}: linked after the registry`).toEqual([]);
    }
    expect(errors).toEqual([]);
  }, 240_000);
});
