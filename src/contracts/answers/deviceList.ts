/**
 * `GET /api/devices` checked by hand first (see `handChecked`): a device that is surely what
 * `deviceSchema` accepts passes as it is; anything else is left to the schema.
 */
import type { z } from 'zod';
import type { Device } from '../registry';
import { QUANTITIES } from '../quantities';
import { deviceListSchema } from './service';
import { handChecked, isNumber, isRecord, namedEntry, optionalNumber } from './handCheck';

const LEVELS: ReadonlySet<unknown> = new Set(['upper', 'middle', 'lower']);
const LIMIT_KEYS = ['high', 'highHigh', 'low', 'lowLow'] as const;
const CAMERA_NUMBERS = ['headingDeg', 'pitchDeg', 'fovDeg', 'rangeM'] as const;

const isQuantity = (x: unknown): boolean => typeof x === 'string' && Object.hasOwn(QUANTITIES, x);

/** Per-quantity limits as `limitsSchema` accepts them, or none. */
export function limitsOk(l: unknown): boolean {
  if (l === undefined) return true;
  if (!isRecord(l)) return false;
  for (const q in l) {
    const v = l[q];
    if (!isQuantity(q) || !isRecord(v)) return false;
    for (const k of LIMIT_KEYS) if (!optionalNumber(v[k])) return false;
  }
  return true;
}

/** Whether `d` is surely a device `deviceSchema` accepts (false: let the schema say). */
export function surelyDevice(d: unknown): boolean {
  if (!isRecord(d) || !namedEntry(d) || typeof d.siteId !== 'string') return false;
  const p = d.position;
  if (!Array.isArray(p) || p.length !== 3 || !isNumber(p[0]) || !isNumber(p[1]) || !isNumber(p[2])) return false;
  if (!Array.isArray(d.quantities) || !d.quantities.every(isQuantity)) return false;
  if (!isNumber(d.intervalS) || (d.level !== undefined && !LEVELS.has(d.level)) || !limitsOk(d.limits)) return false;
  for (const k of CAMERA_NUMBERS) if (!optionalNumber(d[k])) return false;
  return true;
}

/** The device list as the app's HTTP client checks it (`call`); a failure has the schema's own path and message. */
export const deviceListAnswerSchema: z.ZodType<Device[]> = handChecked(surelyDevice, deviceListSchema);
