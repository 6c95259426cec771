/**
 * One time cursor: replay of a recorded stretch puts the right colours and alarm list at a chosen
 * instant, live messages do not disturb it, and returning to live brings the live state back
 * without a reload — against the real service (no simulator), in headless Chromium.
 *
 * Alarms are stamped with the service's time, so the service runs on a test clock a few minutes
 * behind the wall clock, moved ahead a second per step while the history is recorded (normal
 * readings, H₂S 20 ppm until the critical alarm is raised, an acknowledgement, normal again so it
 * closes); the cursor is set to whole seconds between those steps. Older readings with past
 * timestamps fill the hour before. Afterwards the detectors keep reporting in real time.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../fixture/wait';
import { ensureLoggedIn, framesPassed, launch, openPage, press } from './browser';
import { laggingClock } from './clock';
import { startTwin, type Twin } from './twin';

const DEVICE = 'kq-p1-s1-gas-lower';
/** Reports only live, after the recording: what it says while a replay is shown must wait for live. */
const LATE = 'kq-p2-s1-gas-lower';
const topic = (id: string) => `citytwin/v1/confined/${id}/telemetry`;
const RED = '#e5484d';
const GREEN = '#30a46c';
/** Long enough for the recording's steps, short of the 5 minutes a reading may lie ahead of the service. */
const clock = laggingClock(3 * 60_000);

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];
let device: MqttClient;
let feed: ReturnType<typeof setInterval> | null = null;
/** What LATE reports live; a test changes it. */
let lateH2sPpm = 0.3;
/** Live-batch frames the page received carrying LATE's 12 ppm. */
let framesWithLate12 = 0;

/** Whole seconds: between the normal readings and the alarm, and inside the unacknowledged alarm. */
let beforeAlarm = 0;
let inAlarm = 0;

/** Publishes one reading at the service's time and waits until the service has taken it as the latest. */
async function sendNow(h2sPpm: number): Promise<void> {
  const ts = clock.now();
  await device.publishAsync(topic(DEVICE), JSON.stringify({ ts, values: { h2s_ppm: h2sPpm, o2_pct: 20.8 } }));
  const latest = async () => ((await twin.api('/api/live?scene=confined')) as { readings: [string, number][] }).readings.find((r) => r[0] === DEVICE)?.[1];
  await waitFor(`reading ${ts} taken`, async () => (await latest()) === ts, 10_000);
}

const openAlarm = async () =>
  ((await twin.api('/api/alarms?scene=confined&state=open')) as { id: string; deviceId: string }[]).find((a) => a.deviceId === DEVICE);

beforeAll(async () => {
  twin = await startTwin({}, { now: clock.now });
  device = await mqtt.connectAsync(twin.mqttUrl, { username: 'device', password: twin.devicePassword });
  const t0 = clock.now();
  for (let m = 55; m >= 5; m -= 5) await device.publishAsync(topic(DEVICE), JSON.stringify({ ts: t0 - m * 60_000, values: { h2s_ppm: 0.2, o2_pct: 20.8 } }));
  for (let i = 0; i < 4; i++) {
    clock.advance(1000);
    await sendNow(0.3);
  }
  beforeAlarm = Math.ceil(clock.now() / 1000) * 1000;
  clock.advance(2000);
  // H₂S 20 ppm (critical) a second apart until the alarm is raised.
  let alarm: { id: string } | undefined;
  for (let i = 0; i < 20 && !alarm; i++) {
    clock.advance(1000);
    await sendNow(20);
    alarm = await openAlarm();
  }
  expect(alarm).toBeTruthy();
  // Active a few seconds, acknowledged, then back to normal: it closes.
  for (let i = 0; i < 4; i++) {
    clock.advance(1000);
    await sendNow(20);
  }
  expect(await twin.post(`/api/alarms/${alarm!.id}/ack`)).toBe(200);
  clock.advance(1000);
  await sendNow(0.3);
  await waitFor('the alarm closed', async () => ((await twin.api(`/api/alarms/${alarm!.id}/events`)) as { action: string }[]).some((e) => e.action === 'closed'), 10_000);
  const events = (await twin.api(`/api/alarms/${alarm!.id}/events`)) as { ts: number; action: string }[];
  const raisedAt = events.find((e) => e.action === 'raised')!.ts;
  const ackedAt = events.find((e) => e.action === 'acknowledged')!.ts;
  inAlarm = Math.ceil((raisedAt + 1) / 1000) * 1000;
  expect(inAlarm).toBeLessThan(ackedAt);
  expect(beforeAlarm).toBeLessThan(raisedAt);

  // From now on the detectors report in real time, as real ones do.
  const live = () => {
    void device.publishAsync(topic(DEVICE), JSON.stringify({ ts: Date.now(), values: { h2s_ppm: 0.3, o2_pct: 20.8 } }));
    void device.publishAsync(topic(LATE), JSON.stringify({ ts: Date.now(), values: { h2s_ppm: lateH2sPpm, o2_pct: 20.8 } }));
  };
  live();
  feed = setInterval(live, 2000);

  browser = await launch();
  ({ page, errors } = await openPage(browser, twin.url));
  page.on('websocket', (ws) =>
    ws.on('framereceived', (f) => {
      const text = typeof f.payload === 'string' ? f.payload : f.payload.toString('latin1');
      if (text.includes(LATE) && text.includes('"h2s_ppm":12')) framesWithLate12++;
    }),
  );
}, 120_000);

afterAll(async () => {
  if (feed) clearInterval(feed);
  await device?.endAsync();
  await browser?.close();
  await twin?.close();
});

afterEach(() => {
  expect(errors).toEqual([]);
});

const colourOf = (p: Page, id: string): Promise<string | null> => p.evaluate((d) => window.__citytwin?.globe?.deviceColorCss(d)?.toLowerCase() ?? null, id);
const liveH2s = (p: Page, id: string) => p.evaluate((d) => window.__citytwin!.store.getState().live.get(d)?.values.h2s_ppm ?? null, id);
const chartCursorAt = (p: Page) => p.locator('[data-testid="chart-replay-cursor"]').getAttribute('data-at', { timeout: 2_000 }).catch(() => null);
const rows = (p: Page) => p.locator(`[data-testid="alarm-row"][data-device-id="${DEVICE}"]`);

/** The inspector's page, in replay (entered if it was not). */
async function replaying(p: Page): Promise<void> {
  await ensureLoggedIn(p, twin.url, 'inspector', twin.demoPassword);
  await expect.poll(() => p.evaluate(() => window.__citytwin?.globe != null), { timeout: 60_000 }).toBe(true);
  await press(p.getByTestId('replay-toggle'));
  await p.getByTestId('replay-bar').waitFor({ timeout: 10_000 });
}

/** Moves the replay slider to the whole second `ms` and waits until the app shows that instant. */
async function setCursor(p: Page, ms: number): Promise<void> {
  await p.getByTestId('replay-slider').fill(String(ms / 1000));
  await expect.poll(() => p.getByTestId('replay-time').getAttribute('data-at'), { timeout: 5_000 }).toBe(String(ms));
  await expect.poll(() => p.getByTestId('replay-bar').getAttribute('data-shown-at'), { timeout: 10_000 }).toBe(String(ms));
}

describe('replay', () => {
  it('shows the live state after login', async () => {
    await ensureLoggedIn(page, twin.url, 'inspector', twin.demoPassword);
    await expect.poll(() => colourOf(page, DEVICE), { timeout: 60_000 }).toBe(GREEN);
    expect(await rows(page).count()).toBe(0);
  }, 90_000);

  it('puts the right colour and alarm list at a chosen instant', async () => {
    await replaying(page);
    await setCursor(page, inAlarm);
    await expect.poll(() => colourOf(page, DEVICE), { timeout: 10_000 }).toBe(RED);
    await expect.poll(() => rows(page).count(), { timeout: 10_000 }).toBe(1);
    expect(await rows(page).first().getAttribute('data-state')).toBe('active_unack');
    expect(await rows(page).first().getAttribute('data-severity')).toBe('critical');
    // A past record is not acted on: acknowledging waits for live, and the row says so.
    expect(await rows(page).first().getByTestId('alarm-ack').isDisabled()).toBe(true);
    expect(await rows(page).first().locator('.why').textContent()).toMatch(/回放|Replay/);
    // The globe's own Cesium clock stands at the replayed instant.
    expect(await page.evaluate(() => window.__citytwin!.globe!.clockMs())).toBe(inAlarm);

    // The device's chart marks the replayed instant.
    await page.evaluate((d) => {
      const s = window.__citytwin!.store.getState();
      s.select({ deviceId: d, siteId: s.devices.get(d)?.siteId ?? null });
    }, DEVICE);
    await expect.poll(() => chartCursorAt(page), { timeout: 10_000 }).toBe(String(inAlarm));
    // Replayed readings keep their true times (no shift towards the wall clock).
    const ts = await page.evaluate((d) => window.__citytwin!.store.getState().live.get(d)?.ts, DEVICE);
    expect(ts).toBeLessThanOrEqual(inAlarm);

    await setCursor(page, beforeAlarm);
    await expect.poll(() => colourOf(page, DEVICE), { timeout: 10_000 }).toBe(GREEN);
    await expect.poll(() => chartCursorAt(page), { timeout: 10_000 }).toBe(String(beforeAlarm));
    await expect.poll(() => rows(page).count(), { timeout: 10_000 }).toBe(0);

    // Cesium's Timeline scrubs the cursor: a click near its left end is about an hour ago.
    const bar = page.locator('[data-testid="replay-timeline"] .cesium-timeline-bar');
    const box = await bar.boundingBox();
    expect(box).toBeTruthy();
    await page.mouse.click(box!.x + box!.width * 0.1, box!.y + box!.height / 2);
    await expect
      .poll(async () => Number(await page.getByTestId('replay-time').getAttribute('data-at')), { timeout: 5_000 })
      .toBeLessThan(beforeAlarm - 5 * 60_000);
    // Play at ×60: the Cesium clock's animation loop moves the cursor; pause stops it.
    const cursorAt = async () => Number(await page.getByTestId('replay-time').getAttribute('data-at'));
    await press(page.getByTestId('replay-speed-60'));
    const t0 = await cursorAt();
    await press(page.getByTestId('replay-play'));
    await expect.poll(cursorAt, { timeout: 5_000 }).toBeGreaterThan(t0 + 30_000);
    await press(page.getByTestId('replay-play'));
    await expect.poll(() => page.getByTestId('replay-bar').getAttribute('data-playing'), { timeout: 2_000 }).toBe('false');
    await press(page.getByTestId('replay-speed-1'));
  }, 90_000);

  it('keeps the replayed state while live messages arrive, and shows them back in live without a reload', async () => {
    await replaying(page);
    await setCursor(page, beforeAlarm);
    // LATE had not reported at the instant: nothing to show for it.
    await expect.poll(() => liveH2s(page, LATE), { timeout: 10_000 }).toBeNull();
    await page.evaluate(() => ((window as unknown as { replayMarker: number }).replayMarker = 1));

    // A live reading of 12 ppm (major) reaches the page while it replays: it waits for live.
    lateH2sPpm = 12;
    await expect.poll(() => framesWithLate12, { timeout: 15_000 }).toBeGreaterThan(0);
    await framesPassed(page, 3);
    expect(await liveH2s(page, LATE)).toBeNull();
    expect(await colourOf(page, DEVICE)).toBe(GREEN);

    await press(page.getByTestId('replay-live'));
    await expect.poll(() => page.getByTestId('replay-bar').count(), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => page.locator('[data-testid="chart-replay-cursor"]').count(), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => liveH2s(page, LATE), { timeout: 15_000 }).toBe(12);
    await expect.poll(() => colourOf(page, LATE), { timeout: 10_000 }).not.toBe(GREEN);
    expect(await page.evaluate(() => (window as unknown as { replayMarker?: number }).replayMarker)).toBe(1);
    // The globe's clock runs on the system clock again.
    const lagMs = await page.evaluate(() => Date.now() - window.__citytwin!.globe!.clockMs());
    expect(Math.abs(lagMs)).toBeLessThan(5_000);
  }, 60_000);

  it('shows the confined panel at the replayed instant, never the live list', async () => {
    await replaying(page);
    await setCursor(page, beforeAlarm);
    const spacesAsked: string[] = [];
    const count = (r: { url(): string }) => void (r.url().includes('/api/spaces') && spacesAsked.push(r.url()));
    page.on('request', count);
    try {
      await page.evaluate(() => {
        const s = window.__citytwin!.store.getState();
        s.select({ deviceId: null, siteId: null });
        s.setView('confined');
      });
      await page.getByTestId('confined-panel').waitFor({ timeout: 60_000 });
      await expect.poll(() => page.getByTestId('confined-panel').getAttribute('data-shown-at'), { timeout: 10_000 }).toBe(String(beforeAlarm));
      expect(spacesAsked.filter((u) => !u.includes(`at=${beforeAlarm}`))).toEqual([]);
    } finally {
      page.off('request', count);
      await page.evaluate(() => window.__citytwin!.store.getState().setView('overview'));
    }
  }, 120_000);
});
