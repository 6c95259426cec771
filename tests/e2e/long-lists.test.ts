/**
 * A city's long lists in the operator's page: over a thousand open alarms and hundreds of spaces
 * draw only the rows in view (src/ui/VirtualList.tsx), and scrolling by the mouse wheel still
 * reaches every row, down to the oldest alarm at the bottom. The service runs on a generated city
 * registry (the scale bench's); a thousand gas detectors report H₂S over its limit. Chromium runs
 * without WebGL: the lists are the same without the globe.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmRecord, Registry } from '../../src/contracts';
import { compareAlarms } from '../../src/state/selectors';
import { writeCityRegistry } from '../../scripts/bench/cityRegistry';
import { waitFor } from '../fixture/wait';
import { ensureLoggedIn, launch, openPage } from './browser';
import { startTwin, type Twin } from './twin';

const DEVICES = 4000;
const ALARMS = 1003;
const HIGH_H2S = { o2_pct: 20.9, h2s_ppm: 10, co_ppm: 1, nh3_ppm: 1, lel_pct: 0 };

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];
let registry: Registry;
let device: mqtt.MqttClient | null = null;
let feed: ReturnType<typeof setInterval> | null = null;

beforeAll(async () => {
  const path = writeCityRegistry(DEVICES, mkdtempSync(join(tmpdir(), 'citytwin-lists-')));
  registry = JSON.parse(readFileSync(path, 'utf8')) as Registry;
  twin = await startTwin({ REGISTRY: path, ...(process.env.STATIC_DIR ? { STATIC_DIR: process.env.STATIC_DIR } : {}) });
  device = await mqtt.connectAsync(twin.mqttUrl, { username: 'device', password: twin.devicePassword });
  // The city's own detectors (30 s interval), kept reporting so that none goes stale and the list holds still.
  const gas = registry.devices.filter((d) => d.kind === 'gas_detector' && d.intervalS >= 30).slice(0, ALARMS);
  expect(gas).toHaveLength(ALARMS);
  let lastTs = 0;
  const report = () => {
    const ts = (lastTs = Math.max(Date.now(), lastTs + 1));
    return Promise.all(gas.map((d) => device!.publishAsync(`citytwin/v1/confined/${d.id}/telemetry`, JSON.stringify({ ts, values: HIGH_H2S }))));
  };
  await report();
  feed = setInterval(() => void report(), 10_000);
  const raised = async () => ((await twin.api('/api/alarms?state=open&limit=5000')) as AlarmRecord[]).filter((a) => a.rule === 'h2s_ppm_high').length === ALARMS;
  await waitFor(`${ALARMS} H₂S alarms`, raised, 60_000, 250);
  browser = await launch({ webgl: false });
  ({ page, errors } = await openPage(browser, twin.url));
}, 120_000);

afterAll(async () => {
  if (feed) clearInterval(feed);
  await device?.endAsync();
  await browser?.close();
  await twin?.close();
});

/** The ids drawn in a list now (its own rows, or those of the list inside its scrolling box), once they cover what it shows. */
async function drawnRows(page: Page, listTestId: string, idAttr: string): Promise<{ ids: string[]; atEnd: boolean; atTop: boolean }> {
  const handle = await page.waitForFunction(
    ({ listTestId, idAttr }) => {
      const list = document.querySelector<HTMLElement>(`[data-testid="${listTestId}"]`);
      const rows = list ? [...list.querySelectorAll<HTMLElement>(`:scope > [${idAttr}], :scope > .virtual-rows > [${idAttr}]`)] : [];
      if (!list || rows.length === 0) return null;
      const box = list.getBoundingClientRect();
      const first = rows[0].getBoundingClientRect();
      const last = rows[rows.length - 1].getBoundingClientRect();
      const atTop = list.scrollTop <= 0;
      const atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 1;
      // Rows above and below what shows, unless the list is at that end.
      if ((!atTop && first.top > box.top) || (!atEnd && last.bottom < box.bottom)) return null;
      return { ids: rows.map((r) => r.getAttribute(idAttr)!), atEnd, atTop };
    },
    { listTestId, idAttr },
    { timeout: 20_000 },
  );
  return (await handle.jsonValue()) as { ids: string[]; atEnd: boolean; atTop: boolean };
}

/** Scrolls a list from its top to its end by the mouse wheel, a screenful at a time; every id drawn on the way, in order. */
async function scrollThrough(page: Page, listTestId: string, idAttr: string): Promise<{ seen: string[]; lastDrawn: string[]; mostDrawn: number }> {
  const list = page.getByTestId(listTestId);
  await list.evaluate((el) => (el.scrollTop = 0));
  const box = (await list.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const seen: string[] = [];
  let mostDrawn = 0;
  for (let step = 0; step < 2000; step++) {
    const drawn = await drawnRows(page, listTestId, idAttr);
    for (const id of drawn.ids) if (!seen.includes(id)) seen.push(id);
    mostDrawn = Math.max(mostDrawn, drawn.ids.length);
    if (drawn.atEnd) return { seen, lastDrawn: drawn.ids, mostDrawn };
    await page.mouse.wheel(0, box.height * 0.8);
  }
  throw new Error(`${listTestId}: never reached its end`);
}

describe('long lists at city scale', () => {
  it('draws a screenful of a thousand alarms and scrolls down to the oldest, every alarm on the way', async () => {
    await ensureLoggedIn(page, twin.url, 'inspector', twin.demoPassword);
    const open = ((await twin.api('/api/alarms?state=open&limit=5000')) as AlarmRecord[]).filter((a) => a.scene === 'confined').sort(compareAlarms);
    await expect.poll(() => page.getByTestId('alarm-rows').getAttribute('data-rows'), { timeout: 60_000 }).toBe(String(open.length));
    const { seen, lastDrawn, mostDrawn } = await scrollThrough(page, 'alarm-rows', 'data-alarm-id');
    expect(mostDrawn).toBeLessThan(40);
    expect(lastDrawn.at(-1)).toBe(open.at(-1)!.id);
    // In the list's own order: worst first, newest first, the oldest last.
    expect(seen).toEqual(open.map((a) => a.id));
    expect(errors).toEqual([]);
  });

  it("draws a screenful of the city's spaces and scrolls through all of them", async () => {
    await ensureLoggedIn(page, twin.url, 'inspector', twin.demoPassword);
    const spaces = (await twin.api('/api/spaces')) as { id: string }[];
    expect(spaces.length).toBeGreaterThan(200);
    await expect.poll(() => page.getByTestId('space-list').getAttribute('data-rows'), { timeout: 60_000 }).toBe(String(spaces.length));
    const { seen, mostDrawn } = await scrollThrough(page, 'space-list', 'data-space-id');
    expect(mostDrawn).toBeLessThan(40);
    expect(new Set(seen)).toEqual(new Set(spaces.map((s) => s.id)));
    expect(errors).toEqual([]);
  });
});
