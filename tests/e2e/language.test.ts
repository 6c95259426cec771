/**
 * The operator's language, as the three users would read it: with alarms present in every scene
 * (an evacuate with two workers inside at H₂S 20 ppm, a silent detector, Cl₂ at the park boundary,
 * a speeding hazmat truck, a crash and fog on the G60), every view is read in Chinese and must show
 * no English system words and no raw ids (units, chemical formulae, road numbers and standards are
 * allowed), then in English and must show no Chinese. One service, one browser; the test publishes.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, logIn, openPage } from './browser';
import { alarmsInEveryScene, demoRegistry as registry, deviceFeed, SPACE, type DeviceFeed } from './scenario';
import { startTwin, type Twin } from './twin';

/** Every id a reader could meet: devices, sites, badges. Five characters or more, so "G60" is not one. */
const IDS = [...registry.devices, ...registry.sites, ...(registry.persons ?? [])].map((x) => x.id).filter((id) => id.length >= 5);

/**
 * Latin words a Chinese screen may show: units, chemical formulae (split at their subscripts),
 * standards, road numbers (G60 → "G"), Pasquill stability classes (A–F), the product's and the
 * map's own names.
 */
const LATIN_OK = new Set(
  'ppm km h m mm min s ms g vol kPa LEL A B C D E F O H S Cl CO NH VOC G S GB GBZ JTG AEGL ERPG ISA EEMUA PM AM CityTwin Cesium OpenStreetMap MQTT HLS WHEP IFC BIM PT KQ'.split(' '),
);
/** A Chinese licence plate (浙D·A3K21) is what is painted on the truck. */
const PLATE = /[\u4e00-\u9fff][A-Z]·[A-Z0-9]{5,6}/g;
/** English system words as the issue met them: a Chinese screen must show none. */
const englishWords = (text: string): string[] => [...new Set((text.replace(PLATE, ' ').match(/[A-Za-z][A-Za-z_]*/g) ?? []).filter((w) => !LATIN_OK.has(w)))];
const rawIds = (text: string): string[] => IDS.filter((id) => text.includes(id));
const chinese = (text: string): string[] => [...new Set(text.match(/[\u3400-\u9fff]+/g) ?? [])];

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];
let feed: DeviceFeed;

/** What a reader sees of the page: its visible text and the tooltips of the alarm rows. */
const visibleText = (p: Page): Promise<string> =>
  p.evaluate(() => {
    const tips = [...document.querySelectorAll('[data-testid$="alarm-row"], .space-reason')].map((e) => e.getAttribute('title') ?? '');
    // The language switch names the other language, and the user's login name is theirs: neither is system text.
    const own = [document.querySelector('[data-testid="lang-toggle"]')?.textContent ?? '', window.__citytwin!.store.getState().auth?.username ?? ''];
    let body = document.body.innerText;
    for (const o of own.filter(Boolean)) body = body.split(o).join(' ');
    // Text marked with its own language (a message sign's Chinese wording, shown with its translation) is quoted, not system text.
    for (const el of document.querySelectorAll<HTMLElement>('body [lang]')) body = body.split(el.innerText).join(' ');
    return `${body}\n${tips.join('\n')}`;
  });

const openAlarms = (p: Page): Promise<string[]> =>
  p.evaluate(() => [...window.__citytwin!.store.getState().alarms.values()].filter((a) => a.state !== 'closed').map((a) => a.rule));

/** Opens a view (and selects a site or device in it), and waits for its panel. */
async function show(p: Page, view: string, selection: string | null): Promise<void> {
  await p.evaluate(
    ([v, id]) => {
      const s = window.__citytwin!.store.getState();
      s.setView(v as Parameters<typeof s.setView>[0]);
      const device = id === null ? undefined : s.devices.get(id);
      s.select(id === null ? { siteId: null, deviceId: null } : device ? { deviceId: id, siteId: device.siteId } : { siteId: id, deviceId: null });
    },
    [view, selection] as const,
  );
  const panel = selection === SPACE ? 'space-detail' : selection ? 'device-detail' : { confined: 'confined-panel', park: 'park-alarm-centre', roads: 'roads-panels', overview: 'alarm-list' }[view]!;
  // The first visit of a scene loads its layers while software WebGL draws at 1–2 fps: allow for it.
  await p.getByTestId(panel).first().waitFor({ timeout: 150_000 });
}

/**
 * Records every Chinese glyph the globe draws (Cesium draws a label's glyphs one by one on a canvas
 * in the labels' font) and whether the faces for it were in at that moment: one drawn before is an
 * empty box on a PC without a Chinese face of its own, such as this test machine.
 */
function recordChineseGlyphs(): void {
  const drawn: { text: string; ready: boolean }[] = [];
  (window as unknown as { __chineseGlyphs: typeof drawn }).__chineseGlyphs = drawn;
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (this: CanvasRenderingContext2D, text: string, ...rest: [number, number, number?]) {
    if (/[\u3400-\u9fff]/.test(text) && this.font.includes('Noto Sans SC Variable')) drawn.push({ text, ready: document.fonts.check(this.font, text) });
    return fillText.call(this, text, ...rest);
  };
}

beforeAll(async () => {
  twin = await startTwin(process.env.STATIC_DIR ? { STATIC_DIR: process.env.STATIC_DIR } : {});
  browser = await launch();
  ({ page, errors } = await openPage(browser, twin.url));
  await page.addInitScript(recordChineseGlyphs);
  feed = await deviceFeed(twin);
  // The third badge goes into the next pit with no permit; a detector of another plant reports once and falls silent.
  await alarmsInEveryScene(feed, { incidentId: 'e2e-lang-crash', wind: { dirDeg: 90, speedMs: 2 }, silentDetector: true });
});

afterAll(async () => {
  await feed?.close();
  await browser?.close();
  await twin?.close();
});

/** Each scene as it opens, then with what an operator opens during these alarms: the space, the detector, the tank, the truck. */
const READS: [string, string | null][] = [
  ['overview', null],
  ['confined', null],
  ['confined', SPACE],
  ['confined', `${SPACE}-gas-lower`],
  ['park', null],
  ['park', 'sy-bs3-gas'],
  ['park', 'sy-truck-01'],
  ['roads', null],
  ['roads', 'zj-wx-g60'],
];

describe('the operator reads their own language', () => {
  it('every kind of alarm is present before anything is read', async () => {
    await page.goto(twin.url);
    await logIn(page, 'admin', twin.demoPassword);
    // Every kind of alarm present before anything is read.
    const wanted = ['evacuate', 'h2s_ppm_high', 'stale', 'cl2_ppm_high', 'geofence', 'incident', 'fog'];
    await expect.poll(async () => {
      const open = await openAlarms(page);
      return wanted.filter((r) => !open.includes(r));
    }, { timeout: 90_000, interval: 1000 }).toEqual([]);
  });

  const setLang = (lang: 'zh' | 'en') => page.evaluate((l) => window.__citytwin!.store.getState().setLang(l), lang);

  for (const [view, selection] of READS) {
    it(`in Chinese, ${view}${selection ? ` with ${selection} open` : ''}: no English system words, no raw ids`, async () => {
      await setLang('zh');
      await show(page, view, selection);
      if (selection === SPACE) await expect.poll(() => page.getByTestId('space-people').innerText(), { timeout: 30_000 }).toContain('张伟');
      if (selection === `${SPACE}-gas-lower`) {
        // Opened during its H₂S alarm, the detector's chart shows H₂S, not its first channel (O₂).
        expect(await page.getByTestId('device-chart').getAttribute('data-quantity')).toBe('h2s_ppm');
      }
      const text = await visibleText(page);
      expect.soft(englishWords(text)).toEqual([]);
      expect.soft(rawIds(text)).toEqual([]);
    });
  }

  it('in Chinese, the evacuate alarm names the people and says the gas with its unit', async () => {
    await setLang('zh');
    await show(page, 'overview', null);
    const alarms = await page.getByTestId('alarm-list').innerText();
    expect(alarms).toMatch(/内有 2 人（张伟、李强）/);
    expect(alarms).toMatch(/硫化氢 20 ppm ≥ 14 ppm/);

    // Drawn in a Chinese face, not as empty boxes: the app brings its own (Noto Sans SC) for a PC
    // without CJK fonts, such as this test machine. Chromium says which fonts drew the row's text.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const rows = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: '[data-testid="alarm-list"] [data-testid="alarm-row"][data-rule="evacuate"] *' });
    const families = new Set<string>();
    for (const nodeId of rows.nodeIds) {
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      for (const f of fonts) families.add(f.familyName);
    }
    await cdp.detach();
    expect([...families].filter((f) => /Noto Sans (SC|CJK)|YaHei|PingFang|Source Han|WenQuanYi/i.test(f)), [...families].join(', ')).not.toEqual([]);
  });

  it('in Chinese, the globe drew its Chinese labels only once their face was in (no empty boxes)', async () => {
    const drawn = await page.evaluate(() => (window as unknown as { __chineseGlyphs: { text: string; ready: boolean }[] }).__chineseGlyphs);
    // Every view was read in Chinese: the scenes' names, the sites' and the roads' are on the globe.
    expect(drawn.length).toBeGreaterThan(20);
    expect(drawn.filter((g) => !g.ready).map((g) => g.text)).toEqual([]);
  });

  for (const [view, selection] of READS) {
    it(`in English, ${view}${selection ? ` with ${selection} open` : ''}: no Chinese, no raw ids`, async () => {
      await setLang('en');
      await show(page, view, selection);
      const text = await visibleText(page);
      expect.soft(chinese(text)).toEqual([]);
      expect.soft(rawIds(text)).toEqual([]);
    });
  }

  it('the map labels the crash in the operator\'s language, and switches with the language', async () => {
    await show(page, 'roads', null);
    const labels = () => page.evaluate(() => window.__citytwin?.globe?.scenes.roads?.incidentLabels() ?? null);
    await setLang('zh');
    await expect.poll(labels, { timeout: 60_000 }).toEqual(['⚠ 交通事故']);
    await setLang('en');
    await expect.poll(labels, { timeout: 30_000 }).toEqual(['⚠ Crash']);
  });

  it('in English, the evacuate alarm names the people; no page error on the way', async () => {
    await setLang('en');
    await show(page, 'overview', null);
    expect(await page.getByTestId('alarm-list').innerText()).toMatch(/2 inside \(Zhang Wei, Li Qiang\)/);
    expect(errors).toEqual([]);
  });
});
