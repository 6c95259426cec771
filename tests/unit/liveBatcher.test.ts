/**
 * The service's live batches on an injected clock (vitest's fake timers): news after a quiet
 * window goes out at the end of its event-loop turn, and a steady stream still gets at most one
 * message per scene and window (docs/contract.md "Live batches").
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveBatch } from '../../src/contracts';
import type { Bus } from '../../src/server/bus';
import { LiveBatcher } from '../../src/server/live';
import { Metrics } from '../../src/server/metrics';

const WINDOW_MS = 200;

/** A bus that keeps what the batcher publishes (the broker path is covered by tests/integration/live.test.ts). */
function recordingBus(): { bus: Bus; sent: { topic: string; batch: LiveBatch }[] } {
  const sent: { topic: string; batch: LiveBatch }[] = [];
  const bus: Bus = {
    mode: 'embedded',
    onMessage: () => {},
    publish: async (topic, payload) => void sent.push({ topic, batch: JSON.parse(String(payload)) as LiveBatch }),
    status: () => ({ mode: 'embedded', connected: true }),
    close: async () => {},
  };
  return { bus, sent };
}

describe('LiveBatcher', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'performance', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  const batcher = () => {
    const { bus, sent } = recordingBus();
    const live = new LiveBatcher(bus, WINDOW_MS, new Metrics(() => [], () => 0));
    live.start();
    return { live, sent };
  };

  it('sends news after a quiet window at the end of the turn, not a window later', async () => {
    const { live, sent } = batcher();
    live.reading('roads', 'det-1', 1000, { speed_kmh: 40 });
    live.reading('roads', 'det-2', 1000, { speed_kmh: 50 });
    expect(sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(1);
    expect(sent[0].topic).toBe('citytwin/v1/live/roads');
    expect(sent[0].batch.readings.map(([id]) => id)).toEqual(['det-1', 'det-2']);
  });

  it('holds what comes within the window until it ends, merged per device', async () => {
    const { live, sent } = batcher();
    live.reading('roads', 'det-1', 1000, { speed_kmh: 40 });
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(50);
    live.reading('roads', 'det-1', 1100, { speed_kmh: 41 });
    live.reading('roads', 'det-1', 1200, { flow_vph: 900 });
    await vi.advanceTimersByTimeAsync(WINDOW_MS - 50 - 1);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(2);
    expect(sent[1].batch.readings).toEqual([['det-1', 1200, { speed_kmh: 41, flow_vph: 900 }]]);
  });

  it('gives a steady stream at most one message per scene and window, and each scene its own window', async () => {
    const { live, sent } = batcher();
    for (let t = 0; t < 1000; t += 10) {
      live.reading('roads', `det-${t % 7}`, t, { speed_kmh: t % 90 });
      live.status('confined', `gas-${t % 5}`, 'online');
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    for (const scene of ['roads', 'confined']) {
      const at = sent.filter((s) => s.topic.endsWith(scene)).map((s) => s.batch.ts);
      // The first at once, then one per window: 1 + 1000 / 200.
      expect(at.length).toBe(6);
      for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(WINDOW_MS);
    }
  });

  it('sends nothing once stopped, and what waited when started', async () => {
    const { bus, sent } = recordingBus();
    const live = new LiveBatcher(bus, WINDOW_MS, new Metrics(() => [], () => 0));
    live.status('park', 'tank-1', 'stale');
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    expect(sent).toHaveLength(0);
    live.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.batch.status)).toEqual([[['tank-1', 'stale']]]);
    live.reading('park', 'tank-1', 5, { level_pct: 50 });
    live.stop();
    await vi.advanceTimersByTimeAsync(2 * WINDOW_MS);
    expect(sent).toHaveLength(1);
  });
});
