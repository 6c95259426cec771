/**
 * Headless Chromium for end-to-end tests: Debian's `chromium` driven by playwright-core with the
 * flags measured to work here (WebGL2 through SwiftShader; no background networking, which a closed
 * network would refuse). Never skips: without a browser the tests fail and say how to get one.
 * Tests read and drive the app through its typed test hook, `window.__citytwin`
 * (src/ui/testHook.ts).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The Chromium binary: `CHROMIUM_PATH`, else Debian's. Throws with install instructions. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      'No Chromium for the browser tests. Install Debian\'s: `sudo apt-get install chromium` ' +
        '(gives /usr/bin/chromium), or set CHROMIUM_PATH to a Chromium/Chrome binary.',
    );
  }
  return found;
}

/** Launches Chromium; `webgl: false` starts it without WebGL (the globe cannot start, the panels must still work). */
export async function launch(opts: { webgl?: boolean } = {}): Promise<Browser> {
  const args = opts.webgl === false ? [...CHROMIUM_ARGS.filter((a) => !a.includes('swiftshader') && !a.includes('gpu')), '--disable-3d-apis'] : CHROMIUM_ARGS;
  return chromium.launch({ executablePath: chromiumPath(), args });
}

/**
 * Opens a page that records every request leaving `origin` (the twin must fetch nothing from
 * outside its host) and every console error.
 */
export async function openPage(browser: Browser, origin: string): Promise<{ page: Page; outside: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' });
  // Software WebGL on a shared machine can keep a page's main thread busy for tens of seconds.
  context.setDefaultTimeout(90_000);
  const page = await context.newPage();
  const outside: string[] = [];
  const errors: string[] = [];
  const host = new URL(origin).host;
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (url.host !== host) outside.push(req.url());
  });
  page.on('pageerror', (e) => errors.push(String(e) + '\n' + (e.stack ?? '')));
  return { page, outside, errors };
}

/**
 * How varied a PNG screenshot is: the share of sampled pixels that differ clearly from the most
 * common colour. A blank or single-colour canvas gives ~0. Decoded in the page itself, so the
 * tests need no image library.
 */
export async function pictureVariety(page: Page, png: Buffer): Promise<number> {
  const dataUrl = `data:image/png;base64,${png.toString('base64')}`;
  return page.evaluate(async (src) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const { data } = g.getImageData(0, 0, c.width, c.height);
    const counts = new Map<number, number>();
    const keys: number[] = [];
    for (let i = 0; i < data.length; i += 4 * 97) {
      const key = ((data[i] >> 4) << 8) | ((data[i + 1] >> 4) << 4) | (data[i + 2] >> 4);
      keys.push(key);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    let top = 0;
    for (const n of counts.values()) top = Math.max(top, n);
    return 1 - top / keys.length;
  }, dataUrl);
}

/**
 * Logs in on the page's login form and waits until the live link is up. Clicks in the page itself:
 * with Cesium drawing in software WebGL the main thread can be busy for seconds, and playwright's
 * click then waits on "scheduled navigations" far too long.
 */
export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await press(page.getByTestId('login-submit'));
  await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 60_000 }).toBe('connected');
}

/**
 * Clicks an element in the page itself: while Cesium draws in software WebGL the main thread can be
 * busy for seconds, and playwright's click then waits for a stable, animated frame far too long.
 */
export function press(locator: Locator): Promise<void> {
  return locator.evaluate((el) => (el as HTMLElement).click());
}

/** Who the page's app is logged in as, or null (logged out, or no app loaded yet). */
export function loggedInAs(page: Page): Promise<string | null> {
  return page.evaluate(() => window.__citytwin?.store.getState().auth?.username ?? null).catch(() => null);
}

/**
 * Makes sure `page` shows the app at `url` logged in as `username` with the live link up, whatever a
 * test before it left: logs out another user, logs in when it must, and leaves a replay for live.
 * Tests start from it, so each runs alone as well as after the others.
 */
export async function ensureLoggedIn(page: Page, url: string, username: string, password: string): Promise<void> {
  const who = await loggedInAs(page);
  if (who === username) {
    await page.evaluate(() => {
      const replay = document.querySelector<HTMLElement>('[data-testid="replay-live"]');
      replay?.click();
    });
  } else {
    if (who !== null) await page.evaluate(() => window.__citytwin!.store.getState().logout(null));
    if (!page.url().startsWith(url)) await page.goto(url);
    await page.getByTestId('login-username').waitFor({ timeout: 60_000 });
    await logIn(page, username, password);
  }
  await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 60_000 }).toBe('connected');
  await expect.poll(() => page.getByTestId('replay-bar').count(), { timeout: 10_000 }).toBe(0);
}

/** Opens a view (a scene, or the overview) as the scene tabs do, and waits for the store to show it. */
export async function openView(page: Page, view: 'overview' | 'confined' | 'park' | 'roads'): Promise<void> {
  await press(page.getByTestId(`scene-tab-${view}`));
  await expect.poll(() => page.evaluate(() => window.__citytwin!.store.getState().view), { timeout: 10_000 }).toBe(view);
}

/**
 * Resolves once the page has drawn `n` more animation frames: whatever it had received by the
 * call (live batches fold once per frame) has been handled.
 */
export function framesPassed(page: Page, n = 2): Promise<void> {
  return page.evaluate(
    (count) =>
      new Promise<void>((resolve) => {
        let left = count;
        const step = () => (--left <= 0 ? resolve() : requestAnimationFrame(step));
        requestAnimationFrame(step);
      }),
    n,
  );
}
