/**
 * Park replay as the park manager meets it, in headless Chromium against the real service (no
 * simulator): an ammonia leak at a tank-farm dike detector opened a danger zone and closed again;
 * since then a boundary station has a chlorine leak that is still open. Replaying an instant inside
 * the first leak, the zone panel lists the enterprises that were in its zone then (and not the live
 * leak); after its close there is no zone; back to live the live leak is shown again at once.
 *
 * Alarms are stamped with the service's time, so the service runs on a test clock behind the wall
 * clock, moved ahead between the recorded steps; the cursor is set to whole seconds between the
 * times read back from the records.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestHook } from '../../src/ui/testHook';
import { waitFor } from '../fixture/wait';
import { ensureLoggedIn, launch, openPage, openView, press } from './browser';
import { laggingClock } from './clock';
import { startTwin, type Twin } from './twin';

/** NH₃ detector in the dike of tank farm 2, under Zhongcheng storage (sy-ent-05, assessed orange). */
const LEAK_A = 'sy-tf2-dg1';
const ENTERPRISE_A = 'sy-ent-05';
const LEAK_B = 'sy-bs3-gas';
const clock = laggingClock(3 * 60_000);

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];
let client: MqttClient;

type Zone = { properties: { alarmId: string; sourceDeviceId: string; affectedSiteIds: string[]; affectedEnterprises: { id: string }[] } };
type Alarm = { id: string; deviceId: string; state: string; raisedAt: number; updatedAt: number };
const liveZones = async () => ((await twin.api('/api/zones')) as { features: Zone[] }).features;
const alarmOf = async (deviceId: string) => ((await twin.api('/api/alarms?scene=park&state=all')) as Alarm[]).find((a) => a.deviceId === deviceId);
const send = (id: string, values: Record<string, number>) =>
  client.publishAsync(`citytwin/v1/park/${id}/telemetry`, JSON.stringify({ ts: clock.now(), values }), { qos: 1 });
type ParkApi = NonNullable<NonNullable<TestHook['globe']>['scenes']['park']>;
const park = <K extends 'zoneCount' | 'zoneAffected'>(p: Page, fn: K): Promise<ReturnType<ParkApi[K]> | null> =>
  p.evaluate((name) => {
    const api = window.__citytwin?.globe?.scenes.park;
    return api ? (api[name] as () => ReturnType<ParkApi[K]>)() : null;
  }, fn);
const zoneCards = (p: Page) => p.locator('[data-testid="park-zone-panel"] .zone-card');

/** Whole seconds: inside leak A, and after it closed (before leak B). */
let inLeak = 0;
let afterClose = 0;
let leakAZone: Zone;
let leakBAlarm = '';

/** The park manager's park view; in replay when asked (entered if it was not). */
async function parkView(p: Page, replay = false): Promise<void> {
  await ensureLoggedIn(p, twin.url, 'park_manager', twin.demoPassword);
  await openView(p, 'park');
  await p.getByTestId('park-panels').waitFor({ timeout: 90_000 });
  if (!replay) return;
  await press(p.getByTestId('replay-toggle'));
  await p.getByTestId('replay-bar').waitFor({ timeout: 10_000 });
}

/** Moves the replay slider to the whole second `ms` and waits until the park panels show that instant. */
async function setCursor(p: Page, ms: number): Promise<void> {
  await p.getByTestId('replay-slider').fill(String(ms / 1000));
  await expect.poll(() => p.getByTestId('replay-bar').getAttribute('data-shown-at'), { timeout: 10_000 }).toBe(String(ms));
  await expect.poll(() => p.getByTestId('park-panels').getAttribute('data-shown-at'), { timeout: 10_000 }).toBe(String(ms));
}

beforeAll(async () => {
  twin = await startTwin(process.env.STATIC_DIR ? { STATIC_DIR: process.env.STATIC_DIR } : {}, { now: clock.now });
  client = await mqtt.connectAsync(twin.mqttUrl, { username: 'device', password: twin.devicePassword });
  // The recording: leak A opens, is acknowledged and closes; then leak B opens and stays.
  await send('sy-wind', { wind_speed_ms: 3, wind_dir_deg: 270 });
  await send(LEAK_A, { nh3_ppm: 80, lel_pct: 0 }); // over level 2 (57 ppm)
  await waitFor('leak A zone', async () => (await liveZones()).length === 1, 10_000);
  [leakAZone] = await liveZones();
  const a = (await alarmOf(LEAK_A))!;
  inLeak = Math.ceil((a.raisedAt + 1) / 1000) * 1000;
  clock.advance(2000);
  expect(await twin.post(`/api/alarms/${a.id}/ack`)).toBe(200);
  await send(LEAK_A, { nh3_ppm: 1, lel_pct: 0 });
  await waitFor('leak A closed', async () => (await alarmOf(LEAK_A))?.state === 'closed', 10_000);
  afterClose = Math.ceil((await alarmOf(LEAK_A))!.updatedAt / 1000) * 1000;
  clock.advance(2000);
  await send(LEAK_B, { cl2_ppm: 1.2, nh3_ppm: 0.5, h2s_ppm: 0.1, voc_ppm: 2 }); // over level 2 (0.69 ppm)
  await waitFor('leak B zone', async () => (await liveZones())[0]?.properties.sourceDeviceId === LEAK_B, 10_000);
  leakBAlarm = (await liveZones())[0].properties.alarmId;
  expect(leakAZone.properties.affectedEnterprises.map((e) => e.id)).toContain(ENTERPRISE_A);
  browser = await launch();
  ({ page, errors } = await openPage(browser, twin.url));
}, 60_000);

afterAll(async () => {
  await client?.endAsync();
  await browser?.close();
  await twin?.close();
});

afterEach(() => {
  expect(errors).toEqual([]);
});

describe('park replay', () => {
  it('shows the live leak to the park manager', async () => {
    await parkView(page);
    await expect.poll(() => zoneCards(page).getAttribute('data-alarm-id'), { timeout: 30_000 }).toBe(leakBAlarm);
  });

  it('inside the first leak, lists the enterprises in its zone then', async () => {
    await parkView(page, true);
    await setCursor(page, inLeak);
    await expect.poll(() => zoneCards(page).count(), { timeout: 10_000 }).toBe(1);
    expect(await zoneCards(page).getAttribute('data-alarm-id')).toBe(leakAZone.properties.alarmId);
    const panel = page.getByTestId('park-zone-panel');
    for (const { id } of leakAZone.properties.affectedEnterprises) expect(await panel.getByTestId(`zone-affected-${id}`).count()).toBe(1);
    // The risk board at that instant: the leak's enterprise stays orange (its assessment), its critical alarm drawn over it.
    const row = page.locator(`[data-testid="risk-row"][data-site-id="${ENTERPRISE_A}"]`);
    await expect.poll(() => row.getAttribute('data-overlay'), { timeout: 10_000 }).toBe('critical');
    expect(await row.getAttribute('data-risk')).toBe('orange');
    // The globe draws the replayed zone, not the live one.
    await expect.poll(() => park(page, 'zoneAffected'), { timeout: 30_000 }).toEqual([...leakAZone.properties.affectedSiteIds].sort());
  });

  it('after its close, shows no zone', async () => {
    await parkView(page, true);
    await setCursor(page, afterClose);
    await expect.poll(() => page.getByTestId('park-zone-panel').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.locator(`[data-testid="risk-row"][data-site-id="${ENTERPRISE_A}"]`).getAttribute('data-overlay')).toBe('');
    expect(await page.locator(`[data-testid="risk-row"][data-site-id="${ENTERPRISE_A}"]`).getAttribute('data-risk')).toBe('orange');
    await expect.poll(() => park(page, 'zoneCount'), { timeout: 10_000 }).toBe(0);
  });

  it('back to live, shows the live leak again', async () => {
    await parkView(page, true);
    await setCursor(page, afterClose);
    await press(page.getByTestId('replay-live'));
    await expect.poll(() => page.getByTestId('park-panels').getAttribute('data-shown-at'), { timeout: 10_000 }).toBe('live');
    await expect.poll(() => zoneCards(page).getAttribute('data-alarm-id'), { timeout: 10_000 }).toBe(leakBAlarm);
  });
});
