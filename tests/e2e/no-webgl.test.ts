/**
 * Without WebGL the globe cannot start, and the app says so — but every scene's panels still show
 * their data: the session, not the globe, polls what the panels read. Chromium is started with its
 * 3D APIs disabled; the real service, broker and SQLite as everywhere else.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureLoggedIn, launch, openPage, openView } from './browser';
import { demoRegistry, deviceFeed, type DeviceFeed } from './scenario';
import { startTwin, type Twin } from './twin';

const detectors = demoRegistry.devices.filter((d) => d.kind === 'traffic_detector');
/** Jammed: the worst segment of the controller's list. */
const JAMMED = 'zj-g60-s04';

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];
let outside: string[];
let feed: DeviceFeed;

beforeAll(async () => {
  twin = await startTwin();
  feed = await deviceFeed(twin);
  // Detectors keep reporting, as real ones do: free flow everywhere but one jammed segment.
  feed.every(5000, () => {
    for (const d of detectors) {
      const speed = d.siteId === JAMMED ? 8 : 90;
      void feed.pub('roads', d.id, 'telemetry', { values: { speed_kmh: speed, flow_vph: 900, occupancy_pct: speed > 50 ? 12 : 75 } });
    }
  });
  await feed.pub('roads', 'zj-ops', 'event', { type: 'incident', incidentId: 'no-webgl-crash', kind: 'crash', segmentId: JAMMED, lonDeg: 120.2, latDeg: 29.77, state: 'open' });
  browser = await launch({ webgl: false });
  ({ page, errors, outside } = await openPage(browser, twin.url));
}, 60_000);

afterAll(async () => {
  await feed?.close();
  await browser?.close();
  await twin?.close();
});

afterEach(() => {
  expect(outside).toEqual([]);
  expect(errors).toEqual([]);
});

describe('the app without WebGL', () => {
  it('says the 3D scene could not start', async () => {
    await ensureLoggedIn(page, twin.url, 'traffic', twin.demoPassword);
    await expect.poll(() => page.getByTestId('toast').textContent(), { timeout: 30_000 }).toMatch(/三维场景无法启动/);
    // In the operator's language: Cesium's English error text stays in the console.
    const text = (await page.getByTestId('toast').textContent()) ?? '';
    expect(text).toContain('WebGL');
    expect(text.replace(/WebGL/g, '')).not.toMatch(/[A-Za-z]{3,}/);
    expect(await page.evaluate(() => window.__citytwin!.globe)).toBeNull();
  });

  it('fills the roads panels: the jammed segment worst, the crash listed, the index known', async () => {
    await ensureLoggedIn(page, twin.url, 'traffic', twin.demoPassword);
    await openView(page, 'roads');
    await page.getByTestId('roads-panels').waitFor({ timeout: 30_000 });
    const worst = page.getByTestId('roads-worst-row').first();
    await expect.poll(() => worst.getAttribute('data-segment-id'), { timeout: 30_000 }).toBe(JAMMED);
    expect(await worst.getAttribute('data-level')).toBe('5');
    await page.locator('[data-testid="roads-incident-row"][data-incident-id="no-webgl-crash"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('roads-index').getAttribute('data-level'), { timeout: 30_000 }).not.toBe('unknown');
  });

  it('fills the confined and park panels too', async () => {
    await ensureLoggedIn(page, twin.url, 'admin', twin.demoPassword);
    await openView(page, 'confined');
    await expect.poll(() => page.getByTestId('space-row').count(), { timeout: 30_000 }).toBeGreaterThan(10);
    await openView(page, 'park');
    await expect.poll(() => page.getByTestId('risk-row').count(), { timeout: 30_000 }).toBe(14);
    await expect.poll(() => page.getByTestId('tank-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  });
});
