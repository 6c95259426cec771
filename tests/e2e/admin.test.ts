/**
 * Security as the people in the control room meet it, in headless Chromium against the real
 * service: the globe still renders under the Content-Security-Policy with no violation reported;
 * an operator sees no admin pages and logs out (the token dies on the service); the admin manages
 * users, issues a device's MQTT credentials (the secret shown once, and it works) and reads the
 * audit log, in Chinese and in English.
 */
import mqtt from 'mqtt';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, logIn, openPage, pictureVariety } from './browser';
import { startTwin, type Twin } from './twin';

const DEVICE = 'kq-p1-s1-gas-lower';

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];
const violations: string[] = [];
const requested: string[] = [];

beforeAll(async () => {
  twin = await startTwin();
  browser = await launch();
  ({ page, errors } = await openPage(browser, twin.url));
  // Every CSP violation the page or a worker reports, as the event and as a console message.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('console', (m) => /Content.Security.Policy|CSP violation/i.test(m.text()) && violations.push(m.text()));
  page.on('request', (r) => requested.push(r.url()));
});

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

/** A DOM click: Playwright's pointer click can wait out its timeout while software WebGL holds the main thread. */
const press = (l: Locator) => l.evaluate((el) => (el as HTMLElement).click());
const token = (p: Page) => p.evaluate(() => JSON.parse(sessionStorage.getItem('citytwin.auth') ?? 'null')?.token as string | undefined);
const apiStatus = async (t: string) => (await fetch(`${twin.url}/api/devices`, { headers: { authorization: `Bearer ${t}` } })).status;

describe('an operator', () => {
  it('sees the globe under the CSP with no violation, no admin pages, and logs out for real', async () => {
    await page.goto(twin.url);
    await logIn(page, 'inspector', twin.demoPassword);
    await expect
      .poll(async () => pictureVariety(page, await page.getByTestId('globe').screenshot()), { timeout: 90_000, interval: 2_000 })
      .toBeGreaterThan(0.05);
    expect(await page.getByTestId('admin-open').count()).toBe(0);
    const t = await token(page);
    expect(t).toBeTruthy();
    expect(await apiStatus(t!)).toBe(200);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    expect(requested.filter((u) => u.includes('registry.json'))).toEqual([]);
    await press(page.getByTestId('logout'));
    await page.getByTestId('login-form').waitFor({ timeout: 30_000 });
    await expect.poll(() => apiStatus(t!), { timeout: 10_000 }).toBe(401);
    // A deliberate logout, not an expired session: the form says nothing about one.
    expect(await page.getByTestId('login-notice').count()).toBe(0);
    expect(violations).toEqual([]);
  });
});

describe('the admin', () => {
  it('opens the admin pages from the top bar and sees the users (in Chinese)', async () => {
    await logIn(page, 'admin', twin.demoPassword);
    await press(page.getByTestId('admin-open'));
    const rows = page.getByTestId('user-row');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(4);
    expect(await page.getByTestId('admin-tab-users').textContent()).toBe('用户');
    await page.screenshot({ path: '/tmp/citytwin-admin-users-zh.png' });
  });

  it('creates a user who can then log in', async () => {
    await page.getByTestId('new-username').fill('chen.wei');
    await page.getByTestId('new-role').selectOption('traffic');
    await page.getByTestId('new-password').fill('zhuji-traffic-2026');
    await press(page.getByTestId('new-submit'));
    await page.locator('[data-testid="user-row"][data-username="chen.wei"]').waitFor({ timeout: 20_000 });
    const r = await fetch(`${twin.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'chen.wei', password: 'zhuji-traffic-2026' }),
    });
    expect(((await r.json()) as { role: string }).role).toBe('traffic');
  });

  it("issues a device's credentials: the secret is shown once, works over MQTT, and is gone when the dialog closes", async () => {
    await press(page.getByTestId('admin-tab-devices'));
    await page.getByTestId('cred-search').fill(DEVICE);
    await press(page.locator(`[data-testid="cred-row"][data-device-id="${DEVICE}"] [data-testid="cred-issue"]`));
    const dialog = page.getByTestId('secret-dialog');
    await dialog.waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('secret-username').textContent()).toBe(DEVICE);
    const secret = ((await page.getByTestId('secret-password').textContent()) ?? '').replace(/复制|已复制|Copy|Copied/g, '').trim();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await page.screenshot({ path: '/tmp/citytwin-admin-secret-zh.png' });
    const client = await mqtt.connectAsync(twin.mqttUrl, { username: DEVICE, password: secret, reconnectPeriod: 0 });
    await client.publishAsync(`citytwin/v1/confined/${DEVICE}/telemetry`, JSON.stringify({ ts: Date.now(), values: { o2_pct: 20.7 } }), { qos: 1 });
    await client.endAsync();
    await press(page.getByTestId('secret-done'));
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    // The row now says when and by whom; issuing again would rotate.
    const row = page.locator(`[data-testid="cred-row"][data-device-id="${DEVICE}"]`);
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('admin');
  });

  it('reads the audit log in English: the credential issue and the logins are there', async () => {
    await press(page.getByTestId('lang-toggle'));
    await press(page.getByTestId('admin-tab-audit'));
    expect(await page.getByTestId('admin-tab-audit').textContent()).toBe('Audit log');
    const rows = page.getByTestId('audit-row');
    await expect.poll(() => page.locator('[data-testid="audit-row"][data-action="credentials.issue"]').count(), { timeout: 20_000 }).toBe(1);
    await page.getByTestId('audit-action').selectOption('login');
    await press(page.getByTestId('audit-search'));
    await expect.poll(async () => (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))).every((a) => a?.startsWith('login'))).toBe(true);
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: '/tmp/citytwin-admin-audit-en.png' });
    expect(violations).toEqual([]);
  });
});
