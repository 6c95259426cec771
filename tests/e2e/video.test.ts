/**
 * Video linkage in the browser, with Debian's ffmpeg making the demo streams: an H₂S alarm in a
 * pit is listed with the cameras that see it; opening it opens the pit camera beside the globe, and
 * its picture really plays (the video element's clock advances) through hls.js, behind the login.
 * The scene's 2×2 wall plays four cameras at once beside that dock, neither covering the other; in
 * replay the dock plays the recorded instant, or says "live only" where the stream holds none; a
 * critical alarm pops its camera up only on the screen of its own scene; and when hls.js's chunk
 * (fetched with the first picture) cannot be loaded, the player says "no signal" and plays once it can.
 */
import mqtt from 'mqtt';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLoggedIn, framesPassed, launch, loggedInAs, openPage, openView, press } from './browser';
import { startTwin, type Twin } from './twin';

const DETECTOR = 'kq-p3-s1-gas-lower';
const PIT_CAMERA = 'kq-cam-p3-s1';

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];
/** When the twin (and its encoder) started: no camera has a recording before it. */
let startedAtMs: number;

beforeAll(async () => {
  startedAtMs = Date.now();
  twin = await startTwin({ VIDEO: '1' });
  browser = await launch();
  ({ page, errors } = await openPage(browser, twin.url));
});

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

async function publish(topic: string, body: Record<string, unknown>): Promise<void> {
  const device = await mqtt.connectAsync(twin.mqttUrl, { username: 'device', password: twin.devicePassword });
  await device.publishAsync(topic, JSON.stringify({ ts: Date.now(), ...body }), { qos: 1 });
  await device.endAsync();
}

const currentTime = (player: Locator) => player.locator('video').evaluate((v: HTMLVideoElement) => v.currentTime);

/** Waits until the player's picture plays and its clock moves on by more than a second. */
async function expectAdvancing(player: Locator): Promise<void> {
  await expect.poll(() => currentTime(player), { timeout: 60_000, interval: 500 }).toBeGreaterThan(0);
  const first = await currentTime(player);
  await expect.poll(() => currentTime(player), { timeout: 30_000, interval: 500 }).toBeGreaterThan(first + 1);
}

const dockPlayer = (cameraId = PIT_CAMERA) => page.locator(`[data-testid="video-dock"] [data-testid="video-player"][data-camera-id="${cameraId}"]`);

/** The inspector's page with the pit's H₂S alarm opened in the camera dock. */
async function pitAlarmOpen(): Promise<void> {
  await ensureLoggedIn(page, twin.url, 'inspector', twin.demoPassword);
  if ((await dockPlayer().count()) > 0) return;
  await publish(`citytwin/v1/confined/${DETECTOR}/telemetry`, { values: { h2s_ppm: 25, o2_pct: 20.8 } });
  const row = page.locator(`[data-testid="alarm-row"][data-device-id="${DETECTOR}"][data-rule="h2s_ppm_high"]`);
  await row.waitFor({ timeout: 60_000 });
  await expect.poll(() => row.getByTestId('alarm-cameras').count(), { timeout: 10_000 }).toBe(1);
  await press(row);
  await dockPlayer().waitFor({ timeout: 30_000 });
}

describe('video linkage', () => {
  it("opening an alarm plays the camera that sees it: the picture's clock advances", async () => {
    await pitAlarmOpen();
    await expectAdvancing(dockPlayer());
    expect(await dockPlayer().getAttribute('data-state')).toBe('playing');
    expect(errors).toEqual([]);
  });

  it('the video wall plays four cameras at once beside the dock, neither covering the other', async () => {
    await pitAlarmOpen();
    await openView(page, 'confined');
    await press(page.getByTestId('video-wall-toggle'));
    const tiles = page.getByTestId('video-wall-tile');
    await expect.poll(() => tiles.count()).toBe(4);
    const choices = await tiles.first().locator('select option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    expect(choices.length).toBeGreaterThanOrEqual(4);
    for (let i = 0; i < 4; i++) await tiles.nth(i).locator('select').selectOption(choices[i]);
    for (let i = 0; i < 4; i++) {
      const player = tiles.nth(i).getByTestId('video-player');
      expect(await player.getAttribute('data-camera-id')).toBe(choices[i]);
      await expectAdvancing(player);
    }
    await expectAdvancing(dockPlayer());

    const box = async (l: Locator) => (await l.boundingBox())!;
    const wall = await box(page.getByTestId('video-wall'));
    const dock = await box(page.getByTestId('video-dock'));
    const apart = wall.y + wall.height <= dock.y || dock.y + dock.height <= wall.y || wall.x + wall.width <= dock.x || dock.x + dock.width <= wall.x;
    expect(apart, `wall ${JSON.stringify(wall)} and dock ${JSON.stringify(dock)} overlap`).toBe(true);
    await press(page.getByTestId('video-wall-toggle'));
    await expect.poll(() => page.getByTestId('video-wall').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('in replay the camera plays the recorded instant, and says "live only" where it has no recording', async () => {
    await pitAlarmOpen();
    await press(page.getByTestId('replay-toggle'));
    await page.getByTestId('replay-bar').waitFor({ timeout: 10_000 });
    const setCursor = async (ms: number) => {
      await page.getByTestId('replay-slider').fill(String(ms / 1000));
      await expect.poll(() => page.getByTestId('replay-time').getAttribute('data-at'), { timeout: 5_000 }).toBe(String(ms));
    };
    // Ten seconds back: inside the five minutes the stream keeps.
    const recordedMs = Math.floor((Date.now() - 10_000) / 1000) * 1000;
    await setCursor(recordedMs);
    const player = dockPlayer();
    await expect.poll(() => player.getAttribute('data-state'), { timeout: 60_000 }).toBe('playing');
    await expect.poll(() => player.locator('.video-badge-clip').count()).toBe(1);
    await expectAdvancing(player);
    // The picture is the recorded one of that instant (the segment holding it), not the live edge.
    const shownMs = Number(await player.getAttribute('data-picture-at'));
    expect(shownMs).toBeGreaterThanOrEqual(recordedMs - 1000);
    expect(shownMs).toBeLessThan(recordedMs + 8_000);

    // Before the encoder started, the stream holds nothing: live only, in either language.
    await setCursor(Math.floor((startedAtMs - 60_000) / 1000) * 1000);
    await expect.poll(() => player.getAttribute('data-state'), { timeout: 30_000 }).toBe('live_only');
    await expect.poll(() => player.getByRole('status').innerText()).toContain('仅实时');
    await press(page.getByTestId('lang-toggle'));
    await expect.poll(() => player.getByRole('status').innerText()).toContain('Live only');
    await press(page.getByTestId('lang-toggle'));
    await press(page.getByTestId('replay-live'));
    await expect.poll(() => page.getByTestId('replay-bar').count(), { timeout: 10_000 }).toBe(0);
    expect(errors).toEqual([]);
  });

  it("a critical alarm pops its camera up only on its own scene's screen, and the park's alarm centre opens it again", async () => {
    await ensureLoggedIn(page, twin.url, 'admin', twin.demoPassword);
    await openView(page, 'park');
    if ((await page.getByTestId('video-dock').count()) > 0) await press(page.getByTestId('video-dock-close'));
    const fire = (scene: string, cameraId: string) =>
      publish(`citytwin/v1/${scene}/${cameraId}/event`, { type: 'video.detection', cameraId, kind: 'fire', confidence: 0.9 });
    const alarmOf = (cameraId: string) =>
      page.evaluate((id) => [...window.__citytwin!.store.getState().alarms.values()].find((a) => a.deviceId === id && a.rule === 'video_fire')?.id ?? null, cameraId);

    // A fire in a dyeing plant while the admin watches the park: listed, but no pit camera takes the screen.
    await fire('confined', 'kq-cam-p1-yard');
    await expect.poll(() => alarmOf('kq-cam-p1-yard'), { timeout: 30_000 }).not.toBeNull();
    await framesPassed(page, 3);
    expect(await page.getByTestId('video-dock').count()).toBe(0);

    // A fire at the tank farm on screen: its camera pops up.
    await fire('park', 'sy-cam-tf1-sw');
    await expect.poll(() => alarmOf('sy-cam-tf1-sw'), { timeout: 30_000 }).not.toBeNull();
    const id = await alarmOf('sy-cam-tf1-sw');
    await expect.poll(() => page.getByTestId('video-dock').getAttribute('data-alarm-id'), { timeout: 10_000 }).toBe(id);
    await dockPlayer('sy-cam-tf1-sw').waitFor({ timeout: 10_000 });

    // Closed, then opened again from the park's alarm centre: its rows open their cameras too.
    await press(page.getByTestId('video-dock-close'));
    await expect.poll(() => page.getByTestId('video-dock').count()).toBe(0);
    await press(page.locator(`[data-testid="park-alarm-row"][data-alarm-id="${id}"]`));
    await expect.poll(() => page.getByTestId('video-dock').getAttribute('data-alarm-id'), { timeout: 10_000 }).toBe(id);
    await dockPlayer('sy-cam-tf1-sw').waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
  });

  it("says \"no signal\" in the user's language while hls.js's chunk cannot be loaded, and plays once it can, without a reload", async () => {
    // A fresh document, so that hls.js is not loaded yet; its chunk's requests fail until let through.
    let blocked = true;
    let failed = 0;
    let passed = 0;
    await page.route('**/assets/hls-*.js', (route) => {
      if (blocked) {
        failed++;
        return route.abort('internetdisconnected');
      }
      passed++;
      return route.continue();
    });
    try {
      if ((await loggedInAs(page)) !== null) await page.evaluate(() => window.__citytwin!.store.getState().logout(null));
      await page.goto(twin.url);
      await pitAlarmOpen();
      const player = dockPlayer();
      await expect.poll(() => player.getAttribute('data-state'), { timeout: 60_000 }).toBe('no_signal');
      expect(failed).toBeGreaterThanOrEqual(1);
      expect(passed).toBe(0);
      expect(await player.locator('video').evaluate((v: HTMLVideoElement) => v.hidden)).toBe(true);
      // The page's language is Chinese; the operator may switch to English.
      await expect.poll(() => player.getByRole('status').innerText()).toMatch(/无信号[\s\S]*无法连接视频流/);
      await press(page.getByTestId('lang-toggle'));
      await expect.poll(() => player.getByRole('status').innerText()).toMatch(/No signal[\s\S]*cannot be reached/);
      await press(page.getByTestId('lang-toggle'));
      await expect.poll(() => player.getByRole('status').innerText()).toContain('无信号');

      // The network is back: the player's own retry loads the chunk and the picture plays.
      blocked = false;
      await expect.poll(() => player.getAttribute('data-state'), { timeout: 60_000 }).toBe('playing');
      await expectAdvancing(player);
      expect(passed).toBeGreaterThanOrEqual(1);
      expect(errors).toEqual([]);
    } finally {
      await page.unroute('**/assets/hls-*.js');
    }
  });
});
