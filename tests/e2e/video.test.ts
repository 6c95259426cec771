/**
 * Video linkage in the browser, with Debian's ffmpeg making the demo streams: an H₂S alarm in a
 * pit is listed with the cameras that see it; opening it opens the pit camera beside the globe, and
 * its picture really plays (the video element's clock advances) through hls.js, behind the login.
 */
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, logIn, openPage, press } from './browser';
import { startTwin, type Twin } from './twin';

const DETECTOR = 'kq-p3-s1-gas-lower';
const PIT_CAMERA = 'kq-cam-p3-s1';

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  twin = await startTwin({ VIDEO: '1' });
  browser = await launch();
  ({ page, errors } = await openPage(browser, twin.url));
});

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

describe('video linkage', () => {
  it("opening an alarm plays the camera that sees it: the picture's clock advances", async () => {
    const device = await mqtt.connectAsync(twin.mqttUrl, { username: 'device', password: twin.devicePassword });
    await device.publishAsync(`citytwin/v1/confined/${DETECTOR}/telemetry`, JSON.stringify({ ts: Date.now(), values: { h2s_ppm: 25, o2_pct: 20.8 } }), { qos: 1 });
    await device.endAsync();

    await page.goto(twin.url);
    await logIn(page, 'inspector', twin.demoPassword);
    const row = page.locator(`[data-testid="alarm-row"][data-device-id="${DETECTOR}"][data-rule="h2s_ppm_high"]`);
    await row.waitFor({ timeout: 60_000 });
    await expect.poll(() => row.getByTestId('alarm-cameras').count(), { timeout: 10_000 }).toBe(1);
    await press(row);

    const player = page.locator(`[data-testid="video-dock"] [data-testid="video-player"][data-camera-id="${PIT_CAMERA}"]`);
    await player.waitFor({ timeout: 30_000 });
    const currentTime = () => player.locator('video').evaluate((v: HTMLVideoElement) => v.currentTime);
    await expect.poll(currentTime, { timeout: 60_000, interval: 500 }).toBeGreaterThan(0);
    const first = await currentTime();
    await expect.poll(currentTime, { timeout: 30_000, interval: 500 }).toBeGreaterThan(first + 1);
    expect(await player.getAttribute('data-state')).toBe('playing');
    expect(errors).toEqual([]);
  });
});
