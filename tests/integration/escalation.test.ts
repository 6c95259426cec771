/**
 * Escalation on the real service with an injected clock (ServiceOptions.now): a critical alarm
 * left unacknowledged escalates after ESCALATE_AFTER_S and not before, once, on the notification
 * topic and to the webhook; a webhook that hangs is cut off after 5 s and counted, and a restart
 * does not escalate the same alarm again. Each test has its own database.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { deviceTopic } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { describeConfig, loadConfig } from '../../src/server/config';
import {
  api,
  browserClient,
  deviceClient,
  login,
  publish,
  record,
  removeDir,
  startTestService,
  tempDataDir,
  waitFor,
  waitForAlarm,
} from './helpers';

const AFTER_S = 60;
const T0 = Date.now();
/** The service's clock: moved by the test, read by the service's 1 s tick. */
let clock = T0;
let svc: Service | undefined;
const servers: Server[] = [];
const dirs: string[] = [];

/** A local webhook: records each POST (path and JSON body); answers 200, or never when `hang`. */
async function webhook(hang = false): Promise<{ url: string; calls: { path: string; body: any }[] }> {
  const calls: { path: string; body: any }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      calls.push({ path: req.url ?? '', body: JSON.parse(text) });
      if (!hang) res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0}');
    });
  });
  servers.push(server);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/robot/send?access_token=s3cret`, calls };
}

/** A new database directory for one test. */
function freshDir(): string {
  const dir = tempDataDir();
  dirs.push(dir);
  return dir;
}

function start(dataDir: string, webhookUrl: string): Promise<Service> {
  const env = { ESCALATE_AFTER_S: String(AFTER_S), ESCALATION_WEBHOOK_URL: webhookUrl };
  return startTestService(dataDir, env, { now: () => clock, logger: false });
}


/** A Prometheus sample's value, 0 when absent. */
async function metric(line: string): Promise<number> {
  const text = (await api(svc!, '/metrics', { token: await login(svc!, 'admin') })).body as string;
  const hit = text.split('\n').find((l) => l.startsWith(line + ' '));
  return hit ? Number(hit.slice(line.length + 1)) : 0;
}

const escalationsOf = async (token: string, id: string) =>
  (await api(svc!, `/api/alarms/${id}/events`, { token })).body.filter((e: any) => e.action === 'escalated');

afterEach(async () => {
  await svc?.close();
  svc = undefined;
});

afterAll(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  for (const d of dirs) removeDir(d);
});

describe('escalation settings', () => {
  it('defaults to 300 s without a webhook, and prints the webhook without its token', () => {
    expect(loadConfig({})).toMatchObject({ escalateAfterS: 300, escalationWebhookUrl: null });
    expect(describeConfig(loadConfig({}))).toContain('ESCALATE_AFTER_S=300');
    const printed = describeConfig(loadConfig({ ESCALATION_WEBHOOK_URL: 'https://gw:pw@oapi.example.com/robot/send?access_token=s3cret' }));
    expect(printed).toContain('ESCALATION_WEBHOOK_URL=https://gw:***@oapi.example.com/robot/send?***');
    expect(printed).not.toMatch(/s3cret|:pw@/);
    expect(() => loadConfig({ ESCALATION_WEBHOOK_URL: 'ftp://x' })).toThrow(/ESCALATION_WEBHOOK_URL/);
    expect(() => loadConfig({ ESCALATE_AFTER_S: '-1' })).toThrow(/ESCALATE_AFTER_S/);
  });
});

describe('escalation of unacknowledged critical alarms', () => {
  it('fires after ESCALATE_AFTER_S and not before, once, on notify/{scene} and to the webhook', async () => {
    clock = T0;
    const hook = await webhook();
    svc = await start(freshDir(), hook.url);
    const token = await login(svc, 'inspector');
    const browser = await browserClient(svc, token);
    const seen = record(browser);
    await browser.subscribeAsync('citytwin/v1/notify/#');
    const notices = () => seen.filter((m) => m.topic.startsWith('citytwin/v1/notify/'));

    const device = await deviceClient(svc);
    // Critical and left alone; critical and acknowledged in time; major (never escalates).
    await publish(device, deviceTopic('confined', 't-gas-lower', 'telemetry'), { ts: clock, values: { h2s_ppm: 30, co_ppm: 20 } });
    await publish(device, deviceTopic('confined', 't-gas-upper', 'telemetry'), { ts: clock, values: { h2s_ppm: 30 } });
    const a = await waitForAlarm(svc, token, 't-gas-lower', 'h2s_ppm_high');
    const b = await waitForAlarm(svc, token, 't-gas-upper', 'h2s_ppm_high');
    expect([a.severity, a.raisedAt, b.severity]).toEqual(['critical', T0, 'critical']);
    expect((await api(svc, `/api/alarms/${b.id}/ack`, { token, body: {} })).status).toBe(200);
    clock = T0 + 3000; // past the major's 2 s on-delay
    const major = await waitForAlarm(svc, token, 't-gas-lower', 'co_ppm_high');
    expect(major.severity).toBe('major');

    // A millisecond before the delay. The device's stale alarm is raised by the same tick that
    // checks escalation, so once it shows, that tick has run at this time.
    clock = T0 + AFTER_S * 1000 - 1;
    await waitForAlarm(svc, token, 't-gas-lower', 'stale');
    expect(await escalationsOf(token, a.id)).toEqual([]);
    expect(notices()).toEqual([]);
    expect(hook.calls).toEqual([]);

    clock = T0 + AFTER_S * 1000;
    const call = await waitFor('the webhook call', () => hook.calls[0]);
    const msg = await waitFor('the notification', () => notices()[0]);
    expect(msg.topic).toBe('citytwin/v1/notify/confined');
    expect(msg.retain).toBe(false);
    const notice = JSON.parse(msg.text);
    expect(notice).toMatchObject({ type: 'escalation', escalatedAt: T0 + AFTER_S * 1000, afterS: AFTER_S });
    expect(notice.alarm).toMatchObject({ id: a.id, state: 'active_unack', severity: 'critical' });
    expect(call.body).toEqual(notice);
    expect(call.path).toBe('/robot/send?access_token=s3cret');
    expect(await escalationsOf(token, a.id)).toEqual([
      { ts: T0 + AFTER_S * 1000, action: 'escalated', user: null, comment: `unacknowledged for ${AFTER_S} s`, state: 'active_unack', severity: 'critical' },
    ]);

    // Much later: still one escalation (not every tick), none for the acked or the major alarm.
    await publish(device, deviceTopic('roads', 't-det-1', 'telemetry'), { ts: clock, values: { speed_kmh: 80 } });
    clock = T0 + 200_000;
    await waitForAlarm(svc, token, 't-det-1', 'stale'); // a tick at +200 s has run (30 s interval: stale after 90 s)
    // An escalation is counted and stored by the tick that decides it, before it is sent: one
    // counted and one stored means nothing more is on its way.
    expect(await metric('citytwin_alarm_escalations_total{scene="confined"}')).toBe(1);
    expect(await escalationsOf(token, a.id)).toHaveLength(1);
    expect(await escalationsOf(token, b.id)).toEqual([]);
    expect(await escalationsOf(token, major.id)).toEqual([]);
    expect(notices()).toHaveLength(1);
    expect(hook.calls).toHaveLength(1);
    expect(await metric('citytwin_escalation_webhook_total{result="ok"}')).toBe(1);
    device.end(true);
    browser.end(true);
  });

  it('survives a webhook that hangs (5 s timeout, counted) and does not re-escalate after a restart', async () => {
    const dataDir = freshDir();
    clock = T0;
    const hook = await webhook(true);
    svc = await start(dataDir, hook.url);
    let token = await login(svc, 'inspector');
    let browser = await browserClient(svc, token);
    let seen = record(browser);
    await browser.subscribeAsync('citytwin/v1/notify/#');
    let device = await deviceClient(svc);
    await publish(device, deviceTopic('confined', 't-gas-fast', 'telemetry'), { ts: clock, values: { h2s_ppm: 30 } });
    const d = await waitForAlarm(svc, token, 't-gas-fast', 'h2s_ppm_high');

    clock = T0 + AFTER_S * 1000;
    const msg = await waitFor('the notification of the new alarm', () => seen.find((m) => m.topic === 'citytwin/v1/notify/confined'));
    expect(JSON.parse(msg.text).alarm.id).toBe(d.id);
    await waitFor('the webhook call', () => hook.calls[0]);
    await waitFor('the timeout counted', async () => (await metric('citytwin_escalation_webhook_total{result="timeout"}')) === 1, 9000, 250);
    expect((await api(svc, '/api/health')).status).toBe(200);
    device.end(true);
    browser.end(true);

    // Restarted: the escalated alarm is still open and unanswered, and is not sent again.
    await svc.close();
    svc = await start(dataDir, hook.url);
    token = await login(svc, 'inspector');
    browser = await browserClient(svc, token);
    seen = record(browser);
    await browser.subscribeAsync('citytwin/v1/notify/#');
    device = await deviceClient(svc);
    await publish(device, deviceTopic('roads', 't-det-1', 'telemetry'), { ts: clock, values: { speed_kmh: 80 } });
    clock += 200_000;
    await waitForAlarm(svc, token, 't-det-1', 'stale'); // a tick at this time has run, escalation check included
    expect(await waitForAlarm(svc, token, 't-gas-fast', 'h2s_ppm_high')).toMatchObject({ id: d.id, state: 'active_unack' });
    expect(await metric('citytwin_alarm_escalations_total{scene="confined"}')).toBe(0);
    expect(await escalationsOf(token, d.id)).toHaveLength(1);
    expect(seen.filter((m) => m.topic.startsWith('citytwin/v1/notify/'))).toEqual([]);
    expect(hook.calls.map((c) => c.body.alarm.id)).toEqual([d.id]);
    device.end(true);
    browser.end(true);
  });
});
