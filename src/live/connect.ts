/**
 * The browser's live link: mqtt.js over WebSocket to the service's `/mqtt`,
 * subscribed to `live/{scene}` batches, retained `alarms/#` records and the registry's version. Every message is checked
 * with the contract validators, buffered, and folded into the store once per animation frame.
 *
 * Connection state in the store: `connecting` until the first CONNACK, `connected`, `reconnecting`
 * while mqtt.js retries (every 2 s), `offline` once the link has been down for 15 s or the browser
 * says it is offline. A refused login (bad or expired token) ends the session.
 */
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import {
  ALARMS_WILDCARD,
  BROWSER_MQTT_USERNAME,
  REGISTRY_TOPIC,
  SCENES,
  TOPIC_ROOT,
  decodeJson,
  liveTopic,
  parseAlarmRecord,
  parseAlarmTopic,
  parseLiveTopic,
  validateLiveBatch,
  type AlarmRecord,
  type LiveBatch,
} from '../contracts';
import { markBoot, type Connection, type TwinStore } from '../state';
import { ApiError, fetchLiveSnapshot, fetchOpenAlarms } from './api';
import { LiveBuffer } from './buffer';
import { createFrameLoop } from './frame';
import { parseRegistryVersion } from './registry';

export interface LiveOptions {
  token: string;
  /** Broker URL; default `ws(s)://<this host>/mqtt`. */
  url?: string;
  /** Injected in tests; default `mqtt.connect`. */
  connect?: (url: string, opts: IClientOptions) => MqttClient;
  /** Injected in tests; default GET /api/alarms?state=open. */
  fetchAlarms?: (token: string) => Promise<{ alarms: AlarmRecord[]; rejected: number }>;
  /** Injected in tests; default GET /api/live. */
  fetchSnapshot?: (token: string) => Promise<LiveBatch | null>;
  /** True while the app replays the past: nothing is folded into the store then. */
  paused?: () => boolean;
  /** Called with each registry version the service announces (retained: once on every connect too). */
  onRegistryVersion?: (version: number) => void;
}

export interface LiveConnection {
  /** Closes the link for good (no reconnect) and stops folding. */
  disconnect(): void;
  /** Reloads open alarms and the live snapshot and folds them (after a replay). */
  resync?(): void;
}

/** mqtt.js retry period; short, because a control room should not wait long for data to return. */
export const RECONNECT_MS = 2000;
/** Down this long, the badge turns from "reconnecting" to "offline". */
export const OFFLINE_AFTER_MS = 15_000;
/**
 * A CONNACK that never comes counts as a failed attempt after this many seconds the page was free
 * to handle its socket (measured: a connect may never settle on its own). Counted by a 1-s tick,
 * not by the wall clock: mqtt.js's own timer counts time the page's main thread was held too (the
 * globe's first build in software WebGL held it ~8 s), fired before the socket's open event could
 * send CONNECT, and dropped the attempt unsent — a second page never got its link.
 */
const CONNECT_TIMEOUT_FREE_S = 8;
/** mqtt.js's wall-clock limit, only a backstop now. */
const CONNECT_TIMEOUT_WALL_MS = 60_000;
/** Every this many failed attempts, ask the HTTP API whether the token is still good (a refusal can be lost). */
const PROBE_EVERY = 3;

/** Escalation notices of every scene: `{type: 'escalation', alarm, escalatedAt, afterS}`, shown as a toast. */
const NOTIFY_PREFIX = `${TOPIC_ROOT}/notify/`;

/** CONNACK codes that mean "these credentials are not accepted": 3.1.1 (4, 5) and 5.0 (134, 135). */
const AUTH_REFUSED = new Set([4, 5, 134, 135]);

export function defaultBrokerUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/mqtt`;
}

/** Connects the store to the live stream. Call `disconnect()` on logout or unmount. */
export function connectLive(store: TwinStore, opts: LiveOptions): LiveConnection {
  const { token } = opts;
  const fetchAlarms = opts.fetchAlarms ?? fetchOpenAlarms;
  const fetchSnapshot = opts.fetchSnapshot ?? fetchLiveSnapshot;
  const buffer = new LiveBuffer();
  let rejects = 0;
  let stopped = false;
  let everConnected = false;
  let downSince: number | null = Date.now();
  let failures = 0;
  let offlineTimer: ReturnType<typeof setTimeout> | null = null;
  // Alarm ids changed over MQTT while a resync fetch is in flight: those are newer than its answer.
  let resyncing = 0;
  const touched = new Set<string>();

  const set = (c: Connection) => {
    if (!stopped && store.getState().connection !== c) store.getState().setConnection(c);
  };

  const paused = opts.paused ?? (() => false);

  const loop = createFrameLoop(() => {
    const s = store.getState();
    if (paused()) {
      // Replaying: readings wait in the buffer (newest per device); alarm changes are dropped,
      // the resync on return to live reloads the open alarms.
      buffer.takeAlarms();
      return;
    }
    if (rejects > 0) {
      s.countRejected(rejects);
      rejects = 0;
    }
    const alarms = buffer.takeAlarms();
    if (alarms.size > 0) {
      if (resyncing > 0) for (const id of alarms.keys()) touched.add(id);
      s.applyAlarmChanges(alarms);
    }
    const ids = buffer.foldInto(s.live);
    if (ids.length > 0) (s.commitLive(ids), markBoot('liveApplied'));
  });

  const reject = () => {
    rejects++;
    loop.request();
  };

  const onMessage = (topic: string, payload: Uint8Array) => {
    if (stopped) return;
    if (parseLiveTopic(topic)) {
      const json = decodeJson(payload);
      const batch = json.ok ? validateLiveBatch(json.value) : json;
      if (!batch.ok) return reject();
      buffer.addBatch(batch.value);
      return loop.request();
    }
    if (topic === REGISTRY_TOPIC) {
      const json = decodeJson(payload);
      const version = json.ok ? parseRegistryVersion(json.value) : null;
      if (version === null) return reject();
      opts.onRegistryVersion?.(version);
      return;
    }
    if (topic.startsWith(NOTIFY_PREFIX)) {
      const json = decodeJson(payload);
      const n = json.ok ? (json.value as { type?: unknown; alarm?: unknown; afterS?: unknown }) : null;
      const alarm = n?.type === 'escalation' ? parseAlarmRecord(n.alarm) : null;
      if (!alarm) return reject();
      const afterS = typeof n?.afterS === 'number' ? n.afterS : 0;
      const params = { min: Math.round(afterS / 60), s: afterS, title: alarm.message || alarm.rule, where: alarm.deviceId ?? alarm.siteId ?? alarm.scene };
      const key = afterS >= 60 ? 'commonUi.notify.escalated' : 'commonUi.notify.escalatedS';
      store.getState().notify({ kind: 'error', text: `escalated: ${params.title}`, key, params });
      return;
    }
    const alarmId = parseAlarmTopic(topic);
    if (alarmId) {
      // An empty retained payload is how the service says the alarm closed.
      if (payload.length === 0) buffer.addAlarm(alarmId, null);
      else {
        const json = decodeJson(payload);
        const record = json.ok ? parseAlarmRecord(json.value) : null;
        if (!record || record.id !== alarmId) return reject();
        buffer.addAlarm(alarmId, record);
      }
      return loop.request();
    }
  };

  const logoutRefused = () => {
    if (stopped) return;
    const s = store.getState();
    stop();
    s.logout({ kind: 'error', text: 'session refused', key: 'login.expired' });
  };

  /** Whether the live snapshot has been fetched (or is on its way) since this link was created. */
  let snapshotAsked = false;

  /**
   * Reloads open alarms over HTTP (what closed while we were away has no retained message to tell
   * us) and, unless `withSnapshot` is false, the latest value of every device.
   */
  const resync = async (withSnapshot = true) => {
    if (paused()) return;
    resyncing++;
    // Both asked for at once (at 25,000 devices each answer is megabytes), folded in this order:
    // a point does not show its value before the alarm it is in. Asked for once per link until it
    // connects, however its CONNACK and the first answers interleave.
    if (withSnapshot) snapshotAsked = true;
    const snapshot = withSnapshot ? fetchSnapshot(token) : null;
    snapshot?.catch(() => {}); // awaited (and its error handled) below
    const failed = (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) logoutRefused();
      // Anything else: the retained alarms still arrive over MQTT; the next connect retries.
    };
    try {
      const { alarms, rejected } = await fetchAlarms(token);
      if (stopped || paused()) return;
      const s = store.getState();
      s.countRejected(rejected);
      const merged = new Map(alarms.map((a) => [a.id, a]));
      for (const id of touched) {
        const cur = s.alarms.get(id);
        if (cur) merged.set(id, cur);
        else merged.delete(id);
      }
      s.replaceAlarms([...merged.values()]);
      markBoot('alarms');
    } catch (e) {
      failed(e);
    } finally {
      if (--resyncing === 0) touched.clear();
    }
    // Latest values of every device, so nothing shows "no data" until it next reports. The
    // buffer keeps the newer of snapshot and live values per device.
    try {
      const batch = await snapshot;
      if (stopped || paused()) return;
      if (batch) buffer.addBatch(batch);
      else if (batch === null && snapshot) store.getState().countRejected(1);
      // Folded in the task it lands in, not at the next animation frame: on a cold start that
      // frame is Cesium's first with the registry (shader links, the sites' ground primitives,
      // 0.5 s and more in software WebGL), and the snapshot's values waited behind it.
      if (batch) loop.flush();
      else loop.request();
    } catch (e) {
      failed(e);
    }
  };

  const markDown = () => {
    if (stopped) return;
    const now = Date.now();
    if (downSince === null) downSince = now;
    const browserOffline = typeof navigator !== 'undefined' && navigator.onLine === false;
    if (browserOffline || now - downSince >= OFFLINE_AFTER_MS) return set('offline');
    set(everConnected ? 'reconnecting' : 'connecting');
    if (!offlineTimer) {
      offlineTimer = setTimeout(() => {
        offlineTimer = null;
        if (downSince !== null) set('offline');
      }, OFFLINE_AFTER_MS - (now - downSince));
    }
  };

  const client = (opts.connect ?? mqtt.connect)(opts.url ?? defaultBrokerUrl(), {
    username: BROWSER_MQTT_USERNAME,
    password: token,
    // `web-` ids are the browsers' own (the broker refuses them to anyone else); random per page.
    clientId: `web-${Math.random().toString(36).slice(2, 12)}`,
    reconnectPeriod: RECONNECT_MS,
    connectTimeout: CONNECT_TIMEOUT_WALL_MS,
    // Retry after refusals such as "server unavailable"; an auth refusal is handled below and ends the client.
    reconnectOnConnackError: true,
    clean: true,
    keepalive: 30,
  });
  set('connecting');

  // Open alarms and the snapshot are fetched while the broker connects, not after its CONNACK
  // (at 25,000 devices they are the slow part of a cold start).
  void resync();

  // An attempt still without CONNACK after CONNECT_TIMEOUT_FREE_S ticks is dropped (mqtt.js retries).
  let freeTicks = 0;
  const watchdog = setInterval(() => {
    if (stopped || client.connected) return void (freeTicks = 0);
    if (++freeTicks < CONNECT_TIMEOUT_FREE_S) return;
    freeTicks = 0;
    client.stream?.destroy();
  }, 1000);
  client.on('reconnect', () => void (freeTicks = 0));

  client.on('connect', () => {
    if (stopped) return;
    markBoot('mqtt');
    // The first time, the snapshot is already here or on its way (a reading sent between it and
    // the subscription is replaced by the device's next one); alarms are reloaded every time, as a
    // closure in that gap leaves no retained message behind.
    const withSnapshot = everConnected || !snapshotAsked;
    everConnected = true;
    downSince = null;
    failures = 0;
    if (offlineTimer) clearTimeout(offlineTimer);
    offlineTimer = null;
    set('connected');
    client.subscribe([...SCENES.map(liveTopic), ALARMS_WILDCARD, `${NOTIFY_PREFIX}+`, REGISTRY_TOPIC], { qos: 0 });
    void resync(withSnapshot);
  });
  client.on('message', onMessage);
  client.on('close', markDown);
  client.on('offline', markDown);
  client.on('reconnect', () => {
    markDown();
    if (++failures % PROBE_EVERY === 0) {
      fetchAlarms(token).catch((e) => {
        if (e instanceof ApiError && e.status === 401) logoutRefused();
      });
    }
  });
  client.on('error', (err: Error & { code?: number }) => {
    if (typeof err.code === 'number' && AUTH_REFUSED.has(err.code)) logoutRefused();
  });

  const onBrowserOffline = () => markDown();
  const onBrowserOnline = () => {
    if (stopped) return;
    // The WebSocket may have survived a short network blip: then only the badge was wrong.
    if (client.connected) {
      downSince = null;
      set('connected');
    } else client.reconnect();
  };
  if (typeof window !== 'undefined') {
    window.addEventListener('offline', onBrowserOffline);
    window.addEventListener('online', onBrowserOnline);
  }

  function stop() {
    if (stopped) return;
    set('offline');
    stopped = true;
    clearInterval(watchdog);
    loop.cancel();
    if (offlineTimer) clearTimeout(offlineTimer);
    if (typeof window !== 'undefined') {
      window.removeEventListener('offline', onBrowserOffline);
      window.removeEventListener('online', onBrowserOnline);
    }
    client.end(true);
  }

  return { disconnect: stop, resync: () => void resync(true) };
}
