/**
 * The operator's language, as the three users would read it: with alarms present in every scene
 * (an evacuate with two workers inside at H₂S 20 ppm, a silent detector, Cl₂ at the park boundary,
 * a speeding hazmat truck, a crash and fog on the G60), every view is read in Chinese and must show
 * no English system words and no raw ids (units, chemical formulae, road numbers and standards are
 * allowed), then in English and must show no Chinese. One service, one browser; the test publishes.
 */
import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, logIn, openPage } from './browser';
import { startTwin, type Twin } from './twin';

interface Reg {
  devices: { id: string; kind: string; siteId: string; position: number[] }[];
  sites: { id: string; kind: string; geometry: { type: string; coordinates: number[][] } }[];
  persons?: { id: string }[];
}
const registry = JSON.parse(readFileSync(new URL('../../public/data/registry.json', import.meta.url), 'utf8')) as Reg;
/** Every id a reader could meet: devices, sites, badges. Five characters or more, so "G60" is not one. */
const IDS = [...registry.devices, ...registry.sites, ...(registry.persons ?? [])].map((x) => x.id).filter((id) => id.length >= 5);

const SPACE = 'kq-p1-s1';
const OTHER_SPACE = 'kq-p1-s2';
const CLEAN = { o2_pct: 20.9, h2s_ppm: 0.2, co_ppm: 1, nh3_ppm: 1, lel_pct: 0 };
const CRASH_SEGMENT = 'zj-g60-s04';
const crashAt = (() => {
  const c = registry.sites.find((s) => s.id === CRASH_SEGMENT)!.geometry.coordinates;
  return [(c[0][0] + c[c.length - 1][0]) / 2, (c[0][1] + c[c.length - 1][1]) / 2];
})();
/** A tank inside the park: where the speeding truck is. */
const inPark = registry.devices.find((d) => d.kind === 'tank_sensor')!.position;

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
let device: MqttClient;
let feed: ReturnType<typeof setInterval> | null = null;
let lastTs = 0;
const ts = () => (lastTs = Math.max(Date.now(), lastTs + 1));

const pub = (scene: string, id: string, kind: 'telemetry' | 'event', body: Record<string, unknown>) =>
  device.publishAsync(`citytwin/v1/${scene}/${id}/${kind}`, JSON.stringify({ ts: ts(), ...body }));
const access = (spaceId: string, body: Record<string, unknown>) => pub('confined', `${spaceId}-access`, 'event', { spaceId, ...body });

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

beforeAll(async () => {
  twin = await startTwin(process.env.STATIC_DIR ? { STATIC_DIR: process.env.STATIC_DIR } : {});
  browser = await launch();
  ({ page, errors } = await openPage(browser, twin.url));
  device = await mqtt.connectAsync(twin.mqttUrl, { username: 'device', password: twin.devicePassword });

  // Confined: two workers in with a permit, then H₂S rises in the lower layer; a third badge goes
  // into the next pit with no permit; a detector of another plant reports once and falls silent.
  const gas = (level: string, values: Record<string, number>) => pub('confined', `${SPACE}-gas-${level}`, 'telemetry', { values });
  let lower = { ...CLEAN };
  const tick = () => {
    void gas('upper', CLEAN);
    void gas('middle', CLEAN);
    void gas('lower', lower);
    void pub('park', 'sy-bs3-gas', 'telemetry', { values: { cl2_ppm: 1.2, nh3_ppm: 0.5, h2s_ppm: 0.1, voc_ppm: 2 } });
    void pub('park', 'sy-wind', 'telemetry', { values: { wind_dir_deg: 90, wind_speed_ms: 2 } });
    void pub('park', 'sy-truck-01', 'telemetry', { values: { lon_deg: inPark[0], lat_deg: inPark[1], speed_kmh: 62 } });
    void pub('roads', 'zj-wx-g60', 'telemetry', { values: { visibility_m: 150, road_temp_c: 8, precip_mmh: 0 } });
  };
  tick();
  feed = setInterval(tick, 2000);
  await access(SPACE, { type: 'gas.test', levels: { upper: CLEAN, middle: CLEAN, lower: CLEAN } });
  await access(SPACE, { type: 'permit.open', permitId: 'PT-0417', workers: ['W0417', 'W0523'], attendant: 'A0132', maxPersons: 2 });
  await access(SPACE, { type: 'entry', personId: 'W0417' });
  await access(SPACE, { type: 'entry', personId: 'W0523' });
  await access(OTHER_SPACE, { type: 'entry', personId: 'W0611' });
  lower = { ...CLEAN, h2s_ppm: 20 };
  await pub('confined', 'kq-p2-s1-gas-upper', 'telemetry', { values: CLEAN });
  await pub('roads', 'zj-ops', 'event', { type: 'incident', incidentId: 'e2e-lang-crash', kind: 'crash', segmentId: CRASH_SEGMENT, lonDeg: crashAt[0], latDeg: crashAt[1], state: 'open' });

});

afterAll(async () => {
  if (feed) clearInterval(feed);
  await device?.endAsync();
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
