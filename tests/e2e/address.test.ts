/**
 * The address: each user starts in their own scene, and a reload (or the link, opened by a
 * colleague) shows the same scene and selection. One service, one browser.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureLoggedIn, launch, loggedInAs, logIn, openPage, press } from './browser';
import { startTwin, type Twin } from './twin';

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  twin = await startTwin(process.env.STATIC_DIR ? { STATIC_DIR: process.env.STATIC_DIR } : {});
  browser = await launch();
  ({ page, errors } = await openPage(browser, twin.url));
});

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

afterEach(() => {
  expect(errors).toEqual([]);
});

const storeView = (p: Page) => p.evaluate(() => window.__citytwin!.store.getState().view);
const selection = (p: Page) =>
  p.evaluate(() => {
    const s = window.__citytwin!.store.getState();
    return { deviceId: s.selectedDeviceId, siteId: s.selectedSiteId };
  });

describe('each user in their own scene, the scene and selection in the address', () => {
  it('park manager lands in the park; a reload and the same link for another user show the same scene and tank', async () => {
    await ensureLoggedIn(page, twin.url, 'park_manager', twin.demoPassword);
    await expect.poll(() => storeView(page)).toBe('park');
    const row = page.getByTestId('tank-row').first();
    await row.waitFor();
    await press(row);
    await page.getByTestId('device-detail').waitFor();
    const chosen = await selection(page);
    expect(chosen.deviceId).not.toBeNull();
    await expect.poll(() => new URL(page.url()).searchParams.get('device')).toBe(chosen.deviceId);

    await page.reload();
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 60_000 }).toBe('connected');
    await expect.poll(() => storeView(page)).toBe('park');
    await expect.poll(() => selection(page)).toEqual(chosen);
    await expect.poll(() => page.getByTestId('device-detail').getAttribute('data-device-id')).toBe(chosen.deviceId);

    // The link, opened by the traffic controller after logging in: the same picture, not their roads.
    const link = page.url();
    await page.evaluate(() => window.__citytwin!.store.getState().logout(null));
    expect(new URL(page.url()).searchParams.get('view')).toBeNull(); // logging out forgets it
    await page.goto(link);
    await page.getByTestId('login-username').waitFor();
    await logIn(page, 'traffic', twin.demoPassword);
    await expect.poll(() => loggedInAs(page)).toBe('traffic');
    await expect.poll(() => storeView(page)).toBe('park');
    await expect.poll(() => selection(page)).toEqual(chosen);

    // Without a view in the address, the inspector starts in the confined spaces.
    await page.evaluate(() => window.__citytwin!.store.getState().logout(null));
    await ensureLoggedIn(page, twin.url, 'inspector', twin.demoPassword);
    await expect.poll(() => storeView(page)).toBe('confined');
  });
});
