/**
 * The scale bench's load generator, a child process of its own (forked with IPC) so that making
 * messages does not share the event loop of the service it measures. Telemetry goes round-robin to
 * every device with quantities, ordinary values with a little noise, each device's `ts` increasing.
 *
 * Two modes: `max` writes as fast as the service's TCP sockets take the bytes (the kernel's buffers
 * bound the backlog, so the rate it settles at is what the service sustains); `rate` paces the
 * messages at `ratePerS` (the background load of the latency probes). Reports `{ sent }` every
 * 250 ms; stops on the message `stop`.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Device } from '../../src/contracts';

export interface LoadGenOptions {
  url: string;
  username?: string;
  password?: string;
  devices: Pick<Device, 'id' | 'scene' | 'quantities' | 'position'>[];
  mode: 'max' | 'rate';
  ratePerS?: number;
  connections: number;
}

/** Ordinary values per quantity: nothing in alarm (clean air, tanks half full, free-flowing roads). */
const NORMAL: Record<string, number> = {
  o2_pct: 20.9, h2s_ppm: 0.2, co_ppm: 1, nh3_ppm: 0.5, cl2_ppm: 0.01, lel_pct: 1, voc_ppm: 2,
  level_pct: 50, pressure_kpa: 2, temp_c: 20, wind_speed_ms: 3, wind_dir_deg: 90,
  speed_kmh: 25, flow_vph: 1200, occupancy_pct: 10, visibility_m: 5000, road_temp_c: 15, precip_mmh: 0, heading_deg: 90,
};
const VARIANTS = 4;
/** Bytes queued on a socket before the generator waits for it to drain. */
const HIGH_WATER = 256 * 1024;

function payloadParts(d: LoadGenOptions['devices'][number]): string[] {
  const out: string[] = [];
  for (let k = 0; k < VARIANTS; k++) {
    const values: Record<string, number> = {};
    for (const q of d.quantities) {
      if (q === 'lon_deg') values[q] = d.position[0];
      else if (q === 'lat_deg') values[q] = d.position[1];
      else values[q] = Math.round((NORMAL[q] ?? 1) * (1 + 0.01 * (k - 1)) * 1000) / 1000;
    }
    out.push(`,"values":${JSON.stringify(values)}}`);
  }
  return out;
}

async function run(o: LoadGenOptions): Promise<void> {
  const devs = o.devices.filter((d) => d.quantities.length > 0);
  const topics = devs.map((d) => `citytwin/v1/${d.scene}/${d.id}/telemetry`);
  const parts = devs.map(payloadParts);
  const lastTs = new Float64Array(devs.length);
  const clients: MqttClient[] = [];
  for (let i = 0; i < o.connections; i++) {
    clients.push(await mqtt.connectAsync(o.url, { username: o.username, password: o.password, reconnectPeriod: 0, clientId: `bench-load-${process.pid}-${i}` }));
  }
  let sent = 0;
  let next = 0;
  let stopped = false;
  const one = (c: MqttClient): void => {
    const i = next;
    next = (next + 1) % devs.length;
    const ts = Math.max(Date.now(), lastTs[i] + 1);
    lastTs[i] = ts;
    c.publish(topics[i], `{"ts":${ts}${parts[i][sent % VARIANTS]}`);
    sent++;
  };
  const report = setInterval(() => process.send?.({ sent }), 250);
  process.on('message', (m) => {
    if (m === 'stop') stopped = true;
  });
  if (o.mode === 'max') {
    await Promise.all(
      clients.map(async (c) => {
        const stream = (c as unknown as { stream: NodeJS.WritableStream & { writableLength: number } }).stream;
        while (!stopped) {
          for (let k = 0; k < 200; k++) one(c);
          if (stream.writableLength > HIGH_WATER) await new Promise((r) => stream.once('drain', r));
          else await new Promise((r) => setImmediate(r));
        }
      }),
    );
  } else {
    const t0 = performance.now();
    while (!stopped) {
      const due = Math.floor(((performance.now() - t0) / 1000) * (o.ratePerS ?? 1000));
      while (sent < due) one(clients[sent % clients.length]);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  clearInterval(report);
  process.send?.({ sent, done: true });
  await Promise.all(clients.map((c) => c.endAsync(true)));
  process.exit(0);
}

process.once('message', (o) => {
  run(o as LoadGenOptions).catch((e: unknown) => {
    console.error('load generator:', e);
    process.exit(1);
  });
});
