/**
 * No request stalls the service. A big road history (300,000 detector readings in ten minutes,
 * written straight through Storage) and then, while replay and history requests run over it,
 * /api/health answers within a second and a device's QoS 1 readings are acknowledged within one:
 * heavy reads run in the reader threads, and the replayed tracks hold a bounded number of readings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_MQTT_USERNAME, deviceTopic } from '../../src/contracts';
import { TRACK_CAPACITY } from '../../src/domain';
import type { Service } from '../../src/server/app';
import type { ReadingRow } from '../../src/server/storage';
import { SqliteStorage } from '../../src/server/storage/sqlite';
import { DEVICE_PASSWORD, api, connect, login, removeDir, startTestService, tempDataDir } from './helpers';

const dataDir = tempDataDir();
let svc: Service;
const READINGS = 300_000;
const now = Date.now();
const from = now - 10 * 60_000;
/** Alternating 50 and 60 km/h, one reading every 2 ms. */
const speedAt = (i: number) => (i % 2 === 0 ? 50 : 60);

beforeAll(async () => {
  const storage = new SqliteStorage(dataDir);
  const step = (now - from) / READINGS;
  let batch: ReadingRow[] = [];
  for (let i = 0; i < READINGS; i++) {
    batch.push(['t-det-1', 'speed_kmh', Math.round(from + i * step), speedAt(i)]);
    if (batch.length === 2000) (storage.writeReadings(batch), (batch = []));
  }
  storage.writeReadings(batch);
  await storage.close();
  svc = await startTestService(dataDir);
}, 120_000);

afterAll(async () => {
  await svc?.close();
  removeDir(dataDir);
});

/** ms a call takes. */
async function timed<T>(call: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await call();
  return [performance.now() - t0, r];
}

describe('a big history', () => {
  it('keeps /api/health and the broker answering within 1 s while replay and history requests run', async () => {
    const token = await login(svc, 'traffic');
    const at = now - 2 * 60_000;
    const heavy = (async () => {
      const answers = [];
      // Enough rounds that several health probes run while they do, even when each answers fast.
      for (let round = 0; round < 8; round++) {
        answers.push(
          ...(await Promise.all([
            api(svc, `/api/segments?at=${at}`, { token }),
            api(svc, `/api/telemetry/t-det-1?quantity=speed_kmh&from=${from}&to=${now}`, { token }),
            api(svc, `/api/replay?at=${at}&scene=roads`, { token }),
            api(svc, `/api/network?at=${at}`, { token }),
          ])),
        );
      }
      return answers;
    })();
    let done = false;
    heavy.finally(() => (done = true));

    const health: number[] = [];
    const pubacks: number[] = [];
    const device = await connect(svc.mqttUrl, { username: DEVICE_MQTT_USERNAME, password: DEVICE_PASSWORD });
    while (!done) {
      const [ms, h] = await timed(() => api(svc, '/api/health'));
      expect(h.status).toBe(200);
      health.push(ms);
      const topic = deviceTopic('confined', 't-gas-upper', 'telemetry');
      pubacks.push((await timed(() => device.publishAsync(topic, JSON.stringify({ ts: Date.now(), values: { o2_pct: 20.9 } }), { qos: 1 })))[0]);
    }
    device.end(true);

    const answers = await heavy;
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(health.length).toBeGreaterThan(2);
    expect(Math.max(...health)).toBeLessThan(1000);
    expect(Math.max(...pubacks)).toBeLessThan(1000);

    // And the answers are right: the segment's speed is the mean of its detector's newest readings.
    const seg = answers[0].body.find((s: { id: string }) => s.id === 't-seg');
    expect(TRACK_CAPACITY % 2).toBe(0);
    expect(seg).toMatchObject({ smoothedSpeedKmh: 55, health: 'ok' });
    // More raw readings than one answer scans: the per-minute rollups answer, and say so.
    const tele = answers[1].body;
    expect(tele.resolution).toBe('1m');
    expect(tele.points.length).toBeLessThanOrEqual(2000);
    expect(new Set(tele.points.map(([, v]: [number, number]) => v))).toEqual(new Set([50, 60]));
  });
});
