/**
 * Bringing one's own sites, as the admin meets it in headless Chromium against the real service:
 * a new gas detector is placed by clicking the globe inside its confined space, its MQTT
 * credentials are issued from its row, and once it reports with them it turns live on the page —
 * no restart, no page reload; a device another admin adds through the API appears by itself (the
 * retained registry version); a tighter limit set on it shows in its detail with its source; an import file with mixed errors shows each error by line and field,
 * in Chinese, and changes nothing; a GLB uploaded from a plant's form appears on the globe as that
 * plant's model, and its turn is saved with the site.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { BoxGeometry, Mesh, MeshStandardMaterial } from 'three';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportGlb } from '../../scripts/models/gltf';
import { launch, logIn, openPage, press } from './browser';
import { startTwin, type Twin } from './twin';

const SPACE = 'kq-p1-s1';
const NEW_DEVICE = 'kq-p1-s1-gas-e2e';

let twin: Twin;
let browser: Browser;
let page: Page;
let errors: string[];
let dir: string;

beforeAll(async () => {
  twin = await startTwin();
  browser = await launch();
  ({ page, errors } = await openPage(browser, twin.url));
  dir = mkdtempSync(join(tmpdir(), 'citytwin-import-'));
});

afterAll(async () => {
  await browser?.close();
  await twin?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const inStore = (p: Page, id: string) => p.evaluate((d) => window.__citytwin!.store.getState().devices.has(d), id);
const version = async () => ((await twin.api('/api/registry/version')) as { version: number }).version;

/** The centre of a site's outline (the mean of its ring's vertices), from the page's registry. */
const centreOf = (p: Page, siteId: string) =>
  p.evaluate((id) => {
    const g = window.__citytwin!.store.getState().sites.get(id)!.geometry as { coordinates: number[][][] };
    const ring = g.coordinates[0].slice(0, -1);
    return [ring.reduce((s, c) => s + c[0], 0) / ring.length, ring.reduce((s, c) => s + c[1], 0) / ring.length] as [number, number];
  }, siteId);

/** Metres between two nearby lon/lat points (equirectangular: plenty at a few hundred metres). */
const metres = (a: number[], b: number[]) => {
  const k = Math.PI / 180;
  const x = (b[0] - a[0]) * k * Math.cos(((a[1] + b[1]) / 2) * k);
  return Math.hypot(x, (b[1] - a[1]) * k) * 6_371_000;
};

describe('the registry pages', () => {
  it('place a new detector by clicking the globe; with the credentials issued from its row it reports and turns live', async () => {
    await page.goto(twin.url);
    await logIn(page, 'admin', twin.demoPassword);
    await press(page.getByTestId('admin-open'));
    await press(page.getByTestId('admin-tab-registry'));
    await expect.poll(() => page.getByTestId('reg-row').count(), { timeout: 20_000 }).toBeGreaterThan(5);
    await press(page.getByTestId('reg-new-device'));
    await page.getByTestId('device-scene').selectOption('confined');
    await page.getByTestId('device-site').selectOption(SPACE);
    await page.getByTestId('device-id').fill(NEW_DEVICE);
    await page.getByTestId('device-name-zh').fill('1号污水池硫化氢探测器（新）');
    await page.getByTestId('device-name').fill('Pit 1 H2S detector (new)');
    await page.getByTestId('device-level').selectOption('lower');

    // Pick: the globe flies to the space and the drawer steps aside; click the space's centre.
    const target = await centreOf(page, SPACE);
    await press(page.getByTestId('place-pick'));
    await page.getByTestId('pick-bar').waitFor();
    const onScreen = () =>
      page.evaluate(([lon, lat]) => {
        const at = window.__citytwin!.globe?.draw.screenPositionOfLonLat(lon, lat);
        return at && document.elementFromPoint(at.x, at.y)?.tagName === 'CANVAS' ? at : null;
      }, target);
    // The flight is over when the point stays put between two looks.
    let last: { x: number; y: number } | null = null;
    await expect
      .poll(async () => {
        const now = await onScreen();
        const still = !!now && !!last && Math.abs(now.x - last.x) < 1 && Math.abs(now.y - last.y) < 1;
        last = now;
        return still;
      }, { timeout: 30_000, interval: 500 })
      .toBe(true);
    await page.mouse.click(last!.x, last!.y);
    await page.getByTestId('pick-bar').waitFor({ state: 'detached', timeout: 30_000 });
    const placed = [Number(await page.getByTestId('place-lon').inputValue()), Number(await page.getByTestId('place-lat').inputValue())];
    // Within a few metres of the centre (a pixel is about a metre at the flight's range), and inside the space: no GCJ-02 warning.
    expect(metres(placed, target)).toBeLessThan(15);
    expect(await page.getByTestId('place-gcj-warning').count()).toBe(0);

    const before = await version();
    await press(page.getByTestId('device-save'));
    const row = page.locator(`[data-testid="reg-row"][data-id="${NEW_DEVICE}"]`);
    await page.getByTestId('reg-search').fill(NEW_DEVICE);
    await row.waitFor({ timeout: 20_000 });
    expect(await version()).toBe(before + 1);
    const served = ((await twin.api('/api/devices')) as { id: string; position: number[]; siteId: string }[]).find((d) => d.id === NEW_DEVICE);
    expect(served?.siteId).toBe(SPACE);
    expect(metres(served!.position, placed)).toBeLessThan(0.5);

    // Credentials from the row: shown once; the device reports with them.
    await press(row.getByTestId('reg-credentials'));
    await page.getByTestId('secret-dialog').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('secret-username').textContent()).toBe(NEW_DEVICE);
    const secret = ((await page.getByTestId('secret-password').textContent()) ?? '').replace(/复制|已复制|Copy|Copied/g, '').trim();
    await press(page.getByTestId('secret-done'));
    const client = await mqtt.connectAsync(twin.mqttUrl, { username: NEW_DEVICE, password: secret, reconnectPeriod: 0 });
    await client.publishAsync(`citytwin/v1/confined/${NEW_DEVICE}/telemetry`, JSON.stringify({ ts: Date.now(), values: { o2_pct: 20.8, h2s_ppm: 0.6, co_ppm: 1, lel_pct: 0 } }), { qos: 1 });
    await client.endAsync();

    await expect.poll(() => page.evaluate((d) => window.__citytwin!.store.getState().live.get(d)?.values.h2s_ppm ?? null, NEW_DEVICE), { timeout: 20_000 }).toBe(0.6);
    await press(row.getByText(/定位|Show/));
    const detail = page.locator(`[data-testid="device-detail"][data-device-id="${NEW_DEVICE}"]`);
    await expect.poll(() => detail.getAttribute('data-health'), { timeout: 20_000 }).toBe('normal');
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows a device another admin adds through the API without a page reload', async () => {
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    const status = await twin.post('/api/devices', {
      id: 'kq-p1-s1-gas-api',
      scene: 'confined',
      siteId: SPACE,
      kind: 'gas_detector',
      name: 'Pit 1 upper detector (API)',
      nameZh: '1号污水池上部探测器（接口）',
      position: [...(await centreOf(page, SPACE)), 1.5],
      quantities: ['o2_pct', 'h2s_ppm'],
      intervalS: 10,
      level: 'upper',
    });
    expect(status).toBe(201);
    await expect.poll(() => inStore(page, 'kq-p1-s1-gas-api'), { timeout: 20_000 }).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  it('a tighter H2S limit set on the new detector shows in its detail as a device override, the rest from the standard', async () => {
    await press(page.getByTestId('admin-tab-registry'));
    await page.getByTestId('reg-search').fill(NEW_DEVICE);
    await press(page.locator(`[data-testid="reg-row"][data-id="${NEW_DEVICE}"] [data-testid="reg-edit"]`));
    await page.getByTestId('threshold-h2s_ppm-major').fill('5');
    await press(page.getByTestId('threshold-save'));
    await page.getByTestId('threshold-saved').waitFor({ timeout: 20_000 });
    await press(page.getByText(/^(取消|Cancel)$/).first());

    await page.evaluate((d) => window.__citytwin!.store.getState().select({ deviceId: d, siteId: null }), NEW_DEVICE);
    await page.getByTestId('threshold-sources').evaluate((el) => ((el as HTMLDetailsElement).open = true));
    const limit = (l: string) => page.locator(`[data-testid="threshold-row"][data-quantity="h2s_ppm"][data-limit="${l}"]`);
    // The registry reloads with the new version: the row follows it.
    await expect.poll(() => limit('high').getAttribute('data-source'), { timeout: 20_000 }).toBe('device');
    expect(await limit('high').textContent()).toMatch(/5 ppm.*标准值 7/);
    expect(await limit('highHigh').getAttribute('data-source')).toBe('standard');
    expect(await limit('highHigh').textContent()).toContain('GB 30871-2022');
  });

  it('previews an import with mixed errors: each error by line and field, in Chinese; applying is refused and nothing changes', async () => {
    const csv = [
      'id,scene,siteId,kind,name,nameZh,lonDeg,latDeg,heightM,quantities,intervalS,level',
      `kq-imp-ok,confined,${SPACE},gas_detector,Good row,正确的行,120.6888,30.2105,0,o2_pct|h2s_ppm,10,middle`,
      `kq-imp-lon,confined,${SPACE},gas_detector,Bad longitude,经度错误,999,30.2105,0,h2s_ppm,10,`,
      'kq-imp-site,confined,no-such-space,gas_detector,Unknown site,站点不存在,120.6888,30.2105,0,h2s_ppm,10,',
      `kq-imp-q,confined,${SPACE},gas_detector,Unknown quantity,监测量错误,120.6888,30.2105,0,h2s_ppm|radon_bq,10,`,
    ].join('\n');
    const file = join(dir, 'mixed.csv');
    writeFileSync(file, csv + '\n');
    const before = await version();
    const count = ((await twin.api('/api/devices')) as unknown[]).length;

    await press(page.getByTestId('admin-tab-import'));
    await page.getByTestId('import-file').setInputFiles(file);
    const summary = page.getByTestId('import-summary');
    await expect.poll(() => summary.getAttribute('data-state'), { timeout: 20_000 }).toBe('checked');
    const errs = page.getByTestId('import-error');
    const lines = await errs.evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-line')), e.getAttribute('data-field'), e.textContent ?? '']));
    const badLines = [...new Set(lines.map((l) => l[0]))];
    // The good row has none; the two rows wrong in themselves are named with their field. (The
    // unknown site of line 4 may be reported only once the rows themselves are right.)
    expect(badLines).not.toContain(2);
    expect(badLines).toEqual(expect.arrayContaining([3, 5]));
    expect(lines.find((l) => l[0] === 3)?.[1]).toBe('lonDeg');
    expect(lines.find((l) => l[0] === 5)?.[1]).toBe('quantities');
    if (badLines.includes(4)) expect(lines.find((l) => l[0] === 4)?.[1]).toBe('siteId');
    // The service's words in the page's language.
    for (const l of lines) expect(String(l[2])).toMatch(/[\u4e00-\u9fff]/);
    expect(await page.locator('[data-testid="preview-row"].bad').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-line'))))).toEqual(badLines);
    expect(await page.getByTestId('import-apply').isDisabled()).toBe(true);
    await page.screenshot({ path: '/tmp/citytwin-admin-import-errors-zh.png' });

    expect(await version()).toBe(before);
    expect(((await twin.api('/api/devices')) as unknown[]).length).toBe(count);
    expect(await inStore(page, 'kq-imp-ok')).toBe(false);
    expect(errors).toEqual([]);
  });

  it('uploads a GLB for a plant from its form: the globe draws it as the plant model; turned with the slider and saved, the site holds the heading', async () => {
    const PLANT = 'kq-p1';
    const file = join(dir, 'pump-house.glb');
    // 60 m east–west × 40 m north–south: well inside the plant's 380 × 260 m outline.
    writeFileSync(file, await exportGlb(new Mesh(new BoxGeometry(60, 12, 40), new MeshStandardMaterial({ color: 0x4aa3ff }))));
    await press(page.getByTestId('admin-tab-registry'));
    await page.getByTestId('reg-search').fill(PLANT);
    await press(page.locator(`[data-testid="reg-row"][data-id="${PLANT}"] [data-testid="reg-edit"]`));
    const panel = page.getByTestId('model-panel');
    const before = await version();
    await page.getByTestId('model-file').setInputFiles(file);
    await expect.poll(() => panel.getAttribute('data-file')).toMatch(/^kq-p1-[0-9a-f]{16}\.glb$/);
    expect(await version()).toBe(before + 1);
    const stored = await panel.getAttribute('data-file');
    await expect.poll(() => page.evaluate((id) => window.__citytwin!.globe?.siteModels.fileOf(id) ?? null, PLANT)).toBe(stored);
    expect(await page.getByTestId('model-check').getAttribute('data-outside-pct')).toBe('0');

    await page.getByTestId('model-heading').fill('90');
    await press(page.getByTestId('model-save'));
    await expect.poll(async () => ((await twin.api(`/api/sites/${PLANT}/model`)) as { model: { headingDeg: number } }).model.headingDeg).toBe(90);
    expect(await version()).toBe(before + 2);
    await page.screenshot({ path: '/tmp/citytwin-admin-site-model.png' });
    expect(errors).toEqual([]);
  });
});
