/**
 * The confined-space scene as an inspector meets it, against the real service, broker and
 * SQLite file in headless Chromium: a plant's own IFC imported and placed on the globe; the H₂S
 * scenario (gas test passes, permit opens, two workers enter, H₂S 20 ppm in the lower layer) raises
 * an evacuate alarm that shows in the alarm list, on the map and in the inspector's list; the space
 * view renders the three levels; only the inspector may acknowledge (traffic: disabled and 403).
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importIfc } from '../../scripts/import-ifc';
import { SAMPLE_ELEMENTS, makeSampleIfc } from '../../scripts/make-sample-ifc';
import type { TestHook } from '../../src/ui/testHook';
import { ensureLoggedIn, launch, openPage, openView, pictureVariety, press } from './browser';
import { startTwin, type Twin } from './twin';

const SPACE = 'kq-p1-s1';
const ACCESS = `${SPACE}-access`;
const GAS = { upper: `${SPACE}-gas-upper`, middle: `${SPACE}-gas-middle`, lower: `${SPACE}-gas-lower` } as const;
const IMPORTED_ID = 'ifc-sample';
const CLEAN = { o2_pct: 20.9, h2s_ppm: 0.2, co_ppm: 1, nh3_ppm: 1, lel_pct: 0 };

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];
let outside: string[];
let staticDir: string;
let device: MqttClient;
let telemetry: ReturnType<typeof setInterval> | null = null;
/** What the detectors report each second; the test changes the lower level's H₂S. */
const reading: Record<keyof typeof GAS, Record<string, number>> = { upper: { ...CLEAN }, middle: { ...CLEAN }, lower: { ...CLEAN } };

type ConfinedApi = NonNullable<NonNullable<TestHook['globe']>['scenes']['confined']>;

/** Calls the confined layer's api on the page's globe; null until the globe and its layer are up. */
const layer = <K extends keyof ConfinedApi>(p: Page, fn: K, ...args: Parameters<ConfinedApi[K]>): Promise<ReturnType<ConfinedApi[K]> | null> =>
  p.evaluate(
    ([f, a]) => {
      const api = window.__citytwin?.globe?.scenes.confined;
      return api ? (api[f] as (...x: unknown[]) => ReturnType<ConfinedApi[K]>)(...a) : null;
    },
    [fn, args] as const,
  );


/** Logs `username` in (unless already) and opens the confined view once the globe is up. */
async function openConfined(p: Page, username: string): Promise<void> {
  await ensureLoggedIn(p, twin.url, username, twin.demoPassword);
  await expect.poll(() => p.evaluate(() => window.__citytwin?.globe != null), { timeout: 60_000 }).toBe(true);
  await openView(p, 'confined');
  await p.getByTestId('confined-panel').waitFor({ timeout: 90_000 });
}

/** Events of one device with the same `ts` are duplicates: each gets its own millisecond. */
let lastEventTs = 0;
const event = (body: Record<string, unknown>) => {
  lastEventTs = Math.max(Date.now(), lastEventTs + 1);
  return device.publishAsync(`citytwin/v1/confined/${ACCESS}/event`, JSON.stringify({ ts: lastEventTs, spaceId: SPACE, ...body }));
};

beforeAll(async () => {
  // The served app with a plant's own IFC imported: a copy of the build whose models/ gains the
  // sample (the service serves STATIC_DIR before public/, so the repo's public/models stays as is).
  staticDir = mkdtempSync(join(tmpdir(), 'citytwin-confined-static-'));
  cpSync(resolve('dist'), staticDir, { recursive: true });
  cpSync(resolve('public/models'), join(staticDir, 'models'), { recursive: true });
  const ifcPath = join(staticDir, 'sample.ifc');
  writeFileSync(ifcPath, await makeSampleIfc());
  await importIfc({
    ifcPath,
    id: IMPORTED_ID,
    lonDeg: 120.7195,
    latDeg: 30.216,
    siteId: null,
    spaces: { [SAMPLE_ELEMENTS['Sample sewage pit'][1]]: 'kq-p3-s1' },
    outDir: join(staticDir, 'models'),
  });

  twin = await startTwin({ STATIC_DIR: staticDir });
  device = await mqtt.connectAsync(twin.mqttUrl, { username: 'device', password: twin.devicePassword });
  const publishAll = () => {
    for (const level of Object.keys(GAS) as (keyof typeof GAS)[]) {
      void device.publishAsync(`citytwin/v1/confined/${GAS[level]}/telemetry`, JSON.stringify({ ts: Date.now(), values: reading[level] }));
    }
  };
  publishAll();
  telemetry = setInterval(publishAll, 1000);
  browser = await launch();
  ({ page, errors, outside } = await openPage(browser, twin.url));
}, 120_000);

afterAll(async () => {
  if (telemetry) clearInterval(telemetry);
  await device?.endAsync();
  await browser?.close();
  await twin?.close();
  if (staticDir) rmSync(staticDir, { recursive: true, force: true });
});

afterEach(() => {
  expect(outside).toEqual([]);
  expect(errors).toEqual([]);
});

describe('confined spaces for the safety inspector', () => {
  it('places the plant models and an imported IFC on the globe', async () => {
    await openConfined(page, 'inspector');
    await expect
      .poll(() => layer(page, 'modelIds'), { timeout: 120_000, interval: 1000 })
      .toEqual(expect.arrayContaining(['kq-p1', 'kq-p2', 'kq-p3', IMPORTED_ID]));
    const ids = (await layer(page, 'modelIds')) ?? [];
    expect(ids.some((id) => id.startsWith('sy-'))).toBe(false); // the park's tank farms are not this layer's
    expect(await layer(page, 'modelFailures')).toBe(0);
    // Picking the imported pit resolves to the space named with --space.
    expect(await layer(page, 'spaceOfElement', IMPORTED_ID, SAMPLE_ELEMENTS['Sample sewage pit'][1])).toBe('kq-p3-s1');
  });

  it('follows an entry into an evacuation: workers inside, H₂S in the lower layer, the alarm everywhere, the space view, and only the inspector acknowledges', async () => {
    await openConfined(page, 'inspector');

    // The entry workflow: gas test, permit, two workers inside.
    const levels = { upper: { ...CLEAN }, middle: { ...CLEAN }, lower: { ...CLEAN } };
    await event({ type: 'gas.test', levels });
    await event({ type: 'permit.open', permitId: 'PT-E2E-1', workers: ['W1', 'W2'], attendant: 'A1', maxPersons: 2 });
    await event({ type: 'entry', personId: 'W1' });
    await event({ type: 'entry', personId: 'W2' });
    const row = page.locator(`[data-testid="space-row"][data-space-id="${SPACE}"]`);
    await expect.poll(() => row.getAttribute('data-inside'), { timeout: 30_000 }).toBe('2');
    expect(await row.getAttribute('data-status')).toBe('occupied');
    await expect.poll(async () => (await layer(page, 'spaceMarker', SPACE))?.inside, { timeout: 30_000 }).toBe(2);
    // The occupied space is listed first (worst first) and its plant turns yellow.
    await expect.poll(() => page.getByTestId('space-row').first().getAttribute('data-space-id'), { timeout: 10_000 }).toBe(SPACE);
    await expect.poll(() => layer(page, 'plantColorCss', 'kq-p1'), { timeout: 10_000 }).toBe('#f2d024');

    // H₂S 20 ppm in the lower layer raises an evacuate alarm: in the list, on the map, in the inspector's view.
    reading.lower = { ...CLEAN, h2s_ppm: 20 };
    const alarmRow = page.locator('[data-testid="alarm-row"][data-rule="evacuate"]');
    await alarmRow.first().waitFor({ timeout: 60_000 });
    expect(await alarmRow.first().getAttribute('data-severity')).toBe('critical');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 30_000 }).toBe('evacuate');
    await expect.poll(async () => (await layer(page, 'spaceMarker', SPACE))?.status, { timeout: 30_000 }).toBe('evacuate');
    const marker = await layer(page, 'spaceMarker', SPACE);
    expect(marker).toMatchObject({ pulsing: true, colorCss: '#e5484d', inside: 2 });
    await expect.poll(() => layer(page, 'plantColorCss', 'kq-p1'), { timeout: 10_000 }).toBe('#e5484d');
    // The reading arrives in the next live batch, which may come a moment after the alarm record.
    await expect
      .poll(() => row.locator('td[data-quantity="h2s_ppm"]').last().getAttribute('data-health'), { timeout: 10_000 })
      .toBe('critical');
    await expect.poll(() => page.getByTestId('evacuate-banner').getAttribute('data-sounding'), { timeout: 10_000 }).toBe('true');

    // The space view: its three levels, the lower one in alarm.
    await press(page.locator(`[data-testid="space-row"][data-space-id="${SPACE}"]`));
    const view = page.getByTestId('space-view');
    await view.waitFor({ timeout: 30_000 });
    expect(await view.getAttribute('data-space-id')).toBe(SPACE);
    await expect.poll(() => view.getAttribute('data-level-lower'), { timeout: 30_000 }).toBe('critical');
    // The page judges staleness from its own clock: on a loaded machine a live batch may come late.
    await expect.poll(() => view.getAttribute('data-level-upper'), { timeout: 30_000 }).toBe('normal');
    await expect.poll(() => view.getAttribute('data-level-middle'), { timeout: 30_000 }).toBe('normal');
    expect(await view.getAttribute('data-inside')).toBe('2');
    expect(await page.getByTestId('space-level-lower').getAttribute('data-health')).toBe('critical');
    // The space card's chain: the gas test done, the permit suspended by the evacuate condition, the entry red.
    const chain = page.getByTestId('entry-chain');
    await expect.poll(() => chain.locator('[data-step="entry"]').getAttribute('data-status'), { timeout: 30_000 }).toBe('failed');
    expect(await chain.locator('[data-step="test"]').getAttribute('data-status')).toBe('ok');
    expect(await chain.locator('[data-step="permit"]').getAttribute('data-status')).toBe('failed');
    const canvas = view.locator('.space-view-canvas canvas');
    await expect.poll(async () => pictureVariety(page, await canvas.screenshot()), { timeout: 30_000, interval: 1000 }).toBeGreaterThan(0.05);
    // Rendered on demand: a handful of frames, not one per animation frame.
    const frames = Number(await view.getAttribute('data-frames'));
    expect(frames).toBeGreaterThan(0);
    expect(frames).toBeLessThan(60);

    // Only the inspector acknowledges: for the traffic controller the API answers 403.
    const alarms = (await twin.api('/api/alarms?scene=confined&state=open')) as { id: string; rule: string; siteId: string }[];
    const evac = alarms.find((a) => a.rule === 'evacuate' && a.siteId === SPACE);
    expect(evac).toBeTruthy();

    const login = await fetch(`${twin.url}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'traffic', password: twin.demoPassword }) });
    const { token } = (await login.json()) as { token: string };
    const refused = await fetch(`${twin.url}/api/alarms/${evac!.id}/ack`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(403);

    // The inspector acknowledges from the evacuate banner: the siren stops, the alarm is acked.
    await press(page.getByTestId('evacuate-ack'));
    const evacRow = page.locator(`[data-testid="alarm-row"][data-alarm-id="${evac!.id}"]`);
    await expect.poll(() => evacRow.getAttribute('data-state'), { timeout: 30_000 }).toBe('active_ack');
    // The banner stays, silent, while the two are still inside.
    await expect.poll(() => page.getByTestId('evacuate-banner').getAttribute('data-sounding'), { timeout: 10_000 }).toBe('false');
    await expect.poll(async () => (await layer(page, 'spaceMarker', SPACE))?.pulsing, { timeout: 10_000 }).toBe(false);
    // A marker is restyled only when what it shows changed; the language is part of that, so its label follows a switch.
    const setLang = (l: 'zh' | 'en') => page.evaluate((lang) => window.__citytwin!.store.getState().setLang(lang), l);
    await setLang('en');
    await expect.poll(async () => (await layer(page, 'spaceMarker', SPACE))?.label, { timeout: 10_000 }).toMatch(/(^|\s)2 inside$/);
    await setLang('zh');
    await expect.poll(async () => (await layer(page, 'spaceMarker', SPACE))?.label, { timeout: 10_000 }).toMatch(/(^|\s)2人在内$/);
    const after = (await twin.api('/api/alarms?scene=confined&state=open')) as { id: string; state: string; ackedBy: string }[];
    expect(after.find((a) => a.id === evac!.id)).toMatchObject({ state: 'active_ack', ackedBy: 'inspector' });
  }, 400_000);
});
