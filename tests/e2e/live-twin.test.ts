/**
 * The foundation, as a user meets it: log in, see the 3D scene, watch a published reading change
 * the page, see its alarm in the list and acknowledge it — against the real service, broker and
 * SQLite file, in headless Chromium, with nothing fetched from outside the host.
 */
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureLoggedIn, launch, openPage, pictureVariety, press } from './browser';
import { startTwin, type Twin } from './twin';

const DEVICE = 'kq-p1-s1-gas-lower';
const TOPIC = `citytwin/v1/confined/${DEVICE}/telemetry`;

let twin: Twin;
let browser: Browser;
let page: Page;
let outside: string[];
let errors: string[];

beforeAll(async () => {
  twin = await startTwin();
  browser = await launch();
  ({ page, outside, errors } = await openPage(browser, twin.url));
});

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

afterEach(() => {
  expect(outside).toEqual([]);
  expect(errors).toEqual([]);
});

/** The status bar's online / stale (incl. no data) / offline figures. */
const linkFigures = (p: Page): Promise<number[]> =>
  Promise.all(['status-online', 'status-stale', 'status-offline'].map(async (id) => Number(await p.getByTestId(id).textContent())));
const colourOf = (p: Page, id: string): Promise<string | null> => p.evaluate((d) => window.__citytwin?.globe?.deviceColorCss(d) ?? null, id);

describe('the live twin in a browser', () => {
  it('refuses a wrong password and says so', async () => {
    const fresh = await openPage(browser, twin.url);
    try {
      await fresh.page.goto(twin.url);
      await fresh.page.getByTestId('login-username').fill('inspector');
      await fresh.page.getByTestId('login-password').fill('not-the-password');
      await press(fresh.page.getByTestId('login-submit'));
      await expect.poll(() => fresh.page.getByTestId('login-error').textContent(), { timeout: 10_000 }).toBeTruthy();
      expect(await fresh.page.getByTestId('connection').count()).toBe(0);
      expect([...fresh.outside, ...fresh.errors]).toEqual([]);
    } finally {
      await fresh.page.context().close();
    }
  });

  it('logs in as the inspector, connects live and draws the scene', async () => {
    await ensureLoggedIn(page, twin.url, 'inspector', twin.demoPassword);
    await page.getByTestId('globe').locator('canvas').first().waitFor({ timeout: 60_000 });
    // The globe has drawn the base map: a screenshot of it is not one flat colour.
    await expect
      .poll(async () => pictureVariety(page, await page.getByTestId('globe').screenshot()), { timeout: 90_000, interval: 2_000 })
      .toBeGreaterThan(0.05);
  });

  it('recolours a sensor and lists its alarm when a published reading crosses the threshold', async () => {
    await ensureLoggedIn(page, twin.url, 'inspector', twin.demoPassword);
    await expect.poll(() => colourOf(page, DEVICE), { timeout: 30_000 }).not.toBeNull();
    // The points are built in slices after the registry loads: every one of them gets built.
    await expect.poll(() => page.evaluate(() => window.__citytwin?.globe?.devicePointsPending() ?? -1), { timeout: 30_000 }).toBe(0);
    const before = await colourOf(page, DEVICE);
    // Nothing has reported yet: every device of the registry is counted, none online.
    await expect.poll(async () => (await linkFigures(page)).reduce((a, b) => a + b), { timeout: 30_000 }).toBeGreaterThan(0);
    const [online, stale, offline] = await linkFigures(page);
    const client = await mqtt.connectAsync(twin.mqttUrl, { username: 'device', password: twin.devicePassword });
    try {
      // H₂S 20 ppm at the lower level: critical (≥ 14 ppm). Published every second until
      // the alarm is raised, as a real detector keeps reporting; the on-delay must pass first.
      const timer = setInterval(() => {
        void client.publishAsync(TOPIC, JSON.stringify({ ts: Date.now(), values: { h2s_ppm: 20, o2_pct: 20.8 } }));
      }, 1000);
      try {
        const row = page.locator(`[data-testid="alarm-row"][data-device-id="${DEVICE}"]`);
        await row.first().waitFor({ timeout: 60_000 });
        expect(await row.first().getAttribute('data-severity')).toBe('critical');
        expect(await row.first().getAttribute('data-rule')).toBe('h2s_ppm_high');
        await expect.poll(() => colourOf(page, DEVICE), { timeout: 30_000 }).not.toBe(before);
        expect((await colourOf(page, DEVICE))?.toLowerCase()).toBe('#e5484d');

        // Selecting the alarm shows the device with its live value.
        await press(row.first());
        const detail = page.getByTestId('device-detail');
        await expect.poll(() => detail.getAttribute('data-device-id'), { timeout: 30_000 }).toBe(DEVICE);
        await expect
          .poll(async () => Number(await detail.getByTestId('quantity-h2s_ppm').first().textContent()), { timeout: 30_000 })
          .toBe(20);

        // Acknowledge: the row shows it, and the service stored who did it.
        await press(row.first().getByTestId('alarm-ack'));
        await expect.poll(() => row.first().getAttribute('data-state'), { timeout: 30_000 }).toBe('active_ack');
        const alarms = (await twin.api('/api/alarms?scene=confined&state=open')) as { deviceId: string; state: string; ackedBy: string }[];
        const mine = alarms.find((a) => a.deviceId === DEVICE);
        expect(mine?.state).toBe('active_ack');
        expect(mine?.ackedBy).toBe('inspector');

        // The status bar counts it online while it reports, and stale again after 3 intervals of silence.
        await expect.poll(() => linkFigures(page), { timeout: 30_000 }).toEqual([online + 1, stale - 1, offline]);
        clearInterval(timer);
        await expect.poll(() => linkFigures(page), { timeout: 30_000 }).toEqual([online, stale, offline]);
      } finally {
        clearInterval(timer);
      }
    } finally {
      await client.endAsync();
    }
  });
});
