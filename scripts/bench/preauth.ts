/**
 * Memory an unauthenticated attacker makes the broker hold: four TCP connections each announcing a
 * 200 MB CONNECT and writing 64 MiB, against a bare aedes (the baseline, which buffers the packet
 * before authenticating) and the service (which cuts the connection on the fixed header). Also the
 * time of one login (scrypt, the cost a password guess pays).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import { startService } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';

const MIB = 1024 * 1024;
const FILLER = Buffer.alloc(MIB, 0x61);
const HEADER_200MB = Buffer.from([0x10, 0x80, 0x84, 0xaf, 0x5f]); // remaining length 200,000,000

async function flood(port: number, mib: number): Promise<void> {
  const s: Socket = await new Promise((resolve, reject) => {
    const c = connect(port, '127.0.0.1', () => resolve(c));
    c.on('error', reject);
  });
  s.on('error', () => {});
  const closed = new Promise<void>((r) => s.once('close', () => r()));
  s.write(HEADER_200MB);
  for (let i = 0; i < mib && !s.destroyed; i++) {
    if (!s.write(FILLER)) await Promise.race([new Promise((r) => s.once('drain', r)), closed]);
  }
  // Give the server time to read what the kernel holds, then measure.
  await Promise.race([closed, new Promise((r) => setTimeout(r, 500))]);
  s.destroy();
}

/** MiB of Buffers the process holds more after four floods. */
async function heldAfterFloods(port: number): Promise<number> {
  const before = process.memoryUsage().arrayBuffers;
  await Promise.all([1, 2, 3, 4].map(() => flood(port, 64)));
  return (process.memoryUsage().arrayBuffers - before) / MIB;
}

export async function benchPreauth(): Promise<Record<string, number>> {
  const bare = await Aedes.createBroker();
  const tcp = createServer(bare.handle);
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  const bareMiB = await heldAfterFloods((tcp.address() as AddressInfo).port);
  await new Promise<void>((r) => bare.close(() => r()));
  await new Promise<void>((r) => tcp.close(() => r()));

  const dir = mkdtempSync(join(tmpdir(), 'citytwin-bench-preauth-'));
  const svc = await startService(loadConfig({ PORT: '0', MQTT_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, SIMULATE: '0' }));
  try {
    const serviceMiB = await heldAfterFloods(svc.mqttPort!);
    const t0 = performance.now();
    const n = 10;
    for (let i = 0; i < n; i++) {
      await fetch(`${svc.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'citytwin' }) });
    }
    return { bareAedesHeldMiB: bareMiB, serviceHeldMiB: serviceMiB, ratio: serviceMiB / Math.max(bareMiB, 1e-9), loginMs: (performance.now() - t0) / n };
  } finally {
    await svc.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
