/**
 * The confined scene in replay, against the real service (no
 * simulator) in headless Chromium: a worker who was inside at a past instant shows in the space
 * list, the space detail (with the permit), the space view and on the globe at that instant, the
 * sparklines end there with a cursor line; back to live, the space is empty again.
 *
 * The history carries past `ts`: gas test and permit, W1 in at X − 2 min, out at X + 2 min, then the
 * permit closed; detector readings over the 30 min before X (the cursor `X`, a whole second
 * about 6 min ago, so every event lies in the past).
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureLoggedIn, launch, openPage, press } from './browser';
import { startTwin, type Twin } from './twin';

const SPACE = 'kq-p1-s1';
const ACCESS = `${SPACE}-access`;
const DETECTORS = ['upper', 'middle', 'lower'].map((l) => `${SPACE}-gas-${l}`);
const CLEAN = { o2_pct: 20.9, h2s_ppm: 0.2, co_ppm: 1, nh3_ppm: 1, lel_pct: 0 };
const MIN = 60_000;
/** The replayed instant: whole seconds, as the replay slider moves. */
const X = Math.ceil((Date.now() - 6 * MIN) / 1000) * 1000;

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];
let device: MqttClient;
let feeder: ReturnType<typeof setInterval> | null = null;

const row = (p: Page) => p.locator(`[data-testid="space-row"][data-space-id="${SPACE}"]`);
const marker = (p: Page) => p.evaluate((id) => window.__citytwin?.globe?.scenes.confined?.spaceMarker(id) ?? null, SPACE);

/** The inspector's confined view with the space selected, live. */
async function spaceSelected(p: Page): Promise<void> {
  await ensureLoggedIn(p, twin.url, 'inspector', twin.demoPassword);
  await expect.poll(() => p.evaluate(() => window.__citytwin?.globe != null), { timeout: 30_000 }).toBe(true);
  await p.evaluate((id) => {
    const s = window.__citytwin!.store.getState();
    s.setView('confined');
    s.select({ siteId: id, deviceId: null });
  }, SPACE);
  await p.getByTestId('confined-panel').waitFor({ timeout: 90_000 });
}

/** Enters replay and moves the cursor to X, waiting until the space list shows it. */
async function replayAtX(p: Page): Promise<void> {
  await press(p.getByTestId('replay-toggle'));
  await p.getByTestId('replay-slider').fill(String(X / 1000));
  await expect.poll(() => p.getByTestId('replay-bar').getAttribute('data-shown-at'), { timeout: 10_000 }).toBe(String(X));
  await expect.poll(() => p.getByTestId('confined-panel').getAttribute('data-shown-at'), { timeout: 10_000 }).toBe(String(X));
}

beforeAll(async () => {
  twin = await startTwin();
  device = await mqtt.connectAsync(twin.mqttUrl, { username: 'device', password: twin.devicePassword });
  const send = (topic: string, body: unknown) => device.publishAsync(`citytwin/v1/confined/${topic}`, JSON.stringify(body));
  // Readings every minute over the 30 min before X, and every 2 s just before it (stale after 15 s).
  const history = [...Array.from({ length: 30 }, (_, i) => X - (30 - i) * MIN), X - 6000, X - 4000, X - 2000];
  for (const id of DETECTORS) await send(`${id}/telemetry`, history.map((ts) => ({ ts, values: CLEAN })));
  const event = (ts: number, body: Record<string, unknown>) => send(`${ACCESS}/event`, { ts, spaceId: SPACE, ...body });
  await event(X - 3 * MIN, { type: 'gas.test', levels: { upper: CLEAN, middle: CLEAN, lower: CLEAN } });
  await event(X - 3 * MIN + 1000, { type: 'permit.open', permitId: 'PT-R1', workers: ['W1', 'W2'], attendant: 'A1', maxPersons: 2 });
  await event(X - 2 * MIN, { type: 'entry', personId: 'W1' });
  await event(X + 2 * MIN, { type: 'exit', personId: 'W1' });
  await event(X + 2 * MIN + 1000, { type: 'permit.close', permitId: 'PT-R1' });
  // Live air, so the live space is monitored and unalarmed.
  const live = () => DETECTORS.forEach((id) => void send(`${id}/telemetry`, { ts: Date.now(), values: CLEAN }).catch(() => {}));
  live();
  feeder = setInterval(live, 2000);
  browser = await launch();
  ({ page, errors } = await openPage(browser, twin.url));
}, 60_000);

afterEach(() => {
  expect(errors).toEqual([]);
});

afterAll(async () => {
  if (feeder) clearInterval(feeder);
  await device?.endAsync();
  await browser?.close();
  await twin?.close();
});

describe('the confined scene in replay', () => {
  it('shows who was inside, under which permit, at the replayed instant', async () => {
    await spaceSelected(page);
    // Live: W1 left and the permit is closed.
    await expect.poll(() => row(page).getAttribute('data-status'), { timeout: 30_000 }).toBe('idle');
    expect(await row(page).getAttribute('data-inside')).toBe('0');

    await replayAtX(page);

    expect(await row(page).getAttribute('data-inside')).toBe('1');
    expect(await row(page).getAttribute('data-status')).toBe('occupied');
    const detail = page.getByTestId('space-detail');
    expect(await detail.getAttribute('data-space-id')).toBe(SPACE);
    expect(await page.getByTestId('space-people').innerText()).toContain('W1');
    const text = await detail.innerText();
    expect(text).toContain('PT-R1');
    expect(text).toContain('A1');
    await expect.poll(() => page.getByTestId('space-view').getAttribute('data-inside'), { timeout: 10_000 }).toBe('1');
    await expect.poll(async () => (await marker(page))?.inside, { timeout: 10_000 }).toBe(1);
    // The sparklines end at the instant, marked by a cursor there, and hold the stored readings.
    const spark = page.locator('[data-testid="sparkline"][data-quantity="h2s_ppm"]');
    await expect.poll(() => spark.locator('[data-testid="sparkline-cursor"]').getAttribute('data-at', { timeout: 1_000 }).catch(() => null), { timeout: 10_000 }).toBe(String(X));
    await expect.poll(async () => Number(await spark.getAttribute('data-points')), { timeout: 10_000 }).toBeGreaterThan(30);
  }, 90_000);

  it('shows the live state again on the way back to live', async () => {
    await spaceSelected(page);
    await replayAtX(page);
    await expect.poll(() => row(page).getAttribute('data-inside'), { timeout: 10_000 }).toBe('1');
    await press(page.getByTestId('replay-live'));
    await expect.poll(() => page.getByTestId('confined-panel').getAttribute('data-shown-at'), { timeout: 10_000 }).toBe('live');
    await expect.poll(() => row(page).getAttribute('data-inside'), { timeout: 10_000 }).toBe('0');
    expect(await row(page).getAttribute('data-status')).toBe('idle');
    expect(await page.getByTestId('space-detail').innerText()).not.toContain('PT-R1');
    await expect.poll(() => page.getByTestId('space-view').getAttribute('data-inside'), { timeout: 10_000 }).toBe('0');
    await expect.poll(() => page.locator('[data-testid="sparkline-cursor"]').count(), { timeout: 10_000 }).toBe(0);
  }, 90_000);
});
