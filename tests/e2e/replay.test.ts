/**
 * One time cursor (issue 6): replay of a recorded stretch puts the right colours and alarm list at a
 * chosen instant, and returning to live brings the live state back without a reload — against the
 * real service (no simulator), in headless Chromium.
 *
 * Alarms are stamped with the service's arrival time, so the alarm part of the history is published
 * in real time (a few seconds of normal readings, then H₂S 20 ppm until the critical alarm is
 * raised, an acknowledgement, then normal again so it closes), and the cursor is set to whole
 * seconds between those arrival times. Older readings with past timestamps fill the hour before.
 */
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, logIn, openPage } from './browser';
import { startTwin, type Twin } from './twin';

const DEVICE = 'kq-p1-s1-gas-lower';
const TOPIC = `citytwin/v1/confined/${DEVICE}/telemetry`;
const RED = '#e5484d';
const GREEN = '#30a46c';

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  twin = await startTwin();
  browser = await launch();
  ({ page, errors } = await openPage(browser, twin.url));
});

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const colourOf = (p: Page, id: string): Promise<string | null> =>
  p.evaluate((d) => (window as any).__citytwin?.globe?.deviceColorCss(d)?.toLowerCase() ?? null, id);
const chartCursorAt = (p: Page) => p.locator('[data-testid="chart-replay-cursor"]').getAttribute('data-at', { timeout: 2_000 }).catch(() => null);
const rows = (p: Page) => p.locator(`[data-testid="alarm-row"][data-device-id="${DEVICE}"]`);

/** Moves the replay slider to the whole second at or after `ms`. */
async function setCursor(p: Page, ms: number): Promise<number> {
  const s = Math.ceil(ms / 1000);
  await p.getByTestId('replay-slider').fill(String(s));
  await expect.poll(() => p.getByTestId('replay-time').getAttribute('data-at'), { timeout: 5_000 }).toBe(String(s * 1000));
  await expect.poll(() => p.getByTestId('replay-bar').getAttribute('data-shown-at'), { timeout: 10_000 }).toBe(String(s * 1000));
  return s * 1000;
}

describe('replay', () => {
  let beforeAlarm = 0;
  let inAlarm = 0;
  let alarmId = '';

  it('records an hour of history with an alarm raised, acknowledged and closed', async () => {
    const client = await mqtt.connectAsync(twin.mqttUrl, { username: 'device', password: twin.devicePassword });
    const send = (ts: number, h2s: number) => client.publishAsync(TOPIC, JSON.stringify({ ts, values: { h2s_ppm: h2s, o2_pct: 20.8 } }));
    try {
      const t0 = Date.now();
      for (let m = 55; m >= 5; m -= 5) await send(t0 - m * 60_000, 0.2);
      // Normal readings in real time: the "before" instant lies among them.
      for (let i = 0; i < 4; i++) {
        await send(Date.now(), 0.3);
        await sleep(1000);
      }
      beforeAlarm = Date.now() - 1500;
      // H₂S 20 ppm (critical) every second until the alarm is raised (its on-delay passes first).
      let alarm: { id: string; raisedAt: number } | undefined;
      for (let i = 0; i < 60 && !alarm; i++) {
        await send(Date.now(), 20);
        await sleep(1000);
        const open = (await twin.api('/api/alarms?scene=confined&state=open')) as { id: string; deviceId: string; raisedAt: number }[];
        alarm = open.find((a) => a.deviceId === DEVICE);
      }
      expect(alarm).toBeTruthy();
      alarmId = alarm!.id;
      // Keep it active a few seconds, acknowledge, then back to normal: it closes.
      for (let i = 0; i < 4; i++) {
        await send(Date.now(), 20);
        await sleep(1000);
      }
      expect(await twin.post(`/api/alarms/${alarmId}/ack`)).toBe(200);
      await send(Date.now(), 0.3);
      await expect
        .poll(async () => ((await twin.api(`/api/alarms/${alarmId}/events`)) as { action: string }[]).map((e) => e.action), { timeout: 10_000 })
        .toContain('closed');
      const events = (await twin.api(`/api/alarms/${alarmId}/events`)) as { ts: number; action: string }[];
      const raisedAt = events.find((e) => e.action === 'raised')!.ts;
      const ackedAt = events.find((e) => e.action === 'acknowledged')!.ts;
      // A whole second inside the unacknowledged alarm.
      inAlarm = Math.ceil((raisedAt + 1) / 1000) * 1000;
      expect(inAlarm).toBeLessThan(ackedAt);
      expect(Math.ceil(beforeAlarm / 1000) * 1000).toBeLessThan(raisedAt);
      // Live readings keep coming, normal.
      await send(Date.now(), 0.3);
    } finally {
      await client.endAsync();
    }
  }, 90_000);

  it('logs in and shows the live state', async () => {
    await page.goto(twin.url);
    await logIn(page, 'inspector', twin.demoPassword);
    await expect.poll(() => colourOf(page, DEVICE), { timeout: 60_000 }).toBe(GREEN);
    expect(await rows(page).count()).toBe(0);
  }, 90_000);

  it('puts the right colour and alarm list at a chosen instant', async () => {
    await page.getByTestId('replay-toggle').click();
    await page.getByTestId('replay-bar').waitFor({ timeout: 10_000 });

    await setCursor(page, inAlarm);
    await expect.poll(() => colourOf(page, DEVICE), { timeout: 10_000 }).toBe(RED);
    await expect.poll(() => rows(page).count(), { timeout: 10_000 }).toBe(1);
    expect(await rows(page).first().getAttribute('data-state')).toBe('active_unack');
    expect(await rows(page).first().getAttribute('data-severity')).toBe('critical');
    // A past record is not acted on: acknowledging waits for live, and the row says so.
    expect(await rows(page).first().getByTestId('alarm-ack').isDisabled()).toBe(true);
    expect(await rows(page).first().locator('.why').textContent()).toMatch(/回放|Replay/);
    // The globe's own Cesium clock stands at the replayed instant.
    expect(await page.evaluate(() => (window as any).__citytwin.globe.clockMs())).toBe(inAlarm);

    // The device's chart marks the replayed instant.
    await page.evaluate((d) => {
      const s = (window as any).__citytwin.store.getState();
      s.select({ deviceId: d, siteId: s.devices.get(d)?.siteId ?? null });
    }, DEVICE);
    await expect.poll(() => chartCursorAt(page), { timeout: 10_000 }).toBe(String(inAlarm));
    // Replayed readings keep their true times (no shift towards the wall clock).
    const ts = await page.evaluate((d) => (window as any).__citytwin.store.getState().live.get(d)?.ts, DEVICE);
    expect(ts).toBeLessThanOrEqual(inAlarm);

    const before = await setCursor(page, beforeAlarm);
    await expect.poll(() => colourOf(page, DEVICE), { timeout: 10_000 }).toBe(GREEN);
    await expect.poll(() => chartCursorAt(page), { timeout: 10_000 }).toBe(String(before));
    await expect.poll(() => rows(page).count(), { timeout: 10_000 }).toBe(0);

    // Cesium's Timeline scrubs the cursor: a click near its left end is about an hour ago.
    const bar = page.locator('[data-testid="replay-timeline"] .cesium-timeline-bar');
    const box = await bar.boundingBox();
    expect(box).toBeTruthy();
    await page.mouse.click(box!.x + box!.width * 0.1, box!.y + box!.height / 2);
    await expect
      .poll(async () => Number(await page.getByTestId('replay-time').getAttribute('data-at')), { timeout: 5_000 })
      .toBeLessThan(before - 5 * 60_000);
    // Play at ×60: the Cesium clock's animation loop moves the cursor; pause stops it.
    const cursorAt = async () => Number(await page.getByTestId('replay-time').getAttribute('data-at'));
    await page.getByTestId('replay-speed-60').click();
    const t0 = await cursorAt();
    await page.getByTestId('replay-play').click();
    await expect.poll(cursorAt, { timeout: 5_000 }).toBeGreaterThan(t0 + 30_000);
    await page.getByTestId('replay-play').click();
    await expect.poll(() => page.getByTestId('replay-bar').getAttribute('data-playing'), { timeout: 2_000 }).toBe('false');
    await page.getByTestId('replay-speed-1').click();

    await setCursor(page, beforeAlarm);
    await expect.poll(() => colourOf(page, DEVICE), { timeout: 10_000 }).toBe(GREEN);

    // Live messages do not overwrite the replayed state.
    const client = await mqtt.connectAsync(twin.mqttUrl, { username: 'device', password: twin.devicePassword });
    try {
      await client.publishAsync(TOPIC, JSON.stringify({ ts: Date.now(), values: { h2s_ppm: 12, o2_pct: 20.8 } }));
      await sleep(1500);
      expect(await colourOf(page, DEVICE)).toBe(GREEN);
      const h2s = await page.evaluate((d) => (window as any).__citytwin.store.getState().live.get(d)?.values.h2s_ppm, DEVICE);
      expect(h2s).toBe(0.3);
    } finally {
      await client.endAsync();
    }

    // The confined panel follows the cursor (issue 6): it shows the spaces at the replayed instant
    // (fetched when the cursor moved, maybe before the panel opened), never asks for the live
    // list while replaying.
    const spacesAsked: string[] = [];
    const count = (r: { url(): string }) => void (r.url().includes('/api/spaces') && spacesAsked.push(r.url()));
    page.on('request', count);
    await page.evaluate(() => (window as any).__citytwin.store.getState().setView('confined'));
    await page.getByTestId('confined-panel').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('confined-panel').getAttribute('data-shown-at'), { timeout: 10_000 }).toBe(String(before));
    await sleep(2500);
    page.off('request', count);
    expect(spacesAsked.filter((u) => !u.includes(`at=${before}`))).toEqual([]);
    await page.evaluate(() => (window as any).__citytwin.store.getState().setView('overview'));
  }, 60_000);

  it('returns to live without a reload', async () => {
    await page.evaluate(() => ((window as any).__replayMarker = 1));
    await page.getByTestId('replay-live').click();
    await expect.poll(() => page.getByTestId('replay-bar').count(), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => page.locator('[data-testid="chart-replay-cursor"]').count(), { timeout: 5_000 }).toBe(0);
    // 12 ppm published during the replay is the live value now (major, not normal).
    await expect
      .poll(() => page.evaluate((d) => (window as any).__citytwin.store.getState().live.get(d)?.values.h2s_ppm, DEVICE), { timeout: 15_000 })
      .toBe(12);
    await expect.poll(() => colourOf(page, DEVICE), { timeout: 10_000 }).not.toBe(GREEN);
    expect(await page.evaluate(() => (window as any).__replayMarker)).toBe(1);
    // The globe's clock runs on the system clock again.
    const lagMs = await page.evaluate(() => Date.now() - (window as any).__citytwin.globe.clockMs());
    expect(Math.abs(lagMs)).toBeLessThan(5_000);
    expect(errors).toEqual([]);
  }, 30_000);
});
