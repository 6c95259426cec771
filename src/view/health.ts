/**
 * How a device is judged for display — one rule for the globe's points, the status bar, the device
 * detail and the gas grids: its worst open alarm first; then whether it can be believed (no data
 * yet, offline, or stale by the service's word or by 3 × its interval of silence here: a stale
 * sensor is never shown as normal); then the conditions its latest values meet by the same pure
 * rules as the service, to colour between service updates; otherwise normal.
 */
import type { AlarmRecord, Device, DeviceLive, Quantity, QuantityLimits, Severity } from '../contracts';
import { STRICT_HIGH, deviceSeverity, isStale, thresholdSeverity, worstSeverity } from '../domain';
import type { Health } from './palette';

/** Connectivity of a device: `nodata` until its first reading or status arrives. */
export type Link = 'online' | 'stale' | 'offline' | 'nodata';

export function deviceLink(device: Pick<Device, 'quantities' | 'intervalS'>, live: DeviceLive | undefined, nowMs: number): Link {
  if (!live) return 'nodata';
  if (live.status === 'offline') return 'offline';
  if (live.status === 'stale') return 'stale';
  if (device.quantities.length > 0 && isStale(live.ts, device.intervalS, nowMs)) return 'stale';
  return 'online';
}

/** A device's health, given the worst severity of its open alarms (`alarmSeverityByDevice`). */
export function deviceHealth(device: Device, live: DeviceLive | undefined, alarm: Severity | null, nowMs: number): Health {
  if (alarm) return alarm;
  const link = deviceLink(device, live, nowMs);
  if (link !== 'online') return link;
  return deviceSeverity(device, live?.values ?? {}) ?? 'normal';
}

/** Worst open-alarm severity per device id. Shelved alarms are hidden by an operator, so skipped. */
export function alarmSeverityByDevice(alarms: ReadonlyMap<string, AlarmRecord>): Map<string, Severity> {
  const out = new Map<string, Severity>();
  for (const a of alarms.values()) {
    if (!a.deviceId || a.state === 'shelved') continue;
    out.set(a.deviceId, worstSeverity(out.get(a.deviceId) ?? null, a.severity) ?? a.severity);
  }
  return out;
}

/** The worst severity of one device's open alarms (shelved ones skipped). */
export function deviceAlarmSeverity(deviceId: string, alarms: ReadonlyMap<string, AlarmRecord>): Severity | null {
  let worst: Severity | null = null;
  for (const a of alarms.values()) if (a.deviceId === deviceId && a.state !== 'shelved') worst = worstSeverity(worst, a.severity);
  return worst;
}

/** State of one value against its limits: a severity when over/under a limit, else normal. */
export function quantityState(q: Quantity, value: number | undefined, limits: QuantityLimits | undefined): Severity | 'normal' {
  if (value === undefined || !limits) return 'normal';
  // thresholdConditions' verdict with no rule active, without building conditions (15 cells a space row).
  return thresholdSeverity(value, limits, STRICT_HIGH.has(q)) ?? 'normal';
}

/** Worst first: alarms by severity, then the grey states (they hide what is really there), normal last. */
export const HEALTH_ORDER: readonly Health[] = ['critical', 'major', 'minor', 'warning', 'stale', 'offline', 'nodata', 'normal'];

/** The worst of several healths (normal for none). */
export function worstHealth(healths: Iterable<Health>): Health {
  let best = HEALTH_ORDER.length - 1;
  for (const h of healths) best = Math.min(best, HEALTH_ORDER.indexOf(h));
  return HEALTH_ORDER[best];
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
