/**
 * The status bar's online / stale / offline counts kept up to date instead of judging every device
 * every second (at 25,000 devices that walk cost 13–23 ms a tick in Chromium). A device is judged
 * again only when its live state changed (`touch`) or its stale deadline passed; the figures are
 * those `linkCounts` gives for the same state and clock. A clock that runs back (replay) or a new
 * registry recounts everything once.
 */
import type { Device, DeviceLive } from '../contracts';
import { DeadlineQueue, staleAtMs } from '../domain';
import { deviceLink, type Link, type LinkCounts } from './health';

export class LinkTally {
  private devices: ReadonlyMap<string, Device> | null = null;
  private readonly link = new Map<string, Link>();
  private readonly staleAt = new DeadlineQueue();
  /**
   * The changed ids of each fold since the last count, judged at the count (a device in two lists
   * is judged twice, the same way): a fold costs one push, not a set insert per reading.
   */
  private touched: (readonly string[])[] = [];
  private touchedIds = 0;
  private counts: LinkCounts = { online: 0, stale: 0, offline: 0, nodata: 0 };
  private lastNowMs = -Infinity;

  /**
   * Marks devices whose live state changed (the store's `changedIds` of each fold, a list not
   * changed afterwards). Lists holding more ids than there are devices (nobody counted for a
   * while) are dropped for one recount of every device.
   */
  touch(ids: readonly string[]): void {
    if (!this.devices) return;
    this.touched.push(ids);
    this.touchedIds += ids.length;
    if (this.touchedIds > this.devices.size) this.reset();
  }

  /** Forgets everything: the next `count` judges every device. */
  reset(): void {
    this.devices = null;
    this.touched = [];
    this.touchedIds = 0;
  }

  /** Devices by link state at `nowMs`. */
  count(devices: ReadonlyMap<string, Device>, live: ReadonlyMap<string, DeviceLive>, nowMs: number): LinkCounts {
    if (devices !== this.devices || nowMs < this.lastNowMs) this.recount(devices, live, nowMs);
    else {
      for (const ids of this.touched) for (const id of ids) this.judge(id, live, nowMs);
      for (const id of this.staleAt.popDue(nowMs)) this.judge(id, live, nowMs);
    }
    this.touched = [];
    this.touchedIds = 0;
    this.lastNowMs = nowMs;
    return { ...this.counts };
  }

  private recount(devices: ReadonlyMap<string, Device>, live: ReadonlyMap<string, DeviceLive>, nowMs: number): void {
    this.devices = devices;
    this.link.clear();
    this.staleAt.clear();
    this.counts = { online: 0, stale: 0, offline: 0, nodata: 0 };
    for (const id of devices.keys()) this.judge(id, live, nowMs);
  }

  /** Judges one device again and moves it between the counts; queues when it would turn stale. */
  private judge(id: string, live: ReadonlyMap<string, DeviceLive>, nowMs: number): void {
    const device = this.devices?.get(id);
    if (!device) return;
    const l = live.get(id);
    const next = deviceLink(device, l, nowMs);
    const prev = this.link.get(id);
    if (prev !== next) {
      if (prev) this.counts[prev]--;
      this.counts[next]++;
      this.link.set(id, next);
    }
    const at = next === 'online' && device.quantities.length > 0 ? staleAtMs(l?.ts ?? null, device.intervalS) : null;
    if (at === null) this.staleAt.delete(id);
    else this.staleAt.set(id, at);
  }
}
