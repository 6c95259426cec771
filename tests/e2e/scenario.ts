/**
 * What the end-to-end tests publish as devices: one MQTT device connection per file whose
 * readings never share a timestamp (the service keeps one reading per device and ts), a feed
 * repeated every few seconds as real devices report, and the alarms-in-every-scene scenario the
 * language and layout files read their screens in.
 */
import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import type { Twin } from './twin';

/** The generated demo registry the twin serves (public/data/registry.json), as far as the tests read it. */
export interface DemoRegistry {
  devices: { id: string; kind: string; siteId: string; position: number[] }[];
  sites: { id: string; kind: string; geometry: { type: string; coordinates: number[][] } }[];
  persons?: { id: string }[];
}
export const demoRegistry = JSON.parse(readFileSync(new URL('../../public/data/registry.json', import.meta.url), 'utf8')) as DemoRegistry;

type Body = Record<string, unknown>;

export interface DeviceFeed {
  client: MqttClient;
  /** Publishes a device's telemetry or event, stamped now (and after the last one) unless `body` has its own `ts`. */
  pub(scene: string, id: string, kind: 'telemetry' | 'event', body: Body): Promise<unknown>;
  /** An access-control event of a confined space. */
  access(spaceId: string, body: Body): Promise<unknown>;
  /** Runs `tick` now and then every `ms` until `close`, as devices that keep reporting. */
  every(ms: number, tick: () => void): void;
  /** Stops the repeated feeds and disconnects. */
  close(): Promise<void>;
}

/** Connects to the twin's broker with the shared device account. */
export async function deviceFeed(twin: Twin): Promise<DeviceFeed> {
  const client = await mqtt.connectAsync(twin.mqttUrl, { username: 'device', password: twin.devicePassword });
  const timers: ReturnType<typeof setInterval>[] = [];
  let lastTs = 0;
  const pub: DeviceFeed['pub'] = (scene, id, kind, body) =>
    client.publishAsync(`citytwin/v1/${scene}/${id}/${kind}`, JSON.stringify({ ts: (lastTs = Math.max(Date.now(), lastTs + 1)), ...body }));
  return {
    client,
    pub,
    access: (spaceId, body) => pub('confined', `${spaceId}-access`, 'event', { spaceId, ...body }),
    every: (ms, tick) => {
      tick();
      timers.push(setInterval(tick, ms));
    },
    close: async () => {
      for (const t of timers) clearInterval(t);
      await client.endAsync();
    },
  };
}

/** The space with workers inside, its three gas levels clean, and the segment of the crash. */
export const SPACE = 'kq-p1-s1';
export const OTHER_SPACE = 'kq-p1-s2';
export const CLEAN = { o2_pct: 20.9, h2s_ppm: 0.2, co_ppm: 1, nh3_ppm: 1, lel_pct: 0 };
export const CRASH_SEGMENT = 'zj-g60-s04';
/** The midpoint of the crash segment: where the crash is reported. */
export const crashAt = (() => {
  const c = demoRegistry.sites.find((s) => s.id === CRASH_SEGMENT)!.geometry.coordinates;
  return [(c[0][0] + c[c.length - 1][0]) / 2, (c[0][1] + c[c.length - 1][1]) / 2];
})();
/** The park stations a flood of level-1 alarms comes from, beside the Cl₂ release at sy-bs3. */
export const FLOOD_STATIONS = ['sy-bs1-gas', 'sy-bs2-gas', 'sy-bs4-gas', 'sy-bs5-gas', 'sy-bs6-gas'];

/**
 * Alarms in every scene, kept up by a feed every 2 s: in the confined space two workers inside
 * with a permit while H₂S rises to 20 ppm in its lower layer (an evacuate) and a third badge in the
 * next pit; Cl₂ 1.2 ppm at the park's station 3 with the wind as given, a hazmat truck at 62 km/h
 * among the tanks; fog on the G60 and a crash on one of its segments. Options: the crash's id, a
 * level-1 flood at five more stations, the third badge's entry backdated (an overstay), and a
 * detector of another plant that reports once and falls silent.
 */
export async function alarmsInEveryScene(
  feed: DeviceFeed,
  opts: { incidentId: string; wind: { dirDeg: number; speedMs: number }; flood?: boolean; otherEntryAgoMin?: number; silentDetector?: boolean },
): Promise<void> {
  const inPark = demoRegistry.devices.find((d) => d.kind === 'tank_sensor')!.position;
  let lower = { ...CLEAN };
  feed.every(2000, () => {
    for (const level of ['upper', 'middle']) void feed.pub('confined', `${SPACE}-gas-${level}`, 'telemetry', { values: CLEAN });
    void feed.pub('confined', `${SPACE}-gas-lower`, 'telemetry', { values: lower });
    void feed.pub('park', 'sy-bs3-gas', 'telemetry', { values: { cl2_ppm: 1.2, nh3_ppm: 0.5, h2s_ppm: 0.1, voc_ppm: 2 } });
    if (opts.flood) for (const id of FLOOD_STATIONS) void feed.pub('park', id, 'telemetry', { values: { cl2_ppm: 0.5, nh3_ppm: 40, h2s_ppm: 10, voc_ppm: 70 } });
    void feed.pub('park', 'sy-wind', 'telemetry', { values: { wind_dir_deg: opts.wind.dirDeg, wind_speed_ms: opts.wind.speedMs } });
    void feed.pub('park', 'sy-truck-01', 'telemetry', { values: { lon_deg: inPark[0], lat_deg: inPark[1], speed_kmh: 62 } });
    void feed.pub('roads', 'zj-wx-g60', 'telemetry', { values: { visibility_m: 150, road_temp_c: 8, precip_mmh: 0 } });
  });
  await feed.access(SPACE, { type: 'gas.test', levels: { upper: CLEAN, middle: CLEAN, lower: CLEAN } });
  await feed.access(SPACE, { type: 'permit.open', permitId: 'PT-0417', workers: ['W0417', 'W0523'], attendant: 'A0132', maxPersons: 2 });
  await feed.access(SPACE, { type: 'entry', personId: 'W0417' });
  await feed.access(SPACE, { type: 'entry', personId: 'W0523' });
  const otherTs = opts.otherEntryAgoMin === undefined ? {} : { ts: Date.now() - opts.otherEntryAgoMin * 60_000 };
  await feed.access(OTHER_SPACE, { type: 'entry', personId: 'W0611', ...otherTs });
  lower = { ...CLEAN, h2s_ppm: 20 };
  if (opts.silentDetector) await feed.pub('confined', 'kq-p2-s1-gas-upper', 'telemetry', { values: CLEAN });
  await feed.pub('roads', 'zj-ops', 'event', {
    type: 'incident',
    incidentId: opts.incidentId,
    kind: 'crash',
    segmentId: CRASH_SEGMENT,
    lonDeg: crashAt[0],
    latDeg: crashAt[1],
    state: 'open',
  });
}
