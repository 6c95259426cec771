/**
 * Attack: make the broker buffer a huge packet before anyone has authenticated. An MQTT packet
 * announces its length in its fixed header; aedes would read the whole packet before asking who
 * sent it (four sockets announcing 200 MB added 230 MiB in a second). Over TCP and over WebSocket
 * the broker must cut such a connection on the header, so memory does not grow with what the
 * attacker sends; idle connections must go after the CONNECT timeout, and one address may hold
 * only a few unauthenticated connections.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../../src/server/app';
import { CONNECT_TIMEOUT_MS, MAX_PACKET_BYTES, MAX_UNAUTHENTICATED_PER_ADDRESS } from '../../../src/server/brokerLimits';
import { MAX_SUBSCRIPTIONS_PER_CLIENT } from '../../../src/server/mqttAccess';
import { api, browserClient, deviceClient, login, removeDir, startTestService, tempDataDir, waitFor } from '../helpers';

let svc: Service;
let dir: string;

beforeAll(async () => {
  dir = tempDataDir();
  svc = await startTestService(dir);
});

afterAll(async () => {
  await svc?.close();
  removeDir(dir);
});

/** A CONNECT fixed header announcing `bytes` of remaining length (the MQTT variable-length encoding). */
function connectHeader(bytes: number): Buffer {
  const out = [0x10];
  let n = bytes;
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

const MIB = 1024 * 1024;
/** One MiB of filler, allocated once before measuring, written again and again. */
const FILLER = Buffer.alloc(MIB, 0x61);
/** Memory that holds buffered network data: Buffers live in arrayBuffers (and so in rss). */
const held = () => process.memoryUsage().arrayBuffers;

function openTcp(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = tcpConnect(svc.mqttPort!, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}

const whenClosed = (s: Socket) => new Promise<void>((r) => (s.destroyed ? r() : s.once('close', () => r())));

/** Writes `mib` MiB after a header announcing 200 MB, as fast as the socket takes it; stops when it is cut. */
async function flood(s: Socket, mib: number): Promise<number> {
  s.on('error', () => {});
  let sent = 0;
  s.write(connectHeader(200_000_000));
  for (let i = 0; i < mib && !s.destroyed; i++) {
    if (!s.write(FILLER)) await Promise.race([new Promise((r) => s.once('drain', r)), whenClosed(s)]);
    sent++;
  }
  return sent;
}

describe('oversized packets before authentication', () => {
  it('cuts four TCP connections announcing 200 MB on the header, and memory does not balloon', async () => {
    const before = held();
    const rejectedBefore = (await api(svc, '/api/health')).body.messages.rejected.too_large ?? 0;
    const sockets = await Promise.all([1, 2, 3, 4].map(() => openTcp()));
    const sent = await Promise.all(sockets.map((s) => flood(s, 64)));
    await Promise.all(sockets.map(whenClosed));
    const grewMiB = (held() - before) / MIB;
    console.log(`TCP: 4 sockets, ${sent.join('/')} MiB written before the cut, held memory +${grewMiB.toFixed(1)} MiB`);
    // Without the guard the broker holds everything written (up to 4 × 64 MiB).
    expect(grewMiB).toBeLessThan(16);
    expect(Math.max(...sent)).toBeLessThan(64);
    const rejected = (await api(svc, '/api/health')).body.messages.rejected.too_large ?? 0;
    expect(rejected - rejectedBefore).toBe(4);
  });

  it('cuts a WebSocket whose frames add up to one huge packet, and memory does not balloon; refuses one oversized frame', async () => {
    // The attacker's own buffers are made before measuring and sent one frame at a time, so what
    // grows is what the service holds.
    const frame = FILLER.subarray(0, 200 * 1024); // each frame under the frame limit, together 200 MB
    const huge = Buffer.concat([connectHeader(10 * MIB), ...Array.from({ length: 10 }, () => FILLER)]);
    const before = held();
    const ws = new WebSocket(svc.wsUrl!, 'mqtt');
    await new Promise((r, f) => (ws.once('open', r), ws.once('error', f)));
    const closedWs = new Promise<void>((r) => ws.once('close', () => r()));
    ws.on('error', () => {});
    const send = (data: Buffer) => new Promise<void>((r) => ws.send(data, () => r()));
    await send(connectHeader(200_000_000));
    let frames = 0;
    while (frames < 320 && ws.readyState === WebSocket.OPEN) {
      await send(frame);
      frames++;
    }
    await closedWs;
    const grewMiB = (held() - before) / MIB;
    const big = new WebSocket(svc.wsUrl!, 'mqtt');
    await new Promise((r, f) => (big.once('open', r), big.once('error', f)));
    const code = new Promise<number>((r) => big.once('close', (c) => r(c)));
    big.on('error', () => {});
    big.send(huge);
    // 1009: message too big (RFC 6455 §7.4.1), from ws' maxPayload: refused on the frame header.
    expect(await code).toBe(1009);
    console.log(`WebSocket: ${frames} frames of 200 KiB sent before the cut, held memory +${grewMiB.toFixed(1)} MiB`);
    expect(frames).toBeLessThan(320);
    expect(grewMiB).toBeLessThan(16);
  });

  it('still takes a packet at the limit from an authenticated device', async () => {
    expect(MAX_PACKET_BYTES).toBeGreaterThan(256 * 1024);
    const device = await deviceClient(svc);
    const before = (await api(svc, '/api/health')).body.messages.rejected.too_large ?? 0;
    // A payload just over 256 KiB passes the broker and is rejected by ingest as too_large, connection kept.
    device.publish('citytwin/v1/confined/t-gas-lower/telemetry', Buffer.alloc(256 * 1024 + 10, 0x20));
    await waitFor('the too_large count', async () => ((await api(svc, '/api/health')).body.messages.rejected.too_large ?? 0) === before + 1);
    expect(device.connected).toBe(true);
    device.end(true);
  });

  it(`grants a client at most ${MAX_SUBSCRIPTIONS_PER_CLIENT} subscriptions, and keeps it connected`, async () => {
    const browser = await browserClient(svc, await login(svc, 'inspector'));
    const filters = Array.from({ length: MAX_SUBSCRIPTIONS_PER_CLIENT }, (_, i) => `citytwin/v1/alarms/a${i}`);
    const granted = await browser.subscribeAsync(filters);
    expect(granted.every((g) => g.qos === 0)).toBe(true);
    await expect(browser.subscribeAsync('citytwin/v1/alarms/one-more')).rejects.toThrow(/Subscribe error/);
    // Subscribing again to one it holds is no new subscription; unsubscribing frees a place.
    await expect(browser.subscribeAsync('citytwin/v1/alarms/a0')).resolves.toBeTruthy();
    await browser.unsubscribeAsync('citytwin/v1/alarms/a1');
    await expect(browser.subscribeAsync('citytwin/v1/alarms/one-more')).resolves.toBeTruthy();
    expect(browser.connected).toBe(true);
    browser.end(true);
  });

  it(`closes connections over ${MAX_UNAUTHENTICATED_PER_ADDRESS} unauthenticated ones from one address at once`, async () => {
    const sockets = await Promise.all(Array.from({ length: MAX_UNAUTHENTICATED_PER_ADDRESS + 5 }, () => openTcp()));
    const closedNow = await waitFor('the extra connections closed', () => {
      const n = sockets.filter((s) => s.destroyed || s.readableEnded).length;
      return n >= 5 && n;
    });
    expect(closedNow).toBe(5);
    for (const s of sockets) s.destroy();
    // Once they are gone, a device connects as usual.
    await waitFor('a device to connect again', async () => {
      const d = await deviceClient(svc).catch(() => null);
      d?.end(true);
      return d !== null;
    });
  });

  it(`closes a connection that sends no CONNECT, or only part of one, within ${CONNECT_TIMEOUT_MS / 1000} s`, async () => {
    const silent = await openTcp();
    const trickle = await openTcp();
    trickle.write(Buffer.concat([connectHeader(100), Buffer.from([0, 4])]));
    const t0 = Date.now();
    await Promise.all([whenClosed(silent), whenClosed(trickle)]);
    const s = (Date.now() - t0) / 1000;
    expect(s).toBeGreaterThan(CONNECT_TIMEOUT_MS / 1000 - 1);
    expect(s).toBeLessThan(CONNECT_TIMEOUT_MS / 1000 + 2);
  }, 20_000);
});
