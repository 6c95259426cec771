/**
 * Pure derivations from the store for panels (no React): which alarms a view shows and in what
 * order, a device's health, a quantity's state against its limits, counts for the status bar.
 */
import type { AlarmRecord, Device, DeviceLive, Quantity, QuantityLimits, Scene, Severity } from '../contracts';
import { SEVERITIES } from '../contracts';
import { SEVERITY_RANK, deviceConditions, isStale, thresholdConditions, worstSeverity } from '../domain';
import type { View } from './store';

/** Open alarms shown in a view (all scenes in the overview), worst severity first, then newest. */
export function alarmsInView(alarms: ReadonlyMap<string, AlarmRecord>, view: View): AlarmRecord[] {
  const out: AlarmRecord[] = [];
  for (const a of alarms.values()) if (view === 'overview' || a.scene === view) out.push(a);
  return out.sort(compareAlarms);
}

/**
 * Worst severity first; within a severity the most recently raised first; shelved alarms (an
 * operator hid them) after all others; the id breaks ties so the order is stable.
 */
export function compareAlarms(a: AlarmRecord, b: AlarmRecord): number {
  const shelved = Number(a.state === 'shelved') - Number(b.state === 'shelved');
  return (
    shelved ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    b.raisedAt - a.raisedAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function severityCounts(alarms: readonly AlarmRecord[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const a of alarms) counts[a.severity]++;
  return counts;
}

/** Alarms per scene, for the counts on the scene tabs. */
export function alarmCountsByScene(alarms: ReadonlyMap<string, AlarmRecord>): Record<Scene, number> {
  const out: Record<Scene, number> = { confined: 0, park: 0, roads: 0 };
  for (const a of alarms.values()) out[a.scene]++;
  return out;
}

/** Connectivity of a device: `nodata` until its first reading or status arrives. */
export type Link = 'online' | 'stale' | 'offline' | 'nodata';

/**
 * A device with quantities is stale when the service says so or when it has been silent for
 * 3 × its interval here (domain `isStale`), so a stalled stream never leaves it looking normal.
 */
export function deviceLink(device: Pick<Device, 'quantities' | 'intervalS'>, live: DeviceLive | undefined, nowMs: number): Link {
  if (!live) return 'nodata';
  if (live.status === 'offline') return 'offline';
  if (live.status === 'stale') return 'stale';
  if (device.quantities.length > 0 && isStale(live.ts, device.intervalS, nowMs)) return 'stale';
  return 'online';
}

/** What a device's badge shows; the same order as the globe's point colours (scene/cesium/colors.ts). */
export type Health = Severity | 'normal' | 'stale' | 'offline' | 'nodata';

/**
 * Its worst open alarm first; then stale / offline / no data (grey: a stale sensor is never shown
 * as normal); then the conditions its latest values meet now by the same pure rules as the service
 * (to colour between service updates); otherwise normal.
 */
export function deviceHealth(
  device: Device,
  live: DeviceLive | undefined,
  alarms: ReadonlyMap<string, AlarmRecord>,
  nowMs: number,
): Health {
  const alarm = deviceAlarmSeverity(device.id, alarms);
  if (alarm) return alarm;
  const link = deviceLink(device, live, nowMs);
  if (link !== 'online') return link;
  let worst: Severity | null = null;
  if (live) for (const c of deviceConditions(device, live.values)) worst = worstSeverity(worst, c.severity);
  return worst ?? 'normal';
}

/** The worst severity of a device's open alarms; shelved ones are hidden by an operator, so skipped. */
export function deviceAlarmSeverity(deviceId: string, alarms: ReadonlyMap<string, AlarmRecord>): Severity | null {
  let worst: Severity | null = null;
  for (const a of alarms.values()) if (a.deviceId === deviceId && a.state !== 'shelved') worst = worstSeverity(worst, a.severity);
  return worst;
}

/** State of one value against its limits: a severity when over/under a limit, else normal. */
export function quantityState(q: Quantity, value: number | undefined, limits: QuantityLimits | undefined): Severity | 'normal' {
  if (value === undefined || !limits) return 'normal';
  let worst: Severity | null = null;
  for (const c of thresholdConditions({ [q]: value }, { [q]: limits })) worst = worstSeverity(worst, c.severity);
  return worst ?? 'normal';
}

export interface LinkCounts {
  online: number;
  stale: number;
  offline: number;
  nodata: number;
}

/** Devices by link state, for the status bar. */
export function linkCounts(devices: ReadonlyMap<string, Device>, live: ReadonlyMap<string, DeviceLive>, nowMs: number): LinkCounts {
  const out: LinkCounts = { online: 0, stale: 0, offline: 0, nodata: 0 };
  for (const d of devices.values()) out[deviceLink(d, live.get(d.id), nowMs)]++;
  return out;
}

/** The quantity a `{quantity}_high` / `{quantity}_low` rule is about, or null for other rules. */
export function ruleQuantity(rule: string): { quantity: string; dir: 'high' | 'low' } | null {
  const m = /^(.+)_(high|low)$/.exec(rule);
  return m ? { quantity: m[1], dir: m[2] as 'high' | 'low' } : null;
}

/** Replay's jump list: the view's alarms (every scene's in the overview) at `minSeverity` or worse, newest first. */
export function jumpAlarms(alarms: readonly AlarmRecord[], view: View, minSeverity: Severity): AlarmRecord[] {
  return alarms
    .filter((a) => (view === 'overview' || a.scene === view) && SEVERITY_RANK[a.severity] <= SEVERITY_RANK[minSeverity])
    .sort((a, b) => b.raisedAt - a.raisedAt);
}
