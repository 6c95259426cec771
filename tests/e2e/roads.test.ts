/**
 * The road scene as a traffic controller meets it: detectors report free flow on most
 * of the network and 10 km/h on a stretch of G60, an operator reports a crash there — the globe
 * turns those segments red and the rest green, the incident alarm is listed and the controller
 * acknowledges it, the road view is a real picture in more than one colour, and the deck.gl
 * network panel draws beside the globe; a segment whose detectors never reported stays grey. Real
 * service, broker and SQLite; headless Chromium.
 */
import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureLoggedIn, launch, openPage, openView, pictureVariety, press } from './browser';
import { startTwin, type Twin } from './twin';
import { LEVEL_CSS } from '../../src/view/palette';

interface RegDevice {
  id: string;
  kind: string;
  siteId: string;
}
interface RegSite {
  id: string;
  kind: string;
  geometry: { type: string; coordinates: number[][] };
}
const registry = JSON.parse(readFileSync(new URL('../../public/data/registry.json', import.meta.url), 'utf8')) as {
  devices: RegDevice[];
  sites: RegSite[];
};
const detectors = registry.devices.filter((d) => d.kind === 'traffic_detector');
/** A queue on G60 southbound between Zhuji interchanges. */
const JAMMED = ['zj-g60-s03', 'zj-g60-s04', 'zj-g60-s05'];
const FREE_SAMPLE = ['zj-g60-s01', 'zj-g60-n05', 'zj-zy-s03', 'zj-g235-n02'];
/** Its detectors never report: unknown, so grey. */
const SILENT = 'zj-g235-s02';
const CRASH_SEGMENT = 'zj-g60-s04';
const crashAt = (() => {
  const c = registry.sites.find((s) => s.id === CRASH_SEGMENT)!.geometry.coordinates;
  return [(c[0][0] + c[c.length - 1][0]) / 2, (c[0][1] + c[c.length - 1][1]) / 2];
})();
/** Severe and free, in the congestion colours. */
const RED = LEVEL_CSS[5];
const GREEN = LEVEL_CSS[1];

let twin: Twin;
let browser: Browser;
let page: Page;
let outside: string[];
let errors: string[];
let device: MqttClient;
let feed: ReturnType<typeof setInterval> | null = null;

beforeAll(async () => {
  twin = await startTwin();
  browser = await launch();
  ({ page, outside, errors } = await openPage(browser, twin.url));
  device = await mqtt.connectAsync(twin.mqttUrl, { username: 'device', password: twin.devicePassword });
  publishSpeeds();
  feed = setInterval(publishSpeeds, 5000); // detectors keep reporting, as real ones do
  await device.publishAsync(
    'citytwin/v1/roads/zj-ops/event',
    JSON.stringify({ ts: Date.now(), type: 'incident', incidentId: 'e2e-crash-1', kind: 'crash', segmentId: CRASH_SEGMENT, lonDeg: crashAt[0], latDeg: crashAt[1], state: 'open' }),
  );
});

afterAll(async () => {
  if (feed) clearInterval(feed);
  await device?.endAsync();
  await browser?.close();
  await twin?.close();
});

/** Every detector but the silent segment's reports: 90 km/h (free on every class) except 10 km/h on the jammed stretch. */
function publishSpeeds(): void {
  const ts = Date.now();
  for (const d of detectors) {
    if (d.siteId === SILENT) continue;
    const speed = JAMMED.includes(d.siteId) ? 10 : 90;
    const values = { speed_kmh: speed, flow_vph: speed > 50 ? 1800 : 600, occupancy_pct: speed > 50 ? 12 : 70 };
    void device.publishAsync(`citytwin/v1/roads/${d.id}/telemetry`, JSON.stringify({ ts, values }));
  }
}

const colourOf = (id: string) => page.evaluate((s) => window.__citytwin?.globe?.scenes.roads?.segmentColorCss(s) ?? null, id);
const incidentCount = () => page.evaluate(() => window.__citytwin?.globe?.scenes.roads?.incidentCount() ?? null);

/** The controller's road view, with the globe up. */
async function openRoads(): Promise<void> {
  await ensureLoggedIn(page, twin.url, 'traffic', twin.demoPassword);
  await openView(page, 'roads');
  await page.getByTestId('roads-panels').waitFor({ timeout: 90_000 });
  await page.getByTestId('globe').locator('canvas').first().waitFor({ timeout: 60_000 });
}

afterEach(() => {
  expect(outside).toEqual([]);
  expect(errors).toEqual([]);
});

/** Sampled pixels of `png` close to each of `colours` (CSS hex), counted in the page. */
async function colourCounts(png: Buffer, colours: string[]): Promise<number[]> {
  const dataUrl = `data:image/png;base64,${png.toString('base64')}`;
  return page.evaluate(
    async ([src, cols]) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      const { data } = g.getImageData(0, 0, c.width, c.height);
      const rgb = cols.map((h) => [1, 3, 5].map((i) => Number.parseInt(h.slice(i, i + 2), 16)));
      const n = cols.map(() => 0);
      for (let i = 0; i < data.length; i += 4 * 3) {
        rgb.forEach((q, k) => {
          if (Math.abs(data[i] - q[0]) + Math.abs(data[i + 1] - q[1]) + Math.abs(data[i + 2] - q[2]) < 40) n[k]++;
        });
      }
      return n;
    },
    [dataUrl, colours] as const,
  );
}

describe('the road network for a traffic controller', () => {
  it('opens the road view with its panels; a segment whose detectors never reported is grey, never green', async () => {
    await openRoads();
    await expect.poll(() => colourOf(SILENT), { timeout: 60_000 }).toBe('#8b8d98');
  });

  it('turns the jammed G60 segments red and the free ones green, and lists the crash alarm', async () => {
    await openRoads();
    for (const id of JAMMED) await expect.poll(() => colourOf(id), { timeout: 30_000 }).toBe(RED);
    for (const id of FREE_SAMPLE) await expect.poll(() => colourOf(id), { timeout: 30_000 }).toBe(GREEN);
    const all = await page.evaluate(() => {
      const hook = window.__citytwin!;
      const ids = [...hook.store.getState().sites.values()].filter((s) => s.kind === 'segment').map((s) => s.id);
      return ids.map((id) => hook.globe?.scenes.roads?.segmentColorCss(id));
    });
    expect(new Set(all).size).toBeGreaterThanOrEqual(2);
    expect(all.filter((c) => c === RED)).toHaveLength(JAMMED.length);

    // The panels say the same: the worst list starts with a jammed segment, the crash is listed.
    await expect.poll(() => page.getByTestId('roads-worst-row').first().getAttribute('data-level'), { timeout: 30_000 }).toBe('5');
    expect(JAMMED).toContain(await page.getByTestId('roads-worst-row').first().getAttribute('data-segment-id'));
    await page.locator('[data-testid="roads-incident-row"][data-incident-id="e2e-crash-1"]').waitFor({ timeout: 30_000 });
    await expect.poll(incidentCount, { timeout: 30_000 }).toBe(1);

    // The incident alarm, acknowledged by the controller who owns the road scene.
    const row = page.locator('[data-testid="alarm-row"][data-rule="incident"]');
    await row.first().waitFor({ timeout: 30_000 });
    await press(row.first().getByTestId('alarm-ack'));
    await expect.poll(() => row.first().getAttribute('data-state'), { timeout: 30_000 }).toBe('active_ack');
    const alarms = (await twin.api('/api/alarms?scene=roads&state=open')) as { rule: string; siteId: string; state: string; ackedBy: string }[];
    const mine = alarms.find((a) => a.rule === 'incident' && a.siteId === CRASH_SEGMENT);
    expect(mine?.state).toBe('active_ack');
    expect(mine?.ackedBy).toBe('traffic');
  });

  it('keeps the segments coloured on the globe when the registry reloads with only a new device', async () => {
    await openRoads();
    for (const id of JAMMED) await expect.poll(() => colourOf(id), { timeout: 30_000 }).toBe(RED);
    // A detector added by the admin: the device list changes, the site list does not. The globe
    // rebuilds its registry layers, and the new site layer must be coloured again.
    const added = 'zj-det-e2e-extra';
    const status = await twin.post('/api/devices', {
      id: added,
      scene: 'roads',
      siteId: FREE_SAMPLE[0],
      kind: 'traffic_detector',
      name: 'Extra detector',
      nameZh: '新增检测器',
      position: [120.1826, 29.8526, 0],
      quantities: ['speed_kmh', 'flow_vph', 'occupancy_pct'],
      intervalS: 30,
    });
    expect(status).toBe(201);
    await expect.poll(() => page.evaluate((id) => window.__citytwin!.store.getState().devices.has(id), added), { timeout: 30_000 }).toBe(true);
    for (const id of JAMMED) await expect.poll(() => colourOf(id), { timeout: 30_000 }).toBe(RED);
    for (const id of FREE_SAMPLE) await expect.poll(() => colourOf(id), { timeout: 30_000 }).toBe(GREEN);
  });

  it('shows the road view as a picture with both red and green segments', async () => {
    await openRoads();
    // The part of the globe the panels leave uncovered (left column 372 px, alarm list 396 px).
    const clip = { x: 380, y: 70, width: 1280 - 380 - 400, height: 600 };
    await expect
      .poll(async () => pictureVariety(page, await page.screenshot({ clip })), { timeout: 60_000, interval: 2_000 })
      .toBeGreaterThan(0.05);
    const counts = async () => colourCounts(await page.screenshot({ clip }), [RED, GREEN]);
    // The network at city range is green where it flows.
    await expect.poll(async () => (await counts())[1], { timeout: 60_000, interval: 2_000 }).toBeGreaterThan(15);
    // Close enough to the jam that its carriageway is a line of its own (at city range the other
    // direction's green, the cameras and the incident marker cover most of it), it is red.
    await page.evaluate((id) => window.__citytwin!.globe!.flyToSite(id), JAMMED[1]);
    await expect.poll(async () => (await counts())[0], { timeout: 60_000, interval: 2_000 }).toBeGreaterThan(15);
    await page.evaluate(() => window.__citytwin!.globe!.flyToView('roads', 0));
  });

  it('draws the deck.gl network panel beside the globe; a worst-list click selects the segment and the panel follows the globe', async () => {
    await openRoads();
    const deck = page.getByTestId('roads-deck');
    await deck.locator('canvas').first().waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.evaluate(() => window.__citytwin?.deck?.stats() ?? null), { timeout: 30_000 })
      .toMatchObject({ segments: 66, vehicles: expect.any(Number) });
    await expect.poll(async () => pictureVariety(page, await deck.screenshot()), { timeout: 30_000, interval: 1_000 }).toBeGreaterThan(0.02);
    // Its red is the jam: both level colours show in the panel too.
    await expect.poll(async () => Math.min(...(await colourCounts(await deck.screenshot(), [RED, GREEN]))), { timeout: 30_000, interval: 1_000 }).toBeGreaterThan(5);

    // A worst-list click selects the segment in the store (the globe highlights it).
    await press(page.getByTestId('roads-worst-row').first());
    await expect.poll(() => page.evaluate(() => window.__citytwin!.store.getState().selectedSiteId), { timeout: 10_000 }).toSatisfy((id: string | null) => id !== null && JAMMED.includes(id));
    // Its detail opens beside the column: severe, and the last hour of its detector's speed charted;
    // the legend reads the five congestion levels (and unknown) apart from the alarm colours.
    const detail = page.getByTestId('roads-segment');
    await expect.poll(() => detail.getAttribute('data-level'), { timeout: 30_000 }).toBe('5');
    await expect.poll(async () => Number(await page.getByTestId('roads-segment-chart').getAttribute('data-points')), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('legend-congestion').locator('[data-level]').count()).toBe(6);

    // The globe flies there, and the network panel follows its centre.
    const target = await page.evaluate(() => {
      const s = window.__citytwin!.store.getState();
      const coords = s.sites.get(s.selectedSiteId!)!.geometry.coordinates as [number, number][];
      return coords[Math.floor(coords.length / 2)];
    });
    await expect
      .poll(
        async () => {
          const c = await page.evaluate(() => window.__citytwin?.deck?.centre() ?? null);
          return c ? Math.hypot(c.lonDeg - target[0], c.latDeg - target[1]) : Infinity;
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBeLessThan(0.03);
    // Escape closes the detail (and leaves the globe uncovered for the other tests).
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached', timeout: 10_000 });
  });
});
