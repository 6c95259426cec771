/**
 * Live batches (`citytwin/v1/live/{scene}`, docs/contract.md): a page takes only a few thousand MQTT messages
 * a second, so readings are folded per scene and published at most once per LIVE_BATCH_MS.
 *
 * Each scene's batch goes at the end of the event-loop turn that brought its first news once the
 * scene has been quiet for a whole window, otherwise when the window since its last batch ends: a
 * light stream reaches operators at once instead of waiting out a fixed 200 ms tick, and a heavy one
 * still gets one message per window.
 */
import { SCENES, liveTopic, type LiveBatch, type LiveStatus, type Scene, type Values } from '../contracts';
import type { Bus } from './bus';
import type { Metrics } from './metrics';

interface Pending {
  readings: Map<string, { ts: number; values: Values }>;
  status: Map<string, LiveStatus>;
  /** performance.now() of the scene's last batch (monotonic: the service clock may be a test's). */
  lastAt: number;
  timer: NodeJS.Timeout | null;
  immediate: NodeJS.Immediate | null;
}

export class LiveBatcher {
  private readonly pending = new Map<Scene, Pending>();
  private started = false;

  constructor(
    private readonly bus: Bus,
    private readonly intervalMs: number,
    private readonly metrics: Metrics,
    private readonly now: () => number = Date.now,
  ) {
    for (const s of SCENES) this.pending.set(s, { readings: new Map(), status: new Map(), lastAt: -Infinity, timer: null, immediate: null });
  }

  start(): void {
    this.started = true;
    for (const scene of SCENES) this.schedule(scene);
  }

  /** A reading that moved a device's live state; later readings in the same window merge into it. */
  reading(scene: Scene, deviceId: string, ts: number, values: Values): void {
    const p = this.pending.get(scene)!;
    const prev = p.readings.get(deviceId);
    if (prev && prev.ts <= ts) p.readings.set(deviceId, { ts, values: { ...prev.values, ...values } });
    else if (!prev) p.readings.set(deviceId, { ts, values: { ...values } });
    this.schedule(scene);
  }

  /** A device's health changed (stale, back online, offline). */
  status(scene: Scene, deviceId: string, status: LiveStatus): void {
    this.pending.get(scene)!.status.set(deviceId, status);
    this.schedule(scene);
  }

  /** Publishes one message per scene that has anything new. */
  flush(): void {
    for (const scene of SCENES) this.publish(scene);
  }

  stop(): void {
    this.started = false;
    for (const p of this.pending.values()) this.cancel(p);
  }

  /** Arms the scene's next batch: at the end of this turn after a quiet window, else when the window ends. */
  private schedule(scene: Scene): void {
    const p = this.pending.get(scene)!;
    if (!this.started || p.timer || p.immediate || (p.readings.size === 0 && p.status.size === 0)) return;
    const wait = p.lastAt + this.intervalMs - performance.now();
    if (wait <= 0) p.immediate = setImmediate(() => this.publish(scene)).unref();
    else p.timer = setTimeout(() => this.publish(scene), Math.ceil(wait)).unref();
  }

  private publish(scene: Scene): void {
    const p = this.pending.get(scene)!;
    this.cancel(p);
    if (p.readings.size === 0 && p.status.size === 0) return;
    const batch: LiveBatch = {
      ts: this.now(),
      readings: [...p.readings].map(([id, r]) => [id, r.ts, r.values]),
      status: [...p.status],
    };
    p.readings.clear();
    p.status.clear();
    p.lastAt = performance.now();
    this.metrics.liveMessages.inc({ scene });
    this.metrics.liveReadings.inc({ scene }, batch.readings.length);
    // QoS 0, not retained: a lost batch is superseded by the next one a window later.
    this.bus.publish(liveTopic(scene), JSON.stringify(batch), { qos: 0, retain: false }).catch(() => {});
  }

  private cancel(p: Pending): void {
    if (p.timer) clearTimeout(p.timer);
    if (p.immediate) clearImmediate(p.immediate);
    p.timer = null;
    p.immediate = null;
  }
}
