/**
 * No gaps after a drop: the browser's live link really breaks — every WebSocket to
 * `/mqtt` is closed and new ones refused for a while (Playwright's routeWebSocket, between the page
 * and the real broker) — while the stream goes on. When the link returns, the device chart holds
 * the readings of the gap (its spike included), an alarm that closed during the gap has left the
 * list (a closed alarm's retained record is just emptied, so only the resync can tell), and an
 * alarm raised during the gap is listed. The badge says "reconnecting" meanwhile. One story, so one
 * test: the drop only means something after what came before it.
 */
import mqtt from 'mqtt';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, logIn, openPage, press } from './browser';
import { startTwin, type Twin } from './twin';

/** Charted throughout; its spike (below the 7 ppm alarm) arrives only during the gap. */
const CHARTED = 'kq-p1-s1-gas-lower';
/** Alarmed before the drop; back to normal and acknowledged (so closed) during the gap. */
const CLOSES = 'kq-p1-s2-gas-lower';
/** Alarmed during the gap only. */
const RAISES = 'kq-p2-s1-gas-lower';
const topic = (id: string) => `citytwin/v1/confined/${id}/telemetry`;
const SPIKE_PPM = 5.5;

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];
let device: mqtt.MqttClient;
let ticker: ReturnType<typeof setInterval> | null = null;
/** While true, the page's WebSockets to the broker are refused. */
let cut = false;
const sockets = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();

beforeAll(async () => {
  twin = await startTwin();
  browser = await launch();
  ({ page, errors } = await openPage(browser, twin.url));
  await page.routeWebSocket(/\/mqtt$/, (ws) => {
    if (cut) return void ws.close({ code: 1011, reason: 'link cut by the test' });
    // No message handlers: Playwright forwards both ways as they are.
    const pair = { page: ws, server: ws.connectToServer() };
    sockets.add(pair);
    ws.onClose(() => sockets.delete(pair));
  });
  device = await mqtt.connectAsync(twin.mqttUrl, { username: 'device', password: twin.devicePassword });
});

afterAll(async () => {
  if (ticker) clearInterval(ticker);
  await device?.endAsync();
  await browser?.close();
  await twin?.close();
});

const send = (id: string, h2sPpm: number) => device.publishAsync(topic(id), JSON.stringify({ ts: Date.now(), values: { h2s_ppm: h2sPpm, o2_pct: 20.8 } }));
const row = (p: Page, id: string) => p.locator(`[data-testid="alarm-row"][data-device-id="${id}"]`);
const connection = (p: Page) => p.getByTestId('connection').getAttribute('data-state');

async function openAlarmOf(id: string): Promise<{ id: string; state: string } | undefined> {
  const list = (await twin.api('/api/alarms?scene=confined&state=open')) as { id: string; deviceId: string; state: string; rule: string }[];
  return list.find((a) => a.deviceId === id && a.rule === 'h2s_ppm_high');
}

describe('a browser whose live link drops and returns', () => {
  it('shows the stream, a chart and an open alarm, says when the link is down, and after it returns has the gap in the chart and its alarm changes in the list', async () => {
    // Before the drop: the live stream, a chart and an open alarm.
    await page.goto(twin.url);
    await logIn(page, 'inspector', twin.demoPassword);

    // The charted detector reports every half second, as a live stream does.
    ticker = setInterval(() => void send(CHARTED, 0.3), 500);
    await send(CLOSES, 30);
    await expect.poll(() => row(page, CLOSES).count(), { timeout: 30_000 }).toBe(1);

    await page.evaluate((id) => window.__citytwin!.store.getState().select({ deviceId: id, siteId: null }), CHARTED);
    await press(page.getByTestId('chart-q-h2s_ppm'));
    const chart = page.getByTestId('device-chart');
    await expect.poll(() => chart.getAttribute('data-quantity'), { timeout: 15_000 }).toBe('h2s_ppm');
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 30_000 }).toBeGreaterThan(2);
    await expect.poll(async () => Number(await chart.getAttribute('data-peak')), { timeout: 15_000 }).toBe(0.3);

    // The link drops: the operator is told.
    cut = true;
    for (const s of [...sockets]) {
      await s.page.close({ code: 1011, reason: 'link cut by the test' }).catch(() => {});
      await s.server.close().catch(() => {});
    }
    await expect.poll(() => connection(page), { timeout: 15_000 }).not.toBe('connected');

    // The gap: a spike on the charted detector, one alarm closing, another raised.
    await send(CHARTED, SPIKE_PPM);
    await send(CLOSES, 0.2);
    await expect.poll(async () => (await openAlarmOf(CLOSES))?.state, { timeout: 15_000 }).toBe('cleared_unack');
    const closing = (await openAlarmOf(CLOSES))!;
    expect(await twin.post(`/api/alarms/${closing.id}/ack`, { comment: 'closed while the inspector was cut off' })).toBe(200);
    await send(RAISES, 30);
    await expect.poll(async () => (await openAlarmOf(RAISES))?.state, { timeout: 15_000 }).toBe('active_unack');
    // Still cut off: the page has seen none of it.
    expect(await connection(page)).not.toBe('connected');
    expect(await row(page, CLOSES).count()).toBe(1);
    expect(await row(page, RAISES).count()).toBe(0);

    cut = false;
    await expect.poll(() => connection(page), { timeout: 30_000 }).toBe('connected');
    await expect.poll(() => row(page, RAISES).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => row(page, CLOSES).count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(async () => Number(await chart.getAttribute('data-peak')), { timeout: 15_000 }).toBe(SPIKE_PPM);
    expect(errors).toEqual([]);
  }, 180_000);
});
