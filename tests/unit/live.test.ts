/**
 * The browser's live pipeline without a browser: the per-frame buffer, and connectLive driven by a
 * stand-in MQTT client (the real broker path is covered by the end-to-end tests).
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AlarmRecord, LiveBatch } from '../../src/contracts';
import { LiveBuffer } from '../../src/live/buffer';
import { connectLive } from '../../src/live/connect';
import { createTwinStore } from '../../src/state/store';

const alarm = (id: string, severity: AlarmRecord['severity'], raisedAt: number): AlarmRecord => ({
  id, scene: 'confined', siteId: 's', deviceId: 'a', rule: 'h2s_ppm_high', severity, state: 'active_unack',
  message: 'm', value: 20, threshold: 14, raisedAt, updatedAt: raisedAt, clearedAt: null, ackedAt: null, ackedBy: null,
});

describe('LiveBuffer', () => {
  it('merges values per device, keeps the newest, and drops what is older than shown', () => {
    const b = new LiveBuffer();
    const live = new Map();
    b.addBatch({ ts: 1, readings: [['a', 100, { h2s_ppm: 1 }], ['b', 100, { o2_pct: 20 }]], status: [['c', 'stale']] });
    b.addBatch({ ts: 2, readings: [['a', 200, { co_ppm: 3 }], ['a', 50, { h2s_ppm: 9, nh3_ppm: 1 }]], status: [['b', 'offline']] });
    expect(b.foldInto(live).sort()).toEqual(['a', 'b', 'c']);
    expect(live.get('a')).toEqual({ ts: 200, values: { h2s_ppm: 1, co_ppm: 3, nh3_ppm: 1 }, status: 'online' });
    expect(live.get('b').status).toBe('offline');
    expect(live.get('c')).toEqual({ ts: null, values: {}, status: 'stale' });
    b.addBatch({ ts: 3, readings: [['a', 150, { h2s_ppm: 5 }]], status: [] });
    expect(b.foldInto(live)).toEqual([]);
  });

  it('keeps every quantity shown: a newer reading with some of them merges, one with all of them replaces', () => {
    const b = new LiveBuffer();
    const live = new Map();
    b.addBatch({ ts: 1, readings: [['a', 100, { h2s_ppm: 1, co_ppm: 2 }]], status: [] });
    b.foldInto(live);
    const first = live.get('a');
    b.addBatch({ ts: 2, readings: [['a', 200, { co_ppm: 3 }]], status: [] });
    b.foldInto(live);
    expect(live.get('a')).toEqual({ ts: 200, values: { h2s_ppm: 1, co_ppm: 3 }, status: 'online' });
    b.addBatch({ ts: 3, readings: [['a', 300, { h2s_ppm: 4, co_ppm: 5, o2_pct: 20.9 }]], status: [] });
    b.foldInto(live);
    expect(live.get('a')).toEqual({ ts: 300, values: { h2s_ppm: 4, co_ppm: 5, o2_pct: 20.9 }, status: 'online' });
    // What was shown before is left as it was (panels compare by identity).
    expect(first).toEqual({ ts: 100, values: { h2s_ppm: 1, co_ppm: 2 }, status: 'online' });
  });
});

class FakeClient extends EventEmitter {
  connected = false;
  /** The attempt's socket: destroying it is how an attempt is dropped. */
  stream = { destroyed: 0, destroy: () => void this.stream.destroyed++ };
  subs: string[] = [];
  subscribe(t: string[]): void {
    this.subs.push(...t);
  }
  end(): void {}
  reconnect(): void {}
}

describe('connectLive', () => {
  it('subscribes to live, alarms, escalation notices and the registry version only, counts malformed messages, folds readings, snapshot and alarms, passes registry versions on', async () => {
    const store = createTwinStore();
    let fake!: FakeClient;
    const versions: number[] = [];
    const snapshot: LiveBatch = { ts: 1, readings: [['z', 10, { speed_kmh: 55 }]], status: [['z', 'online']] };
    const conn = connectLive(store, {
      token: 'tok',
      url: 'ws://x/mqtt',
      connect: (_url, opts) => {
        expect(opts.username).toBe('browser');
        expect(opts.password).toBe('tok');
        fake = new FakeClient();
        return fake as never;
      },
      fetchAlarms: async () => ({ alarms: [alarm('old', 'minor', 1), alarm('gone', 'major', 2)], rejected: 0 }),
      fetchSnapshot: async () => snapshot,
      onRegistryVersion: (v) => versions.push(v),
    });
    expect(store.getState().connection).toBe('connecting');
    fake.emit('connect');
    expect(store.getState().connection).toBe('connected');
    expect(fake.subs.every((t) => t.startsWith('citytwin/v1/live/') || t === 'citytwin/v1/alarms/#' || t === 'citytwin/v1/notify/+' || t === 'citytwin/v1/registry')).toBe(true);
    expect(fake.subs).toContain('citytwin/v1/registry');
    const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
    fake.emit('message', 'citytwin/v1/live/confined', enc({ ts: 1, readings: [['a', Date.now(), { h2s_ppm: 20 }]], status: [] }));
    fake.emit('message', 'citytwin/v1/live/confined', enc({ nope: 1 }));
    fake.emit('message', 'citytwin/v1/live/park', new TextEncoder().encode('{not json'));
    fake.emit('message', 'citytwin/v1/alarms/new1', enc(alarm('new1', 'critical', 5)));
    fake.emit('message', 'citytwin/v1/alarms/gone', new Uint8Array(0));
    fake.emit('message', 'citytwin/v1/registry', enc({ version: 7 }));
    fake.emit('message', 'citytwin/v1/registry', enc({ version: 'eight' }));
    await expect.poll(() => store.getState().live.get('z')?.values.speed_kmh, { timeout: 2000 }).toBe(55);
    const s = store.getState();
    expect(versions).toEqual([7]);
    expect(s.rejectedInBrowser).toBe(3);
    expect(s.live.get('a')?.values.h2s_ppm).toBe(20);
    expect([...s.alarms.keys()].sort()).toEqual(['new1', 'old']);
    fake.emit('close');
    expect(store.getState().connection).toBe('reconnecting');
    conn.disconnect();
  });
});

describe('a connect attempt without answer', () => {
  afterEach(() => void vi.useRealTimers());

  it('is dropped after 8 s the page was free, not after 8 s of a held main thread', () => {
    vi.useFakeTimers();
    let fake!: FakeClient;
    const conn = connectLive(createTwinStore(), {
      token: 'tok',
      url: 'ws://x/mqtt',
      connect: () => (fake = new FakeClient()) as never,
      fetchAlarms: async () => ({ alarms: [], rejected: 0 }),
      fetchSnapshot: async () => null,
    });
    // The page's thread held for 20 s (the clock moves, no timer runs), then free for 7 s: still waiting.
    vi.setSystemTime(Date.now() + 20_000);
    vi.advanceTimersByTime(7_000);
    expect(fake.stream.destroyed).toBe(0);
    // The 8th free second drops the attempt (mqtt.js then retries); a connected link is never dropped.
    vi.advanceTimersByTime(1_000);
    expect(fake.stream.destroyed).toBe(1);
    fake.emit('reconnect');
    fake.connected = true;
    fake.emit('connect');
    vi.advanceTimersByTime(30_000);
    expect(fake.stream.destroyed).toBe(1);
    conn.disconnect();
  });
});

describe('the first answers of a live link', () => {
  it('asks for the snapshot beside the open alarms, once however the CONNACK interleaves, and folds it after them', async () => {
    const store = createTwinStore();
    let fake!: FakeClient;
    const asked: string[] = [];
    const waiting: (() => void)[] = [];
    const answerAlarms = () => waiting.forEach((answer) => answer());
    const conn = connectLive(store, {
      token: 'tok',
      url: 'ws://x/mqtt',
      connect: () => (fake = new FakeClient()) as never,
      fetchAlarms: () => {
        asked.push('alarms');
        return new Promise((ok) => void waiting.push(() => ok({ alarms: [{ ...alarm('a1', 'critical', 1), deviceId: 'd' }], rejected: 0 })));
      },
      fetchSnapshot: async () => {
        asked.push('snapshot');
        return { ts: 1, readings: [['d', 10, { h2s_ppm: 30 }]], status: [] };
      },
    });
    // Both asked for before either answers; the CONNACK before the alarms' answer asks for alarms only.
    expect([...asked].sort()).toEqual(['alarms', 'snapshot']);
    fake.emit('connect');
    expect([...asked].sort()).toEqual(['alarms', 'alarms', 'snapshot']);
    await new Promise((r) => setTimeout(r, 20));
    // The snapshot has arrived, but waits for the alarms: the value never shows without its alarm.
    expect(store.getState().live.get('d')).toBeUndefined();
    answerAlarms();
    await expect.poll(() => store.getState().live.get('d')?.values.h2s_ppm, { timeout: 2000 }).toBe(30);
    expect(store.getState().alarms.has('a1')).toBe(true);
    conn.disconnect();
  });

  it('folds the snapshot in the task it lands in, not at the next frame (streamed readings wait for one)', async () => {
    const store = createTwinStore();
    let fake!: FakeClient;
    const conn = connectLive(store, {
      token: 'tok',
      url: 'ws://x/mqtt',
      connect: () => (fake = new FakeClient()) as never,
      fetchAlarms: async () => ({ alarms: [], rejected: 0 }),
      fetchSnapshot: async () => ({ ts: 1, readings: [['d', 10, { h2s_ppm: 30 }]], status: [] }),
    });
    // No animation frames in Node: a fold waiting for one runs on the 250-ms fallback timer only.
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().live.get('d')?.values.h2s_ppm).toBe(30);
    expect(store.getState().liveVersion).toBe(1);
    fake.emit('connect');
    fake.emit('message', 'citytwin/v1/live/confined', Buffer.from(JSON.stringify({ ts: 2, readings: [['d', 20, { h2s_ppm: 31 }]], status: [] })));
    expect(store.getState().live.get('d')?.values.h2s_ppm).toBe(30);
    await expect.poll(() => store.getState().live.get('d')?.values.h2s_ppm, { timeout: 2000 }).toBe(31);
    conn.disconnect();
  });
});
