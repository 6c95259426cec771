/**
 * The replay bench ("one time cursor"): how long the service takes to answer a scene API
 * at a past instant (`?at=`, rebuilt from SQLite) against the same API answered live, measured in
 * one run on one service holding one recorded hour of every demo device at its own interval.
 * A replay cursor that is dragged asks these several times a second, so the ratio says what a
 * scrub costs next to the live polling the panels do anyway.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { Device, Quantity, Registry } from '../../src/contracts';
import { startService } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';

/** How much history the service holds. */
const HOUR_MS = 60 * 60_000;
/** Calls per figure (the median is reported). */
const CALLS = Number(process.env.BENCH_REPLAY_CALLS ?? 15);

/** A plausible quiet value per quantity, so the hour raises no alarm. */
const QUIET: Partial<Record<Quantity, number>> = {
  o2_pct: 20.9, h2s_ppm: 0.2, co_ppm: 1, nh3_ppm: 1, cl2_ppm: 0.05, lel_pct: 0, voc_ppm: 1,
  level_pct: 50, pressure_kpa: 101, temp_c: 22, wind_speed_ms: 3, wind_dir_deg: 90,
  speed_kmh: 70, flow_vph: 900, occupancy_pct: 10, visibility_m: 5000, road_temp_c: 12, precip_mmh: 0, heading_deg: 0,
};

function valuesOf(d: Device, i: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const q of d.quantities) {
    if (q === 'lon_deg') out[q] = d.position[0];
    else if (q === 'lat_deg') out[q] = d.position[1];
    // A small wobble, so the stored hour is not one repeated value (a "stuck" detector).
    else out[q] = (QUIET[q] ?? 1) + (i % 7) * 0.01;
  }
  return out;
}

async function publishHour(client: MqttClient, devices: Device[], endMs: number): Promise<number> {
  let n = 0;
  for (const d of devices) {
    const stepMs = d.intervalS * 1000;
    for (let ts = endMs - HOUR_MS, i = 0; ts <= endMs; ts += stepMs, i++) {
      client.publish(`citytwin/v1/${d.scene}/${d.id}/telemetry`, JSON.stringify({ ts, values: valuesOf(d, i) }));
      if (++n % 500 === 0) await new Promise((r) => setImmediate(r));
    }
  }
  return n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median ms of `calls` GETs of `path` (status checked: a refused call is not a fast one). */
export async function timeGet(url: string, token: string, path: string, calls = CALLS): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    const r = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
    await r.arrayBuffer();
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

/** Live against `?at=` for the replay snapshot and every scene API that takes `at`. */
export async function benchReplay(): Promise<Record<string, number>> {
  const registry = JSON.parse(readFileSync('public/data/registry.json', 'utf8')) as Registry;
  const dir = mkdtempSync(join(tmpdir(), 'citytwin-bench-replay-'));
  const service = await startService(loadConfig({ PORT: '0', MQTT_PORT: '0', DATA_DIR: dir, SIMULATE: '0', VIDEO: '0' }), { logger: false });
  try {
    const dev = await mqtt.connectAsync(service.mqttUrl, { username: 'device', password: service.config.devicePassword ?? undefined });
    const end = Date.now() - 1000;
    // Devices without quantities (access terminals, road operators) send events, not telemetry.
    const sent = await publishHour(dev, registry.devices.filter((d) => d.quantities.length > 0), end);
    type Health = { messages: { accepted: number; rejected: Record<string, number> } };
    const health = async () => ((await (await fetch(`${service.url}/api/health`)).json()) as Health).messages;
    const t0 = Date.now();
    for (let m = await health(); m.accepted < sent; m = await health()) {
      const rejected = Object.values(m.rejected).reduce((a, b) => a + b, 0);
      if (rejected > 0) throw new Error(`the recorded hour was refused in part: ${JSON.stringify(m.rejected)}`);
      if (Date.now() - t0 > 300_000) throw new Error(`the recorded hour was not ingested in 5 min (${m.accepted} of ${sent})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await dev.endAsync();
    const login = await fetch(`${service.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: service.config.demoPassword }),
    });
    const { token } = (await login.json()) as { token: string };
    const at = end - HOUR_MS / 2;
    const out: Record<string, number> = { readingsStored: sent };
    const pairs: [name: string, live: string, past: string][] = [
      ['snapshot', '/api/live', `/api/replay?at=${at}`],
      ['spaces', '/api/spaces', `/api/spaces?at=${at}`],
      ['zones', '/api/zones', `/api/zones?at=${at}`],
      ['parkSummary', '/api/park/summary', `/api/park/summary?at=${at}`],
      ['segments', '/api/segments', `/api/segments?at=${at}`],
      ['network', '/api/network', `/api/network?at=${at}`],
      ['weather', '/api/weather', `/api/weather?at=${at}`],
    ];
    let liveSum = 0;
    let pastSum = 0;
    for (const [name, live, past] of pairs) {
      const l = await timeGet(service.url, token, live);
      const p = await timeGet(service.url, token, past);
      liveSum += l;
      pastSum += p;
      out[`${name}LiveMs`] = l;
      out[`${name}AtMs`] = p;
      out[`${name}Ratio`] = p / l;
    }
    // One cursor position of the whole twin: every call above once.
    out.cursorAllScenesMs = pastSum;
    out.ratio = pastSum / liveSum;
    return out;
  } finally {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
