/**
 * A crash loses nothing that was acknowledged. The real service runs as a child process; an
 * outside mqtt.js device streams counted QoS 1 telemetry, events and status messages and records
 * every PUBACK; the service is SIGKILLed mid-stream and restarted on the same DATA_DIR (or
 * PostgreSQL database), and every acknowledged message must be in its database. The same for an alarm that was published.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DEVICE_MQTT_USERNAME, deviceTopic } from '../../src/contracts';
import { queryTestDb } from '../fixture/database';
import { startChildService, type ChildService } from './child';
import { DEMO_PASSWORD, DEVICE_PASSWORD, connect, removeDir, tempDataDir, waitFor } from './helpers';

const dataDir = tempDataDir();
let svc: ChildService | undefined;

afterAll(async () => {
  if (svc && svc.proc.exitCode === null && svc.proc.signalCode === null) {
    svc.proc.kill('SIGTERM');
    await svc.exited;
  }
  removeDir(dataDir);
});

type Channel = 'telemetry' | 'event' | 'status';
/** QoS 1 messages in flight at once (mqtt.js does not wait for a PUBACK before the next publish). */
const WINDOW = 500;
/** Acknowledged messages before the kill: about a second of the stream on an idle machine. */
const KILL_AFTER = 4000;
/** Two starts of a child service each, slow on a busy machine. */
const TIMEOUT_MS = 120_000;

async function login(url: string): Promise<string> {
  const r = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
  });
  return ((await r.json()) as { token: string }).token;
}

describe('SIGKILL of the service', () => {
  it('loses no telemetry reading, event or status message that was acknowledged', async () => {
    svc = await startChildService(dataDir);
    const killed = svc;
    const device = await connect(svc.mqttUrl, { username: DEVICE_MQTT_USERNAME, password: DEVICE_PASSWORD });
    const t0 = Date.now() - 3600_000;
    const acked: Record<Channel, number[]> = { telemetry: [], event: [], status: [] };
    let total = 0;
    let sent = 0;
    let inFlight = 0;
    let atKill: { sent: number; acked: number } | null = null;

    // Message i is channel i % 10 (3: an event, 7: a status, else telemetry) with ts t0 + i: each is unique.
    const message = (i: number): [Channel, string, string] => {
      const ts = t0 + i;
      if (i % 10 === 3) return ['event', deviceTopic('confined', 't-access', 'event'), JSON.stringify({ ts, type: 'maintenance.note', seq: i })];
      if (i % 10 === 7) return ['status', deviceTopic('confined', 't-gas-lower', 'status'), JSON.stringify({ ts, online: true })];
      return ['telemetry', deviceTopic('confined', 't-gas-upper', 'telemetry'), JSON.stringify({ ts, values: { o2_pct: 20.9 } })];
    };
    const pump = (): void => {
      while (atKill === null && inFlight < WINDOW) {
        const i = sent++;
        const [channel, topic, payload] = message(i);
        inFlight++;
        device.publish(topic, payload, { qos: 1 }, (err) => {
          inFlight--;
          if (err || atKill) return;
          // The callback of a QoS 1 publish is its PUBACK.
          acked[channel].push(t0 + i);
          if (++total >= KILL_AFTER) {
            atKill = { sent, acked: total };
            killed.proc.kill('SIGKILL');
            return;
          }
          pump();
        });
      }
    };
    pump();
    expect(await killed.exited).toBe('SIGKILL');
    device.end(true);
    const kill = atKill as { sent: number; acked: number } | null;
    // Killed mid-stream: messages were on their way that had not been acknowledged.
    expect(kill).not.toBeNull();
    expect(kill!.sent).toBeGreaterThan(kill!.acked);

    svc = await startChildService(dataDir);
    const stored = async (sql: string) => new Set((await queryTestDb(dataDir, sql)).map((r) => r[0] as number));
    const readings = await stored("SELECT ts FROM readings WHERE device_id = 't-gas-upper' AND quantity = 'o2_pct'");
    const events = await stored("SELECT ts FROM events WHERE device_id = 't-access' AND type = 'maintenance.note'");
    const statuses = await stored("SELECT ts FROM statuses WHERE device_id = 't-gas-lower'");
    expect(acked.telemetry.length).toBeGreaterThan(KILL_AFTER / 2);
    expect(acked.event.length).toBeGreaterThan(0);
    expect(acked.status.length).toBeGreaterThan(0);
    expect(acked.telemetry.filter((ts) => !readings.has(ts))).toEqual([]);
    expect(acked.event.filter((ts) => !events.has(ts))).toEqual([]);
    expect(acked.status.filter((ts) => !statuses.has(ts))).toEqual([]);
    // And the restarted service serves them.
    const token = await login(svc.url);
    const last = acked.telemetry[acked.telemetry.length - 1];
    const r = await fetch(`${svc.url}/api/telemetry/t-gas-upper?quantity=o2_pct&from=${last}&to=${last}`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await r.json()) as { points: unknown }).points).toEqual([[last, 20.9]]);
  }, TIMEOUT_MS);

  it('keeps an alarm it had published', async () => {
    svc ??= await startChildService(dataDir);
    const running = svc;
    const token = await login(running.url);
    const watcher = await connect(running.mqttUrl, { username: 'browser', password: token });
    const device = await connect(running.mqttUrl, { username: DEVICE_MQTT_USERNAME, password: DEVICE_PASSWORD });
    await watcher.subscribeAsync('citytwin/v1/alarms/#');
    let published: { id: string; rule: string } | null = null;
    watcher.on('message', (_topic, payload) => {
      const text = payload.toString();
      if (published || !text) return;
      const a = JSON.parse(text) as { id: string; rule: string; deviceId: string };
      if (a.deviceId !== 't-gas-lower' || a.rule !== 'h2s_ppm_high') return;
      // Killed the moment the alarm is seen: it must have been stored before it was published.
      running.proc.kill('SIGKILL');
      published = a;
    });
    // QoS 0: no PUBACK waits for this reading's commit; only the alarm's own commit can save it.
    await device.publishAsync(deviceTopic('confined', 't-gas-lower', 'telemetry'), JSON.stringify({ ts: Date.now(), values: { h2s_ppm: 30 } }), { qos: 0 });
    expect(await running.exited).toBe('SIGKILL');
    watcher.end(true);
    device.end(true);
    const alarm = published as { id: string } | null;
    expect(alarm).not.toBeNull();

    svc = await startChildService(dataDir);
    const again = await login(svc.url);
    const list = await waitFor('the alarm listed after the restart', async () => {
      const r = await fetch(`${svc!.url}/api/alarms?state=all`, { headers: { authorization: `Bearer ${again}` } });
      const body = (await r.json()) as { id: string; state: string; severity: string }[];
      return body.find((a) => a.id === alarm!.id);
    });
    expect(list).toMatchObject({ state: 'active_unack', severity: 'critical' });
  }, TIMEOUT_MS);
});
