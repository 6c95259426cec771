/**
 * Time, history and measurement as an operator meets them, against the real service in
 * headless Chromium: a published reading raises a critical alarm (and an alert), the inspector
 * acknowledges it, the device chart draws its history and grows with live readings, the history
 * drawer finds the alarm with its transitions and exports them as CSV, and the measurement tool
 * shows the same distance and area as turf.
 */
import { readFileSync } from 'node:fs';
import { area as turfArea, length as turfLength, lineString, polygon } from '@turf/turf';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureLoggedIn, launch, openPage, press } from './browser';
import { startTwin, type Twin } from './twin';

const DEVICE = 'kq-p1-s1-gas-lower';
const TOPIC = `citytwin/v1/confined/${DEVICE}/telemetry`;

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];
let client: mqtt.MqttClient;

beforeAll(async () => {
  // Critical alarms escalate after 1 s, so the notice arrives while the test watches.
  twin = await startTwin({ ESCALATE_AFTER_S: '1' });
  browser = await launch();
  ({ page, errors } = await openPage(browser, twin.url));
  client = await mqtt.connectAsync(twin.mqttUrl, { username: 'device', password: twin.devicePassword });
  // Ten minutes of normal readings, one a minute, so the chart has a history to fetch.
  const now = Date.now();
  for (let i = 10; i >= 1; i--) {
    await client.publishAsync(TOPIC, JSON.stringify({ ts: now - i * 60_000, values: { h2s_ppm: 0.2 + i / 100, o2_pct: 20.8 } }));
  }
});

afterAll(async () => {
  await client?.endAsync();
  await browser?.close();
  await twin?.close();
});

afterEach(() => {
  expect(errors).toEqual([]);
});

/** The device reports `h2sPpm` every second, as a detector does, until the returned stop is called. */
function report(h2sPpm: number): () => void {
  const send = () => void client.publishAsync(TOPIC, JSON.stringify({ ts: Date.now(), values: { h2s_ppm: h2sPpm, o2_pct: 20.8 } })).catch(() => {});
  send();
  const timer = setInterval(send, 1000);
  return () => clearInterval(timer);
}

/** Metres (or m²) per displayed unit, in either language. */
const UNIT_FACTOR: Record<string, number> = { m: 1, 米: 1, km: 1000, 公里: 1000, 'm²': 1, 平方米: 1, ha: 10_000, 公顷: 10_000, 'km²': 1e6, 平方公里: 1e6 };

async function shownMeasure(p: Page): Promise<number> {
  const value = Number(await p.getByTestId('measure-value').textContent());
  const unit = (await p.getByTestId('measure-unit').textContent())?.trim() ?? '';
  expect(UNIT_FACTOR[unit], `unknown unit ${unit}`).toBeDefined();
  return value * UNIT_FACTOR[unit];
}

/** Selects the device and checks its chart: the stored history, then live readings appended, and a refetch after a drop. */
async function chartDevice(): Promise<void> {
  await page.evaluate((id) => window.__citytwin!.store.getState().select({ deviceId: id, siteId: null }), DEVICE);
  const chart = page.getByTestId('device-chart');
  await expect.poll(() => page.getByTestId('device-detail').getAttribute('data-device-id'), { timeout: 30_000 }).toBe(DEVICE);
  await press(page.getByTestId('chart-q-h2s_ppm'));
  await expect.poll(() => chart.getAttribute('data-quantity')).toBe('h2s_ppm');
  expect(await chart.locator('canvas').count()).toBeGreaterThan(0);
  // The 10 stored minutes plus the live readings.
  await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 30_000 }).toBeGreaterThan(10);
  const before = Number(await chart.getAttribute('data-points'));
  // The axis spans the chosen hour, not just the minutes that have data.
  expect(Number(await chart.getAttribute('data-span-s'))).toBeCloseTo(3600, -1);
  // Readings keep arriving each second and are appended without a refetch.
  await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 30_000 }).toBeGreaterThan(before);
  // Its canvas has drawn something (the line and the threshold bands).
  const inked = await chart.locator('canvas').first().evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
  expect(inked).toBeGreaterThan(500);

  // After the link drops and returns, the chart fetches its window again (what was missed is in it).
  let fetches = 0;
  const count = (r: { url(): string }) => void (r.url().includes(`/api/telemetry/${DEVICE}`) && fetches++);
  page.on('request', count);
  await page.evaluate(() => {
    const s = window.__citytwin!.store.getState();
    s.setConnection('reconnecting');
    s.setConnection('connected');
  });
  await expect.poll(() => fetches, { timeout: 10_000 }).toBe(1);
  page.off('request', count);
  await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 10_000 }).toBeGreaterThan(10);
}

describe('history, alarm handling, charts and measurement in a browser', () => {
  it('raises a critical alarm, alerts once, escalates it; the inspector acknowledges it and finds it in the history with its transitions and the CSV', async () => {
    await ensureLoggedIn(page, twin.url, 'inspector', twin.demoPassword);
    // What the toast shows, as the store holds it: a notice may be gone before a busy page is polled.
    await page.evaluate(() => {
      const w = window as unknown as { notices: string[] };
      w.notices = [];
      window.__citytwin!.store.subscribe((s, prev) => {
        if (s.notice && s.notice !== prev.notice) w.notices.push(JSON.stringify(s.notice));
      });
    });
    // H₂S 20 ppm: critical (≥ 14 ppm). Kept publishing, as a detector does, past the on-delay.
    const stop = report(20);
    const row = page.locator(`[data-testid="alarm-row"][data-device-id="${DEVICE}"][data-rule="h2s_ppm_high"]`).first();
    let alarmId = '';
    try {
      await row.waitFor({ timeout: 60_000 });
      expect(await row.getAttribute('data-severity')).toBe('critical');
      // A new critical alarm (raised after the page loaded) is alerted.
      await expect.poll(async () => Number(await page.getByTestId('alerts-bell').getAttribute('data-alerts')), { timeout: 10_000 }).toBe(1);
      // Left unacknowledged, it escalates: the notice from citytwin/v1/notify/confined is shown as a toast.
      const notices = () => page.evaluate(() => (window as unknown as { notices: string[] }).notices);
      await expect.poll(async () => (await notices()).some((n) => n.includes('escalated') && n.includes(DEVICE)), { timeout: 15_000 }).toBe(true);

      await press(row.getByTestId('alarm-ack'));
      await expect.poll(() => row.getAttribute('data-state'), { timeout: 30_000 }).toBe('active_ack');
      alarmId = (await row.getAttribute('data-alarm-id')) ?? '';
    } finally {
      stop();
    }

    // The history drawer finds it with its transitions, and exports them as CSV.
    await press(page.getByTestId('history-open'));
    const drawer = page.getByTestId('history-drawer');
    await drawer.waitFor({ timeout: 10_000 });
    await page.getByTestId('history-search').fill(DEVICE);
    const found = drawer.locator(`[data-testid="history-row"][data-alarm-id="${alarmId}"]`);
    await found.waitFor({ timeout: 15_000 });
    await press(found);
    const steps = page.getByTestId('history-timeline').getByTestId('history-step');
    const actions = () => steps.evaluateAll((els) => els.map((e) => [e.getAttribute('data-action'), e.getAttribute('data-user')]));
    await expect.poll(async () => (await actions()).slice(0, 3), { timeout: 15_000 }).toEqual([
      ['raised', ''],
      ['escalated', ''],
      ['acknowledged', 'inspector'],
    ]);

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.getByTestId('history-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^citytwin-alarms-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toContain('id,scene,siteId,deviceId,rule,severity,state');
    expect(csv).toContain(`${DEVICE},h2s_ppm_high,critical,active_ack`);
    await press(page.getByTestId('history-close'));
  }, 180_000);

  it('charts the device: history from the service, then live readings appended', async () => {
    await ensureLoggedIn(page, twin.url, 'inspector', twin.demoPassword);
    const stop = report(0.3);
    try {
      await chartDevice();
    } finally {
      stop();
    }
  }, 120_000);

  it('measures a distance and an area on the globe as turf does (within 0.5 %)', async () => {
    await ensureLoggedIn(page, twin.url, 'inspector', twin.demoPassword);
    if ((await page.getByTestId('measure-panel').count()) === 0) await press(page.getByTestId('measure-open'));
    await page.getByTestId('measure-panel').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.evaluate(() => typeof window.__citytwin?.globe?.measure.measureLonLat), { timeout: 60_000 }).toBe('function');

    const path = [
      [120.7, 30.21],
      [120.712, 30.214],
      [120.718, 30.205],
    ];
    await page.evaluate((pts) => window.__citytwin!.globe!.measure.measureLonLat(pts), path);
    await expect.poll(() => page.getByTestId('measure-result').getAttribute('data-points')).toBe('3');
    const metres = turfLength(lineString(path), { units: 'meters' });
    expect(Math.abs((await shownMeasure(page)) - metres) / metres).toBeLessThan(0.005);

    await press(page.getByTestId('measure-mode-area'));
    const ring = [
      [120.7, 30.21],
      [120.71, 30.21],
      [120.71, 30.22],
      [120.7, 30.22],
    ];
    await page.evaluate((pts) => window.__citytwin!.globe!.measure.measureLonLat(pts), ring);
    await expect.poll(() => page.getByTestId('measure-result').getAttribute('data-mode')).toBe('area');
    await expect.poll(() => page.getByTestId('measure-result').getAttribute('data-points')).toBe('4');
    const m2 = turfArea(polygon([[...ring, ring[0]]]));
    expect(Math.abs((await shownMeasure(page)) - m2) / m2).toBeLessThan(0.005);

    // Kept under a name and exported as GeoJSON.
    await page.getByTestId('measure-name').fill('dye yard');
    await press(page.getByTestId('measure-keep'));
    await expect.poll(() => page.getByTestId('measure-kept').textContent()).toContain('dye yard');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.getByTestId('measure-export').click()]);
    const fc = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { features: { geometry: { type: string }; properties: { name: string } }[] };
    expect(fc.features.map((f) => [f.geometry.type, f.properties.name])).toEqual([['Polygon', 'dye yard']]);
    await press(page.getByTestId('measure-open'));
  });
});
