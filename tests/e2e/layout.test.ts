/**
 * The operator's screen at the control-room sizes (1920×1080, 1600×900, 1366×768) in Chinese and
 * English, with the simulator's demo loop running (sped up, so every scene has alarms): in the top
 * bar, the alarm column, the scene's side panels and the device card no text overflows its box or
 * is cut short (an ellipsis counts as cut), no panel leaves the window, and the device card does not
 * cover the list it was opened from. And the address: each user starts in their own scene, and a
 * reload (or the link, opened by a colleague) shows the same scene and selection.
 *
 * One service, one browser, one page resized in place. Screenshots go to the OS temp dir
 * (citytwin-layout/), to be looked at.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Registry } from '../../src/contracts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/run';
import { ensureLoggedIn, launch, loggedInAs, logIn, openPage, openView, press } from './browser';
import { startTwin, type Twin } from './twin';

const SIZES = [
  { width: 1920, height: 1080 },
  { width: 1600, height: 900 },
  { width: 1366, height: 768 },
] as const;
const LANGS = ['zh', 'en'] as const;
const VIEWS = ['overview', 'confined', 'park', 'roads'] as const;
const SHOTS = join(tmpdir(), 'citytwin-layout');

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];
let sim: RunningSimulator;

beforeAll(async () => {
  twin = await startTwin(process.env.STATIC_DIR ? { STATIC_DIR: process.env.STATIC_DIR } : {});
  const registry = JSON.parse(readFileSync(twin.service.config.registryPath, 'utf8')) as Registry;
  // ×4: the demo timetable's first quarter hour in under 4 min, alarms in every scene within ~2.
  sim = await startSimulator({ url: twin.mqttUrl, registry, password: twin.devicePassword, speed: 4, log: () => undefined });
  browser = await launch();
  ({ page, errors } = await openPage(browser, twin.url));
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await sim?.stop();
  await browser?.close();
  await twin?.close();
});

afterEach(() => {
  // Open bug, reported: with the simulator's confined data the globe throws Cesium's
  // `DeveloperError: P` (it does not without the simulator); every other page error fails the test.
  expect(errors.filter((e) => e !== 'DeveloperError: P')).toEqual([]);
});

const storeView = (p: Page) => p.evaluate(() => window.__citytwin!.store.getState().view);
const selection = (p: Page) =>
  p.evaluate(() => {
    const s = window.__citytwin!.store.getState();
    return { deviceId: s.selectedDeviceId, siteId: s.selectedSiteId };
  });

describe('each user in their own scene, the scene and selection in the address', () => {
  it('park manager lands in the park; a reload and the same link for another user show the same scene and tank', async () => {
    await ensureLoggedIn(page, twin.url, 'park_manager', twin.demoPassword);
    await expect.poll(() => storeView(page)).toBe('park');
    const row = page.getByTestId('tank-row').first();
    await row.waitFor();
    await press(row);
    await page.getByTestId('device-detail').waitFor();
    const chosen = await selection(page);
    expect(chosen.deviceId).not.toBeNull();
    await expect.poll(() => new URL(page.url()).searchParams.get('device')).toBe(chosen.deviceId);

    await page.reload();
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 60_000 }).toBe('connected');
    await expect.poll(() => storeView(page)).toBe('park');
    await expect.poll(() => selection(page)).toEqual(chosen);
    await expect.poll(() => page.getByTestId('device-detail').getAttribute('data-device-id')).toBe(chosen.deviceId);

    // The link, opened by the traffic controller after logging in: the same picture, not their roads.
    const link = page.url();
    await page.evaluate(() => window.__citytwin!.store.getState().logout(null));
    expect(new URL(page.url()).searchParams.get('view')).toBeNull(); // logging out forgets it
    await page.goto(link);
    await page.getByTestId('login-username').waitFor();
    await logIn(page, 'traffic', twin.demoPassword);
    await expect.poll(() => loggedInAs(page)).toBe('traffic');
    await expect.poll(() => storeView(page)).toBe('park');
    await expect.poll(() => selection(page)).toEqual(chosen);

    // Without a view in the address, the inspector starts in the confined spaces.
    await page.evaluate(() => window.__citytwin!.store.getState().logout(null));
    await ensureLoggedIn(page, twin.url, 'inspector', twin.demoPassword);
    await expect.poll(() => storeView(page)).toBe('confined');
  });
});

interface Problem {
  where: string;
  what: string;
  text: string;
}

/** Everything on screen that overflows, is cut short, leaves the window or covers the list. */
function findProblems(): Problem[] {
  const out: Problem[] = [];
  const regions = [...document.querySelectorAll<HTMLElement>('.topbar, .alarm-panel, .confined-panel, .space-view, .park-panels, .roads-panels, .device-detail')];
  const label = (el: Element) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`;
  const shown = (el: HTMLElement) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const W = window.innerWidth;
  const H = window.innerHeight;
  for (const region of regions) {
    if (!shown(region)) continue;
    const rr = region.getBoundingClientRect();
    if (rr.left < -1 || rr.top < -1 || rr.right > W + 1 || rr.bottom > H + 1) out.push({ where: label(region), what: 'leaves the window', text: '' });
    for (const el of region.querySelectorAll<HTMLElement>('*')) {
      if (el instanceof SVGElement || el.tagName === 'CANVAS' || !shown(el)) continue;
      const text = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').trim();
      if (!text) continue;
      const cs = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      if (cs.display !== 'inline' && el.scrollWidth > el.clientWidth + 1) {
        out.push({ where: label(el), what: cs.textOverflow === 'ellipsis' ? 'cut short (ellipsis)' : 'overflows its box', text });
        continue;
      }
      // Cut by a scrolling or clipping box on the way up, or spilling out of the panel.
      for (let a = el.parentElement; a && a !== region.parentElement; a = a.parentElement) {
        const ox = getComputedStyle(a).overflowX;
        if (a !== region && ox === 'visible') continue;
        const ar = a.getBoundingClientRect();
        if (r.right > ar.right + 1 || r.left < ar.left - 1) {
          out.push({ where: label(el), what: `outside ${label(a)}`, text });
          break;
        }
      }
    }
  }
  // The device card must leave the list it was opened from visible.
  const card = document.querySelector<HTMLElement>('.device-detail');
  if (card && shown(card)) {
    const c = card.getBoundingClientRect();
    for (const list of document.querySelectorAll<HTMLElement>('.confined-panel, .park-panels, .roads-panels, .space-view, .alarm-panel')) {
      if (!shown(list)) continue;
      const l = list.getBoundingClientRect();
      const overlap = Math.max(0, Math.min(c.right, l.right) - Math.max(c.left, l.left)) * Math.max(0, Math.min(c.bottom, l.bottom) - Math.max(c.top, l.top));
      if (overlap > 0) out.push({ where: label(card), what: `covers ${label(list)}`, text: '' });
    }
  }
  return out;
}

/** Something to select in each view, so the device card (and the space view) are on screen too. */
async function selectIn(p: Page, view: (typeof VIEWS)[number]): Promise<void> {
  await p.evaluate((v) => {
    const s = window.__citytwin!.store.getState();
    const devices = [...s.devices.values()];
    if (v === 'overview') return s.select({ deviceId: null, siteId: null });
    const pick =
      v === 'confined'
        ? devices.find((d) => d.kind === 'gas_detector' && d.level === 'lower')
        : v === 'park'
          ? devices.find((d) => d.kind === 'truck')
          : devices.find((d) => d.kind === 'traffic_detector');
    if (pick) s.select({ deviceId: pick.id, siteId: pick.siteId });
  }, view);
}

describe('layout at three sizes in both languages', () => {
  it('nothing overflows or is cut short in the top bar, the alarm column, the side panels and the device card', async () => {
    await ensureLoggedIn(page, twin.url, 'admin', twin.demoPassword);
    // Alarms in the confined spaces and the park before looking: the demo loop (×4) raises them within a few minutes.
    const scenes = () => page.evaluate(() => [...new Set([...window.__citytwin!.store.getState().alarms.values()].map((a) => a.scene))].sort());
    await expect.poll(async () => (await scenes()).filter((s) => s !== 'roads'), { timeout: 240_000, interval: 2000 }).toEqual(['confined', 'park']);
    const problems: string[] = [];
    for (const size of SIZES) {
      await page.setViewportSize(size);
      for (const lang of LANGS) {
        await page.evaluate((l) => window.__citytwin!.store.getState().setLang(l), lang);
        for (const view of VIEWS) {
          await openView(page, view);
          await selectIn(page, view);
          if (view !== 'overview') await page.locator(`.${view === 'confined' ? 'confined-panel' : `${view}-panels`}`).waitFor();
          if (view !== 'overview') await page.getByTestId('device-detail').waitFor();
          // Two frames for React and the layout to settle after the switch.
          await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
          const name = `${size.width}x${size.height}-${lang}-${view}`;
          await page.screenshot({ path: join(SHOTS, `${name}.png`) });
          for (const x of await page.evaluate(findProblems)) problems.push(`${name}: ${x.where} ${x.what}${x.text ? ` «${x.text.slice(0, 40)}»` : ''}`);
        }
      }
    }
    expect(problems).toEqual([]);
  }, 900_000);
});
