/**
 * Long registry lists checked by hand before zod: at 25,000 devices the schemas took a starting page
 * seconds (zod runs without its JIT under the page's CSP). A list every entry of which is surely
 * what its schema accepts is handed back as it is, without a copy; anything else goes through the
 * schema, so a malformed answer gets the same path and message as before.
 */
import { z } from 'zod';
import { SCENES } from '../scenes';

export type Rec = Record<string, unknown>;
export const isRecord = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);
export const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
export const optionalNumber = (x: unknown) => x === undefined || isNumber(x);

const SCENE_SET: ReadonlySet<unknown> = new Set(SCENES);

/** The fields a site and a device share: a non-empty id, a known scene, a kind and both names. */
export function namedEntry(x: Rec): boolean {
  return typeof x.id === 'string' && x.id.length > 0 && SCENE_SET.has(x.scene) && typeof x.kind === 'string' && typeof x.name === 'string' && typeof x.nameZh === 'string';
}

/** A list schema that takes the list as it is when `surely` holds for every entry, else asks `schema`. */
export function handChecked<T>(surely: (x: unknown) => boolean, schema: z.ZodType<T[]>): z.ZodType<T[]> {
  return z.unknown().transform((json, ctx) => {
    if (Array.isArray(json) && json.every(surely)) return json as T[];
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  });
}

/** An answer's schema that takes the answer as it is when `surely` holds for it, else asks `schema`. */
export function handCheckedWhole<T>(surely: (x: unknown) => boolean, schema: z.ZodType<T>): z.ZodType<T> {
  return z.unknown().transform((json, ctx) => {
    if (surely(json)) return json as T;
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  });
}
