/**
 * History search and export in the operator's language: searching 硫化氢 (or H₂S, or a device's
 * Chinese name) finds the H₂S alarms, and the CSV names devices and sites, says the alarm in the
 * asked language and gives the city's local times beside the UTC ones. Real service and SQLite file.
 */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { CSV_COLUMNS } from '../../src/server/api/history';
import { api, deviceClient, login, publish, removeDir, startTestService, tempDataDir, waitForAlarm } from './helpers';

let dataDir: string;
let svc: Service;
let device: MqttClient;
let token: string;
let h2sId: string;
let crashId: string;

beforeAll(async () => {
  dataDir = tempDataDir();
  svc = await startTestService(dataDir);
  device = await deviceClient(svc);
  token = await login(svc, 'admin');
  const ts = Date.now();
  await publish(device, deviceTopic('confined', 't-gas-lower', 'telemetry'), { ts: Date.now(), values: { o2_pct: 20.9, h2s_ppm: 30 } });
  await publish(device, deviceTopic('roads', 't-op-1', 'event'), { ts, type: 'incident', incidentId: 'hs-1', kind: 'crash', segmentId: 't-seg', lonDeg: 120.2, latDeg: 29.7, state: 'open' });
  h2sId = (await waitForAlarm(svc, token, 't-gas-lower', 'h2s_ppm_high')).id;
  crashId = (await waitForAlarm(svc, token, 't-op-1', 'incident')).id;
});

afterAll(async () => {
  device?.end(true);
  await svc?.close();
  removeDir(dataDir);
});

const found = async (q: string) => ((await api(svc, `/api/alarms/history?q=${encodeURIComponent(q)}`, { token })).body as { id: string }[]).map((a) => a.id);

describe('history search in both languages', () => {
  it.each([
    { q: '硫化氢', h2s: true, crash: false },
    { q: 'H₂S', h2s: true, crash: false },
    { q: '下部气体', h2s: true, crash: false },
    { q: 'Pit gas lower', h2s: true, crash: false },
    { q: '交通事故', h2s: false, crash: true },
    { q: '道路事件', h2s: false, crash: true },
    { q: '氯气', h2s: false, crash: false },
  ])('$q', async ({ q, h2s, crash }) => {
    const ids = await found(q);
    expect(ids.includes(h2sId)).toBe(h2s);
    expect(ids.includes(crashId)).toBe(crash);
  });
});

describe('the CSV export names things and gives local times', () => {
  const csv = async (lang: string) => {
    const res = await fetch(`${svc.url}/api/alarms/history.csv?lang=${lang}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const lines = (await res.text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    // None of the values below holds a comma or a quote: a plain split reads them.
    const row = (id: string) => lines.find((l) => l.startsWith(`${id},`))!.split(',');
    return { col, row };
  };

  it('in Chinese', async () => {
    const { col, row } = await csv('zh');
    const h2s = row(h2sId);
    expect(h2s[col('deviceName')]).toBe('下部气体');
    expect(h2s[col('siteName')]).toBe('污水池');
    expect(h2s[col('title')]).toBe('硫化氢超上限');
    expect(h2s[col('text')]).toBe('硫化氢 30 ppm ≥ 14 ppm');
    expect(h2s[col('peakSeverity')]).toBe('critical');
    // Shaoxing is UTC+8 all year: the local time is the UTC one eight hours on.
    const utc = Date.parse(h2s[col('raisedAt')]);
    expect(h2s[col('raisedAtLocal')]).toBe(new Date(utc + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' '));
    expect(row(crashId)[col('title')]).toBe('道路事件');
  });

  it('in English', async () => {
    const { col, row } = await csv('en');
    expect(row(h2sId)[col('deviceName')]).toBe('Pit gas lower');
    expect(row(h2sId)[col('text')]).toBe('H₂S 30 ppm ≥ 14 ppm');
  });

  it('refuses another language', async () => {
    expect((await api(svc, '/api/alarms/history.csv?lang=fr', { token })).status).toBe(400);
  });
});
