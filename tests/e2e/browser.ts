/**
 * Headless Chromium for end-to-end tests: Debian's `chromium` driven by playwright-core with the
 * flags measured in ../shared/PLATFORM.md (WebGL2 through SwiftShader; no background networking,
 * which this machine's closed network would refuse). Never skips: without a browser the tests fail
 * and say how to get one.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
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

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}

/**
 * Opens a page that records every request leaving `origin` (the twin must fetch nothing from
 * outside its host) and every console error.
 */
export async function openPage(browser: Browser, origin: string): Promise<{ page: Page; outside: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const outside: string[] = [];
  const errors: string[] = [];
  const host = new URL(origin).host;
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (url.host !== host) outside.push(req.url());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
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

/** Logs in on the page's login form and waits until the live link is up. */
export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 60_000 }).toBe('connected');
}
