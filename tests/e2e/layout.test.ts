/**
 * The operator's screen at the control-room sizes (1920×1080, 1600×900, 1366×768), in Chinese and
 * in English, in each of the three scenes during their worst moments (an evacuate with two workers
 * inside, a Cl₂ release with an alarm flood at five more park stations, a crash and fog on the G60):
 * in the top bar, the alarm column, the scene's lists and the device card no text runs out of its
 * box (an ellipsis is allowed only with the whole text in a tooltip), no panel leaves the window,
 * and the device card does not cover the list it was opened from.
 *
 * One service, one browser, one page resized in place; measured on the DOM, not on pixels.
 * Chromium runs without WebGL: the panels are laid out the same without the globe, and software
 * WebGL at 1–2 fps would make 18 looks take minutes. Screenshots go to the OS temp dir
 * (citytwin-layout/), to be looked at.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, logIn, openPage } from './browser';
import { alarmsInEveryScene, deviceFeed, SPACE, type DeviceFeed } from './scenario';
import { startTwin, type Twin } from './twin';

const SIZES = [
  { width: 1920, height: 1080 },
  { width: 1600, height: 900 },
  { width: 1366, height: 768 },
] as const;
const LANGS = ['zh', 'en'] as const;
/** In each scene, what an operator opens during its alarms (and the confined list with its roster, nothing open). */
const SCENES = [
  { view: 'confined', panel: '.confined-panel', device: null },
  { view: 'confined', panel: '.confined-panel', device: `${SPACE}-gas-lower` },
  { view: 'park', panel: '.park-panels', device: 'sy-bs3-gas' },
  { view: 'roads', panel: '.roads-panels', device: 'zj-wx-g60' },
] as const;
const SHOTS = join(tmpdir(), 'citytwin-layout');

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];
let feed: DeviceFeed;

beforeAll(async () => {
  twin = await startTwin(process.env.STATIC_DIR ? { STATIC_DIR: process.env.STATIC_DIR } : {});
  browser = await launch({ webgl: false });
  ({ page, errors } = await openPage(browser, twin.url));
  mkdirSync(SHOTS, { recursive: true });
  feed = await deviceFeed(twin);
  // Level 1 of all four gases at five more stations (20 major alarms) beside the level-2 Cl₂ release;
  // the third worker in the next pit since 2 h 10 min ago (a late-sent badge event): past the
  // 120-min default, an overstay.
  await alarmsInEveryScene(feed, { incidentId: 'e2e-layout-crash', wind: { dirDeg: 0, speedMs: 6 }, flood: true, otherEntryAgoMin: 130 });
}, 60_000);

afterAll(async () => {
  await feed?.close();
  await browser?.close();
  await twin?.close();
});

/** Everything on screen that runs out of its box, is cut without a tooltip, leaves the window, covers the list or lost its style. */
function findProblems(): string[] {
  const out: string[] = [];
  const label = (el: Element) => {
    const id = el.getAttribute('data-testid');
    const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    return `${el.tagName.toLowerCase()}${id ? `[${id}]` : cls}`;
  };
  const shown = (el: HTMLElement) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const W = window.innerWidth;
  const H = window.innerHeight;
  // The browser's own button face, to tell a button whose style is missing (e.g. left in a lazy chunk's CSS).
  const bare = document.body.appendChild(document.createElement('button'));
  const bareFace = getComputedStyle(bare).backgroundColor;
  bare.remove();
  const regions = [...document.querySelectorAll<HTMLElement>('.topbar, .alarm-panel, .confined-panel, .space-view, .park-panels, .roads-panels, .device-detail, .legend, .statusbar')];
  for (const region of regions) {
    if (!shown(region)) continue;
    const rr = region.getBoundingClientRect();
    if (rr.left < -1 || rr.top < -1 || rr.right > W + 1 || rr.bottom > H + 1) out.push(`${label(region)} leaves the window`);
    for (const el of region.querySelectorAll<HTMLElement>('*')) {
      if (el instanceof SVGElement || el.tagName === 'CANVAS' || !shown(el)) continue;
      const control = el.matches('select, button, input');
      const text = control ? (el as HTMLInputElement).value || el.innerText : [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').trim();
      if (!text && !control) continue;
      const cs = getComputedStyle(el);
      const quote = `«${text.slice(0, 40)}»`;
      if (el.tagName === 'BUTTON' && cs.backgroundColor === bareFace) out.push(`${label(el)} drawn with the browser's own button face ${quote}`);
      if (!el.matches('select, input') && cs.display !== 'inline' && el.scrollWidth > el.clientWidth + 1) {
        // Cut on purpose is fine when the whole text is a hover away.
        const tip = el.closest('[title]')?.getAttribute('title') ?? '';
        if (cs.textOverflow === 'ellipsis' && tip.includes(text)) continue;
        out.push(`${label(el)} ${cs.textOverflow === 'ellipsis' ? 'cut without a tooltip' : 'overflows its box'} ${quote}`);
        continue;
      }
      // Lines below the box: spilling over what follows, or clamped (fine with the whole text in a tooltip).
      // Half a line of slack: a big figure set at line-height 1 pokes its glyphs out by a few pixels, harmlessly.
      const slack = Math.max(2, parseFloat(cs.fontSize) / 2);
      if (cs.display !== 'inline' && !['auto', 'scroll'].includes(cs.overflowY) && el.scrollHeight > el.clientHeight + slack) {
        const clipped = cs.overflowY !== 'visible';
        if (clipped && (el.closest('[title]')?.getAttribute('title') ?? '').includes(text)) continue;
        out.push(`${label(el)} ${clipped ? 'clamped without a tooltip' : 'spills below its box'} ${quote}`);
        continue;
      }
      // Outside a scrolling or clipping box on the way up (the region included).
      const r = el.getBoundingClientRect();
      for (let a = el.parentElement; a && a !== region.parentElement; a = a.parentElement) {
        if (a !== region && getComputedStyle(a).overflowX === 'visible') continue;
        const ar = a.getBoundingClientRect();
        if (r.right > ar.right + 1 || r.left < ar.left - 1) {
          out.push(`${label(el)} outside ${label(a)} ${quote}`);
          break;
        }
      }
    }
  }
  const card = document.querySelector<HTMLElement>('.device-detail');
  if (card && shown(card)) {
    const c = card.getBoundingClientRect();
    for (const list of document.querySelectorAll<HTMLElement>('.confined-panel, .park-panels, .roads-panels, .space-view, .alarm-panel')) {
      if (!shown(list)) continue;
      const l = list.getBoundingClientRect();
      const overlap = Math.max(0, Math.min(c.right, l.right) - Math.max(c.left, l.left)) * Math.max(0, Math.min(c.bottom, l.bottom) - Math.max(c.top, l.top));
      if (overlap > 0) out.push(`the device card covers ${label(list)}`);
    }
  }
  return out;
}

describe('who is inside', () => {
  it('the confined column lists each person inside with role and time inside, the one past the limit marked', async () => {
    await page.goto(twin.url);
    await logIn(page, 'admin', twin.demoPassword);
    await page.evaluate(() => {
      const s = window.__citytwin!.store.getState();
      s.setLang('zh');
      s.setView('confined');
    });
    const person = (id: string) => page.locator(`[data-testid="roster-person"][data-person-id="${id}"]`);
    await expect.poll(() => person('W0611').getAttribute('data-over'), { timeout: 30_000 }).toBe('true');
    expect(await person('W0611').innerText()).toMatch(/王军\s*作业人员\s*2 小时 1\d 分钟/);
    expect(await person('W0417').getAttribute('data-over')).toBe('false');
    expect(await person('W0417').innerText()).toMatch(/张伟\s*作业人员\s*\d 分钟/);
    const pit = page.locator('[data-testid="roster-space"][data-space-id="kq-p1-s1"]');
    expect(await pit.innerText()).toContain('监护人：刘敏');
    const rules = await page.evaluate(() => [...window.__citytwin!.store.getState().alarms.values()].filter((a) => a.state !== 'closed').map((a) => a.rule));
    expect(rules).toContain('overstay');
  });
});

describe('layout at three sizes in both languages', () => {
  it('nothing runs out of the top bar, the alarm column, the lists or the device card, in any scene', async () => {
    if ((await page.evaluate(() => window.__citytwin?.store.getState().auth?.username ?? null).catch(() => null)) === null) {
      await page.goto(twin.url);
      await logIn(page, 'admin', twin.demoPassword);
    }
    // Every scene's alarms present before looking: the evacuate, the release and its flood, the crash and the fog.
    const open = () => page.evaluate(() => [...window.__citytwin!.store.getState().alarms.values()].filter((a) => a.state !== 'closed').map((a) => a.rule));
    await expect.poll(async () => {
      const rules = await open();
      return ['evacuate', 'cl2_ppm_high', 'nh3_ppm_high', 'incident', 'fog'].filter((r) => !rules.includes(r));
    }, { timeout: 60_000, interval: 1000 }).toEqual([]);
    await expect.poll(async () => (await open()).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(25);

    const problems: string[] = [];
    for (const size of SIZES) {
      await page.setViewportSize(size);
      for (const lang of LANGS) {
        for (const { view, panel, device: id } of SCENES) {
          await page.evaluate(
            ([l, v, d]) => {
              const s = window.__citytwin!.store.getState();
              s.setLang(l as 'zh' | 'en');
              s.setView(v as 'confined');
              s.select({ deviceId: d, siteId: d === null ? null : (s.devices.get(d)?.siteId ?? null) });
            },
            [lang, view, id] as const,
          );
          await page.locator(panel).waitFor();
          if (id === null) await page.getByTestId('roster').waitFor();
          else await page.getByTestId('device-detail').waitFor();
          // Two frames for React and the layout to settle.
          await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
          const name = `${size.width}x${size.height}-${lang}-${view}${id === null ? '-list' : ''}`;
          await page.screenshot({ path: join(SHOTS, `${name}.png`) });
          if (view === 'park') {
            // The flood as the park alarm centre shows it, further down the park column.
            await page.getByTestId('park-alarm-centre').evaluate((el) => el.scrollIntoView());
            await page.screenshot({ path: join(SHOTS, `${name}-alarm-centre.png`) });
          }
          for (const p of await page.evaluate(findProblems)) problems.push(`${name}: ${p}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
