/**
 * The road scene replayed, as a traffic controller meets it: a
 * recorded half hour — free flow, a crash on one G60 segment with its speeds collapsing, the
 * crash cleared and speeds back — while the live feed has a jam elsewhere. With the cursor inside
 * the recorded jam the globe and the worst list show that segment severe, the crash is listed and
 * the index chart marks the instant; after it, free and cleared; back to live, the live jam.
 * Real service, broker and SQLite (readings and events carry their own ts); headless Chromium.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureLoggedIn, launch, openPage, openView, press } from './browser';
import { demoRegistry, deviceFeed, type DeviceFeed } from './scenario';
import { startTwin, type Twin } from './twin';
import { LEVEL_CSS } from '../../src/view/palette';

const detectors = demoRegistry.devices.filter((d) => d.kind === 'traffic_detector');
/** Jammed in the recording only. */
const CRASH_SEGMENT = 'zj-g60-s04';
/** Jammed live: from a minute before the test on (the recorded cursors lie before). */
const LIVE_JAM = 'zj-zy-s03';
/** Severe and free, in the congestion colours. */
const RED = LEVEL_CSS[5];
const GREEN = LEVEL_CSS[1];
const MIN = 60_000;

const T0 = Date.now();
const START = T0 - 30 * MIN;
const JAM_FROM = T0 - 20 * MIN;
const CLEARED = T0 - 10 * MIN;
/** 7 min into the jam (the service smooths over 5 min) and 7 min after it. */
const IN_JAM = T0 - 13 * MIN;
const AFTER = T0 - 3 * MIN;

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];
let feed: DeviceFeed;

const speeds = (k: number, jammed: boolean) => ({ speed_kmh: (jammed ? 9 : 90) + (k % 3), flow_vph: jammed ? 300 : 1500, occupancy_pct: jammed ? 80 : 10 });
const incident = (ts: number, state: 'open' | 'cleared') =>
  feed.pub('roads', 'zj-ops', 'event', { ts, type: 'incident', incidentId: 'e2e-replay-crash', kind: 'crash', segmentId: CRASH_SEGMENT, lonDeg: 120.2, latDeg: 29.77, state });

beforeAll(async () => {
  twin = await startTwin();
  feed = await deviceFeed(twin);
  // The recording: one batch per detector, readings every 30 s (wobbling by 1 km/h: not stuck).
  const jammed = (segmentId: string, ts: number) =>
    (segmentId === CRASH_SEGMENT && ts >= JAM_FROM && ts < CLEARED) || (segmentId === LIVE_JAM && ts >= T0 - MIN);
  for (const d of detectors) {
    const batch = [];
    for (let k = 0, ts = START; ts < T0; k++, ts += 30_000) batch.push({ ts, values: speeds(k, jammed(d.siteId, ts)) });
    await feed.client.publishAsync(`citytwin/v1/roads/${d.id}/telemetry`, JSON.stringify(batch));
  }
  await incident(JAM_FROM + 30_000, 'open');
  await incident(CLEARED, 'cleared');
  // Live: detectors keep reporting, with a jam on another road.
  let k = 0;
  feed.every(5000, () => {
    k++;
    for (const d of detectors) void feed.pub('roads', d.id, 'telemetry', { values: speeds(k, d.siteId === LIVE_JAM) });
  });
  browser = await launch();
  ({ page, errors } = await openPage(browser, twin.url));
}, 60_000);

afterAll(async () => {
  await feed?.close();
  await browser?.close();
  await twin?.close();
});

const colourOf = (id: string) => page.evaluate((s) => window.__citytwin?.globe?.scenes.roads?.segmentColorCss(s) ?? null, id);

/** The controller's road view with the globe up; in replay when asked (entered if it was not). */
async function roadView(replay = false): Promise<void> {
  await ensureLoggedIn(page, twin.url, 'traffic', twin.demoPassword);
  await openView(page, 'roads');
  await page.getByTestId('roads-panels').waitFor({ timeout: 90_000 });
  await expect.poll(() => page.evaluate(() => window.__citytwin?.globe?.scenes.roads != null), { timeout: 60_000 }).toBe(true);
  if (!replay) return;
  await press(page.getByTestId('replay-toggle'));
  await page.getByTestId('replay-bar').waitFor({ timeout: 10_000 });
}

afterEach(() => {
  expect(errors).toEqual([]);
});
const worstFirst = async () => {
  const row = page.getByTestId('roads-worst-row').first();
  return `${await row.getAttribute('data-segment-id')}:${await row.getAttribute('data-level')}`;
};
const crashRowState = () => page.locator('[data-testid="roads-incident-row"][data-incident-id="e2e-replay-crash"]').getAttribute('data-state', { timeout: 2_000 }).catch(() => null);
const indexCursorAt = () => page.getByTestId('index-replay-cursor').getAttribute('data-at', { timeout: 2_000 }).catch(() => null);

/** Moves the replay slider to the whole second at or after `ms` and waits until the store shows it. */
async function setCursor(ms: number): Promise<number> {
  const s = Math.ceil(ms / 1000);
  await page.getByTestId('replay-slider').fill(String(s));
  await expect.poll(() => page.getByTestId('replay-bar').getAttribute('data-shown-at'), { timeout: 10_000 }).toBe(String(s * 1000));
  return s * 1000;
}

describe('the road scene in replay', () => {
  it('shows the live jam on the road view', async () => {
    await roadView();
    await expect.poll(() => colourOf(LIVE_JAM), { timeout: 60_000 }).toBe(RED);
    expect(await colourOf(CRASH_SEGMENT)).toBe(GREEN);
  }, 90_000);

  it('inside the recorded jam: that segment red and worst, the crash open, the index chart at the instant', async () => {
    await roadView(true);
    const at = await setCursor(IN_JAM);
    await expect.poll(() => colourOf(CRASH_SEGMENT), { timeout: 15_000 }).toBe(RED);
    expect(await colourOf(LIVE_JAM)).toBe(GREEN);
    await expect.poll(worstFirst, { timeout: 10_000 }).toBe(`${CRASH_SEGMENT}:5`);
    await expect.poll(crashRowState, { timeout: 10_000 }).toBe('open');
    await expect.poll(indexCursorAt, { timeout: 10_000 }).toBe(String(at));
  }, 90_000);

  it('after it: the segment green again and the crash cleared', async () => {
    await roadView(true);
    const at = await setCursor(AFTER);
    await expect.poll(() => colourOf(CRASH_SEGMENT), { timeout: 15_000 }).toBe(GREEN);
    expect(await colourOf(LIVE_JAM)).toBe(GREEN);
    await expect.poll(crashRowState, { timeout: 10_000 }).toBe('cleared');
    await expect.poll(worstFirst, { timeout: 10_000 }).not.toMatch(/:5$/);
    await expect.poll(indexCursorAt, { timeout: 10_000 }).toBe(String(at));
  }, 90_000);

  it('back to live: the live jam again, no cursor on the chart', async () => {
    await roadView(true);
    await setCursor(IN_JAM);
    await expect.poll(() => colourOf(CRASH_SEGMENT), { timeout: 15_000 }).toBe(RED);
    await press(page.getByTestId('replay-live'));
    await expect.poll(() => page.getByTestId('replay-bar').count(), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => colourOf(LIVE_JAM), { timeout: 10_000 }).toBe(RED);
    expect(await colourOf(CRASH_SEGMENT)).toBe(GREEN);
    expect(await page.getByTestId('index-replay-cursor').count()).toBe(0);
  }, 90_000);
});
