/**
 * `npm run bench`: throughput figures of the live path, each against a baseline measured in the
 * same run on the same machine (run-to-run time varies too much here for absolute targets).
 *
 *  1. ingest — device messages/s through the whole service (auth, validation, SQLite, alarm rules,
 *     live batching) against a bare aedes broker forwarding the same messages to one subscriber;
 *     and with QoS 1, where each PUBACK waits for the commit, against the same service at QoS 0.
 *  2. ws-into-page — messages/s that a page's mqtt.js takes over the service's merged-frame
 *     WebSocket stream against aedes over a plain `createWebSocketStream` (~1,100/s).
 *  3. replay — ms to answer the snapshot and each scene API at a past instant (`?at=`, rebuilt from
 *     a recorded hour in SQLite) against the same answer live (replay.ts).
 *  4. preauth — memory held by four unauthenticated connections announcing 200 MB packets, the
 *     service against a bare aedes; and the time of one login (preauth.ts).
 *  5. replay against history size, the write path with rollups, and retention (storage.ts).
 *  6. video — CPU of the service with the demo camera streams (its one ffmpeg for every demo camera)
 *     against the same service with VIDEO=0 and against one ffmpeg process per camera, and the
 *     disk of a camera's window (video.ts).
 *
 * Prints a table and writes bench-results/latest.json. With `--devices N` it runs the city-scale
 * section alone instead (scale.ts: N devices, bench-results/scale.json); `--all` adds the others,
 * `--browser` keeps only its browser figures (scaleBrowser.ts), `--cold` only its cold start (coldStart.ts),
 * `--tour` only the frames and memory after a tour of every cell (cellTour.ts; not part of the rest:
 * about 3 minutes of its own).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { chromium, type Page } from 'playwright-core';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { Registry } from '../../src/contracts';
import { startService } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import { MergedWsStream } from '../../src/server/wsStream';
import { CHROMIUM_ARGS, chromiumPath } from '../../tests/e2e/browser';
import { benchPreauth } from './preauth';
import { benchReplay } from './replay';
import { benchScale, type Figures } from './scale';
import { benchReplayScaling, benchRetention, benchWritePath } from './storage';
import { benchVideo } from './video';

const N_INGEST = Number(process.env.BENCH_INGEST ?? 20_000);
const N_PAGE = Number(process.env.BENCH_PAGE ?? 20_000);
/** QoS 1 messages a device keeps unacknowledged at once (a gateway's in-flight window). */
const QOS1_WINDOW = 1000;
const registry = JSON.parse(readFileSync('public/data/registry.json', 'utf8')) as Registry;
const gas = registry.devices.filter((d) => d.kind === 'gas_detector');

const waitFor = async (cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> => {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** N clean-air readings spread over the gas detectors, each with its own increasing ts. */
function telemetryMessages(n: number, t0: number): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < n; i++) {
    const d = gas[i % gas.length];
    const ts = t0 - n + i; // in the past, distinct per device: none is a duplicate
    out.push([`citytwin/v1/confined/${d.id}/telemetry`, JSON.stringify({ ts, values: { o2_pct: 20.9, h2s_ppm: 0.2, co_ppm: 1 } })]);
  }
  return out;
}

async function publishAll(client: MqttClient, msgs: [string, string][]): Promise<void> {
  for (let i = 0; i < msgs.length; i++) {
    client.publish(msgs[i][0], msgs[i][1]);
    if (i % 500 === 499) await new Promise((r) => setImmediate(r));
  }
}

async function bareAedes(): Promise<{ broker: Aedes; tcpPort: number; close(): Promise<void> }> {
  const broker = await Aedes.createBroker();
  const tcp = createTcpServer(broker.handle);
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  return {
    broker,
    tcpPort: (tcp.address() as AddressInfo).port,
    close: async () => {
      await new Promise<void>((r) => broker.close(() => r()));
      await new Promise<void>((r) => tcp.close(() => r()));
    },
  };
}

async function benchIngest(): Promise<Record<string, number>> {
  // Baseline: a bare broker forwarding to one subscriber.
  const bare = await bareAedes();
  const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${bare.tcpPort}`);
  let got = 0;
  sub.on('message', () => got++);
  await sub.subscribeAsync('citytwin/v1/+/+/+');
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${bare.tcpPort}`);
  let msgs = telemetryMessages(N_INGEST, Date.now());
  let t0 = performance.now();
  await publishAll(pub, msgs);
  await waitFor(() => got >= N_INGEST, 120_000, 'bare aedes subscriber');
  const bareRate = N_INGEST / ((performance.now() - t0) / 1000);
  await pub.endAsync();
  await sub.endAsync();
  await bare.close();

  // The twin service: everything a device message goes through.
  const dir = mkdtempSync(join(tmpdir(), 'citytwin-bench-'));
  const service = await startService(loadConfig({ PORT: '0', MQTT_PORT: '0', DATA_DIR: dir, SIMULATE: '0', VIDEO: '0' }));
  const dev = await mqtt.connectAsync(service.mqttUrl, { username: 'device', password: service.config.devicePassword ?? undefined });
  const accepted = async (): Promise<number> => {
    const h = (await (await fetch(`${service.url}/api/health`)).json()) as { messages: { accepted: number } };
    return h.messages.accepted;
  };
  const before = await accepted();
  msgs = telemetryMessages(N_INGEST, Date.now());
  t0 = performance.now();
  await publishAll(dev, msgs);
  await waitFor(async () => (await accepted()) - before >= N_INGEST, 300_000, 'service ingest');
  const twinRate = N_INGEST / ((performance.now() - t0) / 1000);
  // QoS 1: each message acknowledged only once committed (PUBACK after commit), N in flight.
  // Newer than the QoS 0 round (ts up to N ms ahead, within the 5 minutes a device clock may lead).
  msgs = telemetryMessages(N_INGEST, Date.now() + N_INGEST);
  t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    let acked = 0;
    let sent = 0;
    const next = (): void => {
      while (sent < msgs.length && sent - acked < QOS1_WINDOW) {
        const [topic, payload] = msgs[sent++];
        dev.publish(topic, payload, { qos: 1 }, (err) => {
          if (err) return reject(err);
          if (++acked === msgs.length) resolve();
          else next();
        });
      }
    };
    next();
  });
  const qos1Rate = N_INGEST / ((performance.now() - t0) / 1000);
  await dev.endAsync();
  await service.close();
  rmSync(dir, { recursive: true, force: true });
  return { bareAedesMsgPerS: bareRate, serviceMsgPerS: twinRate, ratio: twinRate / bareRate, serviceQos1MsgPerS: qos1Rate, qos1OverQos0: qos1Rate / twinRate };
}

/** aedes behind an HTTP server's /mqtt, with the given way of wrapping the WebSocket. */
async function wsBroker(merged: boolean): Promise<{ tcpPort: number; httpPort: number; close(): Promise<void> }> {
  const bare = await bareAedes();
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http, path: '/mqtt' });
  wss.on('connection', (ws, req) => {
    const stream = merged ? new MergedWsStream(ws) : createWebSocketStream(ws);
    bare.broker.handle(stream as never, req as never);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return {
    tcpPort: bare.tcpPort,
    httpPort: (http.address() as AddressInfo).port,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => http.close(() => r()));
      await bare.close();
    },
  };
}

/** Messages/s a page takes from a broker's WebSocket, and its main-thread time per message. */
async function pageRate(page: Page, merged: boolean): Promise<{ msgPerS: number; usPerMsg: number }> {
  const b = await wsBroker(merged);
  await page.evaluate(async (port) => {
    const w = window as any;
    w.got = 0;
    w.client = w.mqtt.connect(`ws://127.0.0.1:${port}/mqtt`, { reconnectPeriod: 0 });
    w.client.on('message', () => w.got++);
    await new Promise<void>((r) => w.client.on('connect', r));
    await w.client.subscribeAsync('bench/#');
  }, b.httpPort);
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${b.tcpPort}`);
  const payload = JSON.stringify({ ts: Date.now(), values: { o2_pct: 20.9, h2s_ppm: 0.2, co_ppm: 1 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const cpu0 = await taskSeconds(cdp);
  const t0 = performance.now();
  for (let i = 0; i < N_PAGE; i++) {
    pub.publish(`bench/d${i % 100}`, payload);
    if (i % 500 === 499) await new Promise((r) => setImmediate(r));
  }
  await waitFor(async () => (await page.evaluate(() => (window as any).got)) >= N_PAGE, 300_000, 'page messages');
  const s = (performance.now() - t0) / 1000;
  const cpu = (await taskSeconds(cdp)) - cpu0;
  await page.evaluate(() => (window as any).client.end(true));
  await pub.endAsync();
  await b.close();
  return { msgPerS: N_PAGE / s, usPerMsg: (cpu * 1e6) / N_PAGE };
}

async function taskSeconds(cdp: { send(m: 'Performance.getMetrics'): Promise<{ metrics: { name: string; value: number }[] }> }): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

async function benchPage(): Promise<Record<string, number>> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.setContent('<html><body>bench</body></html>');
    await page.addScriptTag({ path: 'node_modules/mqtt/dist/mqtt.min.js' });
    const plain = await pageRate(page, false);
    const merged = await pageRate(page, true);
    return {
      plainWsMsgPerS: plain.msgPerS,
      plainWsUsPerMsg: plain.usPerMsg,
      mergedWsMsgPerS: merged.msgPerS,
      mergedWsUsPerMsg: merged.usPerMsg,
      ratio: merged.msgPerS / plain.msgPerS,
    };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const results: Record<string, Figures> = {};
  const at = process.argv.indexOf('--devices');
  if (at >= 0) {
    const devices = Number(process.argv[at + 1]);
    if (!Number.isInteger(devices) || devices < 1) throw new Error('--devices takes a number of devices, e.g. --devices 25000');
    const browserOnly = process.argv.includes('--browser');
    const coldOnly = process.argv.includes('--cold');
    const tourOnly = process.argv.includes('--tour');
    const what = tourOnly ? 'frames and memory after a tour of the city' : coldOnly ? 'the cold start alone' : browserOnly ? 'the browser section alone' : 'the service against bare aedes and idle baselines';
    console.log(`scale: ${devices} devices, ${what}…`);
    results.scale = await benchScale(devices, { browserOnly, coldOnly, tourOnly });
    if (!process.argv.includes('--all')) return printAndSave(results, null);
  }
  console.log(`ingest: ${N_INGEST} telemetry messages over MQTT/TCP…`);
  results.ingest = await benchIngest();
  console.log(`ws-into-page: ${N_PAGE} messages into headless Chromium…`);
  results.wsIntoPage = await benchPage();
  console.log('replay: one recorded hour of every demo device, scene APIs live against ?at=…');
  results.replay = await benchReplay();
  console.log('preauth: 4 × a 200 MB CONNECT (64 MiB written each), bare aedes against the service…');
  results.preauth = await benchPreauth();
  console.log('replay-scaling: replay and history cost over growing road histories…');
  results.replayScaling = await benchReplayScaling();
  console.log('write-path: readings through Storage (rollups, batch) against a bare insert…');
  results.writePath = await benchWritePath();
  console.log('retention: deleting old readings in the background…');
  results.retention = await benchRetention();
  console.log(`video: CPU of the demo camera streams over ${process.env.BENCH_VIDEO_S ?? 60} s, the service with video against VIDEO=0 and one encoder per camera…`);
  results.video = await benchVideo();
  printAndSave(results, 'bench-results/latest.json');
}

/** Prints the table; writes it to `path` too (null: the section wrote its own file). */
function printAndSave(results: Record<string, Figures>, path: string | null): void {
  console.log('\nbench                 figure                      value');
  for (const [bench, figures] of Object.entries(results)) {
    for (const [k, v] of Object.entries(figures)) {
      const value = typeof v !== 'number' ? JSON.stringify(v) : v >= 100 ? v.toFixed(0) : v.toFixed(2);
      console.log(`${bench.padEnd(21)} ${k.padEnd(27)} ${value}`);
    }
  }
  if (path === null) return;
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(path, JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
