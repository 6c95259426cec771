/**
 * `GET /api/devices` checked by hand first: at 25,000 devices the zod schema took a starting page
 * 1.2–1.3 s (zod runs without its JIT under the page's CSP). A list every device of which is surely
 * what `deviceSchema` accepts is handed back as it is, without a copy; anything else goes through
 * the schema, so a malformed answer gets the same reason as before.
 */
import { z } from 'zod';
import type { Device } from '../registry';
import { QUANTITIES } from '../quantities';
import { SCENES } from '../scenes';
import { deviceListSchema } from './service';

const SCENE_SET: ReadonlySet<unknown> = new Set(SCENES);
const LEVELS: ReadonlySet<unknown> = new Set(['upper', 'middle', 'lower']);
const LIMIT_KEYS = ['high', 'highHigh', 'low', 'lowLow'] as const;
const CAMERA_NUMBERS = ['headingDeg', 'pitchDeg', 'fovDeg', 'rangeM'] as const;

type Rec = Record<string, unknown>;
const isRecord = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isQuantity = (x: unknown): boolean => typeof x === 'string' && Object.hasOwn(QUANTITIES, x);
const optionalNumber = (x: unknown) => x === undefined || isNumber(x);

function limitsOk(l: unknown): boolean {
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
  if (!isRecord(d)) return false;
  if (typeof d.id !== 'string' || d.id.length === 0 || !SCENE_SET.has(d.scene)) return false;
  if (typeof d.siteId !== 'string' || typeof d.kind !== 'string' || typeof d.name !== 'string' || typeof d.nameZh !== 'string') return false;
  const p = d.position;
  if (!Array.isArray(p) || p.length !== 3 || !isNumber(p[0]) || !isNumber(p[1]) || !isNumber(p[2])) return false;
  if (!Array.isArray(d.quantities) || !d.quantities.every(isQuantity)) return false;
  if (!isNumber(d.intervalS) || (d.level !== undefined && !LEVELS.has(d.level)) || !limitsOk(d.limits)) return false;
  for (const k of CAMERA_NUMBERS) if (!optionalNumber(d[k])) return false;
  return true;
}

/** The device list as the app's HTTP client checks it (`call`); a failure has the schema's own path and message. */
export const deviceListAnswerSchema: z.ZodType<Device[]> = z.unknown().transform((json, ctx) => {
  if (Array.isArray(json) && json.every(surelyDevice)) return json as Device[];
  const parsed = deviceListSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});
