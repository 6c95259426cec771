/**
 * Live batches (`citytwin/v1/live/{scene}`, docs/contract.md): a page takes only a few thousand MQTT messages
 * a second, so readings are folded per scene and published at most once per LIVE_BATCH_MS.
 */
import { SCENES, liveTopic, type LiveBatch, type LiveStatus, type Scene, type Values } from '../contracts';
import type { Bus } from './bus';
import type { Metrics } from './metrics';

interface Pending {
  readings: Map<string, { ts: number; values: Values }>;
  status: Map<string, LiveStatus>;
}

export class LiveBatcher {
  private readonly pending = new Map<Scene, Pending>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly bus: Bus,
    private readonly intervalMs: number,
    private readonly metrics: Metrics,
    private readonly now: () => number = Date.now,
  ) {
    for (const s of SCENES) this.pending.set(s, { readings: new Map(), status: new Map() });
  }

  start(): void {
    this.timer ??= setInterval(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /** A reading that moved a device's live state; later readings in the same window merge into it. */
  reading(scene: Scene, deviceId: string, ts: number, values: Values): void {
    const p = this.pending.get(scene)!;
    const prev = p.readings.get(deviceId);
    if (prev && prev.ts <= ts) p.readings.set(deviceId, { ts, values: { ...prev.values, ...values } });
    else if (!prev) p.readings.set(deviceId, { ts, values: { ...values } });
  }

  /** A device's health changed (stale, back online, offline). */
  status(scene: Scene, deviceId: string, status: LiveStatus): void {
    this.pending.get(scene)!.status.set(deviceId, status);
  }

  /** Publishes one message per scene that has anything new. */
  flush(): void {
    for (const [scene, p] of this.pending) {
      if (p.readings.size === 0 && p.status.size === 0) continue;
      const batch: LiveBatch = {
        ts: this.now(),
        readings: [...p.readings].map(([id, r]) => [id, r.ts, r.values]),
        status: [...p.status],
      };
      p.readings.clear();
      p.status.clear();
      this.metrics.liveMessages.inc({ scene });
      this.metrics.liveReadings.inc({ scene }, batch.readings.length);
      // QoS 0, not retained: a lost batch is superseded by the next one 200 ms later.
      this.bus.publish(liveTopic(scene), JSON.stringify(batch), { qos: 0, retain: false }).catch(() => {});
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
